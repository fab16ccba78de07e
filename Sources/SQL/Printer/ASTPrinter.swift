import Storage

/// Renders AST nodes as compact S-expressions, e.g. `(+ 1 (* 2 3))` — for tests, debugging and EXPLAIN.
///
/// The output is meant for people and tests, not for re-parsing; it shows the tree shape unambiguously.
public enum ASTPrinter {
    public static func print(_ statement: Statement) -> String {
        switch statement {
        case .query(let query): return print(query)
        case .createTable(let table):
            var parts = ["create-table"]
            if table.orReplace { parts.append("OR-REPLACE") }
            if table.orRefresh { parts.append("OR-REFRESH") }
            if table.incremental { parts.append("INCREMENTAL") }
            if table.ifNotExists { parts.append("IF-NOT-EXISTS") }
            parts.append(table.name.description)
            for column in table.columns { parts.append(print(column)) }
            for expectation in table.expectations { parts.append(print(expectation)) }
            if !table.properties.isEmpty { parts.append(print(tableProperties: table.properties)) }
            if let query = table.query { parts.append("(as \(print(query)))") }
            return list(parts)
        case .createView(let view):
            var parts = ["create-view"]
            if view.orReplace { parts.append("OR-REPLACE") }
            if view.ifNotExists { parts.append("IF-NOT-EXISTS") }
            parts.append(view.name.description)
            if !view.columnNames.isEmpty { parts.append(list(view.columnNames)) }
            parts.append(print(view.query))
            return list(parts)
        case .createSchema(let name, let ifNotExists):
            return list(["create-schema"] + (ifNotExists ? ["IF-NOT-EXISTS"] : []) + [name])
        case .insert(let insert):
            var parts = [insert.overwrite ? "insert-overwrite" : "insert", insert.table.description]
            if let columns = insert.columns { parts.append(list(columns)) }
            parts.append(print(insert.source))
            return list(parts)
        case .delete(let table, let whereClause):
            return list(["delete", table.description] + (whereClause.map { ["(where \(print($0)))"] } ?? []))
        case .update(let table, let assignments, let whereClause):
            return list(["update", table.description] + assignments.map { "(= \($0.column) \(print($0.value)))" }
                        + (whereClause.map { ["(where \(print($0)))"] } ?? []))
        case .drop(let kind, let name, let ifExists, let cascade):
            return list(["drop", kind.rawValue] + (ifExists ? ["IF-EXISTS"] : []) + [name.description] + (cascade ? ["CASCADE"] : []))
        case .alterTable(let name, let action):
            return list(["alter-table", name.description, print(action)])
        case .showTables(let schema, let like):
            return list(["show-tables"] + (schema.map { ["(in \($0))"] } ?? []) + (like.map { ["(like \(quote($0)))"] } ?? []))
        case .showSchemas: return "(show-schemas)"
        case .describe(let name): return "(describe \(name))"
        case .describeQuery(let query): return "(describe \(print(query)))"
        case .summarize(let query): return "(summarize \(print(query)))"
        case .showCreate(let name): return "(show-create \(name))"
        case .describeHistory(let name): return "(describe-history \(name))"
        case .explain(let inner, let analyze): return list(["explain"] + (analyze ? ["ANALYZE"] : []) + [print(inner)])
        case .restore(let name, let travel): return "(restore \(name) \(print(travel)))"
        case .vacuum(let name, let hours, let dryRun):
            return list(["vacuum", name.description] + (hours.map { ["(retain \($0))"] } ?? []) + (dryRun ? ["DRY-RUN"] : []))
        case .set(let name, let value): return "(set \(name) \(print(value)))"
        case .reset(let name): return "(reset \(name))"
        case .transaction(let word): return "(\(word))"
        case .copyInto(let table, let source, let options):
            return list(["copy-into", table.description, quote(source)] + print(options))
        case .copyTo(let source, let path, let options):
            return list(["copy-to", print(source), quote(path)] + print(options))
        case .exportTable(let table, let path, let options):
            return list(["export-table", table.description, quote(path)] + print(options))
        case .attach(let path, let alias, let options):
            return list(["attach", quote(path), alias] + print(options))
        case .detach(let alias): return "(detach \(alias))"
        case .use(let schema): return "(use \(schema))"
        case .createModel(let model):
            var parts = ["create-model"]
            if model.orReplace { parts.append("OR-REPLACE") }
            if model.ifNotExists { parts.append("IF-NOT-EXISTS") }
            return list(parts + [model.name, print(model.call)])
        case .createSecret(let secret):
            // Option names only: a secret's values (its password) are never printed.
            var parts = ["create-secret", secret.name ?? "-"]
            if secret.orReplace { parts.append("OR-REPLACE") }
            if secret.ifNotExists { parts.append("IF-NOT-EXISTS") }
            if secret.temporary { parts.append("TEMPORARY") }
            return list(parts + secret.options.keys.sorted())
        case .dropSecret(let name, let ifExists):
            return list(["drop-secret", name] + (ifExists ? ["IF-EXISTS"] : []))
        case .optimize(let table, let condition, let zorder):
            return list(["optimize", table.description, condition.map(print) ?? "-"] + zorder)
        case .merge(let merge):
            return list(["merge", merge.target.description, merge.targetAlias ?? "-", print(merge.source), print(merge.condition)]
                        + merge.clauses.map { "(when \($0.match) \($0.condition.map(print) ?? "true") \($0.action))" })
        }
    }

