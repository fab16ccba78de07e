import Storage

/// The input columns an expression reads, and the same expression over a narrower batch holding only those
/// (a hash join's residual evaluated over gathered key-matching pairs gathers just the columns it needs).
extension BoundExpression {
    /// Indices of the `.column` nodes, or nil when the expression holds a subquery (which may read any column
    /// of its outer batch).
    var referencedColumns: Set<Int>? {
        var out = Set<Int>()
        return collectColumns(&out) ? out : nil
    }

    private func collectColumns(_ out: inout Set<Int>) -> Bool {
        switch self {
        case let .column(i, _): out.insert(i); return true
        case .constant, .parameter: return true
        case .subquery: return false
        case let .call(_, args, _): return args.allSatisfy { $0.collectColumns(&out) }
        case let .cast(x, _, _), let .not(x), let .isNull(x, _): return x.collectColumns(&out)
        case let .and(xs), let .or(xs), let .coalesce(xs, _): return xs.allSatisfy { $0.collectColumns(&out) }
        case let .inList(x, xs, _): return x.collectColumns(&out) && xs.allSatisfy { $0.collectColumns(&out) }
        case let .caseWhen(branches, elseResult, _):
            for b in branches where !(b.condition.collectColumns(&out) && b.result.collectColumns(&out)) { return false }
            return elseResult?.collectColumns(&out) ?? true
        }
    }

    /// This expression with every `.column(i)` replaced by `.column(map[i])`; every referenced column must be
    /// in `map` (use `referencedColumns`), and the expression must hold no subquery.
    func remappingColumns(_ map: [Int: Int]) -> BoundExpression {
        switch self {
        case let .column(i, t): return .column(map[i] ?? i, t)
        case .constant, .parameter, .subquery: return self
        case let .call(f, args, t): return .call(f, args.map { $0.remappingColumns(map) }, t)
        case let .cast(x, t, isTry): return .cast(x.remappingColumns(map), t, isTry: isTry)
        case let .not(x): return .not(x.remappingColumns(map))
        case let .isNull(x, negated): return .isNull(x.remappingColumns(map), negated: negated)
        case let .and(xs): return .and(xs.map { $0.remappingColumns(map) })
        case let .or(xs): return .or(xs.map { $0.remappingColumns(map) })
        case let .coalesce(xs, t): return .coalesce(xs.map { $0.remappingColumns(map) }, t)
        case let .inList(x, xs, negated): return .inList(x.remappingColumns(map), xs.map { $0.remappingColumns(map) }, negated: negated)
        case let .caseWhen(branches, elseResult, t):
            return .caseWhen(branches.map { CaseBranch(condition: $0.condition.remappingColumns(map), result: $0.result.remappingColumns(map)) },
                             elseResult: elseResult?.remappingColumns(map), t)
        }
    }
}
