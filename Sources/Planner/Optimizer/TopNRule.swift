import Execution

/// ORDER BY … LIMIT n becomes a top-N (a heap of n rows) instead of a full sort.
struct TopNRule: OptimizerRule {
    let name = "top_n"
    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        plan.transformedUp { node in
            if case let .limit(.sort(input, keys), limit?, offset) = node {
                return .topN(input, keys, limit: limit, offset: offset)
            }
            return node
        }
    }
}
