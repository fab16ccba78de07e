import Storage
import Execution

extension LogicalPlan {
    var inputs: [LogicalPlan] {
        switch self {
        case .scan, .values, .external: return []
        case let .filter(p, _), let .project(p, _), let .aggregate(p, _, _), let .sort(p, _), let .limit(p, _, _),
             let .topN(p, _, _, _), let .window(p, _), let .distinct(p), let .unnest(p, _):
            return [p]
        case let .join(l, r, _, _, _), let .setOperation(_, _, l, r, _): return [l, r]
        case let .unionAll(cs, _): return cs
        }
    }

    /// The same node over new inputs (same count and order as `inputs`).
    func withInputs(_ xs: [LogicalPlan]) -> LogicalPlan {
        switch self {
        case .scan, .values, .external: return self
        case let .filter(_, e): return .filter(xs[0], e)
        case let .project(_, items): return .project(xs[0], items)
        case let .aggregate(_, g, a): return .aggregate(xs[0], groups: g, aggregates: a)
        case let .sort(_, k): return .sort(xs[0], k)
        case let .limit(_, l, o): return .limit(xs[0], limit: l, offset: o)
        case let .topN(_, k, l, o): return .topN(xs[0], k, limit: l, offset: o)
        case let .window(_, w): return .window(xs[0], w)
        case .distinct: return .distinct(xs[0])
        case let .unnest(_, node): return .unnest(xs[0], node)
        case let .join(_, _, k, c, m): return .join(xs[0], xs[1], kind: k, condition: c, mark: m)
        case let .setOperation(i, a, _, _, c): return .setOperation(intersect: i, all: a, xs[0], xs[1], columns: c)
        case let .unionAll(_, c): return .unionAll(xs, columns: c)
        }
    }

    /// Rewrites every expression held by this node (not its inputs).
    func mapExpressions(_ f: (BoundExpression) throws -> BoundExpression) rethrows -> LogicalPlan {
        func key(_ k: SortKey) throws -> SortKey { SortKey(expression: try f(k.expression), ascending: k.ascending, nullsFirst: k.nullsFirst) }
        switch self {
        case var .scan(node):
            node.filters = try node.filters.map(f)
            return .scan(node)
        case .values, .external, .distinct, .unionAll, .setOperation, .limit: return self
        case let .filter(p, e): return .filter(p, try f(e))
        case let .project(p, items):
            return .project(p, try items.map { ProjectItem(expression: try f($0.expression), column: $0.column) })
        case let .aggregate(p, g, a):
            return .aggregate(p, groups: try g.map { ProjectItem(expression: try f($0.expression), column: $0.column) },
                              aggregates: try a.map { item in
                                  var c = item.call
                                  c.arguments = try c.arguments.map(f)
                                  c.filter = try c.filter.map(f)
                                  return AggregateItem(call: c, column: item.column)
                              })
        case let .sort(p, k): return .sort(p, try k.map(key))
        case let .topN(p, k, l, o): return .topN(p, try k.map(key), limit: l, offset: o)
        case let .window(p, items):
            return .window(p, try items.map { item in
                var c = item.call
                c.arguments = try c.arguments.map(f)
                c.partitionBy = try c.partitionBy.map(f)
                c.orderBy = try c.orderBy.map(key)
                return WindowItem(call: c, column: item.column)
            })
        case let .join(l, r, k, c, m): return .join(l, r, kind: k, condition: try c.map(f), mark: m)
        case let .unnest(p, node):
            var mapped = node
            mapped.arrays = try node.arrays.map(f)
            return .unnest(p, mapped)
        }
    }

    /// Applies `f` to every node bottom-up.
    func transformedUp(_ f: (LogicalPlan) throws -> LogicalPlan) rethrows -> LogicalPlan {
        let newInputs = try inputs.map { try $0.transformedUp(f) }
        return try f(newInputs.isEmpty ? self : withInputs(newInputs))
    }

    /// Every expression this node holds.
    var expressions: [BoundExpression] {
        var out: [BoundExpression] = []
        _ = mapExpressions { out.append($0); return $0 }
        return out
    }

    /// A rough row-count estimate for join ordering and build sides. GROUP BY and semi joins use the columns'
    /// distinct values where the files' statistics bound them (`LogicalPlan+Cardinality.swift`).
    var estimatedRows: Double {
        switch self {
        case let .scan(node): return Double(node.snapshot.rowCount) * (node.filters.isEmpty ? 1 : selectivity(of: node.filters))
        case let .values(_, batches, _): return Double(batches.reduce(0) { $0 + $1.count })
        case .external: return 10_000
        case let .filter(p, predicate): return p.estimatedRows * p.selectivity(of: predicate.conjuncts)
        case let .project(p, _), let .sort(p, _), let .window(p, _): return p.estimatedRows
        case let .aggregate(p, g, _): return g.isEmpty ? 1 : Self.groupEstimate(p, g)
        case let .limit(p, l, _): return min(p.estimatedRows, Double(l ?? Int.max))
        case let .topN(p, _, l, _): return min(p.estimatedRows, Double(l))
        case let .distinct(p): return p.estimatedRows * 0.5
        case let .unnest(p, _): return p.estimatedRows * 4
        case let .join(l, r, kind, condition, _):
            switch kind {
            case .semi: return l.estimatedRows * Self.semiJoinFraction(l, r, condition)
            case .anti, .nullAwareAnti, .mark, .count: return l.estimatedRows
            case .cross: return l.estimatedRows * r.estimatedRows
            case .inner where condition != nil:
                // A foreign-key join: the side with more rows before filters (the fact) keeps the fraction of
                // its rows whose key survives the other side's filters (TPC-H Q21: lineitem ⋈ σ orders ⋈ σ nation
                // keeps ~3 %, not all lineitem rows, so the NOT EXISTS after it hashes the few rows left).
                let (fact, dimension) = l.rowsBeforeFilters >= r.rowsBeforeFilters ? (l, r) : (r, l)
                return fact.estimatedRows * min(1, dimension.estimatedRows / max(1, dimension.rowsBeforeFilters))
            default: return max(l.estimatedRows, r.estimatedRows)
            }
        case let .unionAll(cs, _): return cs.reduce(0) { $0 + $1.estimatedRows }
        case let .setOperation(_, _, l, _, _): return l.estimatedRows
        }
    }

    /// Rows before any filter: a scan's table rows, through filters, projections, sorts and windows; a foreign-key
    /// join's fact side's; a semi join's left side's; otherwise the estimate itself.
    var rowsBeforeFilters: Double {
        switch self {
        case let .scan(node): return Double(node.snapshot.rowCount)
        case let .filter(p, _), let .project(p, _), let .sort(p, _), let .window(p, _): return p.rowsBeforeFilters
        case let .join(l, _, .semi, _, _): return l.rowsBeforeFilters
        case let .join(l, r, .inner, condition, _) where condition != nil: return max(l.rowsBeforeFilters, r.rowsBeforeFilters)
        default: return estimatedRows
        }
    }
}

import Foundation
