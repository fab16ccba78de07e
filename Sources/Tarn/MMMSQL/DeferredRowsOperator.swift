import Storage
import Execution

/// A source operator whose rows are computed when it is opened (so binding and EXPLAIN never run the work):
/// model fits and model outputs.
final class DeferredRowsOperator: PhysicalOperator {
    let outputTypes: [DataType]
    let statistics = OperatorStatistics()
    let label: String
    private let compute: (ExecutionContext) throws -> Batch
    private var pending: Batch?

    init(types: [DataType], label: String, compute: @escaping (ExecutionContext) throws -> Batch) {
        outputTypes = types
        self.label = label
        self.compute = compute
    }

    var children: [PhysicalOperator] { [] }
    var explainLine: String { label }

    func open(_ context: ExecutionContext) throws {
        let batch = try compute(context)
        statistics.add(rows: batch.count, nanos: 0)
        pending = batch.count > 0 ? batch : nil
    }

    func next() throws -> Batch? {
        defer { pending = nil }
        return pending
    }

    func close() { pending = nil }
}

/// Builds a batch from rows of values for the given fields.
func makeBatch(_ fields: [Field], _ rows: [[Value]]) -> Batch {
    var builders = fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
    for row in rows { for i in builders.indices { builders[i].append(i < row.count ? row[i] : .null) } }
    return Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows.count)
}
