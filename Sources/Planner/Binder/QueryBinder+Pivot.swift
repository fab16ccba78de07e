import Storage
import SQL

extension QueryBinder {
    /// Most columns a PIVOT may make when its values come from the data (DuckDB's `pivot_limit` is 100,000).
    static let pivotColumnLimit = 10_000

    /// `source PIVOT (agg … FOR cols IN (values) [GROUP BY keys])` is bound as
    /// `SELECT * EXCLUDE (cols and the aggregates' columns), agg FILTER (WHERE cols = value) AS "value", … FROM source
    /// GROUP BY ALL` (or the explicit GROUP BY keys), as DuckDB and Databricks define it. Without an IN list the values
    /// are every distinct combination present, read from the data first (sorted).
    func bindPivot(_ source: TableReference, _ pivot: PivotClause, alias: String?, at loc: SourceLocation) throws -> (LogicalPlan, Scope) {
        let (_, sourceScope) = try bindTableReference(source)
        let available = Set(sourceScope.columns.map { $0.name.lowercased() })
        for column in pivot.columns where !available.contains(column.lowercased()) {
            throw err("PIVOT: the input has no column '\(column)' (columns: \(sourceScope.columns.map(\.name).joined(separator: ", ")))", loc)
        }
        let values = try pivot.values ?? pivotValuesFromData(source, pivot, at: loc)
        guard !values.isEmpty else { throw err("PIVOT: no values to make columns of (the input is empty)", loc) }

        var items: [SelectItem] = []
        var groupBy: [Expression] = []
        if let keys = pivot.groupBy {
            items = keys.map { .expression($0, alias: nil) }
            groupBy = keys
        } else {
            var used = Set(pivot.columns.map { $0.lowercased() })
            for a in pivot.aggregates { Self.collectColumns(a.expression, into: &used) }
            let excluded = sourceScope.columns.map(\.name).filter { used.contains($0.lowercased()) }
            items = [.star(qualifier: nil, exclude: Array(Set(excluded)), location: loc)]
        }
        for value in values {
            var condition: Expression?
            for (column, e) in zip(pivot.columns, value.expressions) {
                let test = Expression(.binary(.isNotDistinctFrom, Expression(.column(parts: [column]), at: e.location), e), at: e.location)
                condition = condition.map { Expression(.binary(.and, $0, test), at: e.location) } ?? test
            }
            guard let condition else { continue }
            for aggregate in pivot.aggregates {
                var found = false
                let filtered = Self.filteringAggregates(aggregate.expression, by: condition, found: &found)
                guard found else { throw err("PIVOT: '\(aggregate.text)' has no aggregate function (sum, count, max, …)", aggregate.expression.location) }
                let name = pivot.aggregates.count == 1 && aggregate.alias == nil ? value.name : value.name + "_" + (aggregate.alias ?? aggregate.text)
                items.append(.expression(filtered, alias: name))
            }
        }
        let select = Select(items: items, from: [source], groupBy: groupBy, groupByAll: pivot.groupBy == nil, location: loc)
        return try bindTableReference(.subquery(Query(body: .select(select), location: loc), alias: alias, columnAliases: [], location: loc))
    }

    /// The distinct values of each FOR column in the data, sorted, and every combination of them (as DuckDB does), as
    /// IN values.
    private func pivotValuesFromData(_ source: TableReference, _ pivot: PivotClause, at loc: SourceLocation) throws -> [PivotClause.Value] {
        var combinations: [[Value]] = [[]]
        for name in pivot.columns {
            let column = Expression(.column(parts: [name]), at: loc)
            let query = Query(body: .select(Select(distinct: true, items: [.expression(column, alias: nil)], from: [source], location: loc)),
                              orderBy: [OrderItem(expression: column)], location: loc)
            let distinct = try run(query).rows.compactMap(\.first)
            guard combinations.count * distinct.count <= Self.pivotColumnLimit else {
                throw err("PIVOT: the distinct values of \(pivot.columns.joined(separator: ", ")) would make more than \(Self.pivotColumnLimit) "
                          + "columns; list the ones you want with IN (…)", loc)
            }
            combinations = combinations.flatMap { prefix in distinct.map { prefix + [$0] } }
        }
        return combinations.map { row in
            PivotClause.Value(expressions: row.map { Self.literal($0, at: loc) },
                              name: row.map { $0.isNull ? "NULL" : $0.description }.joined(separator: "_"))
        }
    }

