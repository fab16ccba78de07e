import Foundation
import Storage
import Execution

/// Distinct-value estimates for the row estimates of GROUP BY and semi joins (`estimatedRows`).
///
/// A table column's distinct values come from its `ColumnProfile`: the data files' distinct-count estimates and
/// min/max bounds. When neither is known (strings and doubles in files written before format version 2), the
/// estimates fall back to fixed ratios.
extension LogicalPlan {
    /// Estimated distinct non-NULL values of column `id` in this node's output; nil when unknown.
    ///
    /// Walks the one path down to the column's scan: each filter on the way keeps its estimated fraction of the
    /// rows (as in `estimatedRows`), and the scan's distinct values are thinned to the rows kept. Joins pass the column
    /// through without a reduction, so the walk never asks a subtree for its row estimate (which would make
    /// nested semi joins cost exponential time).
    func distinctValues(of id: Int) -> Double? { distinctValues(of: id, keptFraction: 1) }

    private func distinctValues(of id: Int, keptFraction keep: Double) -> Double? {
        switch self {
        case let .scan(node):
            guard let i = node.columns.firstIndex(where: { $0.id == id }), i < node.tableColumns.count,
                  let d = ColumnProfile.of(node.snapshot, tableColumn: node.tableColumns[i])?.distinct else { return nil }
            return Self.distinctValues(d, keptRows: estimatedRows * keep, ofRows: Double(node.snapshot.rowCount))
        case let .filter(p, predicate):
            return p.distinctValues(of: id, keptFraction: keep * p.selectivity(of: predicate.conjuncts))
        case let .project(p, items):
            guard let item = items.first(where: { $0.column.id == id }), let source = Self.sourceColumn(item.expression) else { return nil }
            return p.distinctValues(of: source, keptFraction: keep)
        case let .sort(p, _), let .window(p, _), let .distinct(p), let .limit(p, _, _), let .topN(p, _, _, _):
            return p.distinctValues(of: id, keptFraction: keep)
        case let .aggregate(p, groups, _):
            guard let item = groups.first(where: { $0.column.id == id }), let source = Self.sourceColumn(item.expression) else { return nil }
            return p.distinctValues(of: source, keptFraction: keep)
        case let .join(l, r, kind, _, _):
            switch kind {
            case .semi, .anti, .nullAwareAnti, .mark, .count: return l.distinctValues(of: id, keptFraction: keep)
            default: return (l.columns.contains { $0.id == id } ? l : r).distinctValues(of: id, keptFraction: keep)
            }
        default:
            return nil
        }
    }

    /// The row estimate of a GROUP BY on `groups` over `input`: the distinct combinations of the keys' values
    /// among the input rows, when every key is a column with a distinct-value estimate; a tenth of the input
    /// rows otherwise.
    static func groupEstimate(_ input: LogicalPlan, _ groups: [ProjectItem]) -> Double {
        let rows = input.estimatedRows
        var combinations = 1.0
        for item in groups {
            guard let source = sourceColumn(item.expression), let d = input.distinctValues(of: source) else {
                return max(1, rows * 0.1)
            }
            combinations *= max(1, d)
        }
        // `rows` drawn from `combinations` equally likely values: combinations · (1 − e^(−rows / combinations)).
        return max(1, min(rows, -combinations * expm1(-rows / combinations)))
    }

    /// The fraction of its rows a semi join's left side keeps: the right side's distinct keys over the left's (a
    /// foreign key into a filtered dimension keeps the dimension's kept fraction); 1 when a key is not a column or
    /// has no estimate.
    static func semiJoinFraction(_ l: LogicalPlan, _ r: LogicalPlan, _ condition: BoundExpression?) -> Double {
        guard let condition else { return 1 }
        let leftIds = Set(l.columns.map(\.id)), rightIds = Set(r.columns.map(\.id))
        var fraction = 1.0
        for c in condition.conjuncts {
            guard case let .call(fn, args, _) = c, fn.name == "=", args.count == 2,
                  let a = sourceColumn(args[0]), let b = sourceColumn(args[1]) else { continue }
            let (lk, rk): (Int, Int)
            if leftIds.contains(a), rightIds.contains(b) { (lk, rk) = (a, b) }
            else if leftIds.contains(b), rightIds.contains(a) { (lk, rk) = (b, a) }
            else { continue }
            guard let dl = l.distinctValues(of: lk), let dr = r.distinctValues(of: rk), dl >= 1 else { continue }
            fraction = min(fraction, dr / dl)
        }
        return max(0, min(1, fraction))
    }

    /// The column an expression reads unchanged or through a cast (nil for anything else).
    static func sourceColumn(_ e: BoundExpression) -> Int? {
        switch e {
        case let .column(id, _): return id
        case let .cast(inner, _, _): return sourceColumn(inner)
        default: return nil
        }
    }

    /// Distinct values left when `kept` of `total` rows holding `d` distinct values remain, the kept rows taken at
    /// random: d · (1 − (1 − kept / total)^(total / d)), at most the kept rows.
    static func distinctValues(_ d: Double, keptRows kept: Double, ofRows total: Double) -> Double {
        guard total > 0, kept < total, d >= 1 else { return max(1, min(d, kept)) }
        let left = d * (1 - pow(1 - kept / total, total / d))
        return max(1, min(left, kept))
    }
}
