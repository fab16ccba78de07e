import Storage

/// Runs its child once and replays the rows on every later `open` (CTEs referenced several times,
/// uncorrelated subqueries).
public final class MaterializeOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let statistics = OperatorStatistics()
    private var rows: [Batch]?
    private var position = 0
    private var reservation: MemoryReservation?

    public init(child: PhysicalOperator) { self.child = child }

    public var outputTypes: [DataType] { child.outputTypes }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String { "Materialize" }

    public func open(_ context: ExecutionContext) throws {
        position = 0
        if rows != nil { return }
        let start = OperatorClock.now()
        let reservation = MemoryReservation(context.memory, owner: "materialized subquery")
        self.reservation = reservation
        try child.open(context)
        var out: [Batch] = []
        while let b = try child.next() {
            try context.progress.checkCancelled()
            guard b.count > 0 else { continue }
            try reservation.grow(by: b.estimatedBytes)
            out.append(b)
        }
        child.close()
        rows = out
        statistics.add(rows: out.reduce(0) { $0 + $1.count }, nanos: OperatorClock.since(start))
    }

    public func next() throws -> Batch? {
        guard let rows, position < rows.count else { return nil }
        position += 1
        return rows[position - 1]
    }

    public func close() {}
}
