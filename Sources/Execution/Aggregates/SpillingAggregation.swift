import Storage

/// One pass of a hash aggregation over a stream of batches that stays within a `MemoryReservation` by spilling.
///
/// While the state fits, every batch goes into the in-memory `GroupedAggregation` (the reservation is grown
/// when the estimate passes it: a comparison per batch). When it cannot grow, new rows are hash-partitioned
/// into `partitionCount` spill files, each holding every row of its keys in input order, later aggregated on
/// its own by another pass one level deeper (`depth + 1`, using the next bits of the same key hash):
/// - state of a fixed size per group (sums, counts, min / max...): the key table is frozen. Rows whose key has
///   a group keep updating it, so that group's result is complete; only rows with a new key are spilled.
/// - state that grows with the rows (DISTINCT, median and quantiles, mode, string_agg, approx_distinct): the
///   frozen groups would keep growing, so this pass keeps its (projected) input batches while in memory, and
///   when the limit is reached spills them and every later row, dropping its state: all groups come from
///   the partitions.
///
/// A pass at `maxDepth` that does not fit, or an aggregate without GROUP BY, fails with the reservation's
/// out-of-memory error.
final class SpillingAggregation {
    /// Partitions per level (`partitionBits` bits of the key hash, from the top, per level).
    static let partitionBits = 5
    static var partitionCount: Int { 1 << partitionBits }
    /// Deepest repartitioning level: 32^4 ≈ 1M-fold smaller partitions than the input before giving up.
    static let maxDepth = 4

    private enum Mode { case memory, frozen, partitionAll }

    private(set) var state: GroupedAggregation
    let depth: Int
    /// Spill files of the rows not aggregated here, by partition (empty while nothing spilled).
    private(set) var partitions: [SpillFile] = []
    private(set) var spilledRows = 0
    private let groupKeys: [BoundExpression]
    /// The group keys over the spilled (projected) columns.
    private let spilledKeys: [BoundExpression]
    private let context: ExecutionContext
    private let reservation: MemoryReservation
    /// Columns of an input batch to spill (the ones the keys, arguments and filters read), nil for all.
    private let spillColumns: [Int]?
    private let spillTypes: [DataType]
    private var mode = Mode.memory
    /// Whether the state grows with the rows (then the projected input is kept until it spills or ends).
    private let keepsInput: Bool
    private var kept: [Batch] = []
    private var keptBytes = 0
    private var frozenBytes = 0
    private var ids: [Int32] = []

    /// `spilledKeys`: `groupKeys` remapped to the columns `spillColumns` (the same when that is nil).
    init(groupKeys: [BoundExpression], spilledKeys: [BoundExpression], calls: [AggregateCall], inputTypes: [DataType],
         spillColumns: [Int]?, context: ExecutionContext, reservation: MemoryReservation, depth: Int) throws {
        state = try GroupedAggregation(groupKeys: groupKeys, calls: calls)
        self.groupKeys = groupKeys
        self.spilledKeys = spilledKeys
        self.depth = depth
        self.context = context
        self.reservation = reservation
        self.spillColumns = spillColumns
        spillTypes = spillColumns.map { $0.map { inputTypes[$0] } } ?? inputTypes
        keepsInput = !groupKeys.isEmpty && depth < Self.maxDepth && state.growsWithRows
    }

    var isSpilling: Bool { !partitions.isEmpty }

    func consume(_ batch: Batch) throws {
        guard batch.count > 0 else { return }
        switch mode {
        case .frozen: return try consumeFrozen(batch)
        case .partitionAll:
            let rows = project(batch)
            return try spill(rows, keys: try OperatorExpressions.evaluate(spilledKeys, rows, context))
        case .memory: break
        }
        try state.consume(batch, context)
        if keepsInput {
            let projected = project(batch)
            kept.append(projected)
            keptBytes += projected.estimatedBytes
        }
        let bytes = state.estimatedBytes + keptBytes
        guard bytes > reservation.bytes else { return }
        // Grow with a quarter of headroom, so that the reservation changes a logarithmic number of times.
        if reservation.tryResize(to: bytes + bytes / 4) || reservation.tryResize(to: bytes) { return }
        guard !groupKeys.isEmpty, depth < Self.maxDepth else { throw reservation.outOfMemory() }
        partitions = try (0..<Self.partitionCount).map {
            try context.spill.newFile(types: spillTypes, purpose: "aggregate partition \(depth).\($0)", rowsPerGroup: Batch.defaultSize)
        }
        if keepsInput {
            mode = .partitionAll
            state = state.makeEmpty()
            let input = kept
            kept = []
            keptBytes = 0
            _ = reservation.tryResize(to: 0)
            for part in input { try spill(part, keys: try OperatorExpressions.evaluate(spilledKeys, part, context)) }
        } else {
            mode = .frozen
            frozenBytes = bytes
        }
    }

    private func project(_ batch: Batch) -> Batch {
        spillColumns.map { columns in Batch(columns: columns.map { batch.columns[$0] }, count: batch.count) } ?? batch
    }

    /// Frozen: known keys update their groups, the other rows go to their partition's file.
    private func consumeFrozen(_ batch: Batch) throws {
        let n = batch.count
        let keys = try OperatorExpressions.evaluate(groupKeys, batch, context)
        state.table.lookup(keys, count: n, groupIDs: &ids)
        var known: [Int32] = [], unknown: [Int32] = []
        ids.withUnsafeBufferPointer { ids in
            for i in 0..<n { if ids[i] >= 0 { known.append(Int32(i)) } else { unknown.append(Int32(i)) } }
        }
        if !known.isEmpty {
            try state.consume(known.count == n ? batch : batch.gather(known), context)
            let bytes = state.estimatedBytes
            if bytes > max(frozenBytes, reservation.bytes), !reservation.tryResize(to: bytes) { throw reservation.outOfMemory() }
        }
        guard !unknown.isEmpty else { return }
        let rows = project(unknown.count == n ? batch : batch.gather(unknown))
        try spill(rows, keys: unknown.count == n ? keys : keys.map { $0.gather(unknown) })
    }

    /// Appends the rows of `batch` (spilled columns) to their partitions by the hash of `keys`.
    private func spill(_ batch: Batch, keys: [Column]) throws {
        let n = batch.count
        let hashes = KeyHashing.rows(keys, count: n)
        let shift = UInt64(64 - Self.partitionBits * (depth + 1))
        let mask = UInt64(Self.partitionCount - 1)
        var byPartition = [[Int32]](repeating: [], count: Self.partitionCount)
        for i in 0..<n { byPartition[Int((hashes[i] >> shift) & mask)].append(Int32(i)) }
        for (p, selection) in byPartition.enumerated() where !selection.isEmpty {
            try partitions[p].append(selection.count == n ? batch : batch.gather(selection))
        }
        spilledRows += n
    }

    /// Ends the input: the spill files are closed and can be read; kept input is let go.
    func finishInput() throws {
        kept = []
        keptBytes = 0
        for file in partitions { try file.finishWriting() }
    }
}
