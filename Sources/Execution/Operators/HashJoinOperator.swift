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
///
/// The build side is accounted to a `MemoryReservation` ("hash join build") as it is read. When it does not
/// fit, the join becomes a grace hash join (`GraceHashJoin`): build and probe rows are hash-partitioned by key
/// into spill files and the partitions are joined one at a time, every join kind with the same answer.
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
    /// The build side's memory ("hash join build"); when it cannot grow the join turns into a grace join.
    private var reservation: MemoryReservation?
    /// Grace mode: both sides partitioned to spill files, joined pair by pair (`GraceHashJoin`).
    private var grace: GraceHashJoin?

    /// Runtime filters of build keys this join publishes for scans on its probe side once its table is built (set
    /// by the physical planner; see `RuntimeFilter`). None in grace mode.
    public var runtimeFilterSources: [RuntimeFilterSource] = []

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
        if !runtimeFilterSources.isEmpty {
            s += " runtime_filters=[\(runtimeFilterSources.map { "\(OperatorExpressions.describe(rightKeys[$0.keyIndex])) -> \($0.slot.label)" }.joined(separator: ", "))]"
        }
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
        defer { statistics.add(rows: 0, nanos: OperatorClock.since(start)) }
        reservation?.release()
        let reservation = MemoryReservation(context.memory, owner: "hash join build")
        self.reservation = reservation
        for source in runtimeFilterSources { source.slot.publish(nil) }
        grace = nil
        var parts: [Batch] = []
        let threads = max(1, context.settings.threads)
        var spill = false
        if threads > 1, let pipeline = ParallelPipeline.decompose(right) {
            let accounting = JoinBuildAccounting(reservation)
            do {
                parts = try pipeline.collect(context, workers: threads, admit: accounting.admit)
            } catch is JoinSpillRequired {
                // Too large for memory: read the build input again on one thread, partitioning it.
                parts = []
                spill = true
            }
        } else {
            try right.open(context)
            defer { right.close() }
            var bytes = 0
            while let b = try right.next() {
                try context.progress.checkCancelled()
                if b.count == 0 { continue }
                bytes += JoinBuildAccounting.bytes(b)
                if bytes > reservation.bytes, !reservation.tryResize(to: bytes + bytes / 4), !reservation.tryResize(to: bytes) {
                    // The rows read so far go to the partitions first, then the rest of the input.
                    let spilled = try startGrace(context)
                    for part in parts { try spilled.addBuild(part, context) }
                    parts = []
                    _ = reservation.tryResize(to: 0)
                    try spilled.addBuild(b, context)
                    while let more = try right.next() {
                        try context.progress.checkCancelled()
                        try spilled.addBuild(more, context)
                    }
                    return
                }
                parts.append(b)
            }
        }
        if spill {
            let spilled = try startGrace(context)
            if let pipeline = ParallelPipeline.decompose(right) {
                // Partitioned on every worker, as the probe rows will be (the partitions' row order is not the input's).
                try pipeline.run(context, workers: threads) { _, b in try spilled.addBuild(b, context) }
                return
            }
            try right.open(context)
            defer { right.close() }
            while let b = try right.next() {
                try context.progress.checkCancelled()
                try spilled.addBuild(b, context)
            }
            return
        }
        let buildBatch = parts.isEmpty ? Batch(columns: right.outputTypes.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0)
            : ColumnAssembly.concatenate(parts, types: right.outputTypes)
        parts = []
        try context.progress.checkCancelled()
        let table = try makeTable(buildBatch, context)
        build = table
        try publishRuntimeFilters(buildBatch, table, context)
    }

    /// Hands each runtime filter's scan the filter of its build key column.
    private func publishRuntimeFilters(_ buildBatch: Batch, _ table: JoinHashTable, _ context: ExecutionContext) throws {
        guard !runtimeFilterSources.isEmpty else { return }
        let start = OperatorClock.now()
        for source in runtimeFilterSources where rightKeys.indices.contains(source.keyIndex) {
            let keys = try OperatorExpressions.evaluate([rightKeys[source.keyIndex]], buildBatch, context)
            let filter = keys.first.flatMap { RuntimeFilter(keys: $0, distinctKeys: max(0, table.groupStart.count - 1)) }
            source.slot.publish(filter)
        }
        statistics.add("runtime_filter_us", Int(OperatorClock.since(start) / 1000))
    }

    /// Whether an empty build side means no output at all, so the probe side need not be read.
    private var emptyBuildEmptiesOutput: Bool {
        kind == .inner || kind == .semi || kind == .rightSemi || kind == .right || kind == .count
    }

    /// The hash table over `buildBatch` (the whole build side, or one grace partition's).
    func makeTable(_ buildBatch: Batch, _ context: ExecutionContext) throws -> JoinHashTable {
        let keys = try OperatorExpressions.evaluate(rightKeys, buildBatch, context)
        try context.progress.checkCancelled()
        let emitter = JoinEmitter(kind: kind, nullAware: nullAware, leftTypes: left.outputTypes, rightTypes: right.outputTypes, build: buildBatch)
        return try JoinHashTable(batch: buildBatch, keys: keys, keyTypes: rightKeys.map(\.type), emitter: emitter,
                                 needsRows: !probesCountsOnly, progress: context.progress)
    }

    /// Whether a probe only asks how many build rows share its key (`probe`'s counting and flag paths), never which.
    private var probesCountsOnly: Bool {
        residualCompact == nil && (kind == .count || kind == .semi || kind == .anti || kind == .mark)
    }

    private func startGrace(_ context: ExecutionContext) throws -> GraceHashJoin {
        let spilled = try GraceHashJoin(self, context)
        grace = spilled
        statistics.add("grace_join", 1)
        return spilled
    }

    /// Sets the table probes use (grace mode: one partition's), or clears it.
    func install(_ table: JoinHashTable?) { build = table }

    /// The left input and this join as one parallel pipeline, when threads > 1 and the left input is a pipeline.
    private func probeInParallel() -> ParallelPipeline? {
        guard context.settings.threads > 1, !stageExpressions.contains(where: ParallelPipeline.containsSubquery),
              let inner = ParallelPipeline.decompose(left) else { return nil }
        return ParallelPipeline(source: inner.source, stages: inner.stages + [self])
    }

    /// Whether the hash table is built, or the build side partitioned (between `prepareBuild` and
    /// `releaseBuild` / `close`).
    var hasBuild: Bool { build != nil || grace != nil }

    /// Whether the build side did not fit and was partitioned: probes then partition their rows too, and the
    /// output comes from `nextSpilledOutput` after the last probe.
    var isSpilled: Bool { grace != nil }

    /// Frees the build side (pipeline mode, after the last probe and `unmatchedBuildBatches`).
    func releaseBuild() {
        for source in runtimeFilterSources { source.slot.publish(nil) }
        build = nil
        grace?.discard()
        grace = nil
        reservation?.release()
    }

    /// Grace mode: the output of the next step of the partition-by-partition join (nil when all are joined).
    /// Call after the last probe; not thread-safe.
    func nextSpilledOutput() throws -> [Batch]? {
        try grace?.next()
    }

    /// Grace mode, for a consumer probing on several threads: the next step of the pair-by-pair join (nil when
    /// all are joined). Call after the last probe, and again only when the previous step's probe rows are done.
    func nextSpilledStep() throws -> GraceHashJoin.Step? {
        try grace?.nextStep()
    }

    /// Grace mode: what the installed partition table owes after its probe rows (RIGHT / FULL joins' unmatched
    /// build rows, right semi / anti rows).
    func unmatchedOfInstalledTable() throws -> [Batch] {
        let out = build?.emitter.unmatchedBuildRows() ?? []
        statistics.add(rows: out.reduce(0) { $0 + $1.count }, nanos: 0)
        return out
    }

    /// The build side's reservation (grace mode loads one partition at a time into it).
    var buildReservation: MemoryReservation? { reservation }

    /// Output owed after every probe: RIGHT / FULL joins' unmatched build rows, right semi / anti rows.
    func unmatchedBuildBatches() -> [Batch] {
        if grace != nil { return [] }
        let out = build?.emitter.unmatchedBuildRows() ?? []
        statistics.add(rows: out.reduce(0) { $0 + $1.count }, nanos: 0)
        return out
    }

    public func next() throws -> Batch? {
        if let grace {
            // Grace mode: partition the whole probe input first, then join the partitions one by one.
            if !probeDone {
                probeDone = true
                while let probeBatch = try left.next() {
                    try context.progress.checkCancelled()
                    try grace.addProbe(probeBatch, context)
                }
            }
            while pending.isEmpty {
                guard let out = try nextSpilledOutput() else { return nil }
                pending = out.filter { $0.count > 0 }.reversed()
            }
            return pending.removeLast()
        }
        if !probeDone, emptyBuildEmptiesOutput, let build, build.batch.count == 0 {
            // Nothing can match: the probe side is not read at all.
            probeDone = true
            return nil
        }
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
        if out.isEmpty { return Batch(columns: outputTypes.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0) }
        return ColumnAssembly.concatenate(out, types: outputTypes)
    }

    /// Joins one probe batch, handing the output to `emit` chunk by chunk. Thread-safe after `prepareBuild`.
    func probe(_ batch: Batch, _ context: ExecutionContext, _ emit: (Batch) throws -> Void) throws {
        if let grace, grace.acceptsProbeRows { return try grace.addProbe(batch, context) }
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
            // In grace mode these describe the whole build side, not just this partition.
            let buildEmpty = grace.map { $0.buildRows == 0 } ?? (build.batch.count == 0)
            let buildHasNullKey = grace?.buildHasNullKey ?? build.hasNullKey
            unknown = (0..<n).map { !buildEmpty && (nullKey[$0] || buildHasNullKey) }
        }
        if kind == .count {
            guard residualCompact == nil else { throw TarnError(.internal, "a counting join cannot have a residual condition") }
            var counts = [Int64](repeating: 0, count: n)
            build.groupStart.withUnsafeBufferPointer { start in
                ids.withUnsafeBufferPointer { ids in
                    for i in 0..<n where !nullKey[i] {
                        let g = Int(ids[i])
                        if g >= 0 { counts[i] = Int64(start[g + 1] - start[g]) }
                    }
                }
            }
            try send(emitter.emitCounts(probe: batch, counts: counts))
            return
        }
        if probesCountsOnly {
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
        for source in runtimeFilterSources { source.slot.publish(nil) }
        left.close()
        build = nil; pending = []
        grace?.discard(); grace = nil
        reservation?.release(); reservation = nil
    }
}