    public static func print(_ query: Query) -> String {
        var parts = ["query"]
        if !query.with.isEmpty {
            let ctes = query.with.map { cte in
                list([cte.name] + (cte.columnNames.isEmpty ? [] : [list(cte.columnNames)]) + [print(cte.query)])
            }
            parts.append(list([query.recursive ? "with-recursive" : "with"] + ctes))
        }
        parts.append(print(query.body))
        if !query.orderBy.isEmpty { parts.append(list(["order"] + query.orderBy.map(print))) }
        if let limit = query.limit { parts.append("(limit \(print(limit)))") }
        if let offset = query.offset { parts.append("(offset \(print(offset)))") }
        return list(parts)
    }

    public static func print(_ body: QueryBody) -> String {
        switch body {
        case .select(let select): return print(select)
        case .setOperation(let op, let all, let left, let right):
            return list([op.rawValue + (all ? "-ALL" : ""), print(left), print(right)])
        case .values(let rows): return list(["values"] + rows.map { list($0.map(print)) })
        case .nested(let query): return print(query)
        }
    }

    public static func print(_ select: Select) -> String {
        var parts = [select.distinct ? "select-distinct" : "select"]
        parts.append(list(select.items.map(print)))
        if !select.from.isEmpty { parts.append(list(["from"] + select.from.map(print))) }
        if let condition = select.whereClause { parts.append("(where \(print(condition)))") }
        if select.groupByAll { parts.append("(group-by-all)") }
        if !select.groupBy.isEmpty { parts.append(list(["group"] + select.groupBy.map(print))) }
        if let having = select.having { parts.append("(having \(print(having)))") }
        for name in select.windows.keys.sorted() {
            if let spec = select.windows[name] { parts.append("(window \(name) \(print(spec)))") }
        }
        if let qualify = select.qualify { parts.append("(qualify \(print(qualify)))") }
        return list(parts)
    }

    public static func print(_ item: SelectItem) -> String {
        switch item {
        case .expression(let expression, let alias):
            guard let alias else { return print(expression) }
            return "(as \(print(expression)) \(alias))"
        case .star(let qualifier, let exclude, _):
            let star = (qualifier.map { $0.joined(separator: ".") + "." } ?? "") + "*"
            return exclude.isEmpty ? star : list(["exclude", star] + exclude)
        }
    }

    public static func print(_ table: TableReference) -> String {
        switch table {
        case .table(let name, let alias, let columns, let travel):
            var parts = ["table", name.description]
            if let travel { parts.append(print(travel)) }
            return aliased(list(parts), alias, columns)
        case .subquery(let query, let alias, let columns, _):
            return aliased(list(["subquery", print(query)]), alias, columns)
        case .join(let left, let right, let kind, let condition, _):
            var parts = ["join", kind.rawValue, print(left), print(right)]
            switch condition {
            case .on(let expression): parts.append("(on \(print(expression)))")
            case .using(let columns): parts.append(list(["using"] + columns))
            case .natural: parts.append("NATURAL")
            case .none: break
            }
            return list(parts)
        case .function(let call, let alias, let columns, _):
            return aliased(list(["table-function", print(call)]), alias, columns)
        case .pivot(let source, let pivot, let alias, _):
            let aggregates = pivot.aggregates.map { a in a.alias.map { "(as \(print(a.expression)) \($0))" } ?? print(a.expression) }
            let values = pivot.values.map { vs in list(["in"] + vs.map { v in list(v.expressions.map(print) + ["as", v.name]) }) } ?? "(in *)"
            var parts = ["pivot", print(source), list(aggregates), list(["for"] + pivot.columns), values]
            if let groupBy = pivot.groupBy { parts.append(list(["group-by"] + groupBy.map(print))) }
            return aliased(list(parts), alias, [])
        }
    }

