import Storage
import Execution

/// Moves filter conjuncts as close to the scans as they can go: through projections (substituting the
/// projected expressions), into join inputs or join conditions (so `FROM a, b WHERE a.x = b.y` becomes
/// a hash join), below aggregates when they only read grouping keys, and into scans, where comparisons
/// with constants also skip row groups by their statistics. An OR across both inputs of an inner join also
/// sends each input the part of every branch that reads only that input (see `implied`).
struct PredicatePushdown: OptimizerRule {
    let name = "predicate_pushdown"

    /// For `(a1 AND b1) OR (a2 AND b2)` where the a_i read only columns in `side`: `a1 OR a2`, which the OR
    /// implies, so it may filter that side before the join while the OR itself stays above (TPC-H Q7's two
    /// nations, Q19's part and lineitem conditions). Nil when some branch has no such conjunct.
    static func implied(_ p: BoundExpression, on side: Set<Int>) -> BoundExpression? {
        guard case let .or(branches) = p, branches.count > 1 else { return nil }
        var parts: [BoundExpression] = []
        for branch in branches {
            let mine = branch.conjuncts.filter { c in
                let ids = c.columnIds
                return !ids.isEmpty && ids.isSubset(of: side) && !c.containsSubquery
            }
            guard let conjunction = BoundExpression.conjunction(mine) else { return nil }
            parts.append(conjunction)
        }
        return .or(parts)
    }

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        push(plan, [])
    }

    static func isConstantTrue(_ e: BoundExpression) -> Bool {
        if case let .constant(v, _) = e, case .boolean(true) = v { return true }
        return false
    }

    private func wrap(_ plan: LogicalPlan, _ preds: [BoundExpression]) -> LogicalPlan {
        guard let c = BoundExpression.conjunction(preds) else { return plan }
        return .filter(plan, c)
    }

    private func pushable(_ e: BoundExpression) -> Bool {
        var ok = true
        e.forEachNode { n in
            if case let .call(fn, _, _) = n, !fn.isDeterministic { ok = false }
        }
        return ok
    }

    private func push(_ plan: LogicalPlan, _ preds: [BoundExpression]) -> LogicalPlan {
        switch plan {
        case let .filter(input, p):
            // A conjunct that is the constant TRUE (`WHERE TRUE AND …`, a dashboard's optional filters left out,
            // `1 = 1` after constant folding) keeps every row: dropped, so no scan evaluates it per row and the
            // scan stays unfiltered for the fused aggregate paths.
            return push(input, preds + p.conjuncts.filter { !Self.isConstantTrue($0) })

        case var .scan(node):
            let ids = Set(node.columns.map(\.id))
            var stay: [BoundExpression] = []
            for p in preds {
                if p.columnIds.isSubset(of: ids) && !p.containsSubquery { node.filters.append(p) } else { stay.append(p) }
            }
            return wrap(.scan(node), stay)

        case let .project(input, items):
            var substitution: [Int: BoundExpression] = [:]
            for item in items where pushable(item.expression) && !item.expression.containsSubquery {
                substitution[item.column.id] = item.expression
            }
            var down: [BoundExpression] = [], stay: [BoundExpression] = []
            for p in preds {
                if pushable(p), p.columnIds.allSatisfy({ substitution[$0] != nil }) {
                    down.append(p.transformed { n in
                        if case let .column(id, _) = n { return substitution[id] }
                        return nil
                    })
                } else { stay.append(p) }
            }
            return wrap(.project(push(input, down), items), stay)

        case let .join(l, r, kind, condition, mark):
            let lids = Set(l.columns.map(\.id)), rids = Set(r.columns.map(\.id))
            var toLeft: [BoundExpression] = [], toRight: [BoundExpression] = [], toCondition: [BoundExpression] = [], stay: [BoundExpression] = []
            let conditionConjuncts = condition?.conjuncts ?? []
            switch kind {
            case .inner, .cross:
                for p in preds + conditionConjuncts {
                    let ids = p.columnIds
                    if !pushable(p) || p.containsSubquery {
                        if conditionConjuncts.contains(where: { $0.key == p.key }) { toCondition.append(p) } else { stay.append(p) }
                        continue
                    }
                    if ids.isSubset(of: lids) { toLeft.append(p) }
                    else if ids.isSubset(of: rids) { toRight.append(p) }
                    else {
                        toCondition.append(p)
                        if let implied = Self.implied(p, on: lids) { toLeft.append(implied) }
                        if let implied = Self.implied(p, on: rids) { toRight.append(implied) }
                    }
                }
                let newKind: LogicalJoinKind = toCondition.isEmpty ? kind : .inner
                return wrap(.join(push(l, toLeft), push(r, toRight), kind: newKind == .cross && !toCondition.isEmpty ? .inner : newKind,
                                  condition: BoundExpression.conjunction(toCondition), mark: mark), stay)
            case .left, .semi, .anti, .nullAwareAnti, .mark, .count:
                for p in preds {
                    if pushable(p), !p.containsSubquery, p.columnIds.isSubset(of: lids) { toLeft.append(p) } else { stay.append(p) }
                }
                var keep: [BoundExpression] = []
                for c in conditionConjuncts {
                    if pushable(c), !c.containsSubquery, !c.columnIds.isEmpty, c.columnIds.isSubset(of: rids) { toRight.append(c) } else { keep.append(c) }
                }
                return wrap(.join(push(l, toLeft), push(r, toRight), kind: kind, condition: BoundExpression.conjunction(keep), mark: mark), stay)
            case .right:
                for p in preds {
                    if pushable(p), !p.containsSubquery, p.columnIds.isSubset(of: rids) { toRight.append(p) } else { stay.append(p) }
                }
                var keep: [BoundExpression] = []
                for c in conditionConjuncts {
                    if pushable(c), !c.containsSubquery, !c.columnIds.isEmpty, c.columnIds.isSubset(of: lids) { toLeft.append(c) } else { keep.append(c) }
                }
                return wrap(.join(push(l, toLeft), push(r, toRight), kind: kind, condition: BoundExpression.conjunction(keep), mark: mark), stay)
            case .full:
                return wrap(.join(push(l, []), push(r, []), kind: kind, condition: condition, mark: mark), preds)
            }

        case let .aggregate(input, groups, aggregates):
            var substitution: [Int: BoundExpression] = [:]
            for g in groups { substitution[g.column.id] = g.expression }
            var down: [BoundExpression] = [], stay: [BoundExpression] = []
            for p in preds {
                if pushable(p), !p.containsSubquery, !p.columnIds.isEmpty, p.columnIds.allSatisfy({ substitution[$0] != nil }) {
                    down.append(p.transformed { n in
                        if case let .column(id, _) = n { return substitution[id] }
                        return nil
                    })
                } else { stay.append(p) }
            }
            return wrap(.aggregate(push(input, down), groups: groups, aggregates: aggregates), stay)

        case let .sort(input, keys):
            return .sort(push(input, preds), keys)
        case let .distinct(input):
            return .distinct(push(input, preds))
        default:
            // Barriers (limit, top-N, window, set operations, values): optimise below, keep filters above.
            let newInputs = plan.inputs.map { push($0, []) }
            return wrap(newInputs.isEmpty ? plan : plan.withInputs(newInputs), preds)
        }
    }
}
