import Storage
import Execution

/// Produces the rows of one generated retail table (`generate_retail('orders', rows => n)`), batch by batch.
public final class RetailScanOperator: PhysicalOperator {
    public let generator: RetailGenerator
    public let table: RetailGenerator.Table
    public let rows: Int
    public let statistics = OperatorStatistics()
    private var position = 0

    public init(generator: RetailGenerator, table: RetailGenerator.Table, rows: Int) {
        self.generator = generator; self.table = table; self.rows = max(0, rows)
    }

    public var outputTypes: [DataType] { RetailGenerator.schema(table).types }
    public var children: [PhysicalOperator] { [] }
    public var explainLine: String { "GenerateRetail \(table.rawValue) rows=\(rows) seed=\(generator.options.seed)" }

    public func open(_ context: ExecutionContext) throws { position = 0 }

    public func next() throws -> Batch? {
        guard position < rows else { return nil }
        let end = min(rows, position + Batch.defaultSize)
        let batch = generator.batch(table, rows: position..<end)
        position = end
        statistics.add(rows: batch.count, nanos: 0)
        return batch
    }

    public func close() {}
}
