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
        let morselCount = try source.prepareMorsels(context)
        let workers = max(1, min(requested, morselCount))
        let shared = SharedRunState(consume: consume)
        let body: (Int) -> Void = { worker in
            while true {
                guard let index = shared.claim(below: morselCount) else { return }
                do {
                    try context.progress.checkCancelled()
                    var batch = try self.source.readMorsel(index, context)
                    for stage in self.stages {
                        if batch.count == 0 { break }
                        batch = try stage.transform(batch, context)
                    }
                    if batch.count > 0 { try shared.consume(worker, batch) }
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
    let consume: (Int, Batch) throws -> Void

    init(consume: @escaping (Int, Batch) throws -> Void) { self.consume = consume }

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
