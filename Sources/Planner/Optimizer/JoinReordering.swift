import Execution

/// Reorders a tree of inner and cross joins left-deep: start from the largest relation (the fact table),
/// then repeatedly join the smallest relation connected to what is joined so far by a predicate, placing
/// each conjunct at the lowest join that has all its columns. Without it, joins follow FROM order, and
/// `FROM part, supplier, lineitem WHERE …` cross-joins part × supplier.
struct JoinReordering: OptimizerRule {
    let name = "join_reordering"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        reorder(plan)
    }

    private func reorder(_ plan: LogicalPlan) -> LogicalPlan {
        guard case let .join(_, _, kind, _, _) = plan, kind == .inner || kind == .cross else {
            let inputs = plan.inputs.map(reorder)
            return inputs.isEmpty ? plan : plan.withInputs(inputs)
        }
        var leaves: [LogicalPlan] = []
        var conjuncts: [BoundExpression] = []
        flatten(plan, &leaves, &conjuncts)
        leaves = leaves.map(reorder)
        guard leaves.count > 2 else { return plan.withInputs(plan.inputs.map(reorder)) }
        let ids = leaves.map { Set($0.columns.map(\.id)) }
        let rows = leaves.map(\.estimatedRows)
        func connects(_ i: Int, to set: Set<Int>) -> Bool {
            conjuncts.contains { c in
                let used = c.columnIds
                return !used.isDisjoint(with: ids[i]) && !used.isDisjoint(with: set) && used.isSubset(of: set.union(ids[i]))
            }
        }
        // Keep FROM order (and so row order) unless it forms a cross product that a predicate could avoid.
        var prefix = ids[0]
        var fromOrderCrosses = false
        for i in 1..<leaves.count {
            if !connects(i, to: prefix), leaves.indices.contains(where: { $0 > i && connects($0, to: prefix) }) { fromOrderCrosses = true }
            prefix.formUnion(ids[i])
        }
        guard fromOrderCrosses else { return plan.withInputs(plan.inputs.map(reorder)) }
        var remaining = Set(leaves.indices)
        let first = leaves.indices.max { rows[$0] < rows[$1] } ?? 0
        var order = [first]
        remaining.remove(first)
        var joined = ids[first]
        while !remaining.isEmpty {
            let connected = remaining.filter { connects($0, to: joined) }
            let pool = connected.isEmpty ? remaining : connected
            guard let next = pool.min(by: { rows[$0] < rows[$1] || (rows[$0] == rows[$1] && $0 < $1) }) else { break }
            order.append(next)
            remaining.remove(next)
            joined.formUnion(ids[next])
        }
        return rebuild(order.map { leaves[$0] }, conjuncts)
    }

    private func flatten(_ plan: LogicalPlan, _ leaves: inout [LogicalPlan], _ conjuncts: inout [BoundExpression]) {
        if case let .join(l, r, kind, condition, _) = plan, kind == .inner || kind == .cross {
            flatten(l, &leaves, &conjuncts)
            flatten(r, &leaves, &conjuncts)
            if let condition { conjuncts.append(contentsOf: condition.conjuncts) }
        } else {
            leaves.append(plan)
        }
    }

    /// Left-deep joins in the given order, each conjunct at the first join that has its columns.
    private func rebuild(_ leaves: [LogicalPlan], _ conjuncts: [BoundExpression]) -> LogicalPlan {
        var pending = conjuncts
        var current = leaves[0]
        var available = Set(current.columns.map(\.id))
        for leaf in leaves.dropFirst() {
            available.formUnion(leaf.columns.map(\.id))
            let here = pending.filter { $0.columnIds.isSubset(of: available) }
            pending.removeAll { c in here.contains { $0.key == c.key } }
            let condition = BoundExpression.conjunction(here)
            current = .join(current, leaf, kind: condition == nil ? .cross : .inner, condition: condition, mark: nil)
        }
        if let rest = BoundExpression.conjunction(pending) { current = .filter(current, rest) }
        return current
    }
}
