import Storage

/// Keeps the rows where `predicate` is TRUE.
public final class FilterOperator: PhysicalOperator, PipelineStage {
    public let child: PhysicalOperator
    public let predicate: BoundExpression
    public let statistics = OperatorStatistics()
    private var context = ExecutionContext()

    public init(child: PhysicalOperator, predicate: BoundExpression) {
        self.child = child
        self.predicate = predicate
    }

    public var outputTypes: [DataType] { child.outputTypes }
    public var children: [PhysicalOperator] { [child] }
    var input: PhysicalOperator { child }
    public var explainLine: String { "Filter \(OperatorExpressions.describe(predicate))" }

    var stageExpressions: [BoundExpression] { [predicate] }

    func transform(_ batch: Batch, _ context: ExecutionContext) throws -> Batch {
        let start = OperatorClock.now()
        let rows = try OperatorExpressions.select(predicate, batch, context)
        let out = rows.count == batch.count ? batch : batch.gather(rows)
        statistics.add(rows: out.count, nanos: OperatorClock.since(start))
        return out
    }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        try child.open(context)
    }

    public func next() throws -> Batch? {
        while let batch = try child.next() {
            try context.progress.checkCancelled()
            let out = try transform(batch, context)
            if out.count > 0 { return out }
        }
        return nil
    }

    public func close() { child.close() }
}
