import Execution

/// Hash joins build their right input: for inner joins, put the smaller estimated side on the right.
/// Output columns are addressed by id, so swapping inputs needs no projection.
struct JoinBuildSide: OptimizerRule {
    let name = "join_build_side"
    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        plan.transformedUp { node in
            if case let .join(l, r, kind, cond, mark) = node, kind == .inner || kind == .cross,
               l.estimatedRows < r.estimatedRows {
                return .join(r, l, kind: kind, condition: cond, mark: mark)
            }
            if case let .join(l, r, .left, cond, mark) = node, l.estimatedRows * 4 < r.estimatedRows {
                return .join(r, l, kind: .right, condition: cond, mark: mark)
            }
            return node
        }
    }
}
