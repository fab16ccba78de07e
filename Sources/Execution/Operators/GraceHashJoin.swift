import Foundation
import Storage

/// A hash join whose build side did not fit in memory: build rows, then probe rows, are hash-partitioned by
/// join key into spill files (`GraceJoinPartitions`), then the partition pairs are joined one at a time with the
/// operator's own table and probe code (`HashJoinOperator.makeTable`, `probe`), so every join kind gives the
/// answer it gives in memory. A pair whose build rows still do not fit is split again one level deeper, up to
/// `GraceJoinPartitions.maxDepth` (then the out-of-memory error: e.g. one key with too many build rows).
///
/// IN / NOT IN semantics (mark joins, null-aware anti joins) depend on the whole build side: whether it is empty
/// and whether it has a NULL key; those are recorded while partitioning (`buildRows`, `buildHasNullKey`).
/// Build rows with a NULL key match nothing, so they stay out of the pairs (they would all share one partition,
/// which no split can make smaller): kinds that emit unmatched build rows (right, full, right anti) get them from
/// a file of their own after the last pair, the others drop them.
final class GraceHashJoin: @unchecked Sendable {
    private unowned let join: HashJoinOperator
    private let context: ExecutionContext
    private let top: GraceJoinPartitions
    private(set) var buildRows = 0
    private(set) var buildHasNullKey = false
    /// True until the first `next()`: probes partition their rows (thread-safe), they do not join.
    private(set) var acceptsProbeRows = true
    /// Pairs still to join, the next one last.
    private var work: [(build: SpillFile, probe: SpillFile, depth: Int)] = []
    /// The pair being joined: its probe rows' reader (its build rows are the operator's installed table).
    private var current: (build: SpillFile, probe: SpillFile, reader: SpillReader)?
    /// Build rows with a NULL key, for the kinds that emit unmatched build rows; and its reader once the pairs are done.
    private var nullKeyBuild: SpillFile?
    private var nullKeyReader: SpillReader?
    /// Guards `buildRows`, `buildHasNullKey` and `nullKeyBuild` while build rows are partitioned on several threads.
    private let lock = NSLock()

    init(_ join: HashJoinOperator, _ context: ExecutionContext) throws {
        self.join = join
        self.context = context
        top = try GraceJoinPartitions(context, buildTypes: join.right.outputTypes, probeTypes: join.left.outputTypes, depth: 0)
    }

    /// Partitions build rows (thread-safe: a parallel build side partitions its morsels on every worker).
    func addBuild(_ batch: Batch, _ context: ExecutionContext) throws {
        guard batch.count > 0 else { return }
        let keys = try OperatorExpressions.evaluate(join.rightKeys, batch, context)
        let n = batch.count
        let nullKey = JoinHashTable.nullKeyRows(keys, n)
        let hasNullKey = nullKey.contains(true)
        lock.lock()
        buildRows += n
        if hasNullKey { buildHasNullKey = true }
        lock.unlock()
        guard hasNullKey else { return try top.addBuild(batch, keys: keys) }
        var keyed: [Int32] = [], unkeyed: [Int32] = []
        for i in 0..<n { if nullKey[i] { unkeyed.append(Int32(i)) } else { keyed.append(Int32(i)) } }
        if !keyed.isEmpty { try top.addBuild(batch.gather(keyed), keys: keys.map { $0.gather(keyed) }) }
        if emitsUnmatchedBuildRows {
            let rows = batch.gather(unkeyed)
            lock.lock()
            defer { lock.unlock() }
            if nullKeyBuild == nil { nullKeyBuild = try context.spill.newFile(types: join.right.outputTypes, purpose: "join null-key build") }
            try nullKeyBuild?.append(rows)
        }
    }

    private var emitsUnmatchedBuildRows: Bool { join.kind == .right || join.kind == .full || join.kind == .rightAnti }

    /// Partitions probe rows (thread-safe).
    func addProbe(_ batch: Batch, _ context: ExecutionContext) throws {
        guard batch.count > 0 else { return }
        let keys = try OperatorExpressions.evaluate(join.leftKeys, batch, context)
        try top.addProbe(batch, keys: keys)
    }

