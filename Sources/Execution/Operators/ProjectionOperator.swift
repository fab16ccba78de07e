import Storage

/// Computes one output column per expression.
public final class ProjectionOperator: PhysicalOperator, PipelineStage {
    public let child: PhysicalOperator
    public let expressions: [BoundExpression]
    public let statistics = OperatorStatistics()
    private var context = ExecutionContext()

    public init(child: PhysicalOperator, expressions: [BoundExpression]) {
        self.child = child
        self.expressions = expressions
    }

    public var outputTypes: [DataType] { expressions.map(\.type) }
    public var children: [PhysicalOperator] { [child] }
    var input: PhysicalOperator { child }
    public var explainLine: String { "Projection [\(expressions.map(OperatorExpressions.describe).joined(separator: ", "))]" }

    var stageExpressions: [BoundExpression] { expressions }

    func transform(_ batch: Batch, _ context: ExecutionContext) throws -> Batch {
        let start = OperatorClock.now()
        let out = Batch(columns: try OperatorExpressions.evaluate(expressions, batch, context), count: batch.count)
        statistics.add(rows: out.count, nanos: OperatorClock.since(start))
        return out
    }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        try child.open(context)
    }

    public func next() throws -> Batch? {
        guard let batch = try child.next() else { return nil }
        try context.progress.checkCancelled()
        return try transform(batch, context)
    }

    public func close() { child.close() }
}
