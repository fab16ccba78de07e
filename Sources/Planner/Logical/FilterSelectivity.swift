import Foundation
import Storage
import Execution

/// The fraction of rows a conjunction of predicates keeps, for row estimates and join order.
///
/// With a column's statistics (`ColumnProfile`): `col = constant` keeps 1 / distinct values, `col IN (k constants)`
/// k / distinct, `col <> constant` the rest, `col IS [NOT] NULL` the NULL fraction (or the rest), and comparisons of
/// a column with constants the part of the column's [min, max] range they leave, all bounds on one column taken
/// together (so `BETWEEN` is one range, not two guesses). Without statistics, fixed guesses: 0.1 for an equality,
/// 0.3 for the range predicates on one column, 0.2 for LIKE and IN, 0.5 for anything else.
enum FilterSelectivity {
    /// `profile` resolves a column id of the rows being filtered; nil when nothing is known.
    static func estimate(_ conjuncts: [BoundExpression], profile: (Int) -> ColumnProfile?) -> Double {
        var result = 1.0
        var bounds: [Int: (low: Double, high: Double)] = [:]
        var guessedRangeColumns = Set<Int>()
        for c in conjuncts {
            if case let .call(fn, args, _) = c, args.count == 2, ["<", "<=", ">", ">="].contains(fn.name) {
                if let (column, value, isLower) = rangeBound(fn.name, args[0], args[1]), let p = profile(column), p.low != nil {
                    var b = bounds[column] ?? (-Double.infinity, Double.infinity)
                    if isLower { b.low = max(b.low, value) } else { b.high = min(b.high, value) }
                    bounds[column] = b
                    continue
                }
                let columns = c.columnIds
                if columns.count == 1, let only = columns.first {
                    if guessedRangeColumns.insert(only).inserted { result *= 0.3 }
                } else {
                    result *= 0.3
                }
                continue
            }
            result *= single(c, profile)
        }
        for (column, b) in bounds {
            guard let p = profile(column), let low = p.low, let high = p.high else { continue }
            let kept: Double
            if high > low {
                kept = max(0, min(high, b.high) - max(low, b.low)) / (high - low)
            } else {
                kept = b.low <= low && low <= b.high ? 1 : 0
            }
            // Never quite zero: statistics are bounds, and a later file may hold the value.
            let floor = 1 / max(10, p.distinct ?? 10_000)
            result *= max(floor, min(1, kept)) * (1 - p.nullFraction)
        }
        return max(result, 1e-6)
    }

    /// One predicate that is not a range comparison.
    private static func single(_ e: BoundExpression, _ profile: (Int) -> ColumnProfile?) -> Double {
        switch e {
        case let .call(fn, args, _) where args.count == 2:
            switch fn.name {
            case "=": return equality(args[0], args[1], profile) ?? 0.1
            case "<>", "!=": return 1 - (equality(args[0], args[1], profile) ?? 0.1)
            case "like", "ilike": return 0.2
            default: return 0.5
            }
        case let .inList(x, list, negated):
            guard let column = LogicalPlan.sourceColumn(x), list.allSatisfy(isConstant),
                  let p = profile(column), let d = p.distinct else { return negated ? 0.9 : 0.2 }
            let kept = min(1, Double(list.count) / max(1, d)) * (1 - p.nullFraction)
            return negated ? max(0, 1 - p.nullFraction - kept) : kept
        case let .isNull(x, negated):
            guard let column = LogicalPlan.sourceColumn(x), let p = profile(column) else { return negated ? 0.9 : 0.1 }
            return negated ? 1 - p.nullFraction : p.nullFraction
        case let .and(xs):
            return estimate(xs, profile: profile)
        case let .or(xs):
            var none = 1.0
            for x in xs { none *= 1 - estimate([x], profile: profile) }
            return 1 - none
        case let .not(x):
            return 1 - estimate([x], profile: profile)
        case let .constant(.boolean(b), _):
            return b ? 1 : 0
        default:
            return 0.5
        }
    }

    /// `column = constant` (either way round): the non-NULL fraction over the column's distinct values.
    private static func equality(_ a: BoundExpression, _ b: BoundExpression, _ profile: (Int) -> ColumnProfile?) -> Double? {
        let column: Int
        if let c = LogicalPlan.sourceColumn(a), isConstant(b) { column = c }
        else if let c = LogicalPlan.sourceColumn(b), isConstant(a) { column = c }
        else { return nil }
        guard let p = profile(column), let d = p.distinct else { return nil }
        return (1 - p.nullFraction) / max(1, d)
    }

    /// `column op constant` or `constant op column` on the column's own scale: (column, bound, is it a lower bound).
    private static func rangeBound(_ op: String, _ a: BoundExpression, _ b: BoundExpression) -> (Int, Double, Bool)? {
        if case let .column(id, _) = a, case let .constant(v, _) = b, let x = ColumnProfile.magnitude(v) {
            return (id, x, op == ">" || op == ">=")
        }
        if case let .constant(v, _) = a, case let .column(id, _) = b, let x = ColumnProfile.magnitude(v) {
            return (id, x, op == "<" || op == "<=")
        }
        return nil
    }

    private static func isConstant(_ e: BoundExpression) -> Bool {
        switch e {
        case .constant, .parameter: return true
        case let .cast(inner, _, _): return isConstant(inner)
        default: return false
        }
    }
}

extension LogicalPlan {
    /// The table profile of column `id` of this node's output, found by following the column down to its scan
    /// (through filters, sorts, projections that pass it on and joins); nil for computed columns.
    func columnProfile(of id: Int) -> ColumnProfile? {
        switch self {
        case let .scan(node):
            guard let i = node.columns.firstIndex(where: { $0.id == id }), i < node.tableColumns.count else { return nil }
            return ColumnProfile.of(node.snapshot, tableColumn: node.tableColumns[i])
        case let .filter(p, _), let .sort(p, _), let .window(p, _), let .distinct(p), let .limit(p, _, _), let .topN(p, _, _, _):
            return p.columnProfile(of: id)
        case let .project(p, items):
            guard let item = items.first(where: { $0.column.id == id }), let source = Self.sourceColumn(item.expression) else { return nil }
            return p.columnProfile(of: source)
        case let .join(l, r, _, _, _):
            if l.columns.contains(where: { $0.id == id }) { return l.columnProfile(of: id) }
            return r.columns.contains(where: { $0.id == id }) ? r.columnProfile(of: id) : nil
        default:
            return nil
        }
    }

    /// The fraction of this node's rows that `conjuncts` (over its output columns) keep.
    func selectivity(of conjuncts: [BoundExpression]) -> Double {
        FilterSelectivity.estimate(conjuncts) { self.columnProfile(of: $0) }
    }
}
