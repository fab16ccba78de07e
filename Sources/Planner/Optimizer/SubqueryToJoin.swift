import Storage
import Execution

/// Turns an uncorrelated `x IN (subquery)` conjunct of a filter into a semi join, and `NOT IN` into a
/// null-aware anti join, so the subquery runs once as a hash-join build side.
struct SubqueryToJoin: OptimizerRule {
    let name = "subquery_to_join"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        try plan.transformedUp { node in
            guard case let .filter(input, predicate) = node else { return node }
            var current = input
            var remaining: [BoundExpression] = []
            for c in predicate.conjuncts {
                if case let .subquery(ev, _) = c, let ps = ev as? PlannedSubquery, ps.outerExpressions.isEmpty,
                   case let .inSet(probe, negated) = ps.mode, let sub = ps.plan.columns.first(where: { !$0.hidden }),
                   !probe.containsSubquery {
                    let eq = try FunctionRegistry.resolve("=", argumentTypes: [probe.type, sub.type], settings: SessionSettings())
                    let cond = BoundExpression.call(eq.function, [probe, .column(sub.id, sub.type)], .boolean)
                    current = .join(current, ps.plan, kind: negated ? .nullAwareAnti : .semi, condition: cond, mark: nil)
                } else {
                    remaining.append(c)
                }
            }
            guard let rest = BoundExpression.conjunction(remaining) else { return current }
            return .filter(current, rest)
        }
    }
}
