import Storage
import Execution

/// Flattens correlated scalar aggregate subqueries into a join with a grouped aggregate (Kim/Dayal,
/// DuckDB's flattening), so the subquery runs once instead of once per distinct outer value:
///
///     … WHERE l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)
///  →  … JOIN (SELECT l_partkey AS k, avg(l_quantity) AS a FROM lineitem GROUP BY l_partkey) ON k = p_partkey
///      WHERE l_quantity < 0.2 * a
///
/// Applies to a subquery in a filter or projection whose plan is `[project] → aggregate without GROUP BY →
/// filter`, where every conjunct of the filter that reads the outer row is `inner expression = outer
/// expression` (other correlated conjuncts, e.g. `a.x < b.y`, leave the subquery alone) and nothing else in
/// the subquery reads the outer row except the select expression.
///
/// COUNT bug: an outer row whose key has no inner rows gets no partner from the join. The join is therefore
/// a LEFT join, the select expression is evaluated above it, and COUNT-like aggregates (`count`, `count(*)`,
/// `approx_distinct`; `total` is 0.0) read `COALESCE(agg, 0)` — every other aggregate is NULL over no rows,
/// which is what the LEFT join gives. NULL keys never match `=`, as in the subquery. When the subquery's
/// value is compared directly in a top-level filter conjunct and is NULL for a missing group, rows without a
/// partner are rejected anyway and the join is INNER, so join reordering can move it.
struct ScalarSubqueryDecorrelation: OptimizerRule {
    let name = "scalar_subquery_decorrelation"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        try plan.transformedUp { node in
            switch node {
            case let .filter(input, predicate):
                var current = input
                var conjuncts: [BoundExpression] = []
                var changed = false
                for conjunct in predicate.conjuncts {
                    var c = conjunct
                    while let (target, flat) = try firstCandidate(in: c) {
                        let inner = Self.rejectsNull(c, at: target) && flat.nullWhenEmpty
                        current = .join(current, flat.grouped, kind: inner ? .inner : .left, condition: flat.condition, mark: nil)
                        c = replace(target, with: flat.value, in: c)
                        changed = true
                    }
                    conjuncts.append(c)
                }
                guard changed else { return node }
                let filtered = LogicalPlan.filter(current, BoundExpression.conjunction(conjuncts) ?? .constant(.boolean(true), .boolean))
                return .project(filtered, input.columns.map { ProjectItem(expression: .column($0.id, $0.type), column: $0) })
            case let .project(input, items):
                var current = input
                var changed = false
                var newItems: [ProjectItem] = []
                for item in items {
                    var e = item.expression
                    while let (target, flat) = try firstCandidate(in: e) {
                        current = .join(current, flat.grouped, kind: .left, condition: flat.condition, mark: nil)
                        e = replace(target, with: flat.value, in: e)
                        changed = true
                    }
                    newItems.append(ProjectItem(expression: e, column: item.column))
                }
                return changed ? .project(current, newItems) : node
            default:
                return node
            }
        }
    }

    /// A subquery turned into a grouped aggregate to join, the join condition, and the expression over the
    /// join's output that replaces the subquery.
    struct Flattened {
        var grouped: LogicalPlan
        var condition: BoundExpression
        var value: BoundExpression
        /// The value is NULL whenever the aggregates are NULL (all of them NULL over no rows, and the select
        /// expression strict in them).
        var nullWhenEmpty: Bool
    }

    private func firstCandidate(in e: BoundExpression) throws -> (ObjectIdentifier, Flattened)? {
        var found: PlannedSubquery?
        e.forEachNode { node in
            guard found == nil, case let .subquery(ev, _) = node, let ps = ev as? PlannedSubquery, flatten(ps) != nil else { return }
            found = ps
        }
        guard let ps = found, var flat = flatten(ps) else { return nil }
        flat.grouped = try Self.flattenSubqueries(flat.grouped)
        return (ObjectIdentifier(ps), flat)
    }

    /// A subquery's plan about to join the outer plan, with its own subqueries flattened first (the rules
    /// only visit the plan they are given, not plans inside expressions).
    static func flattenSubqueries(_ plan: LogicalPlan) throws -> LogicalPlan {
        try SubqueryToJoin().apply(try ScalarSubqueryDecorrelation().apply(plan))
    }

    /// `e` with the subquery `target` replaced by `value`. (`transformed` rebuilds subquery nodes before
    /// visiting them, which changes their identity, so this walks top-down.)
    private func replace(_ target: ObjectIdentifier, with value: BoundExpression, in e: BoundExpression) -> BoundExpression {
        func r(_ x: BoundExpression) -> BoundExpression { replace(target, with: value, in: x) }
        switch e {
        case .column, .constant, .parameter: return e
        case let .subquery(ev, t):
            if ObjectIdentifier(ev) == target { return value }
            guard let planned = ev as? PlannedSubquery, planned.outerExpressions.contains(where: { $0.containsSubquery }) else { return e }
            return .subquery(planned.mapOuter(r), t)
        case let .call(fn, args, t): return .call(fn, args.map(r), t)
        case let .cast(x, t, isTry): return .cast(r(x), t, isTry: isTry)
        case let .and(xs): return .and(xs.map(r))
        case let .or(xs): return .or(xs.map(r))
        case let .not(x): return .not(r(x))
        case let .isNull(x, n): return .isNull(r(x), negated: n)
        case let .caseWhen(branches, elseResult, t):
            return .caseWhen(branches.map { CaseBranch(condition: r($0.condition), result: r($0.result)) }, elseResult: elseResult.map(r), t)
        case let .inList(x, list, n): return .inList(r(x), list.map(r), negated: n)
        case let .coalesce(xs, t): return .coalesce(xs.map(r), t)
        }
    }

    /// The decorrelated form of `ps`, or nil when it does not have the supported shape.
    private func flatten(_ ps: PlannedSubquery) -> Flattened? {
        guard case .scalar = ps.mode, !ps.outerExpressions.isEmpty,
              let output = ps.plan.columns.first(where: { !$0.hidden }) else { return nil }
        var body = ps.plan
        var select: BoundExpression = .column(output.id, output.type)
        if case let .project(below, items) = body {
            guard let item = items.first(where: { $0.column.id == output.id }) else { return nil }
            select = item.expression
            body = below
        }
        guard case let .aggregate(aggregateInput, groups, aggregates) = body, groups.isEmpty, !aggregates.isEmpty,
              case let .filter(inner, condition) = aggregateInput,
              !SubqueryToJoin.usesParameters(inner), !select.containsSubquery else { return nil }
        for item in aggregates {
            if item.call.arguments.contains(where: { SubqueryToJoin.usesParameters($0) || $0.containsSubquery }) { return nil }
            if let f = item.call.filter, SubqueryToJoin.usesParameters(f) || f.containsSubquery { return nil }
        }
        let outer = ps.outerExpressions
        var outOfRange = false
        func substitute(_ e: BoundExpression) -> BoundExpression {
            e.transformed { n -> BoundExpression? in
                guard case let .parameter(i, _) = n else { return nil }
                guard i < outer.count else { outOfRange = true; return nil }
                return outer[i]
            }
        }
        var local: [BoundExpression] = []
        var keys: [ProjectItem] = []
        var joinConjuncts: [BoundExpression] = []
        for conjunct in condition.conjuncts {
            if conjunct.containsSubquery { return nil }
            guard SubqueryToJoin.usesParameters(conjunct) else { local.append(conjunct); continue }
            guard case let .call(fn, args, type) = conjunct, fn.name == "=", args.count == 2 else { return nil }
            let innerFirst = Self.isInnerSide(args[0]) && Self.isOuterSide(args[1])
            guard innerFirst || (Self.isInnerSide(args[1]) && Self.isOuterSide(args[0])) else { return nil }
            let innerSide = innerFirst ? args[0] : args[1]
            let outerSide = substitute(innerFirst ? args[1] : args[0])
            guard !outerSide.columnIds.isEmpty else { return nil }
            let key = PlanColumn(id: OptimizerColumnIds.make(), name: "__correlation_key\(keys.count)", type: innerSide.type)
            keys.append(ProjectItem(expression: innerSide, column: key))
            let keyRef = BoundExpression.column(key.id, key.type)
            joinConjuncts.append(.call(fn, innerFirst ? [keyRef, outerSide] : [outerSide, keyRef], type))
        }
        guard !keys.isEmpty, let joinCondition = BoundExpression.conjunction(joinConjuncts) else { return nil }
        // Aggregates read through the join: COUNT-like ones are 0, not NULL, for a key with no inner rows.
        var replacements: [Int: BoundExpression] = [:]
        var allNullWhenEmpty = true
        var renamed: [AggregateItem] = []
        for item in aggregates {
            var column = item.column
            column.id = OptimizerColumnIds.make()
            renamed.append(AggregateItem(call: item.call, column: column))
            let ref = BoundExpression.column(column.id, column.type)
            switch item.call.kind {
            case .count, .countStar, .approxDistinct:
                replacements[item.column.id] = .coalesce([ref, .constant(.bigint(0), .bigint)], item.column.type)
                allNullWhenEmpty = false
            case .total:
                replacements[item.column.id] = .coalesce([ref, .constant(.double(0), .double)], item.column.type)
                allNullWhenEmpty = false
            case .sum, .avg, .min, .max, .stddevSamp, .stddevPop, .varianceSamp, .variancePop, .median, .approxPercentile,
                 .quantileCont, .boolAnd, .boolOr, .arbitrary, .stringAgg, .mode, .covarSamp, .covarPop, .corr, .maxBy, .minBy,
                 .regrSlope, .regrIntercept, .skewness, .kurtosis, .geometricMean, .bitwiseAnd, .bitwiseOr, .arrayAgg,
                 .mapAgg, .histogram, .approxMostFrequent, .mapUnion, .multimapAgg:
                replacements[item.column.id] = ref
            }
        }
        let aggregateIds = Set(aggregates.map(\.column.id))
        guard select.columnIds.isSubset(of: aggregateIds) else { return nil }
        let value = substitute(select.transformed { n in
            if case let .column(id, _) = n { return replacements[id] }
            return nil
        })
        if outOfRange { return nil }
        let filtered = BoundExpression.conjunction(local).map { LogicalPlan.filter(inner, $0) } ?? inner
        let grouped = LogicalPlan.aggregate(filtered, groups: keys, aggregates: renamed)
        let nullWhenEmpty = allNullWhenEmpty && Self.isStrict(select, in: aggregateIds)
        return Flattened(grouped: grouped, condition: joinCondition, value: value, nullWhenEmpty: nullWhenEmpty)
    }

    /// Reads inner columns only (no outer reference, no subquery).
    private static func isInnerSide(_ e: BoundExpression) -> Bool {
        !e.columnIds.isEmpty && !SubqueryToJoin.usesParameters(e) && !e.containsSubquery
    }

    /// Reads outer values only.
    private static func isOuterSide(_ e: BoundExpression) -> Bool {
        e.columnIds.isEmpty && SubqueryToJoin.usesParameters(e) && !e.containsSubquery
    }

    private static let strictFunctions: Set<String> = ["+", "-", "*", "/", "%", "negate"]
    private static let comparisons: Set<String> = ["=", "<>", "<", "<=", ">", ">="]

    /// Whether `e` is NULL whenever every column in `ids` is NULL.
    static func isStrict(_ e: BoundExpression, in ids: Set<Int>) -> Bool {
        switch e {
        case let .column(id, _): return ids.contains(id)
        case let .cast(x, _, isTry): return !isTry && isStrict(x, in: ids)
        case let .call(fn, args, _): return strictFunctions.contains(fn.name) && args.contains { isStrict($0, in: ids) }
        default: return false
        }
    }

    /// Whether the top-level conjunct `c` is NULL (so rejects the row) when the subquery `target` is NULL.
    static func rejectsNull(_ c: BoundExpression, at target: ObjectIdentifier) -> Bool {
        func reaches(_ e: BoundExpression) -> Bool {
            switch e {
            case let .subquery(ev, _): return ObjectIdentifier(ev) == target
            case let .cast(x, _, isTry): return !isTry && reaches(x)
            case let .call(fn, args, _): return strictFunctions.contains(fn.name) && args.contains(where: reaches)
            default: return false
            }
        }
        guard case let .call(fn, args, _) = c, comparisons.contains(fn.name) else { return false }
        return args.contains(where: reaches)
    }
}
