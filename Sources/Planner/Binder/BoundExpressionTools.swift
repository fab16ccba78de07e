import Storage
import Execution

/// Structural helpers over `BoundExpression`: traversal, rewriting, column references and a canonical key.
extension BoundExpression {
    /// Rewrites bottom-up: children first, then `f` on the node (return nil to keep the node).
    func transformed(_ f: (BoundExpression) throws -> BoundExpression?) rethrows -> BoundExpression {
        let rebuilt: BoundExpression
        switch self {
        case .column, .constant, .parameter:
            rebuilt = self
        case let .call(fn, args, t):
            rebuilt = .call(fn, try args.map { try $0.transformed(f) }, t)
        case let .cast(e, t, isTry):
            rebuilt = .cast(try e.transformed(f), t, isTry: isTry)
        case let .and(xs): rebuilt = .and(try xs.map { try $0.transformed(f) })
        case let .or(xs): rebuilt = .or(try xs.map { try $0.transformed(f) })
        case let .not(e): rebuilt = .not(try e.transformed(f))
        case let .isNull(e, n): rebuilt = .isNull(try e.transformed(f), negated: n)
        case let .caseWhen(branches, elseResult, t):
            rebuilt = .caseWhen(try branches.map { CaseBranch(condition: try $0.condition.transformed(f), result: try $0.result.transformed(f)) },
                                elseResult: try elseResult?.transformed(f), t)
        case let .inList(e, list, n):
            rebuilt = .inList(try e.transformed(f), try list.map { try $0.transformed(f) }, negated: n)
        case let .coalesce(xs, t): rebuilt = .coalesce(try xs.map { try $0.transformed(f) }, t)
        case let .subquery(ev, t):
            if let planned = ev as? PlannedSubquery {
                rebuilt = .subquery(try planned.mapOuter { try $0.transformed(f) }, t)
            } else if let lateral = ev as? LateralSubqueryColumn {
                rebuilt = .subquery(try lateral.mapOuter { try $0.transformed(f) }, t)
            } else {
                rebuilt = self
            }
        }
        return try f(rebuilt) ?? rebuilt
    }

    /// Calls `visit` on every node, parents before children (subquery outer references included).
    func forEachNode(_ visit: (BoundExpression) -> Void) {
        visit(self)
        switch self {
        case .column, .constant, .parameter: break
        case let .call(_, args, _): args.forEach { $0.forEachNode(visit) }
        case let .cast(e, _, _), let .not(e), let .isNull(e, _): e.forEachNode(visit)
        case let .and(xs), let .or(xs), let .coalesce(xs, _): xs.forEach { $0.forEachNode(visit) }
        case let .caseWhen(b, e, _):
            for x in b { x.condition.forEachNode(visit); x.result.forEachNode(visit) }
            e?.forEachNode(visit)
        case let .inList(e, l, _): e.forEachNode(visit); l.forEach { $0.forEachNode(visit) }
        case let .subquery(ev, _):
            if let planned = ev as? PlannedSubquery {
                planned.outerExpressions.forEach { $0.forEachNode(visit) }
                if case let .inSet(probe, _) = planned.mode { probe.forEachNode(visit) }
            } else if let lateral = ev as? LateralSubqueryColumn {
                lateral.outerExpressions.forEach { $0.forEachNode(visit) }
            }
        }
    }

    /// Ids of the columns this expression reads.
    var columnIds: Set<Int> {
        var ids = Set<Int>()
        forEachNode { if case let .column(id, _) = $0 { ids.insert(id) } }
        return ids
    }

    /// True when the expression reads no column, parameter or subquery and every function is deterministic.
    var isConstantFoldable: Bool {
        var ok = true
        forEachNode { node in
            switch node {
            case .column, .parameter, .subquery: ok = false
            case let .call(fn, args, type):
                if !fn.isDeterministic { ok = false }
                // TIMESTAMP WITH TIME ZONE functions read the session time zone, which plan-time folding does not see.
                if type == .timestampTZ || args.contains(where: { $0.type == .timestampTZ }) { ok = false }
            case let .cast(inner, type, _):
                if type != inner.type, type == .timestampTZ || inner.type == .timestampTZ { ok = false }
            default: break
            }
        }
        return ok
    }

