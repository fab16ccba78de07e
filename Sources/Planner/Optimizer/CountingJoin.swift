import Storage
import Execution

/// Fan-out joins under GROUP BY without enumerating the pairs (factorised counting). When an aggregate over an
/// inner equi-join reads nothing of one join input except its join keys, and each aggregate gives the same answer
/// whether a row of the other input appears once or k times (`min`, `max`, `bool_and` / `bool_or`, `arbitrary`,
/// the bitwise aggregates, `approx_distinct`, any DISTINCT aggregate) or counts rows (`count(*)`, `count(x)`), the
/// join becomes a counting join (`LogicalJoinKind.count`): each row of the read input comes out once, with its
/// number of matches in a new BIGINT column, and `count(*)` becomes `sum(matches)` (`count(x)` the same, filtered on
/// `x IS NOT NULL`). A self-join on a key with ~1,000 rows per value then emits one row per input row instead of
/// ~1,000. Only with GROUP BY keys: over no groups `count(*)` of nothing is 0 where `sum` would be NULL.
struct CountingJoin: OptimizerRule {
    let name = "counting_join"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        plan.transformedUp { node in
            guard case let .aggregate(input, groups, aggregates) = node, !groups.isEmpty,
                  aggregates.allSatisfy({ Self.ignoresRepeats($0.call) || Self.counts($0.call) }) else { return node }
            return rewrite(input, groups, aggregates) ?? node
        }
    }

    /// Whether repeating every input row k times leaves the aggregate's value unchanged.
    static func ignoresRepeats(_ call: AggregateCall) -> Bool {
        if call.distinct && call.kind != .countStar { return true }
        switch call.kind {
        case .min, .max, .boolAnd, .boolOr, .arbitrary, .bitwiseAnd, .bitwiseOr, .approxDistinct: return true
        default: return false
        }
    }

    /// `count(*)` or `count(x)` without DISTINCT: rewritten as a sum of the match counts.
    static func counts(_ call: AggregateCall) -> Bool {
        !call.distinct && (call.kind == .countStar || (call.kind == .count && call.arguments.count == 1))
    }

    private func rewrite(_ input: LogicalPlan, _ groups: [ProjectItem], _ aggregates: [AggregateItem]) -> LogicalPlan? {
        var read = Set<Int>()
        for g in groups { read.formUnion(g.expression.columnIds) }
        for a in aggregates {
            for e in a.call.arguments { read.formUnion(e.columnIds) }
            if let f = a.call.filter { read.formUnion(f.columnIds) }
        }
        var projection: [ProjectItem]? = nil
        var join = input
        if case let .project(inner, items) = input {
            projection = items
            join = inner
            read = items.reduce(into: Set<Int>()) { $0.formUnion($1.expression.columnIds) }
        }
        // A subquery's correlated references are not in `columnIds`: what it reads cannot be told, so leave it.
        let expressions = groups.map(\.expression) + aggregates.flatMap { $0.call.arguments + ($0.call.filter.map { [$0] } ?? []) }
            + (projection ?? []).map(\.expression)
        guard !expressions.contains(where: \.containsSubquery) else { return nil }
        guard case let .join(l, r, .inner, condition?, nil) = join else { return nil }
        let leftIds = Set(l.columns.map(\.id)), rightIds = Set(r.columns.map(\.id))
        guard Self.isEquiJoin(condition, leftIds, rightIds) else { return nil }
        let probe: LogicalPlan, build: LogicalPlan
        if read.isDisjoint(with: rightIds) {
            (probe, build) = (l, r)
        } else if read.isDisjoint(with: leftIds) {
            (probe, build) = (r, l)
        } else {
            return nil
        }
        let matches = PlanColumn(id: OptimizerColumnIds.make(), name: "matches", type: .bigint)
        var counted: LogicalPlan = .join(probe, build, kind: .count, condition: condition, mark: matches)
        if let projection {
            counted = .project(counted, projection + [ProjectItem(expression: .column(matches.id, .bigint), column: matches)])
        }
        // A sum over rows its FILTER rejects is NULL where the count was 0: those come out under a new id and a projection
        // gives the original column coalesce(sum, 0).
        var zeroWhenNull: [Int: PlanColumn] = [:]
        let rewritten = aggregates.map { item -> AggregateItem in
            guard Self.counts(item.call) else { return item }
            var call = item.call
            if call.kind == .count, let argument = call.arguments.first {
                let present = BoundExpression.isNull(argument, negated: true)
                call.filter = call.filter.map { .and([$0, present]) } ?? present
            }
            call.kind = .sum
            call.arguments = [.column(matches.id, .bigint)]
            call.resultType = .bigint
            guard call.filter != nil else { return AggregateItem(call: call, column: item.column) }
            var sum = item.column
            sum.id = OptimizerColumnIds.make()
            zeroWhenNull[sum.id] = item.column
            return AggregateItem(call: call, column: sum)
        }
        let aggregate = LogicalPlan.aggregate(counted, groups: groups, aggregates: rewritten)
        if zeroWhenNull.isEmpty { return aggregate }
        return .project(aggregate, aggregate.columns.map { column in
            guard let original = zeroWhenNull[column.id] else { return ProjectItem(expression: .column(column.id, column.type), column: column) }
            return ProjectItem(expression: .coalesce([.column(column.id, .bigint), .constant(.bigint(0), .bigint)], .bigint), column: original)
        })
    }

    /// Every conjunct is `expression over one input = expression over the other` (what the hash join takes as keys).
    static func isEquiJoin(_ condition: BoundExpression, _ leftIds: Set<Int>, _ rightIds: Set<Int>) -> Bool {
        let conjuncts = condition.conjuncts
        guard !conjuncts.isEmpty else { return false }
        return conjuncts.allSatisfy { c in
            guard case let .call(fn, args, _) = c, fn.name == "=", args.count == 2, !c.containsSubquery else { return false }
            let a = args[0].columnIds, b = args[1].columnIds
            guard !a.isEmpty, !b.isEmpty else { return false }
            return (a.isSubset(of: leftIds) && b.isSubset(of: rightIds)) || (a.isSubset(of: rightIds) && b.isSubset(of: leftIds))
        }
    }
}