    /// The output of the next probe batch of the current pair, or what the pair owes at its end (unmatched build
    /// rows), or nil when every pair is joined.
    func next() throws -> [Batch]? {
        try startPairs()
        while true {
            if let pair = current {
                if let batch = try pair.reader.next() {
                    try context.progress.checkCancelled()
                    var out: [Batch] = []
                    try join.probe(batch, context) { out.append($0) }
                    return out
                }
                return try finishPair()
            }
            guard try installNextPair() else { return try nextNullKeyBuildRows() }
        }
    }

    /// One step of the pair-by-pair join for a consumer that probes on several threads (`ParallelPipeline`).
    enum Step {
        /// A pair's table is installed: probe every batch of `rows` (from any number of threads), then ask for the
        /// next step.
        case probe(GraceProbeRows)
        /// Rows to emit as they are: what a finished pair owes (RIGHT / FULL joins' unmatched build rows), the
        /// build rows with a NULL key.
        case output([Batch])
    }

    /// The next step of the pair-by-pair join, nil when every pair is joined. Not thread-safe; call it again
    /// only after the previous step's probe rows are all probed.
    func nextStep() throws -> Step? {
        try startPairs()
        if current != nil { return .output(try finishPair()) }
        guard try installNextPair() else { return try nextNullKeyBuildRows().map { .output($0) } }
        guard let pair = current else { return nil }   // invariant: installNextPair set it
        return .probe(GraceProbeRows(pair.reader, context.progress))
    }

    /// At the first step: the partitions are complete, the pairs are queued.
    private func startPairs() throws {
        guard acceptsProbeRows else { return }
        acceptsProbeRows = false
        try top.finish()
        join.statistics.add("spilled_build_rows", buildRows)
        work = zip(top.build, top.probe).reversed().map { ($0, $1, 0) }
    }

    /// The current pair's probe rows are done: what its table owes; the pair's files are deleted.
    private func finishPair() throws -> [Batch] {
        guard let pair = current else { return [] }
        current = nil
        let owed = try join.unmatchedOfInstalledTable()
        join.install(nil)
        _ = join.buildReservation?.tryResize(to: 0)
        pair.build.delete(); pair.probe.delete()
        return owed
    }

    /// Installs the next pair's table (splitting pairs too large for memory); false when no pair is left.
    private func installNextPair() throws -> Bool {
        while let (build, probe, depth) = work.popLast() {
            if skippable(build: build.rowCount, probe: probe.rowCount) {
                build.delete(); probe.delete()
                continue
            }
            guard let rows = try load(build) else {
                try split(build, probe, depth: depth)
                continue
            }
            join.install(try join.makeTable(rows, context))
            current = (build, probe, try probe.makeReader())
            return true
        }
        return false
    }

    /// After the last pair: the build rows with a NULL key as unmatched rows (RIGHT / FULL: NULL left columns;
    /// right anti: the rows themselves), a batch at a time; nil when they are out too.
    private func nextNullKeyBuildRows() throws -> [Batch]? {
        guard let file = nullKeyBuild else { return nil }
        if nullKeyReader == nil {
            try file.finishWriting()
            nullKeyReader = try file.makeReader()
        }
        guard let batch = try nullKeyReader?.next() else {
            file.delete()
            nullKeyBuild = nil
            nullKeyReader = nil
            return nil
        }
        try context.progress.checkCancelled()
        let emitter = JoinEmitter(kind: join.kind, nullAware: join.nullAware, leftTypes: join.left.outputTypes,
                                  rightTypes: join.right.outputTypes, build: batch)
        let out = emitter.unmatchedBuildRows()
        join.statistics.add(rows: out.reduce(0) { $0 + $1.count }, nanos: 0)
        return out
    }

    /// Whether a pair produces nothing: no probe rows and no build rows owed, or no build rows for a kind
    /// that emits only matches.
    private func skippable(build: Int, probe: Int) -> Bool {
        if build == 0 && probe == 0 { return true }
        let tracksBuild = join.kind == .right || join.kind == .full || join.kind == .rightSemi || join.kind == .rightAnti
        if probe == 0 && !tracksBuild { return true }
        if build == 0 && (join.kind == .inner || join.kind == .count || join.kind == .semi || join.kind == .right || join.kind == .rightSemi) { return true }
        return false
    }

