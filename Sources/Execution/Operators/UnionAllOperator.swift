import Storage

/// UNION ALL: the batches of each child in turn (children have the same column types).
public final class UnionAllOperator: PhysicalOperator {
    public let inputs: [PhysicalOperator]
    public let statistics = OperatorStatistics()
    private var current = 0
    private var context = ExecutionContext()

    public init(children: [PhysicalOperator]) { inputs = children }

    public var outputTypes: [DataType] { inputs.first?.outputTypes ?? [] }
    public var children: [PhysicalOperator] { inputs }
    public var explainLine: String { "UnionAll" }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        current = 0
        if let first = inputs.first { try first.open(context) }
    }

    public func next() throws -> Batch? {
        let start = OperatorClock.now()
        while current < inputs.count {
            try context.progress.checkCancelled()
            if let b = try inputs[current].next() {
                var out = b
                for (k, t) in outputTypes.enumerated() where k < out.columns.count && out.columns[k].type != t && out.columns[k].type.physical == t.physical {
                    out.columns[k].type = t
                }
                statistics.add(rows: out.count, nanos: OperatorClock.since(start))
                return out
            }
            inputs[current].close()
            current += 1
            if current < inputs.count { try inputs[current].open(context) }
        }
        return nil
    }

    public func close() {
        if current < inputs.count { inputs[current].close() }
        current = inputs.count
    }
}
