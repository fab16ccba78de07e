import Storage
import Execution
import Planner

/// `table_changes('t', from_version [, to_version])`: the change data feed, as Delta names it — every row a
/// version inserted, deleted or updated, with `_change_type` (insert, delete, update_preimage,
/// update_postimage), `_commit_version` and `_commit_timestamp`. See `Lake.changes(of:from:to:)`.
enum ChangeFeedFunction {
    static func definition(lake: Lake) -> TableFunctionDefinition {
        TableFunctionDefinition(name: "table_changes") { call in
            guard (2...3).contains(call.positional.count), case let .varchar(tableText) = call.positional[0],
                  let from = call.positional[1].int64Value else {
                throw TarnError.semantic("table_changes('table', from_version [, to_version]) takes a table name and versions")
            }
            var to: Int64?
            if call.positional.count == 3 {
                guard let end = call.positional[2].int64Value else { throw TarnError.semantic("table_changes: to_version must be an integer") }
                to = end
            }
            let parts = tableText.split(separator: ".").map(String.init)
            let table = parts.count == 2 ? TableName(schema: parts[0], name: parts[1]) : TableName(name: tableText)
            let (shape, changes) = try lake.changes(of: table, from: from, to: to)
            let fields = shape.schema.fields + [Field(name: "_change_type", type: .varchar), Field(name: "_commit_version", type: .bigint),
                                                Field(name: "_commit_timestamp", type: .timestamp)]
            return (fields, OperatorFactory {
                var batches: [Batch] = []
                let columns = Array(shape.schema.fields.indices)
                for change in changes {
                    for morsel in try change.rows.morsels(matching: []) {
                        let batch = try change.rows.read(morsel, columns: columns)
                        guard batch.count > 0 else { continue }
                        let extra: [Column] = [
                            constant(.varchar(change.kind.rawValue), .varchar, batch.count),
                            constant(.bigint(change.version), .bigint, batch.count),
                            constant(.timestamp(change.timestamp), .timestamp, batch.count),
                        ]
                        batches.append(Batch(columns: batch.columns + extra, count: batch.count))
                    }
                }
                return ValuesOperator(types: fields.map(\.type), batches: batches)
            })
        }
    }

    private static func constant(_ value: Value, _ type: DataType, _ count: Int) -> Column {
        var builder = ColumnBuilder(type: type, capacity: count)
        for _ in 0..<count { builder.append(value) }
        return builder.finish()
    }
}