    public static func print(_ expression: Expression) -> String {
        switch expression.kind {
        case .literal(let literal): return print(literal)
        case .column(let parts): return parts.joined(separator: ".")
        case .star(let qualifier): return (qualifier.map { $0.joined(separator: ".") + "." } ?? "") + "*"
        case .unary(let op, let operand): return "(\(op.rawValue) \(print(operand)))"
        case .binary(let op, let left, let right): return "(\(op.rawValue) \(print(left)) \(print(right)))"
        case .function(let call): return print(call)
        case .cast(let value, let type, let isTry): return "(\(isTry ? "TRY_CAST" : "CAST") \(print(value)) \(type))"
        case .caseWhen(let operand, let branches, let elseResult):
            var parts = ["CASE"]
            if let operand { parts.append(print(operand)) }
            parts += branches.map { "(WHEN \(print($0.condition)) \(print($0.result)))" }
            if let elseResult { parts.append("(ELSE \(print(elseResult)))") }
            return list(parts)
        case .between(let value, let low, let high, let negated):
            return "(\(negated ? "NOT-BETWEEN" : "BETWEEN") \(print(value)) \(print(low)) \(print(high)))"
        case .inList(let value, let items, let negated):
            return "(\(negated ? "NOT-IN" : "IN") \(print(value)) \(list(items.map(print))))"
        case .inSubquery(let value, let query, let negated):
            return "(\(negated ? "NOT-IN" : "IN") \(print(value)) \(print(query)))"
        case .exists(let query, let negated): return "(\(negated ? "NOT-EXISTS" : "EXISTS") \(print(query)))"
        case .subquery(let query): return "(subquery \(print(query)))"
        case .isNull(let value, let negated): return "(\(negated ? "IS-NOT-NULL" : "IS-NULL") \(print(value)))"
        case .isBoolean(let value, let truth, let negated):
            return "(IS\(negated ? "-NOT" : "")-\(truth ? "TRUE" : "FALSE") \(print(value)))"
        case .like(let value, let pattern, let escape, let negated, let caseInsensitive):
            var parts = [(negated ? "NOT-" : "") + (caseInsensitive ? "ILIKE" : "LIKE"), print(value), print(pattern)]
            if let escape { parts.append("(ESCAPE \(print(escape)))") }
            return list(parts)
        case .extract(let field, let value): return "(EXTRACT \(field) \(print(value)))"
        case .array(let items): return list(["ARRAY"] + items.map(print))
        case .subscript(let value, let index, let upper):
            var parts = ["SUBSCRIPT", print(value), index.map(print) ?? "_"]
            if let upper { parts.append(":" + (upper.map(print) ?? "_")) }
            return list(parts)
        case .parameter(let number): return "$\(number)"
        }
    }

    public static func print(_ literal: Literal) -> String {
        switch literal {
        case .null: return "NULL"
        case .boolean(let value): return value ? "TRUE" : "FALSE"
        case .integer(let text), .decimal(let text), .double(let text): return text
        case .string(let text): return quote(text)
        case .typed(let type, let text): return "(\(type) \(quote(text)))"
        case .interval(let value, let unit): return "(INTERVAL \(quote(value)) \(unit))"
        }
    }

