import Storage

/// Equi-join: builds a hash table over the right input's keys, then streams the left (probe) input.
///
/// Output: left columns then right columns (inner/left/right/full), left columns only (semi/anti),
/// or left columns plus a BOOLEAN (mark: TRUE on a match, NULL when unmatched but a NULL key was involved
/// on either side — SQL IN semantics — FALSE otherwise). NULL keys never match. `residual` is evaluated
/// over left columns ++ right columns for key-matching pairs. `nullAware` makes `anti` implement NOT IN.
///
/// The join is also a pipeline stage: under a parallel consumer (an aggregation over scan → … → join → …)
/// `ParallelPipeline` builds the table once (`prepareBuild`, the build input itself read in parallel when it
/// is a pipeline) and every worker probes its own morsels (`probe`, thread-safe); RIGHT / FULL joins' unmatched
/// build rows follow once all morsels are probed. A probe's output comes in chunks of at most
/// `pairsPerChunk` key matches, so a key matching many build rows never materialises every pair at once.
public final class HashJoinOperator: PhysicalOperator, PipelineStage {
    public let left: PhysicalOperator
    public let right: PhysicalOperator
    public let kind: PhysicalJoinKind
    public let leftKeys: [BoundExpression]
    public let rightKeys: [BoundExpression]
    public let residual: BoundExpression?
    public let nullAware: Bool
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    /// The residual over only the columns it reads: left columns `residualLeft` then right `residualRight`.
    private let residualCompact: BoundExpression?
    private let residualLeft: [Int]
    private let residualRight: [Int]

    private var context = ExecutionContext()
    private var build: JoinHashTable?
    private var pending: [Batch] = []
    private var probeDone = false

    /// Most key-matching pairs turned into output at once.
    static let pairsPerChunk = 16_384

    public init(left: PhysicalOperator, right: PhysicalOperator, kind: PhysicalJoinKind, leftKeys: [BoundExpression],
                rightKeys: [BoundExpression], residual: BoundExpression? = nil, nullAware: Bool = false) {
        self.left = left
        self.right = right
        self.kind = kind
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.nullAware = nullAware
        outputTypes = JoinEmitter.outputTypes(kind, left.outputTypes, right.outputTypes)
        let leftWidth = left.outputTypes.count
        if let residual, let used = residual.referencedColumns {
            residualLeft = used.filter { $0 < leftWidth }.sorted()
            residualRight = used.filter { $0 >= leftWidth }.sorted().map { $0 - leftWidth }
            var map: [Int: Int] = [:]
            for (k, c) in residualLeft.enumerated() { map[c] = k }
            for (k, c) in residualRight.enumerated() { map[c + leftWidth] = residualLeft.count + k }
            residualCompact = residual.remappingColumns(map)
        } else {
            residualLeft = Array(0..<leftWidth)
            residualRight = Array(0..<right.outputTypes.count)
            residualCompact = residual
        }
    }

    public var children: [PhysicalOperator] { [left, right] }
    var input: PhysicalOperator { left }
    var stageExpressions: [BoundExpression] { leftKeys + (residual.map { [$0] } ?? []) }

