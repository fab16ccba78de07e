import Foundation
import Storage
import SQL
import Execution
import Planner

extension StatementRunner {
    func showTables(schema: String?, like: String?) throws -> StatementResult {
        let s = schema?.lowercased() ?? session.currentSchema
        var rows: [[Value]] = []
        for t in try lake.tableNames(schema: s) { rows.append([.varchar(t.name), .varchar("table")]) }
        for v in try lake.viewNames(schema: s) { rows.append([.varchar(v.name), .varchar("view")]) }
        if let like {
            let pattern = like.lowercased()
            rows = rows.filter { SimpleLike.matches(($0[0].description).lowercased(), pattern) }
        }
        rows.sort { $0[0].description < $1[0].description }
        return table([Field(name: "name", type: .varchar), Field(name: "type", type: .varchar)], rows)
    }

    func showSchemas() throws -> StatementResult {
        table([Field(name: "schema_name", type: .varchar)], try lake.schemaNames().sorted().map { [.varchar($0)] })
    }

    func describe(_ q: QualifiedName) throws -> StatementResult {
        let fields: [Field]
        let name = try session.existingTableName(q)
        if try lake.tableExists(name) {
            fields = try lake.snapshot(of: name).schema.fields
        } else {
            let planned = try QueryPlanner.plan(Query(body: .select(Select(items: [.star(qualifier: nil, exclude: [], location: q.location)],
                                                                               from: [.table(q, alias: nil, columnAliases: [], timeTravel: nil)]))),
                                                context: context())
            fields = planned.columns
        }
        return table([Field(name: "column_name", type: .varchar), Field(name: "column_type", type: .varchar), Field(name: "null", type: .varchar)],
                     fields.map { [.varchar($0.name), .varchar($0.type.description), .varchar($0.nullable ? "YES" : "NO")] })
    }

    /// `DESCRIBE SELECT …`: the query is planned, not run.
    func describe(_ query: Query) throws -> StatementResult {
        let planned = try QueryPlanner.plan(query, context: context())
        return table([Field(name: "column_name", type: .varchar), Field(name: "column_type", type: .varchar), Field(name: "null", type: .varchar)],
                     planned.columns.map { [.varchar($0.name), .varchar($0.type.description), .varchar("YES")] })
    }

    func describeHistory(_ q: QualifiedName) throws -> StatementResult {
        let name = try session.existingTableName(q)
        let history = try lake.history(of: name)
        let fields = [
            Field(name: "version", type: .bigint), Field(name: "timestamp", type: .timestamp), Field(name: "operation", type: .varchar),
            Field(name: "operation_parameters", type: .varchar), Field(name: "rows_added", type: .bigint), Field(name: "rows_removed", type: .bigint),
            Field(name: "files_added", type: .bigint), Field(name: "files_removed", type: .bigint),
        ]
        return table(fields, history.map { h in
            [.bigint(h.version), .timestamp(h.timestamp), .varchar(h.operation), .varchar(h.parameters),
             .bigint(Int64(h.rowsAdded)), .bigint(Int64(h.rowsRemoved)), .bigint(Int64(h.filesAdded)), .bigint(Int64(h.filesRemoved))]
        })
    }

    func restore(_ q: QualifiedName, _ tt: TimeTravel) throws -> StatementResult {
        let name = try session.existingTableName(q)
        let selector = try QueryPlanner.snapshotSelector(tt, context: context())
        let info = try lake.restore(name, to: selector)
        return table([Field(name: "version", type: .bigint), Field(name: "rows", type: .bigint)],
                     [[.bigint(info.version), .bigint(Int64(try lake.snapshot(of: name).rowCount))]])
    }

    func vacuum(_ q: QualifiedName, retainHours: Double?, dryRun: Bool) throws -> StatementResult {
        let name = try session.existingTableName(q)
        let result = try lake.vacuum(name, retentionHours: retainHours ?? 168, dryRun: dryRun)
        return table([Field(name: "path", type: .varchar)], result.paths.map { [.varchar($0)] })
    }

    func explain(_ inner: Statement, analyze: Bool) throws -> StatementResult {
        guard case let .query(q) = inner else {
            throw TarnError.unsupported("EXPLAIN supports queries only")
        }
        let planned = try QueryPlanner.plan(q, context: context())
        let op = try planned.makeOperator()
        if analyze {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try collect(op)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            var lines = QueryPlanner.explain(op, analyze: true)
            lines.append(String(format: "Total: %.2f ms", ms))
            return table([Field(name: "plan", type: .varchar)], lines.map { [.varchar($0)] })
        }
        return table([Field(name: "plan", type: .varchar)], QueryPlanner.explain(op, analyze: false).map { [.varchar($0)] })
    }
}

/// LIKE matching for SHOW TABLES patterns (`%` and `_`).
enum SimpleLike {
    static func matches(_ s: String, _ p: String) -> Bool {
        let a = Array(s), b = Array(p)
        var memo = [[Bool?]](repeating: [Bool?](repeating: nil, count: b.count + 1), count: a.count + 1)
        func go(_ i: Int, _ j: Int) -> Bool {
            if let m = memo[i][j] { return m }
            let r: Bool
            if j == b.count { r = i == a.count }
            else if b[j] == "%" { r = go(i, j + 1) || (i < a.count && go(i + 1, j)) }
            else { r = i < a.count && (b[j] == "_" || b[j] == a[i]) && go(i + 1, j + 1) }
            memo[i][j] = r
            return r
        }
        return go(0, 0)
    }
}
