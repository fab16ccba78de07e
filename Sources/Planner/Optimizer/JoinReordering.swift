import Execution

/// Reorders a tree of inner and cross joins left-deep: start from the relation with the most rows before
/// filters (the fact table), then repeatedly join the connected relation whose filters keep the smallest
/// fraction of its rows (a filtered dimension shrinks the fact rows early; unfiltered ones are joined
/// smallest first), placing each conjunct at the lowest join that has all its columns. Without it, joins
/// follow FROM order: `FROM part, supplier, lineitem WHERE …` cross-joins part × supplier, and TPC-H Q8
/// carried all 6M lineitem rows through supplier and nation before the part filter dropped 99 % of them.
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
        let collapsed = Self.collapseDimensionChains(&leaves, &conjuncts)
        let ids = leaves.map { Set($0.columns.map(\.id)) }
        let rows = leaves.map(\.estimatedRows)
        let base = leaves.map(Self.rowsBeforeFilters)
        let selectivity = leaves.map(Self.effectiveSelectivity)
        func connects(_ i: Int, to set: Set<Int>) -> Bool {
            conjuncts.contains { c in
                let used = c.columnIds
                return !used.isDisjoint(with: ids[i]) && !used.isDisjoint(with: set) && used.isSubset(of: set.union(ids[i]))
            }
        }
        var remaining = Set(leaves.indices)
        let first = leaves.indices.max { base[$0] < base[$1] || (base[$0] == base[$1] && $0 > $1) } ?? 0
        var order = [first]
        remaining.remove(first)
        var joined = ids[first]
        // Joined through an equality (a hash-join key), not just any predicate: Q7's OR over two nations
        // must not pull the second nation in as a nested-loop join.
        func equiConnects(_ i: Int, to set: Set<Int>) -> Bool {
            conjuncts.contains { c in
                guard case let .call(fn, args, _) = c, fn.name == "=", args.count == 2 else { return false }
                let a = args[0].columnIds, b = args[1].columnIds
                guard !a.isEmpty, !b.isEmpty else { return false }
                return (a.isSubset(of: set) && b.isSubset(of: ids[i])) || (b.isSubset(of: set) && a.isSubset(of: ids[i]))
            }
        }
        while !remaining.isEmpty {
            var connected = remaining.filter { equiConnects($0, to: joined) }
            if connected.isEmpty { connected = remaining.filter { connects($0, to: joined) } }
            let next: Int?
            if connected.isEmpty {
                next = remaining.min { rows[$0] < rows[$1] || (rows[$0] == rows[$1] && $0 < $1) }
            } else {
                next = connected.min {
                    (selectivity[$0], rows[$0], $0) < (selectivity[$1], rows[$1], $1)
                }
            }
            guard let next else { break }
            order.append(next)
            remaining.remove(next)
            joined.formUnion(ids[next])
        }
        if order == Array(leaves.indices) && !collapsed { return plan.withInputs(plan.inputs.map(reorder)) }
        return rebuild(order.map { leaves[$0] }, conjuncts)
    }

    /// Joins a filtered dimension into the one unfiltered relation it hangs off, before ordering: a leaf whose
    /// every join predicate reaches the same single other leaf (not the fact table, i.e. the leaf with the most
    /// rows) is joined to it as its build side, and the pair becomes one leaf carrying the filter's
    /// selectivity. Repeats, so `supplier ⋈ (nation ⋈ σ region)` forms for TPC-H Q5 and `supplier ⋈ σ nation`
    /// for Q21: the fact rows then meet one join that drops most of them, instead of passing through the
    /// unfiltered supplier join first (left-deep order cannot express that). Returns whether anything changed.
    static func collapseDimensionChains(_ leaves: inout [LogicalPlan], _ conjuncts: inout [BoundExpression]) -> Bool {
        var changed = false
        while leaves.count > 2 {
            let ids = leaves.map { Set($0.columns.map(\.id)) }
            let base = leaves.map(rowsBeforeFilters)
            let fact = leaves.indices.max { base[$0] < base[$1] || (base[$0] == base[$1] && $0 > $1) } ?? 0
            func touched(_ c: BoundExpression) -> [Int] {
                let used = c.columnIds
                return leaves.indices.filter { !used.isDisjoint(with: ids[$0]) }
            }
            let touches = conjuncts.map(touched)
            var merge: (dimension: Int, parent: Int)?
            for l in leaves.indices where l != fact && effectiveSelectivity(leaves[l]) < 1 {
                var partners = Set<Int>()
                var equi = false
                for (k, t) in touches.enumerated() where t.contains(l) {
                    partners.formUnion(t.filter { $0 != l })
                    if case let .call(fn, args, _) = conjuncts[k], fn.name == "=", args.count == 2 { equi = true }
                }
                guard equi, partners.count == 1, let p = partners.first, p != fact,
                      effectiveSelectivity(leaves[p]) >= 1, base[l] <= base[p] else { continue }
                merge = (l, p)
                break
            }
            guard let (l, p) = merge else { break }
            let inner = conjuncts.indices.filter { touches[$0].contains(l) }
            let condition = BoundExpression.conjunction(inner.map { conjuncts[$0] })
            let keep = Set(conjuncts.indices).subtracting(inner).sorted()
            conjuncts = keep.map { conjuncts[$0] }
            leaves[p] = .join(leaves[p], leaves[l], kind: condition == nil ? .cross : .inner, condition: condition, mark: nil)
            leaves.remove(at: l)
            changed = true
        }
        return changed
    }

    /// Fraction of its rows a leaf keeps: its filters', times the dimension filters joined into it.
    static func effectiveSelectivity(_ leaf: LogicalPlan) -> Double {
        if case let .join(l, r, .inner, _, _) = leaf { return effectiveSelectivity(l) * effectiveSelectivity(r) }
        return filterSelectivity(leaf)
    }

    /// Rows of a join leaf before its filters: the table's row count for a (filtered) scan.
    static func rowsBeforeFilters(_ leaf: LogicalPlan) -> Double {
        switch leaf {
        case let .scan(node): return Double(node.snapshot.rowCount)
        case let .filter(input, _), let .project(input, _): return rowsBeforeFilters(input)
        default: return leaf.estimatedRows
        }
    }

    /// Fraction of a leaf's rows its filters keep (`FilterSelectivity`, from the columns' statistics where the
    /// files have them); 1 for a leaf that is not a filtered scan.
    static func filterSelectivity(_ leaf: LogicalPlan) -> Double {
        switch leaf {
        case let .filter(input, predicate): return max(1e-6, input.selectivity(of: predicate.conjuncts) * filterSelectivity(input))
        case let .project(input, _): return filterSelectivity(input)
        case let .scan(scan): return scan.filters.isEmpty ? 1 : leaf.selectivity(of: scan.filters)
        default: return 1
        }
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