    public var explainLine: String {
        let keys = zip(leftKeys, rightKeys).map { "\(OperatorExpressions.describe($0)) = \(OperatorExpressions.describe($1))" }
        var s = "HashJoin \(kind.rawValue)\(nullAware ? " null-aware" : "") [\(keys.joined(separator: " AND "))]"
        if let residual { s += " residual=\(OperatorExpressions.describe(residual))" }
        return s
    }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        try prepareBuild(context)
        try left.open(context)
        probeDone = false
        pending = []
    }

    /// Reads the right input and builds the hash table (in parallel over morsels when the input is a pipeline
    /// and `threads > 1`; the rows keep their input order either way).
    func prepareBuild(_ context: ExecutionContext) throws {
        let start = OperatorClock.now()
        var parts: [Batch] = []
        let threads = max(1, context.settings.threads)
        if threads > 1, let pipeline = ParallelPipeline.decompose(right) {
            parts = try pipeline.collect(context, workers: threads)
        } else {
            try right.open(context)
            defer { right.close() }
            while let b = try right.next() {
                try context.progress.checkCancelled()
                if b.count > 0 { parts.append(b) }
            }
        }
        let buildBatch = parts.isEmpty ? Batch(columns: right.outputTypes.map { Column(type: $0, data: .zeros($0.physical, count: 0)) }, count: 0)
            : ColumnAssembly.concatenate(parts, types: right.outputTypes)
        parts = []
        try context.progress.checkCancelled()
        let keys = try OperatorExpressions.evaluate(rightKeys, buildBatch, context)
        try context.progress.checkCancelled()
        let emitter = JoinEmitter(kind: kind, nullAware: nullAware, leftTypes: left.outputTypes, rightTypes: right.outputTypes, build: buildBatch)
        build = try JoinHashTable(batch: buildBatch, keys: keys, keyTypes: rightKeys.map(\.type), emitter: emitter, progress: context.progress)
        statistics.add(rows: 0, nanos: OperatorClock.since(start))
    }

    /// The left input and this join as one parallel pipeline, when threads > 1 and the left input is a pipeline.
    private func probeInParallel() -> ParallelPipeline? {
        guard context.settings.threads > 1, !stageExpressions.contains(where: ParallelPipeline.containsSubquery),
              let inner = ParallelPipeline.decompose(left) else { return nil }
        return ParallelPipeline(source: inner.source, stages: inner.stages + [self])
    }

    /// Whether the hash table is built (between `prepareBuild` and `releaseBuild` / `close`).
    var hasBuild: Bool { build != nil }

    /// Frees the build side (pipeline mode, after the last probe and `unmatchedBuildBatches`).
    func releaseBuild() { build = nil }

    /// Output owed after every probe: RIGHT / FULL joins' unmatched build rows, right semi / anti rows.
    func unmatchedBuildBatches() -> [Batch] {
        let out = build?.emitter.unmatchedBuildRows() ?? []
        statistics.add(rows: out.reduce(0) { $0 + $1.count }, nanos: 0)
        return out
    }

    public func next() throws -> Batch? {
        if !probeDone, kind == .rightSemi || kind == .rightAnti, let all = probeInParallel() {
            // The probe itself emits nothing: every worker probes morsels, then the build rows follow.
            probeDone = true
            pending = try all.collect(context, workers: context.settings.threads).reversed()
        }
        while pending.isEmpty {
            guard !probeDone, build != nil else { return nil }
            guard let probeBatch = try left.next() else {
                probeDone = true
                pending = unmatchedBuildBatches().reversed()
                continue
            }
            try context.progress.checkCancelled()
            var out: [Batch] = []
            try probe(probeBatch, context) { out.append($0) }
            pending = out.reversed()
        }
        return pending.removeLast()
    }

    func transform(_ batch: Batch, _ context: ExecutionContext) throws -> Batch {
        var out: [Batch] = []
        try probe(batch, context) { out.append($0) }
        if out.isEmpty { return Batch(columns: outputTypes.map { Column(type: $0, data: .zeros($0.physical, count: 0)) }, count: 0) }
        return ColumnAssembly.concatenate(out, types: outputTypes)
    }

    /// Joins one probe batch, handing the output to `emit` chunk by chunk. Thread-safe after `prepareBuild`.
    func probe(_ batch: Batch, _ context: ExecutionContext, _ emit: (Batch) throws -> Void) throws {
        guard let build else { throw TarnError(.internal, "hash join probed before its build side was read") }
        var mark = OperatorClock.now()
        var spent: UInt64 = 0
        var produced = 0
        defer { statistics.add(rows: produced, nanos: spent + OperatorClock.since(mark)) }
        func send(_ batches: [Batch]) throws {
            spent += OperatorClock.since(mark)
            for b in batches where b.count > 0 { produced += b.count; try emit(b) }
            mark = OperatorClock.now()
        }
        let n = batch.count
        if n == 0 { return }
        let emitter = build.emitter
        let keys = try OperatorExpressions.evaluate(leftKeys, batch, context)
        var ids: [Int32] = []
        build.lookup(keys, count: n, into: &ids)
        let nullKey = JoinHashTable.nullKeyRows(keys, n)
        var unknown: [Bool] = []
        if emitter.usesUnknown {
            let buildEmpty = build.batch.count == 0
            unknown = (0..<n).map { !buildEmpty && (nullKey[$0] || build.hasNullKey) }
        }
        if residualCompact == nil && (kind == .semi || kind == .anti || kind == .mark) {
            var matched = [Bool](repeating: false, count: n)
            build.groupStart.withUnsafeBufferPointer { start in
                ids.withUnsafeBufferPointer { ids in
                    for i in 0..<n where !nullKey[i] {
                        let g = Int(ids[i])
                        matched[i] = g >= 0 && start[g + 1] > start[g]
                    }
                }
            }
            try send(emitter.emitFlags(probe: batch, rows: 0..<n, matched: matched, unknown: unknown))
            return
        }
        let limit = Self.pairsPerChunk
        var lo = 0
        while lo < n {
            var pairProbe: [Int32] = [], pairBuild: [Int32] = []
            pairProbe.reserveCapacity(min(n - lo, limit)); pairBuild.reserveCapacity(min(n - lo, limit))
            var hi = lo
            build.groupStart.withUnsafeBufferPointer { start in
                build.rowsByGroup.withUnsafeBufferPointer { rows in
                    ids.withUnsafeBufferPointer { ids in
                        while hi < n && pairProbe.count < limit {
                            let g = Int(ids[hi])
                            if g >= 0 && !nullKey[hi] {
                                let row = Int32(hi)
                                for k in Int(start[g])..<Int(start[g + 1]) { pairProbe.append(row); pairBuild.append(rows[k]) }
                            }
                            hi += 1
                        }
                    }
                }
            }
            if let residualCompact, !pairProbe.isEmpty {
                let columns = residualLeft.map { batch.columns[$0].gather(pairProbe) } + residualRight.map { build.batch.columns[$0].gather(pairBuild) }
                let verdict = try OperatorExpressions.evaluate(residualCompact, Batch(columns: columns, count: pairProbe.count), context)
                var keptProbe: [Int32] = [], keptBuild: [Int32] = []
                keptProbe.reserveCapacity(pairProbe.count); keptBuild.reserveCapacity(pairProbe.count)
                if case let .bool(values) = verdict.data {
                    let trackUnknown = emitter.usesUnknown
                    for k in 0..<pairProbe.count {
                        if verdict.isNull(k) { if trackUnknown { unknown[Int(pairProbe[k])] = true }; continue }
                        if values[k] { keptProbe.append(pairProbe[k]); keptBuild.append(pairBuild[k]) }
                    }
                }
                pairProbe = keptProbe; pairBuild = keptBuild
            }
            try send(emitter.emit(probe: batch, rows: lo..<hi, pairProbe: pairProbe, pairBuild: pairBuild, unknown: unknown))
            lo = hi
        }
    }

    public func close() {
        left.close()
        build = nil; pending = []
    }
}
