import Foundation
import Storage

/// An operator whose output can be split into independently readable morsels (table scans, VALUES).
/// `readMorsel` must be safe to call from several threads at once after `prepareMorsels`.
protocol MorselSource: PhysicalOperator {
    /// Plans the morsels (statistics skipping happens here) and returns how many there are.
    func prepareMorsels(_ context: ExecutionContext) throws -> Int
    func readMorsel(_ index: Int, _ context: ExecutionContext) throws -> Batch
    /// Expressions evaluated while reading (a scan's filter), checked before running on several threads.
    var sourceExpressions: [BoundExpression] { get }
}

/// A per-batch operator (filter, projection) that can run on any worker: `transform` is thread-safe.
protocol PipelineStage: PhysicalOperator {
    var input: PhysicalOperator { get }
    func transform(_ batch: Batch, _ context: ExecutionContext) throws -> Batch
    var stageExpressions: [BoundExpression] { get }
}

/// Morsel-driven parallel execution of a pipeline `source → stage → stage …`.
///
/// `run` starts `workers` threads; each repeatedly claims the next unclaimed morsel, reads it, pushes it
/// through the stages and hands the result to `consume(worker, batch)`. A worker only ever touches its
/// own sink state, so sinks (e.g. partial aggregations) need no locks; the caller merges them afterwards.
/// Only one morsel per worker is in memory at a time.
final class ParallelPipeline {
    let source: MorselSource
    /// Stages in execution order (closest to the source first).
    let stages: [PipelineStage]

    init(source: MorselSource, stages: [PipelineStage]) { self.source = source; self.stages = stages }

    /// Recognises `op` as a pipeline rooted at a morsel source, or nil. Pipelines evaluating subqueries
    /// are not parallelised (subquery evaluators are not required to be thread-safe).
    static func decompose(_ op: PhysicalOperator) -> ParallelPipeline? {
        var stages: [PipelineStage] = []
        var current = op
        while true {
            if let source = current as? MorselSource {
                let expressions = source.sourceExpressions + stages.flatMap(\.stageExpressions)
                if expressions.contains(where: containsSubquery) { return nil }
                return ParallelPipeline(source: source, stages: stages.reversed())
            }
            guard let stage = current as? PipelineStage else { return nil }
            stages.append(stage)
            current = stage.input
        }
    }

    static func containsSubquery(_ e: BoundExpression) -> Bool {
        switch e {
        case .subquery: return true
        case .column, .constant, .parameter: return false
        case let .call(_, args, _): return args.contains(where: containsSubquery)
        case let .cast(x, _, _), let .not(x), let .isNull(x, _): return containsSubquery(x)
        case let .and(xs), let .or(xs), let .coalesce(xs, _): return xs.contains(where: containsSubquery)
        case let .inList(x, xs, _): return containsSubquery(x) || xs.contains(where: containsSubquery)
        case let .caseWhen(branches, elseResult, _):
            return branches.contains { containsSubquery($0.condition) || containsSubquery($0.result) } || elseResult.map(containsSubquery) ?? false
        }
    }

    /// Runs the pipeline; `consume` is called on worker threads with the worker's index.
    func run(_ context: ExecutionContext, workers requested: Int, consume: @escaping (Int, Batch) throws -> Void) throws {
        try runSelecting(context, workers: requested, deferLastFilter: false) { worker, batch, _ in try consume(worker, batch) }
    }

    /// Runs the pipeline; `consume(worker, batch, rows)` receives either a filtered batch and nil, or — with
    /// `deferLastFilter`, when the pipeline ends in a filter (the scan's, or a filter stage) that keeps most
    /// rows — the unfiltered batch and the indices of the kept rows (ascending, never empty).
    func runSelecting(_ context: ExecutionContext, workers requested: Int, deferLastFilter: Bool,
                      consume: @escaping (Int, Batch, [Int32]?) throws -> Void) throws {
        let morselCount = try source.prepareMorsels(context)
        let workers = max(1, min(requested, morselCount))
        let shared = SharedRunState(consume: consume)
        let scan = deferLastFilter && stages.isEmpty ? source as? TableScanOperator : nil
        let lastFilter = deferLastFilter ? stages.last as? FilterOperator : nil
        let body: (Int) -> Void = { worker in
            while true {
                guard let index = shared.claim(below: morselCount) else { return }
                do {
                    try context.progress.checkCancelled()
                    var batch: Batch
                    var rows: [Int32]? = nil
                    if let scan {
                        (batch, rows) = try scan.readMorselDeferringFilter(index, context)
                    } else {
                        batch = try self.source.readMorsel(index, context)
                    }
                    for (k, stage) in self.stages.enumerated() {
                        if batch.count == 0 { break }
                        if let lastFilter, k == self.stages.count - 1 {
                            (batch, rows) = try lastFilter.transformDeferring(batch, context)
                        } else {
                            batch = try stage.transform(batch, context)
                        }
                    }
                    if batch.count > 0 { try shared.consume(worker, batch, rows) }
                } catch {
                    shared.fail(error)
                    return
                }
            }
        }
        if workers == 1 {
            body(0)
        } else {
            let boxed = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { boxed.value($0) }
        }
        if let error = shared.error { throw error }
    }
}

/// Morsel counter and first error shared by the workers of one pipeline run.
private final class SharedRunState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextMorsel = 0
    private var firstError: Error?
    let consume: (Int, Batch, [Int32]?) throws -> Void

    init(consume: @escaping (Int, Batch, [Int32]?) throws -> Void) { self.consume = consume }

    /// The next morsel to process, or nil when all are claimed or a worker failed.
    func claim(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard firstError == nil, nextMorsel < count else { return nil }
        nextMorsel += 1
        return nextMorsel - 1
    }

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if firstError == nil { firstError = error }
    }

    var error: Error? { lock.lock(); defer { lock.unlock() }; return firstError }
}

/// Wraps a value whose thread-safety is guaranteed by the surrounding code (each worker touches only its slot).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
