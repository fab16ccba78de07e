import Foundation
import Storage

/// An operator whose output can be split into independently readable morsels (table scans, Parquet row groups,
/// VALUES). `readMorsel` must be safe to call from several threads at once after `prepareMorsels`.
public protocol MorselSource: PhysicalOperator {
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

/// Morsel-driven parallel execution of a pipeline `source → stage → stage …` (stages: filters, projections,
/// and hash joins probing with their left input, whose build sides are read before the morsels).
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
        try runMorsels(context, workers: requested, deferLastFilter: deferLastFilter) { worker, _, batch, rows in
            try consume(worker, batch, rows)
        }
    }

    /// The pipeline's output batches in morsel order (as a single-threaded pull would give them), read on
    /// `workers` threads. A hash join's build side is read this way; `admit` sees every batch first (on the worker's
    /// thread) and may stop the run by throwing (the join's memory accounting).
    func collect(_ context: ExecutionContext, workers: Int, admit: ((Batch) throws -> Void)? = nil) throws -> [Batch] {
        let parts = UncheckedSendable((0..<max(1, workers)).map { _ in CollectedBatches() })
        try runMorsels(context, workers: workers, deferLastFilter: false) { worker, morsel, batch, _ in
            try admit?(batch)
            parts.value[worker].items.append((morsel, parts.value[worker].items.count, batch))
        }
        return parts.value.flatMap(\.items).sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    /// Hash joins among the stages, in stage order.
    private var joinStages: [(index: Int, join: HashJoinOperator)] {
        stages.enumerated().compactMap { k, stage in (stage as? HashJoinOperator).map { (k, $0) } }
    }

    /// The engine of `runSelecting` and `collect`: `consume(worker, morsel, batch, rows)`. Hash join stages
    /// build their tables first, probe on every worker (one output chunk at a time through the later stages),
    /// and after the last morsel emit what they owe at the end (RIGHT / FULL joins' unmatched build rows)
    /// through the later stages, again on every worker; tables built here are freed at the end. A join that went
/// grace (`HashJoinOperator.isSpilled`) partitions the probed rows instead and joins them after the last morsel.
    private func runMorsels(_ context: ExecutionContext, workers requested: Int, deferLastFilter: Bool,
                            consume: @escaping (Int, Int, Batch, [Int32]?) throws -> Void) throws {
        let joins = joinStages
        // A join pulled by its parent (`HashJoinOperator.next`) has built its table already and keeps it.
        let building = joins.filter { !$0.join.hasBuild }
        defer { for (_, join) in building { join.releaseBuild() } }
        // The join closest to the consumer builds first: its runtime filters can then reach scans on the build
        // sides of the joins below it, as well as the source.
        for (_, join) in building.reversed() { try join.prepareBuild(context) }
        let morselCount = try source.prepareMorsels(context)
        let workers = max(1, requested)
        let shared = SharedRunState(consume: consume)
        let scan = deferLastFilter && stages.isEmpty ? source as? TableScanOperator : nil
        let lastFilter = deferLastFilter ? stages.last as? FilterOperator : nil
        let stages = self.stages
        /// Runs `batch` through stages `from...` and consumes what comes out.
        func push(_ batch: Batch, _ rows: [Int32]?, from first: Int, worker: Int, morsel: Int) throws {
            var batch = batch, rows = rows
            var k = first
            while k < stages.count {
                if batch.count == 0 { return }
                if let join = stages[k] as? HashJoinOperator {
                    let nextStage = k + 1
                    try join.probe(batch, context) { out in try push(out, nil, from: nextStage, worker: worker, morsel: morsel) }
                    return
                }
                if let lastFilter, k == stages.count - 1 {
                    (batch, rows) = try lastFilter.transformDeferring(batch, context)
                } else {
                    batch = try stages[k].transform(batch, context)
                }
                k += 1
            }
            if batch.count > 0 { try shared.consume(worker, morsel, batch, rows) }
        }
        /// Runs `work(worker, item)` for items `0..<count` on up to `workers` threads.
        func spread(_ count: Int, _ work: @escaping (Int, Int) throws -> Void) throws {
            let claims = SharedRunState(consume: { _, _, _, _ in })
            let body: (Int) -> Void = { worker in
                while let item = claims.claim(below: count) {
                    do {
                        try context.progress.checkCancelled()
                        try work(worker, item)
                    } catch {
                        claims.fail(error)
                        return
                    }
                }
            }
            let threads = max(1, min(workers, count))
            if threads == 1 {
                body(0)
            } else {
                let boxed = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: threads) { boxed.value($0) }
            }
            if let error = claims.error { throw error }
        }
        try spread(morselCount) { worker, index in
            if let scan {
                let (batch, rows) = try scan.readMorselDeferringFilter(index, context)
                try push(batch, rows, from: 0, worker: worker, morsel: index)
            } else {
                try push(try self.source.readMorsel(index, context), nil, from: 0, worker: worker, morsel: index)
            }
        }
        // What a join owes after its probe (RIGHT / FULL joins' unmatched rows, right semi / anti rows) goes
        // through the later stages in parallel too, tagged after every morsel in build-row order.
        var tag = morselCount
        for (k, join) in joins {
            if join.isSpilled {
                // A grace join (its build side did not fit) joins its partitions now, one after another: each pair's
                // table is built on this thread, its probe batches are probed on every worker (tagged in read order)
                // and their output goes through the later stages there; what a pair owes goes on this thread.
                while let step = try join.nextSpilledStep() {
                    switch step {
                    case let .output(out):
                        for batch in out where batch.count > 0 {
                            try push(batch, nil, from: k + 1, worker: 0, morsel: tag)
                            tag += 1
                        }
                    case let .probe(rows):
                        let first = tag
                        let nextStage = k + 1
                        try spread(workers) { worker, _ in
                            while let (batch, sequence) = try rows.next() {
                                try join.probe(batch, context) { out in
                                    try push(out, nil, from: nextStage, worker: worker, morsel: first + sequence)
                                }
                            }
                        }
                        tag += rows.count
                    }
                }
                continue
            }
            let owed = join.unmatchedBuildBatches()
            let first = tag
            tag += owed.count
            try spread(owed.count) { worker, item in
                try push(owed[item], nil, from: k + 1, worker: worker, morsel: first + item)
            }
        }
    }
}

/// One worker's output batches, tagged (morsel, sequence within the morsel's output).
private final class CollectedBatches {
    var items: [(Int, Int, Batch)] = []
}

/// Morsel counter and first error shared by the workers of one pipeline run.
private final class SharedRunState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextMorsel = 0
    private var firstError: Error?
    let consume: (Int, Int, Batch, [Int32]?) throws -> Void

    init(consume: @escaping (Int, Int, Batch, [Int32]?) throws -> Void) { self.consume = consume }

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
