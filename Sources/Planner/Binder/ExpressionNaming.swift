import SQL

/// Output column names for unaliased select items (DuckDB style: `sum(impressions)`), and AST scans.
enum ExpressionNaming {
    static func name(of e: Expression) -> String {
        switch e.kind {
        case let .column(parts): return parts.last ?? "?"
        case let .literal(l):
            switch l {
            case .null: return "NULL"
            case let .boolean(b): return b ? "true" : "false"
            case let .integer(t), let .decimal(t), let .double(t): return t
            case let .string(s): return "'\(s)'"
            case let .typed(t, s): return "\(t) '\(s)'"
            case let .interval(v, u): return "INTERVAL '\(v)' \(u)"
            }
        case let .function(call):
            let args: String
            if call.isStar { args = "*" } else {
                args = call.arguments.map { a -> String in
                    switch a.value {
                    case let .expression(x): return (a.name.map { "\($0) => " } ?? "") + name(of: x)
                    case let .table(t, _): return "TABLE \(t)"
                    case .query: return "(subquery)"
                    case let .lambda(l):
                        let ps = l.parameters.count == 1 ? l.parameters[0] : "(\(l.parameters.joined(separator: ", ")))"
                        return "\(ps) -> \(name(of: l.body))"
                    }
                }.joined(separator: ", ")
            }
            return "\(call.name.joined(separator: ".").lowercased())(\(call.distinct ? "DISTINCT " : "")\(args))"
        case let .binary(op, l, r): return "(\(name(of: l)) \(op.rawValue) \(name(of: r)))"
        case let .unary(op, x): return op == .not ? "(NOT \(name(of: x)))" : "\(op.rawValue)\(name(of: x))"
        case let .cast(x, t, isTry): return "\(isTry ? "TRY_CAST" : "CAST")(\(name(of: x)) AS \(t))"
        case .caseWhen: return "CASE"
        case .subquery: return "(subquery)"
        case .exists: return "EXISTS"
        case let .isNull(x, n): return "(\(name(of: x)) IS \(n ? "NOT " : "")NULL)"
        case let .parameter(n): return "$\(n)"
        default: return "expr"
        }
    }

    /// True when `e` calls an aggregate outside any OVER clause (subqueries are not searched).
    static func containsAggregate(_ e: Expression) -> Bool {
        var found = false
        visit(e) { node in
            if case let .function(call) = node.kind, call.window == nil,
               AggregateCatalog.isAggregate(call.baseName) { found = true }
        }
        return found
    }

    /// Pre-order walk over an expression, not entering subqueries.
    static func visit(_ e: Expression, _ f: (Expression) -> Void) {
        f(e)
        switch e.kind {
        case .literal, .column, .star, .subquery, .exists, .parameter: break
        case let .unary(_, x), let .isNull(x, _), let .isBoolean(x, _, _), let .extract(_, x), let .cast(x, _, _): visit(x, f)
        case let .binary(_, a, b): visit(a, f); visit(b, f)
        case let .function(call):
            for a in call.arguments { if case let .expression(x) = a.value { visit(x, f) } }
            if let fl = call.filter { visit(fl, f) }
            if let w = call.window {
                w.partitionBy.forEach { visit($0, f) }
                w.orderBy.forEach { visit($0.expression, f) }
            }
        case let .caseWhen(op, branches, el):
            if let op { visit(op, f) }
            for b in branches { visit(b.condition, f); visit(b.result, f) }
            if let el { visit(el, f) }
        case let .between(x, lo, hi, _): visit(x, f); visit(lo, f); visit(hi, f)
        case let .inList(x, list, _): visit(x, f); list.forEach { visit($0, f) }
        case let .inSubquery(x, _, _): visit(x, f)
        case let .like(x, p, esc, _, _): visit(x, f); visit(p, f); if let esc { visit(esc, f) }
        case let .array(xs): xs.forEach { visit($0, f) }
        case let .subscript(x, index, upper):
            visit(x, f)
            if let index { visit(index, f) }
            if let upper = upper ?? nil { visit(upper, f) }
        }
    }
}
