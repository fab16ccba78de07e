import Storage

/// SELECT DISTINCT / UNION: streams the first occurrence of every row (NULLs compare equal), hash-based.
public final class DistinctOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let statistics = OperatorStatistics()
    private var table: GroupKeyTable?
    private var ids: [Int32] = []
    private var context = ExecutionContext()
    private var reservation: MemoryReservation?

    public init(child: PhysicalOperator) { self.child = child }

    public var outputTypes: [DataType] { child.outputTypes }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String { "Distinct" }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        reservation = MemoryReservation(context.memory, owner: "DISTINCT")
        table = GroupKeyTables.make(for: child.outputTypes)
        try child.open(context)
    }

    public func next() throws -> Batch? {
        let start = OperatorClock.now()
        guard let table else { return nil }
        while let b = try child.next() {
            try context.progress.checkCancelled()
            let before = table.groupCount
            table.assign(b.columns, count: b.count, groupIDs: &ids)
            try reservation?.grow(by: GroupKeyMemory.bytes(newGroups: table.groupCount - before, of: b))
            var rows: [Int32] = []
            var next = Int32(before)
            for i in 0..<b.count where ids[i] == next { rows.append(Int32(i)); next += 1 }
            if rows.isEmpty { continue }
            let out = rows.count == b.count ? b : b.gather(rows)
            statistics.add(rows: out.count, nanos: OperatorClock.since(start))
            return out
        }
        return nil
    }

    public func close() { child.close(); table = nil; reservation?.release() }
}
