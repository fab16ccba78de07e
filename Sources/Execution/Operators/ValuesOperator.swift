import Storage

/// Produces given batches: constant rows (VALUES) or materialised results. A morsel source (one morsel per batch).
public final class ValuesOperator: PhysicalOperator, MorselSource {
    public let outputTypes: [DataType]
    public let batches: [Batch]
    public let statistics = OperatorStatistics()
    private var position = 0
    private var context = ExecutionContext()

    public init(types: [DataType], batches: [Batch]) {
        outputTypes = types
        self.batches = batches
    }

    public var children: [PhysicalOperator] { [] }
    public var explainLine: String { "Values rows=\(batches.reduce(0) { $0 + $1.count })" }

    public var sourceExpressions: [BoundExpression] { [] }

    public func prepareMorsels(_ context: ExecutionContext) throws -> Int { batches.count }

    public func readMorsel(_ index: Int, _ context: ExecutionContext) throws -> Batch {
        statistics.add(rows: batches[index].count, nanos: 0)
        return batches[index]
    }

    public func open(_ context: ExecutionContext) throws { self.context = context; position = 0 }

    public func next() throws -> Batch? {
        while position < batches.count {
            try context.progress.checkCancelled()
            let b = batches[position]
            position += 1
            if b.count > 0 {
                statistics.add(rows: b.count, nanos: 0)
                return b
            }
        }
        return nil
    }

    public func close() {}
}

/// Produces no rows (e.g. `WHERE false`).
public final class EmptyOperator: PhysicalOperator {
    public let outputTypes: [DataType]
    public let statistics = OperatorStatistics()
    public init(types: [DataType]) { outputTypes = types }
    public var children: [PhysicalOperator] { [] }
    public var explainLine: String { "Empty" }
    public func open(_ context: ExecutionContext) throws {}
    public func next() throws -> Batch? { nil }
    public func close() {}
}
