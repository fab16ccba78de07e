import Execution

/// `(a AND b) OR (a AND c)` becomes `a AND (b OR c)`: a conjunct common to every OR branch is pulled out,
/// so it can become a join key or be pushed into a scan (TPC-H Q19 repeats its join key in each branch).
struct CommonConjunctExtraction: OptimizerRule {
    let name = "common_conjunct_extraction"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        plan.transformedUp { node in
            switch node {
            case let .filter(input, predicate):
                return .filter(input, Self.extract(predicate))
            case let .join(l, r, kind, condition?, mark):
                return .join(l, r, kind: kind, condition: Self.extract(condition), mark: mark)
            default:
                return node
            }
        }
    }

    static func extract(_ e: BoundExpression) -> BoundExpression {
        let conjuncts = e.conjuncts.flatMap { c -> [BoundExpression] in
            guard case let .or(branches) = c, branches.count > 1 else { return [c] }
            let split = branches.map(\.conjuncts)
            var common = split[0].filter { candidate in
                split.dropFirst().allSatisfy { branch in branch.contains { $0.key == candidate.key } }
            }
            // Keep only one copy of a conjunct repeated within the first branch.
            var seen = Set<String>()
            common = common.filter { seen.insert($0.key).inserted }
            if common.isEmpty { return [c] }
            let keys = Set(common.map(\.key))
            let rest = split.map { BoundExpression.conjunction($0.filter { !keys.contains($0.key) }) }
            // A branch left with nothing is TRUE, which makes the whole OR true.
            if rest.contains(where: { $0 == nil }) { return common }
            return common + [.or(rest.compactMap { $0 })]
        }
        return BoundExpression.conjunction(conjuncts) ?? e
    }
}
