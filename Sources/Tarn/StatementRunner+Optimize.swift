import Foundation
import Storage
import SQL
import Execution
import Planner

/// `OPTIMIZE t [WHERE condition] [ZORDER BY (columns)]`, Delta Lake's compaction: the table's small data files (fewer
/// rows than the writer's file size; with WHERE, only files whose statistics may hold a matching row) are rewritten
/// into as few files as their rows fill, as a new version with operation OPTIMIZE. With ZORDER BY every selected file
/// is rewritten, its rows sorted by the columns, so min/max statistics skip more. The rows and older versions do not
/// change (time travel reads them until VACUUM).
extension StatementRunner {
    func optimize(_ q: QualifiedName, _ whereClause: Expression?, _ zorder: [String]) throws -> StatementResult {
        try refuseIfTemporary(q, "OPTIMIZE")
        let name = try session.existingTableName(q)
        let writer = try lake.beginWrite(name)
        do {
            let snapshot = writer.base
            let schema = snapshot.schema
            for column in zorder where schema.index(of: column) == nil {
                throw TarnError.semantic("ZORDER BY: column '\(column)' does not exist in '\(name)'", line: q.location.line, column: q.location.column)
            }
            var candidates = Set(snapshot.files.indices)
            if let whereClause {
                let predicate = try QueryPlanner.bindExpression(whereClause, over: schema, qualifier: name.name, context: context(), asCondition: true)
                candidates = Set(try snapshot.morsels(matching: QueryPlanner.statisticsPredicates(predicate)).map(\.fileIndex))
            }
            let chosen = candidates.filter { zorder.isEmpty ? snapshot.files[$0].rowCount < writer.targetRowsPerFile : true }.sorted()
            guard chosen.count > 1 || (!zorder.isEmpty && chosen.count == 1) else {
                writer.abort()
                return summary(removed: 0, added: 0, rows: 0)
            }
            var batches: [Batch] = []
            let wanted = Set(chosen)
            for morsel in try snapshot.morsels(matching: []) where wanted.contains(morsel.fileIndex) {
                try progress.checkCancelled()
                batches.append(try snapshot.read(morsel, columns: Array(schema.fields.indices)))
            }
            if !zorder.isEmpty { batches = try sorted(batches, schema: schema, by: zorder) }
            var rows = 0
            for batch in batches where batch.count > 0 {
                try writer.append(batch)
                rows += batch.count
            }
            for file in chosen { try writer.removeFile(at: file) }
            let info = try writer.commit(operation: "OPTIMIZE", parameters: parametersJSON([
                "files_compacted": String(chosen.count), "zorder_by": zorder.joined(separator: ","), "predicate": whereClause == nil ? "" : text,
            ]))
            return summary(removed: chosen.count, added: info.filesAdded, rows: rows)
        } catch {
            writer.abort()
            throw error
        }
    }

    private func summary(removed: Int, added: Int, rows: Int) -> StatementResult {
        table([Field(name: "files_removed", type: .bigint), Field(name: "files_added", type: .bigint), Field(name: "rows_rewritten", type: .bigint)],
              [[.bigint(Int64(removed)), .bigint(Int64(added)), .bigint(Int64(rows))]])
    }

    /// The rows sorted by `columns` (NULLs last), through the engine's sort.
    private func sorted(_ batches: [Batch], schema: Schema, by columns: [String]) throws -> [Batch] {
        let ctx = context()
        ctx.temporaryTables["__optimize_rows"] = (schema.fields, batches)
        let order = columns.map { OrderItem(expression: Expression(.column(parts: [$0]), at: .unknown)) }
        let select = Select(items: [.star(qualifier: nil, exclude: [], location: .unknown)],
                            from: [.table(QualifiedName(["__optimize_rows"]), alias: nil, columnAliases: [], timeTravel: nil)])
        let planned = try QueryPlanner.plan(Query(body: .select(select), orderBy: order), context: ctx)
        return try collect(try planned.makeOperator())
    }
}
