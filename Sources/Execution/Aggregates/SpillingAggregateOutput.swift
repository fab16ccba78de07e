import Storage

/// The output of a hash aggregation that may have spilled: first the in-memory groups (`GroupedOutput`), then
/// every spilled partition, aggregated one at a time when its turn comes (a `SpillingAggregation` one level
/// deeper, which may itself spill sub-partitions, emitted after it). The reservation is given back between
/// parts, so only one partition's state is held at a time.
final class SpillingAggregateOutput {
    private var current: GroupedOutput?
    /// Partitions still to aggregate, the next one last.
    private var pending: [(file: SpillFile, depth: Int)]
    private let groupKeys: [BoundExpression]
    private let calls: [AggregateCall]
    private let context: ExecutionContext
    private let reservation: MemoryReservation
    private let statistics: OperatorStatistics?

    /// `groupKeys` and `calls` read the spilled columns (remapped to the spill files' column order).
    init(_ first: GroupedOutput, partitions: [SpillFile], depth: Int, groupKeys: [BoundExpression], calls: [AggregateCall],
         context: ExecutionContext, reservation: MemoryReservation, statistics: OperatorStatistics? = nil) {
        current = first
        pending = partitions.filter { $0.rowCount > 0 }.reversed().map { ($0, depth) }
        for file in partitions where file.rowCount == 0 { file.delete() }
        self.groupKeys = groupKeys
        self.calls = calls
        self.context = context
        self.reservation = reservation
        self.statistics = statistics
    }

    /// Only the in-memory groups: nothing spilled.
    convenience init(_ first: GroupedOutput, context: ExecutionContext, reservation: MemoryReservation) {
        self.init(first, partitions: [], depth: 0, groupKeys: [], calls: [], context: context, reservation: reservation)
    }

    func next() throws -> Batch? {
        while true {
            if let batch = try current?.next() { return batch }
            current = nil
            _ = reservation.tryResize(to: 0)
            guard let (file, depth) = pending.popLast() else { return nil }
            let pass = try SpillingAggregation(groupKeys: groupKeys, spilledKeys: groupKeys, calls: calls, inputTypes: file.types, spillColumns: nil,
                                               context: context, reservation: reservation, depth: depth)
            let reader = try file.makeReader()
            while let batch = try reader.next() {
                try context.progress.checkCancelled()
                try pass.consume(batch)
            }
            file.delete()
            try pass.finishInput()
            statistics?.add(rows: pass.state.table.groupCount, nanos: 0)
            if pass.isSpilling {
                statistics?.add("spilled_rows", pass.spilledRows)
                statistics?.add("spill_partitions", pass.partitions.filter { $0.rowCount > 0 }.count)
            }
            for sub in pass.partitions.reversed() where sub.rowCount > 0 { pending.append((sub, depth + 1)) }
            for sub in pass.partitions where sub.rowCount == 0 { sub.delete() }
            current = GroupedOutput([(pass.state, nil)])
        }
    }

    /// Deletes the partitions not read yet (the statement's spill directory removes them anyway at its end).
    func discard() {
        for (file, _) in pending { file.delete() }
        pending = []
        current = nil
    }
}
