import Storage
import Execution

/// Turns subqueries in filter conjuncts into joins, so they run once as a hash-join build side
/// instead of once per outer row:
/// - uncorrelated `x IN (subquery)` → semi join; `NOT IN` → null-aware anti join;
/// - correlated `[NOT] EXISTS (SELECT … FROM … WHERE inner = outer AND …)` → semi (anti) join whose
///   condition is the correlated conjuncts with the outer values substituted, when the outer row is
///   referenced only in the subquery's top-level WHERE.
struct SubqueryToJoin: OptimizerRule {
    let name = "subquery_to_join"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        try plan.transformedUp { node in
            guard case let .filter(input, predicate) = node else { return node }
            var current = input
            var remaining: [BoundExpression] = []
            for c in predicate.conjuncts {
                if let joined = try inSubqueryJoin(c, current) ?? existsJoin(c, current) {
                    current = joined
                } else {
                    remaining.append(c)
                }
            }
            guard let rest = BoundExpression.conjunction(remaining) else { return current }
            return .filter(current, rest)
        }
    }

    private func inSubqueryJoin(_ c: BoundExpression, _ input: LogicalPlan) throws -> LogicalPlan? {
        guard case let .subquery(ev, _) = c, let ps = ev as? PlannedSubquery, ps.outerExpressions.isEmpty,
              case let .inSet(probe, negated) = ps.mode, let sub = ps.plan.columns.first(where: { !$0.hidden }),
              !probe.containsSubquery,
              // A probe that reads no input column (`NULL NOT IN (…)`) has no join key: the null-aware anti join
              // would fall back to a plain condition and keep rows a NULL probe must reject. Evaluate it as a subquery.
              !probe.columnIds.isEmpty else { return nil }
        let eq = try FunctionRegistry.resolve("=", argumentTypes: [probe.type, sub.type], settings: SessionSettings())
        let cond = BoundExpression.call(eq.function, [probe, .column(sub.id, sub.type)], .boolean)
        let right = try ScalarSubqueryDecorrelation.flattenSubqueries(ps.plan)
        return Self.attach(input, right, kind: negated ? .nullAwareAnti : .semi, condition: cond)
    }

    private func existsJoin(_ c: BoundExpression, _ input: LogicalPlan) throws -> LogicalPlan? {
        guard case let .subquery(ev, _) = c, let ps = ev as? PlannedSubquery, !ps.outerExpressions.isEmpty,
              case let .exists(negated) = ps.mode else { return nil }
        // EXISTS ignores the select list: look through projections to the WHERE.
        var body = ps.plan
        while case let .project(inner, items) = body, items.allSatisfy({ !$0.expression.containsSubquery }) { body = inner }
        guard case let .filter(inner, condition) = body, !Self.usesParameters(inner) else { return nil }
        var correlated: [BoundExpression] = [], local: [BoundExpression] = []
        for conjunct in condition.conjuncts {
            if conjunct.containsSubquery { return nil }
            if Self.usesParameters(conjunct) { correlated.append(conjunct) } else { local.append(conjunct) }
        }
        guard !correlated.isEmpty else { return nil }
        let outer = ps.outerExpressions
        var outOfRange = false
        let substituted = correlated.map { e in
            e.transformed { n -> BoundExpression? in
                guard case let .parameter(i, _) = n else { return nil }
                guard i < outer.count else { outOfRange = true; return nil }
                return outer[i]
            }
        }
        if outOfRange { return nil }
        let unflattened = BoundExpression.conjunction(local).map { LogicalPlan.filter(inner, $0) } ?? inner
        let right = try ScalarSubqueryDecorrelation.flattenSubqueries(unflattened)
        return Self.attach(input, right, kind: negated ? .anti : .semi, condition: BoundExpression.conjunction(substituted))
    }

    /// The semi / anti join of `input` with `right`, placed on the inner-join input that holds every outer
    /// column of the condition when the subquery side is small next to it (estimated ≤ 1/4): a row filter
    /// commutes with inner joins, and TPC-H Q18's `o_orderkey IN (57 orders)` then filters orders before
    /// they meet 6M lineitem rows. A large subquery side stays on top, where the joins below have already
    /// reduced the rows it is tested against (Q21).
    static func attach(_ input: LogicalPlan, _ right: LogicalPlan, kind: LogicalJoinKind, condition: BoundExpression?) -> LogicalPlan {
        let outerIds = (condition?.columnIds ?? []).subtracting(right.columns.map(\.id))
        let top = LogicalPlan.join(input, right, kind: kind, condition: condition, mark: nil)
        guard !outerIds.isEmpty, !(condition?.containsSubquery ?? false) else { return top }
        func holds(_ p: LogicalPlan) -> Bool { outerIds.isSubset(of: Set(p.columns.map(\.id))) }
        // The deepest input (through inner joins and filters) holding every outer column.
        func target(_ node: LogicalPlan) -> LogicalPlan? {
            switch node {
            case let .join(l, r, k, _, _) where k == .inner || k == .cross:
                if holds(l) { return target(l) ?? l }
                if holds(r) { return target(r) ?? r }
                return nil
            case let .filter(x, _) where holds(x): return target(x) ?? x
            default: return nil
            }
        }
        // Join inputs are still unfiltered cross products here: size a join by its largest input.
        func rows(_ p: LogicalPlan) -> Double {
            if case let .join(l, r, _, _, _) = p { return max(rows(l), rows(r)) }
            return p.estimatedRows
        }
        guard let deepest = target(input), right.estimatedRows * 4 <= rows(deepest) else { return top }
        func sink(_ node: LogicalPlan) -> LogicalPlan {
            switch node {
            case let .join(l, r, k, c, m) where (k == .inner || k == .cross) && (holds(l) || holds(r)):
                if holds(l) { return .join(sink(l), r, kind: k, condition: c, mark: m) }
                return .join(l, sink(r), kind: k, condition: c, mark: m)
            case let .filter(x, p) where holds(x):
                return .filter(sink(x), p)
            default:
                return .join(node, right, kind: kind, condition: condition, mark: nil)
            }
        }
        return sink(input)
    }

    /// Whether an expression reads a correlated parameter (directly or through a nested subquery's outer values).
    static func usesParameters(_ e: BoundExpression) -> Bool {
        var found = false
        e.forEachNode { if case .parameter = $0 { found = true } }
        return found
    }

    static func usesParameters(_ plan: LogicalPlan) -> Bool {
        if plan.expressions.contains(where: usesParameters) { return true }
        return plan.inputs.contains(where: usesParameters)
    }
}
