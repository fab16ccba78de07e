import Foundation
import Storage
import SQL
import Planner

/// `SUMMARIZE` and `SHOW CREATE TABLE | VIEW`: looking at a relation before querying it.
extension StatementRunner {
    /// One row per column of the query (DuckDB's `SUMMARIZE`): column_name, column_type, min, max, approx_unique,
    /// avg, std, q25, q50, q75 (numbers only), count and null_percentage, computed in one pass over the query.
    func summarize(_ query: Query) throws -> StatementResult {
        let fields = try QueryPlanner.plan(query, context: context()).columns
        let loc = query.location
        func expression(_ kind: ExpressionKind) -> Expression { Expression(kind, at: loc) }
        func call(_ name: String, _ args: [Expression]) -> Expression {
            expression(.function(FunctionCall(name: [name], arguments: args.map { FunctionArgument(value: .expression($0)) })))
        }
        let null = expression(.literal(.null))
        var items: [SelectItem] = [.expression(call("count", []).withStar(), alias: nil)]
        for field in fields {
            let column = expression(.column(parts: ["__summarized", field.name]))
            let orderable = field.type != .boolean && field.type.isOrderable
            let numeric = field.type.isNumeric
            let text = { (e: Expression) in expression(.cast(e, type: TypeName(name: "VARCHAR"), isTry: false)) }
            let quartile = { (p: String) in numeric ? call("quantile_cont", [column, expression(.literal(.decimal(p)))]) : null }
            items += [
                orderable ? text(call("min", [column])) : null,
                orderable ? text(call("max", [column])) : null,
                call("approx_distinct", [column]),
                numeric ? call("avg", [column]) : null,
                numeric ? call("stddev", [column]) : null,
                quartile("0.25"), quartile("0.5"), quartile("0.75"),
                call("count", [column]),
            ].map { .expression($0, alias: nil) }
        }
        let select = Select(items: items, from: [.subquery(query, alias: "__summarized", columnAliases: [], location: loc)], location: loc)
        let planned = try QueryPlanner.plan(Query(body: .select(select), location: loc), context: context())
        guard let row = try collect(try planned.makeOperator()).first.map({ $0.row(0) }) else {
            throw TarnError(.internal, "SUMMARIZE: the summary query returned no row")
        }
        let total = row[0].int64Value ?? 0
        let per = 9
        let rows: [[Value]] = fields.enumerated().map { i, field in
            let v = Array(row[(1 + i * per)..<(1 + (i + 1) * per)])
            let nonNull = v[8].int64Value ?? 0
            let nullShare: Value = total > 0 ? .double(Double(total - nonNull) * 100 / Double(total)) : .null
            return [.varchar(field.name), .varchar(field.type.description), v[0], v[1], v[2].int64Value.map(Value.bigint) ?? .null,
                    Self.double(v[3]), Self.double(v[4]), Self.double(v[5]), Self.double(v[6]), Self.double(v[7]), .bigint(total), nullShare]
        }
        return table([Field(name: "column_name", type: .varchar), Field(name: "column_type", type: .varchar),
                      Field(name: "min", type: .varchar), Field(name: "max", type: .varchar), Field(name: "approx_unique", type: .bigint),
                      Field(name: "avg", type: .double), Field(name: "std", type: .double), Field(name: "q25", type: .double),
                      Field(name: "q50", type: .double), Field(name: "q75", type: .double), Field(name: "count", type: .bigint),
                      Field(name: "null_percentage", type: .double)], rows)
    }

    private static func double(_ v: Value) -> Value { v.doubleValue.map(Value.double) ?? .null }

    /// `SHOW CREATE TABLE t` / `SHOW CREATE VIEW v`: one row, `createtab_stmt`, as Databricks and MySQL name it.
    func showCreate(_ q: QualifiedName) throws -> StatementResult {
        let name = try session.existingTableName(q)
        let text: String
        if try lake.tableExists(name) {
            let columns = try lake.snapshot(of: name).schema.fields.map { "  \(Self.identifier($0.name)) \($0.type)\($0.nullable ? "" : " NOT NULL")" }
            // The table's properties, as TBLPROPERTIES (Databricks prints them the same way), sorted by key.
            let properties = try lake.properties(of: name).filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                .map { "  \(Self.quoted($0.key)) = \(Self.quoted($0.value))" }
            text = "CREATE TABLE \(Self.identifier(name.schema)).\(Self.identifier(name.name)) (\n" + columns.joined(separator: ",\n") + "\n)"
                + (properties.isEmpty ? "" : "\nTBLPROPERTIES (\n" + properties.joined(separator: ",\n") + "\n)") + ";"
        } else if let view = try lake.view(name) {
            let columns = view.columnNames.isEmpty ? "" : " (" + view.columnNames.map(Self.identifier).joined(separator: ", ") + ")"
            text = "CREATE VIEW \(Self.identifier(name.schema)).\(Self.identifier(name.name))\(columns) AS\n"
                + view.sql.trimmingCharacters(in: .whitespacesAndNewlines) + ";"
        } else {
            throw TarnError.semantic("table or view '\(q)' does not exist", line: q.location.line, column: q.location.column)
        }
        return table([Field(name: "createtab_stmt", type: .varchar)], [[.varchar(text)]])
    }

    /// A string literal: `'text'` with quotes doubled.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// A name as it must be written in SQL: bare when it is a plain lower-case word, else double-quoted.
    static func identifier(_ name: String) -> String {
        let plain = name.first.map { $0.isLowercase || $0 == "_" } == true
            && name.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }
            && !SQLKeywords.isReserved(name.uppercased())
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

private extension Expression {
    /// `count(*)`.
    func withStar() -> Expression {
        guard case var .function(call) = kind else { return self }
        call.isStar = true
        return Expression(.function(call), at: location)
    }
}
