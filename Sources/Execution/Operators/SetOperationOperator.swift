import Storage

/// INTERSECT / EXCEPT, with or without ALL (NULLs compare equal, as set operations require).
///
/// The right input is counted per distinct row; left rows then stream through: INTERSECT ALL emits a row
/// min(left, right) times, EXCEPT ALL max(left − right, 0) times, the DISTINCT forms at most once.
public final class SetOperationOperator: PhysicalOperator {
    /// The set operation to apply.
    public enum Kind: String, Sendable { case intersect, except }

    public let left: PhysicalOperator
    public let right: PhysicalOperator
    public let kind: Kind
    public let all: Bool
    public let statistics = OperatorStatistics()
    private var table: GroupKeyTable?
    private var remaining: [Int] = []
    private var emitted: [Bool] = []
    private var rightGroups = 0
    private var ids: [Int32] = []
    private var context = ExecutionContext()
    private var reservation: MemoryReservation?

    public init(left: PhysicalOperator, right: PhysicalOperator, kind: Kind, all: Bool) {
        self.left = left
        self.right = right
        self.kind = kind
        self.all = all
    }

    public var outputTypes: [DataType] { left.outputTypes }
    public var children: [PhysicalOperator] { [left, right] }
    public var explainLine: String { "\(kind == .intersect ? "Intersect" : "Except")\(all ? " ALL" : "")" }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        let table = GroupKeyTables.make(for: left.outputTypes)
        let reservation = MemoryReservation(context.memory, owner: kind == .intersect ? "INTERSECT" : "EXCEPT")
        self.reservation = reservation
        try right.open(context)
        remaining = []
        while let b = try right.next() {
            try context.progress.checkCancelled()
            let before = table.groupCount
            table.assign(b.columns, count: b.count, groupIDs: &ids)
            try reservation.grow(by: GroupKeyMemory.bytes(newGroups: table.groupCount - before, of: b))
            if remaining.count < table.groupCount { remaining.append(contentsOf: repeatElement(0, count: table.groupCount - remaining.count)) }
            for i in 0..<b.count { remaining[Int(ids[i])] += 1 }
        }
        right.close()
        rightGroups = table.groupCount
        emitted = []
        self.table = table
        try left.open(context)
    }

    public func next() throws -> Batch? {
        let start = OperatorClock.now()
        guard let table else { return nil }
        while let b = try left.next() {
            try context.progress.checkCancelled()
            let before = table.groupCount
            table.assign(b.columns, count: b.count, groupIDs: &ids)
            let groups = table.groupCount
            try reservation?.grow(by: GroupKeyMemory.bytes(newGroups: groups - before, of: b))
            if remaining.count < groups { remaining.append(contentsOf: repeatElement(0, count: groups - remaining.count)) }
            if emitted.count < groups { emitted.append(contentsOf: repeatElement(false, count: groups - emitted.count)) }
            var rows: [Int32] = []
            for i in 0..<b.count {
                let g = Int(ids[i])
                let inRight = remaining[g] > 0
                switch (kind, all) {
                case (.intersect, true): if inRight { remaining[g] -= 1; rows.append(Int32(i)) }
                case (.intersect, false): if inRight && !emitted[g] { emitted[g] = true; rows.append(Int32(i)) }
                case (.except, true): if inRight { remaining[g] -= 1 } else { rows.append(Int32(i)) }
                case (.except, false): if g >= rightGroups || remaining[g] == 0, !emitted[g] { emitted[g] = true; rows.append(Int32(i)) }
                }
            }
            if rows.isEmpty { continue }
            let out = rows.count == b.count ? b : b.gather(rows)
            statistics.add(rows: out.count, nanos: OperatorClock.since(start))
            return out
        }
        return nil
    }

    public func close() { left.close(); table = nil; reservation?.release() }
}
