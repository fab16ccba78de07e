import Foundation
import Tarn

/// Runs a pipeline file once and turns a failure into an alert (the failing step, the error, and the rows each
/// rule dropped before it). Shared by `tarn run --notify` and the schedules of `tarn serve`.
public enum PipelineAlerts {
    /// The alert for a failed run (`PipelineFailure` or any other error), naming the pipeline file.
    public static func alert(for error: Error, pipeline: String, lake: String) -> Alert {
        var alert = Alert(kind: .pipelineFailed, lake: lake)
        alert.pipeline = pipeline
        if let failure = error as? PipelineFailure {
            alert.step = failure.failedStep
            alert.error = failure.underlying.description
            for step in failure.result.steps { for (rule, rows) in step.drops where rows > 0 { alert.rowsDropped["\(step.target): \(rule)", default: 0] += rows } }
        } else {
            alert.error = "\(error)"
        }
        return alert
    }

    /// Reads and runs `path` on `database`; throws what the run threw.
    public static func run(_ path: String, database: Database) throws -> PipelineRunResult {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw DashboardError("cannot read the pipeline file \(path)") }
        let folder = (URL(fileURLWithPath: path).standardizedFileURL.path as NSString).deletingLastPathComponent
        return try database.connect().runPipeline(text, baseDirectory: folder)
    }
}
