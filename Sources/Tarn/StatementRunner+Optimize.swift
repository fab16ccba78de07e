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
        let outcome = try compact(name, whereClause: whereClause, zorder: zorder, location: q.location, minimumFiles: nil)
        return summary(removed: outcome?.removed ?? 0, added: outcome?.added ?? 0, rows: outcome?.rows ?? 0)
    }

    /// What one compaction did.
    struct Compaction { var removed: Int; var added: Int; var rows: Int; var version: Int64 }

    /// Compacts `name`'s small files (see `optimize`); nil when there was nothing to do, or fewer than
    /// `minimumFiles` small files (auto_optimize's threshold).
    func compact(_ name: TableName, whereClause: Expression?, zorder: [String], location: SourceLocation,
                 minimumFiles: Int?) throws -> Compaction? {
        let writer = try lake.beginWrite(name)
        do {
            let snapshot = writer.base
            let schema = snapshot.schema
            for column in zorder where schema.index(of: column) == nil {
                throw TarnError.semantic("ZORDER BY: column '\(column)' does not exist in '\(name)'", line: location.line, column: location.column)
            }
            var candidates = Set(snapshot.files.indices)
            if let whereClause {
                let predicate = try QueryPlanner.bindExpression(whereClause, over: schema, qualifier: name.name, context: context(), asCondition: true)
                candidates = Set(try snapshot.morsels(matching: QueryPlanner.statisticsPredicates(predicate)).map(\.fileIndex))
            }
            // Small files, and files with deleted rows (rewritten without them, so their deletion vectors go).
            let chosen = candidates.filter {
                zorder.isEmpty ? snapshot.files[$0].rowCount < writer.targetRowsPerFile || snapshot.files[$0].deletionVector != nil : true
            }.sorted()
            let withDeletions = chosen.contains { snapshot.files[$0].deletionVector != nil }
            guard chosen.count > 1 || ((!zorder.isEmpty || withDeletions) && chosen.count == 1), chosen.count >= (minimumFiles ?? 0) else {
                writer.abort()
                return nil
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
            if minimumFiles != nil { try session.beforeAutoOptimizeCommit?() }
            var parameters = ["files_compacted": String(chosen.count), "zorder_by": zorder.joined(separator: ","),
                              "predicate": whereClause == nil ? "" : text]
            if minimumFiles != nil { parameters = ["files_compacted": String(chosen.count), "auto": "true", "after": text] }
            let info = try writer.commit(operation: "OPTIMIZE", parameters: parametersJSON(parameters))
            return Compaction(removed: chosen.count, added: info.filesAdded, rows: rows, version: info.version)
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