    /// A value as a literal expression of its own type.
    static func literal(_ v: Value, at loc: SourceLocation) -> Expression {
        let literal: Literal
        switch v {
        case .null: literal = .null
        case let .boolean(b): literal = .boolean(b)
        case let .varchar(s): literal = .string(s)
        case .integer, .bigint: literal = .integer(v.description)
        case .decimal, .decimal128: literal = .decimal(v.description)
        case let .double(d): return Expression(.cast(Expression(.literal(.string(String(d))), at: loc), type: TypeName(name: "DOUBLE"), isTry: false), at: loc)
        case .date: literal = .typed(type: "DATE", text: v.description)
        case .timestamp: literal = .typed(type: "TIMESTAMP", text: v.description)
        case .timestampTZ: literal = .typed(type: "TIMESTAMPTZ", text: v.description)
        case let .array(elements, _): return Expression(.array(elements.map { Self.literal($0, at: loc) }), at: loc)
        case .row, .map: return Expression(.cast(Expression(.literal(.string(JSONText.literal(v))), at: loc), type: TypeName(name: v.dataType.description), isTry: false), at: loc)
        }
        return Expression(.literal(literal), at: loc)
    }

    /// Lower-cased names of the columns an expression reads (the last part of each reference).
    static func collectColumns(_ e: Expression, into names: inout Set<String>) {
        switch e.kind {
        case let .column(parts): if let last = parts.last { names.insert(last.lowercased()) }
        case let .unary(_, x), let .cast(x, _, _), let .isNull(x, _), let .isBoolean(x, _, _), let .extract(_, x): collectColumns(x, into: &names)
        case let .binary(_, a, b): collectColumns(a, into: &names); collectColumns(b, into: &names)
        case let .function(call):
            for case let .expression(x) in call.arguments.map(\.value) { collectColumns(x, into: &names) }
            if let f = call.filter { collectColumns(f, into: &names) }
            for o in call.orderBy { collectColumns(o.expression, into: &names) }
        case let .caseWhen(operand, branches, elseResult):
            if let operand { collectColumns(operand, into: &names) }
            for b in branches { collectColumns(b.condition, into: &names); collectColumns(b.result, into: &names) }
            if let elseResult { collectColumns(elseResult, into: &names) }
        case let .between(x, low, high, _): for y in [x, low, high] { collectColumns(y, into: &names) }
        case let .inList(x, list, _): for y in [x] + list { collectColumns(y, into: &names) }
        case let .like(x, pattern, escape, _, _): for y in [x, pattern] + (escape.map { [$0] } ?? []) { collectColumns(y, into: &names) }
        case let .array(list): for y in list { collectColumns(y, into: &names) }
        case let .subscript(x, index, upper):
            for y in [x] + (index.map { [$0] } ?? []) + ((upper ?? nil).map { [$0] } ?? []) { collectColumns(y, into: &names) }
        case .literal, .star, .inSubquery, .exists, .subquery, .parameter: break
        }
    }

    /// `e` with `FILTER (WHERE condition)` added to every aggregate call in it (ANDed with a FILTER already there).
    static func filteringAggregates(_ e: Expression, by condition: Expression, found: inout Bool) -> Expression {
        func go(_ x: Expression) -> Expression { filteringAggregates(x, by: condition, found: &found) }
        var out = e
        switch e.kind {
        case var .function(call):
            if call.window == nil, AggregateCatalog.isAggregate(call.baseName) {
                found = true
                call.filter = call.filter.map { Expression(.binary(.and, $0, condition), at: $0.location) } ?? condition
            } else {
                call.arguments = call.arguments.map { a in
                    guard case let .expression(x) = a.value else { return a }
                    return FunctionArgument(name: a.name, value: .expression(go(x)))
                }
            }
            out.kind = .function(call)
        case let .unary(op, x): out.kind = .unary(op, go(x))
        case let .binary(op, a, b): out.kind = .binary(op, go(a), go(b))
        case let .cast(x, t, isTry): out.kind = .cast(go(x), type: t, isTry: isTry)
        case let .caseWhen(operand, branches, elseResult):
            out.kind = .caseWhen(operand: operand.map(go), branches: branches.map { WhenBranch(condition: go($0.condition), result: go($0.result)) },
                                 elseResult: elseResult.map(go))
        case let .isNull(x, negated): out.kind = .isNull(go(x), negated: negated)
        default: break
        }
        return out
    }
}