    /// A pair's build rows as one batch, accounted to the build reservation; nil when they do not fit.
    private func load(_ file: SpillFile) throws -> Batch? {
        let types = join.right.outputTypes
        guard let reservation = join.buildReservation else { throw TarnError(.internal, "grace hash join without a reservation") }
        var parts: [Batch] = []
        var bytes = 0
        let reader = try file.makeReader()
        while let batch = try reader.next() {
            try context.progress.checkCancelled()
            bytes += JoinBuildAccounting.bytes(batch)
            if bytes > reservation.bytes, !reservation.tryResize(to: bytes) {
                _ = reservation.tryResize(to: 0)
                return nil
            }
            parts.append(batch)
        }
        if parts.isEmpty { return Batch(columns: types.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0) }
        return ColumnAssembly.concatenate(parts, types: types)
    }

    /// Splits a pair one level deeper (the sub-pairs are joined next), or throws the out-of-memory error.
    private func split(_ build: SpillFile, _ probe: SpillFile, depth: Int) throws {
        guard depth < GraceJoinPartitions.maxDepth, let reservation = join.buildReservation else {
            throw join.buildReservation?.outOfMemory() ?? TarnError(.internal, "grace hash join without a reservation")
        }
        _ = reservation
        join.statistics.add("grace_splits", 1)
        let sub = try GraceJoinPartitions(context, buildTypes: join.right.outputTypes, probeTypes: join.left.outputTypes, depth: depth + 1)
        let buildReader = try build.makeReader()
        while let batch = try buildReader.next() {
            try context.progress.checkCancelled()
            try sub.addBuild(batch, keys: try OperatorExpressions.evaluate(join.rightKeys, batch, context))
        }
        let probeReader = try probe.makeReader()
        while let batch = try probeReader.next() {
            try context.progress.checkCancelled()
            try sub.addProbe(batch, keys: try OperatorExpressions.evaluate(join.leftKeys, batch, context))
        }
        try sub.finish()
        build.delete(); probe.delete()
        work.append(contentsOf: zip(sub.build, sub.probe).reversed().map { ($0, $1, depth + 1) })
    }

    /// Deletes every spill file not joined yet.
    func discard() {
        top.delete()
        for pair in work { pair.build.delete(); pair.probe.delete() }
        work = []
        if let pair = current { pair.build.delete(); pair.probe.delete() }
        current = nil
        nullKeyBuild?.delete()
        nullKeyBuild = nil
        nullKeyReader = nil
    }
}

/// Thrown while a parallel build side is collected and outgrows the memory limit: the join reads it again on
/// one thread, partitioning it (grace mode).
struct JoinSpillRequired: Error {}

/// Accounts a hash join's build rows to its reservation as they are collected (from several threads at once).
final class JoinBuildAccounting: @unchecked Sendable {
    private let reservation: MemoryReservation
    private let lock = NSLock()
    private var total = 0

    init(_ reservation: MemoryReservation) { self.reservation = reservation }

    /// Bytes a build batch takes once joined: its columns twice (the collected batches and their concatenation,
    /// together for a moment) and, per row, the key table's entry and the row lists.
    static func bytes(_ batch: Batch) -> Int { batch.estimatedBytes * 2 + batch.count * 48 }

    /// Accounts one more collected batch; throws `JoinSpillRequired` when it does not fit.
    func admit(_ batch: Batch) throws {
        lock.lock()
        defer { lock.unlock() }
        total += Self.bytes(batch)
        if total > reservation.bytes, !reservation.tryResize(to: total + total / 4), !reservation.tryResize(to: total) {
            throw JoinSpillRequired()
        }
    }
}

/// One grace pair's probe rows, handed out batch by batch to any number of threads, each batch with its
/// sequence number (the order a single thread would have read them in).
final class GraceProbeRows: @unchecked Sendable {
    private let reader: SpillReader
    private let progress: QueryProgress
    private let lock = NSLock()
    private var taken = 0

    init(_ reader: SpillReader, _ progress: QueryProgress) {
        self.reader = reader
        self.progress = progress
    }

    /// The next probe batch and its sequence number, nil when all are taken.
    func next() throws -> (batch: Batch, sequence: Int)? {
        try progress.checkCancelled()
        lock.lock()
        defer { lock.unlock() }
        guard let batch = try reader.next() else { return nil }
        taken += 1
        return (batch, taken - 1)
    }

    /// Batches handed out so far.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return taken
    }
}
