import Storage

/// What `Session.runPipeline` did, step by step (also recorded in `tarn.pipeline_runs`).
public struct PipelineRunResult: Sendable {
    /// One executed step.
    public struct Step: Sendable {
        public var index: Int
        public var kind: String
        public var target: String
        /// `succeeded`, `up to date`, `failed` (or `rolled back` after a later failure).
        public var status: String
        public var rowsIn: Int
        public var rowsOut: Int
        /// Rows dropped, per rule (`expectation <name>`, `impute: …`, `copy: rejected records`).
        public var drops: [String: Int]
        public var version: Int64?
        public var message: String
    }

    public var runID: String
    public var steps: [Step]
    /// The tables and views restored to their pre-run state after a failure (empty when the run succeeded).
    public var rolledBack: [String]
}

/// A pipeline step failed; every table and view the run had changed was put back as it was before the run.
public struct PipelineFailure: Error, Sendable, CustomStringConvertible {
    public var result: PipelineRunResult
    public var failedStep: String
    public var underlying: TarnError

    public var description: String {
        let restored = result.rolledBack.isEmpty ? "no table had changed" : "restored to their pre-run versions: \(result.rolledBack.joined(separator: ", "))"
        return "pipeline run \(result.runID) failed at \(failedStep): \(underlying.description); \(restored)"
    }
}