    public static func print(_ call: FunctionCall) -> String {
        var parts = [call.name.joined(separator: ".")]
        if call.distinct { parts.append("DISTINCT") }
        if call.isStar { parts.append("*") }
        for argument in call.arguments {
            let value: String
            switch argument.value {
            case .expression(let expression): value = print(expression)
            case .table(let name, let travel): value = "(TABLE \(name)" + (travel.map { " " + print($0) } ?? "") + ")"
            case .query(let query): value = print(query)
            case .lambda(let lambda): value = "(lambda (\(lambda.parameters.joined(separator: " "))) \(print(lambda.body)))"
            }
            parts.append(argument.name.map { "(=> \($0) \(value))" } ?? value)
        }
        if !call.orderBy.isEmpty { parts.append(list(["order"] + call.orderBy.map(print))) }
        if call.ignoreNulls { parts.append("IGNORE-NULLS") }
        if let filter = call.filter { parts.append("(filter \(print(filter)))") }
        if let window = call.window { parts.append("(over \(print(window)))") }
        return list(parts)
    }

    public static func print(_ spec: WindowSpec) -> String {
        var parts: [String] = []
        if let name = spec.name { parts.append(name) }
        if !spec.partitionBy.isEmpty { parts.append(list(["partition"] + spec.partitionBy.map(print))) }
        if !spec.orderBy.isEmpty { parts.append(list(["order"] + spec.orderBy.map(print))) }
        if let frame = spec.frame { parts.append(list([frame.unit.rawValue, print(frame.start), print(frame.end)])) }
        return list(parts)
    }

    static func print(_ bound: WindowFrame.Bound) -> String {
        switch bound {
        case .unboundedPreceding: return "UNBOUNDED-PRECEDING"
        case .preceding(let value): return "(PRECEDING \(print(value)))"
        case .currentRow: return "CURRENT-ROW"
        case .following(let value): return "(FOLLOWING \(print(value)))"
        case .unboundedFollowing: return "UNBOUNDED-FOLLOWING"
        }
    }

    public static func print(_ item: OrderItem) -> String {
        var text = print(item.expression)
        if !item.ascending { text += " DESC" }
        if let nullsFirst = item.nullsFirst { text += nullsFirst ? " NULLS-FIRST" : " NULLS-LAST" }
        return item.ascending && item.nullsFirst == nil ? text : "(\(text))"
    }

    static func print(_ travel: TimeTravel) -> String {
        switch travel {
        case .version(let value): return "(version-as-of \(print(value)))"
        case .timestamp(let value): return "(timestamp-as-of \(print(value)))"
        }
    }

    static func print(_ column: ColumnDefinition) -> String {
        var parts = [column.name, column.type.description]
        if column.notNull { parts.append("NOT-NULL") }
        if let value = column.defaultValue { parts.append("(default \(print(value)))") }
        return list(parts)
    }

    static func print(_ expectation: Expectation) -> String {
        "(expect \(expectation.name) \(print(expectation.condition)) \(expectation.action.rawValue.replacing(" ", with: "-")))"
    }

    static func print(_ action: AlterAction) -> String {
        switch action {
        case .addColumn(let column, let ifNotExists): return list(["add-column"] + (ifNotExists ? ["IF-NOT-EXISTS"] : []) + [print(column)])
        case .dropColumn(let name, let ifExists): return list(["drop-column"] + (ifExists ? ["IF-EXISTS"] : []) + [name])
        case .renameColumn(let from, let to): return "(rename-column \(from) \(to))"
        case .renameTable(let to): return "(rename-to \(to))"
        case .addExpectation(let expectation): return "(add \(print(expectation)))"
        case .dropExpectation(let name): return "(drop-constraint \(name))"
        case .setProperties(let properties):
            return list(["set-tblproperties"] + properties.keys.sorted().map { "\(quote($0))=\(quote(properties[$0] ?? ""))" })
        }
    }

    /// `(tblproperties 'k'='v' …)`, keys sorted.
    static func print(tableProperties properties: [String: String]) -> String {
        list(["tblproperties"] + properties.keys.sorted().map { "\(quote($0))=\(quote(properties[$0] ?? ""))" })
    }

    static func print(_ options: [String: Expression]) -> [String] {
        options.keys.sorted().compactMap { key in options[key].map { "(\(key) \(print($0)))" } }
    }

    private static func aliased(_ text: String, _ alias: String?, _ columns: [String]) -> String {
        guard let alias else { return text }
        return columns.isEmpty ? "(as \(text) \(alias))" : "(as \(text) \(alias) \(list(columns)))"
    }

    private static func quote(_ text: String) -> String { "'" + text.replacing("'", with: "''") + "'" }

    private static func list(_ parts: [String]) -> String { "(" + parts.joined(separator: " ") + ")" }
}
