import Storage
import Execution

/// Removes columns no one reads: scans read only the columns the query uses, and projections and
/// aggregates drop outputs nothing above them needs.
struct ProjectionPushdown: OptimizerRule {
    let name = "projection_pushdown"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        prune(plan, Set(plan.columns.map(\.id)))
    }

    private func ids(_ es: [BoundExpression]) -> Set<Int> {
        es.reduce(into: Set<Int>()) { $0.formUnion($1.columnIds) }
    }

    /// A join input without the columns nothing above reads: a filtered scan keeps the columns its filter reads (TPC-H
    /// Q13's `o_comment`), and a join would otherwise carry them into its build table and gather them for every pair.
    /// Only under joins: an aggregate straight over a filtered scan evaluates the filter as a selection instead.
    private func narrowed(_ input: LogicalPlan, _ need: Set<Int>) -> LogicalPlan {
        let columns = input.columns
        guard columns.contains(where: { !need.contains($0.id) }) else { return input }
        var kept = columns.filter { need.contains($0.id) }
        if kept.isEmpty, let first = columns.first { kept = [first] }
        return .project(input, kept.map { ProjectItem(expression: .column($0.id, $0.type), column: $0) })
    }

    private func prune(_ plan: LogicalPlan, _ required: Set<Int>) -> LogicalPlan {
        switch plan {
        case var .scan(node):
            let needed = required.union(ids(node.filters))
            var keep = node.columns.indices.filter { needed.contains(node.columns[$0].id) }
            if keep.isEmpty, !node.columns.isEmpty {
                // Row counts still flow: read the cheapest column.
                let narrow = node.columns.indices.min { cost(node.columns[$0].type) < cost(node.columns[$1].type) } ?? 0
                keep = [narrow]
            }
            node.columns = keep.map { node.columns[$0] }
            node.tableColumns = keep.map { node.tableColumns[$0] }
            return .scan(node)

        case let .project(input, items):
            var kept = items.filter { required.contains($0.column.id) }
            if kept.isEmpty, let first = items.first { kept = [first] }
            return .project(prune(input, ids(kept.map(\.expression))), kept)

        case let .filter(input, p):
            return .filter(prune(input, required.union(p.columnIds)), p)

        case let .aggregate(input, groups, aggregates):
            let kept = aggregates.filter { required.contains($0.column.id) }
            var need = ids(groups.map(\.expression))
            for a in kept {
                need.formUnion(ids(a.call.arguments))
                if let f = a.call.filter { need.formUnion(f.columnIds) }
            }
            return .aggregate(prune(input, need), groups: groups, aggregates: kept)

        case let .join(l, r, kind, condition, mark):
            var need = required
            if let c = condition { need.formUnion(c.columnIds) }
            let lids = Set(l.columns.map(\.id)), rids = Set(r.columns.map(\.id))
            return .join(narrowed(prune(l, need.intersection(lids)), need), narrowed(prune(r, need.intersection(rids)), need),
                         kind: kind, condition: condition, mark: mark)

        case let .sort(input, keys):
            return .sort(prune(input, required.union(ids(keys.map(\.expression)))), keys)
        case let .topN(input, keys, l, o):
            return .topN(prune(input, required.union(ids(keys.map(\.expression)))), keys, limit: l, offset: o)
        case let .limit(input, l, o):
            return .limit(prune(input, required), limit: l, offset: o)
        case let .window(input, items):
            var need = required
            for w in items {
                need.formUnion(ids(w.call.arguments + w.call.partitionBy + w.call.orderBy.map(\.expression)))
            }
            return .window(prune(input, need.subtracting(items.map(\.column.id))), items)
        case let .distinct(input):
            return .distinct(prune(input, Set(input.columns.map(\.id))))
        case let .unnest(input, node):
            let inputIds = Set(input.columns.map(\.id))
            return .unnest(prune(input, required.intersection(inputIds).union(ids(node.arrays))), node)
        case let .unionAll(children, columns):
            return .unionAll(children.map { prune($0, Set($0.columns.map(\.id))) }, columns: columns)
        case let .setOperation(i, a, l, r, columns):
            return .setOperation(intersect: i, all: a, prune(l, Set(l.columns.map(\.id))), prune(r, Set(r.columns.map(\.id))), columns: columns)
        case let .external(columns, label, factory):
            // A table function that can read fewer columns (read_parquet) is asked for only the needed ones.
            guard let project = factory.project else { return plan }
            let keep = columns.indices.filter { required.contains(columns[$0].id) }
            if keep.count == columns.count { return plan }
            return .external(columns: keep.map { columns[$0] }, label: label, factory: project(keep))
        case .values:
            return plan
        }
    }

    private func cost(_ t: DataType) -> Int {
        switch t.physical {
        case .bool: return 1
        case .int32: return 4
        case .int64, .double: return 8
        case .int128: return 16
        case .string: return 16
        case .list, .fields: return 32
        }
    }
}