    var containsSubquery: Bool {
        var found = false
        forEachNode { if case .subquery = $0 { found = true } }
        return found
    }

    /// A canonical text of the expression: equal keys mean the same computation (used to match
    /// GROUP BY expressions and to de-duplicate aggregates).
    var key: String {
        switch self {
        case let .column(id, _): return "#\(id)"
        case let .constant(v, t): return "\(v.isNull ? "NULL" : "'\(v)'"):\(t)"
        case let .parameter(i, _): return "$\(i)"
        case let .call(fn, args, _): return "\(fn.name)(\(args.map(\.key).joined(separator: ",")))"
        case let .cast(e, t, isTry): return "\(isTry ? "try_" : "")cast(\(e.key) as \(t))"
        case let .and(xs): return "and(\(xs.map(\.key).joined(separator: ",")))"
        case let .or(xs): return "or(\(xs.map(\.key).joined(separator: ",")))"
        case let .not(e): return "not(\(e.key))"
        case let .isNull(e, n): return "\(n ? "notnull" : "isnull")(\(e.key))"
        case let .caseWhen(b, e, _):
            return "case(" + b.map { "\($0.condition.key)=>\($0.result.key)" }.joined(separator: ",") + ";\(e?.key ?? "")"
        case let .inList(e, l, n): return "\(n ? "notin" : "in")(\(e.key);\(l.map(\.key).joined(separator: ",")))"
        case let .coalesce(xs, _): return "coalesce(\(xs.map(\.key).joined(separator: ",")))"
        case let .subquery(ev, _): return "subquery@\(ObjectIdentifier(ev).hashValue)"
        }
    }

    /// Readable text for EXPLAIN, with column names from `names` (id → name).
    func explain(_ names: [Int: String] = [:]) -> String {
        switch self {
        case let .column(id, _): return names[id] ?? "#\(id)"
        case let .constant(v, t):
            if v.isNull { return "NULL" }
            if t == .varchar { return "'\(v)'" }
            return "\(v)"
        case let .parameter(i, _): return "$\(i)"
        case let .call(fn, args, _):
            if args.count == 2, fn.name.first.map({ !$0.isLetter }) == true {
                return "(\(args[0].explain(names)) \(fn.name) \(args[1].explain(names)))"
            }
            return "\(fn.name)(\(args.map { $0.explain(names) }.joined(separator: ", ")))"
        case let .cast(e, t, isTry): return "\(isTry ? "TRY_CAST" : "CAST")(\(e.explain(names)) AS \(t))"
        case let .and(xs): return "(" + xs.map { $0.explain(names) }.joined(separator: " AND ") + ")"
        case let .or(xs): return "(" + xs.map { $0.explain(names) }.joined(separator: " OR ") + ")"
        case let .not(e): return "NOT \(e.explain(names))"
        case let .isNull(e, n): return "\(e.explain(names)) IS \(n ? "NOT " : "")NULL"
        case let .caseWhen(b, e, _):
            return "CASE " + b.map { "WHEN \($0.condition.explain(names)) THEN \($0.result.explain(names))" }.joined(separator: " ")
                + (e.map { " ELSE \($0.explain(names))" } ?? "") + " END"
        case let .inList(e, l, n): return "\(e.explain(names)) \(n ? "NOT " : "")IN (\(l.map { $0.explain(names) }.joined(separator: ", ")))"
        case let .coalesce(xs, _): return "COALESCE(\(xs.map { $0.explain(names) }.joined(separator: ", ")))"
        case let .subquery(ev, _): return "(\(ev.explainText))"
        }
    }

    /// Splits nested ANDs into conjuncts.
    var conjuncts: [BoundExpression] {
        if case let .and(xs) = self { return xs.flatMap(\.conjuncts) }
        return [self]
    }

    static func conjunction(_ xs: [BoundExpression]) -> BoundExpression? {
        if xs.isEmpty { return nil }
        if xs.count == 1 { return xs[0] }
        return .and(xs)
    }
}
