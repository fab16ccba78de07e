import SQL

/// The relations a query names (FROM items, joins, `TABLE t` arguments, subqueries anywhere), without CTE
/// names. Used to order pipeline steps before any of them runs (the tables may not exist yet).
struct RelationReferences {
    private(set) var names: [QualifiedName] = []

    static func of(_ query: Query) -> [QualifiedName] {
        var collector = RelationReferences()
        collector.visit(query, ctes: [])
        return collector.names
    }

    private mutating func visit(_ query: Query, ctes: Set<String>) {
        var visible = ctes
        for cte in query.with {
            visit(cte.query, ctes: visible)
            visible.insert(cte.name.lowercased())
        }
        visit(query.body, ctes: visible)
        for o in query.orderBy { visit(o.expression, ctes: visible) }
    }

    private mutating func visit(_ body: QueryBody, ctes: Set<String>) {
        switch body {
        case let .select(s):
            for item in s.items { if case let .expression(e, _) = item { visit(e, ctes: ctes) } }
            for t in s.from { visit(t, ctes: ctes) }
            for e in [s.whereClause, s.having, s.qualify].compactMap({ $0 }) + s.groupBy { visit(e, ctes: ctes) }
        case let .setOperation(_, _, l, r):
            visit(l, ctes: ctes); visit(r, ctes: ctes)
        case let .values(rows):
            for row in rows { for e in row { visit(e, ctes: ctes) } }
        case let .nested(q):
            visit(q, ctes: ctes)
        }
    }

    private mutating func visit(_ t: TableReference, ctes: Set<String>) {
        switch t {
        case let .table(name, _, _, _):
            if name.parts.count == 1, ctes.contains(name.name.lowercased()) { return }
            names.append(name)
        case let .subquery(q, _, _, _): visit(q, ctes: ctes)
        case let .join(l, r, _, condition, _):
            visit(l, ctes: ctes); visit(r, ctes: ctes)
            if case let .on(e) = condition { visit(e, ctes: ctes) }
        case let .function(call, _, _, _): visit(call, ctes: ctes)
        case let .pivot(source, pivot, _, _):
            visit(source, ctes: ctes)
            for a in pivot.aggregates { visit(a.expression, ctes: ctes) }
            for v in pivot.values ?? [] { for e in v.expressions { visit(e, ctes: ctes) } }
            for e in pivot.groupBy ?? [] { visit(e, ctes: ctes) }
        }
    }

    private mutating func visit(_ call: FunctionCall, ctes: Set<String>) {
        for a in call.arguments {
            switch a.value {
            case let .expression(e): visit(e, ctes: ctes)
            case let .table(name, _):
                if name.parts.count == 1, ctes.contains(name.name.lowercased()) { continue }
                names.append(name)
            case let .query(q): visit(q, ctes: ctes)
            case let .lambda(l): visit(l.body, ctes: ctes)
            }
        }
        if let f = call.filter { visit(f, ctes: ctes) }
    }

    private mutating func visit(_ e: Expression, ctes: Set<String>) {
        switch e.kind {
        case .literal, .column, .star, .parameter: return
        case let .unary(_, x), let .cast(x, _, _), let .isNull(x, _), let .isBoolean(x, _, _), let .extract(_, x): visit(x, ctes: ctes)
        case let .binary(_, a, b): visit(a, ctes: ctes); visit(b, ctes: ctes)
        case let .function(call): visit(call, ctes: ctes)
        case let .caseWhen(operand, branches, elseResult):
            if let operand { visit(operand, ctes: ctes) }
            for b in branches { visit(b.condition, ctes: ctes); visit(b.result, ctes: ctes) }
            if let elseResult { visit(elseResult, ctes: ctes) }
        case let .between(x, low, high, _): visit(x, ctes: ctes); visit(low, ctes: ctes); visit(high, ctes: ctes)
        case let .inList(x, list, _): visit(x, ctes: ctes); for i in list { visit(i, ctes: ctes) }
        case let .inSubquery(x, q, _): visit(x, ctes: ctes); visit(q, ctes: ctes)
        case let .exists(q, _), let .subquery(q): visit(q, ctes: ctes)
        case let .like(x, p, esc, _, _): visit(x, ctes: ctes); visit(p, ctes: ctes); if let esc { visit(esc, ctes: ctes) }
        case let .array(items): for i in items { visit(i, ctes: ctes) }
        case let .subscript(x, index, upper):
            visit(x, ctes: ctes)
            if let index { visit(index, ctes: ctes) }
            if let upper = upper ?? nil { visit(upper, ctes: ctes) }
        }
    }
}
