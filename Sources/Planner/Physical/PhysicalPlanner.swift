import Foundation
import Storage
import Execution

/// Turns an optimised logical plan into physical operators. Logical expressions name columns by id;
/// here each becomes the column's position in its input batch.
public enum PhysicalPlanner {
    public struct Result {
        public let op: PhysicalOperator
        /// Column id at each output position.
        public let layout: [Int]
    }

    /// Plans `plan`; with `outputIds`, the output is projected to exactly those columns in that order.
    public static func plan(_ original: LogicalPlan, outputIds: [Int]? = nil) throws -> Result {
        let plan = ArrayKeyRewrite.apply(original)
        try UnorderableKeyCheck.validate(plan)
        let r = try build(plan)
        guard let outputIds, outputIds != r.layout else { return r }
        let positions = positionMap(r.layout)
        let types = plan.columns.reduce(into: [Int: DataType]()) { $0[$1.id] = $1.type }
        let exprs = try outputIds.map { id -> BoundExpression in
            guard let p = positions[id], let t = types[id] else { throw TarnError(.internal, "output column #\(id) missing from plan") }
            return .column(p, t)
        }
        return Result(op: ProjectionOperator(child: r.op, expressions: exprs), layout: outputIds)
    }

    static func positionMap(_ layout: [Int]) -> [Int: Int] {
        var m: [Int: Int] = [:]
        for (i, id) in layout.enumerated() where m[id] == nil { m[id] = i }
        return m
    }

    /// Rewrites column ids to positions in `layout`.
    static func remap(_ e: BoundExpression, _ layout: [Int: Int]) throws -> BoundExpression {
        try e.transformed { node in
            if case let .column(id, t) = node {
                guard let p = layout[id] else { throw TarnError(.internal, "column #\(id) is not available here") }
                return .column(p, t)
            }
            return nil
        }
    }

    private static func remap(_ k: SortKey, _ layout: [Int: Int]) throws -> SortKey {
        SortKey(expression: try remap(k.expression, layout), ascending: k.ascending, nullsFirst: k.nullsFirst)
    }

    /// Builds `plan`'s operators; the top one records the node's row estimate for EXPLAIN ANALYZE (computed only
    /// when printed).
    private static func build(_ plan: LogicalPlan) throws -> Result {
        let result = try buildNode(plan)
        result.op.statistics.setEstimate { plan.estimatedRows }
        return result
    }

    private static func buildNode(_ plan: LogicalPlan) throws -> Result {
        switch plan {
        case let .scan(node):
            let layout = positionMap(node.columns.map(\.id))
            let filter = try BoundExpression.conjunction(node.filters).map { try remap($0, layout) }
            // Conjunct k of the filter is node.filters[k] (`conjunction` does not flatten), so each statistics
            // predicate names the conjunct it states, which the scan skips where statistics prove it.
            var predicates: [ColumnPredicate] = []
            var predicateConjuncts: [Int] = []
            for (k, f) in node.filters.enumerated() {
                guard let p = StatisticsPredicates.predicate(from: f, columns: node.columns, tableColumns: node.tableColumns) else { continue }
                predicates.append(p)
                predicateConjuncts.append(k)
            }
            let op = TableScanOperator(snapshot: node.snapshot, columns: node.tableColumns, predicates: predicates, filter: filter,
                                       predicateConjuncts: predicateConjuncts)
            return Result(op: op, layout: node.columns.map(\.id))

        case let .values(columns, batches, _):
            return Result(op: ValuesOperator(types: columns.map(\.type), batches: batches), layout: columns.map(\.id))

        case let .external(columns, _, factory):
            return Result(op: try factory.make(), layout: columns.map(\.id))

        case let .filter(input, predicate):
            let child: Result
            if case let .external(columns, _, factory) = input, let skipping = factory.filter {
                // A source that skips data by statistics (read_parquet) gets the filter's `column op constant`
                // conjuncts; the filter itself still runs on what it returns.
                let predicates = predicate.conjuncts.compactMap {
                    StatisticsPredicates.predicate(from: $0, columns: columns, tableColumns: Array(columns.indices))
                }
                child = predicates.isEmpty ? try build(input) : Result(op: try skipping(predicates).make(), layout: columns.map(\.id))
            } else {
                child = try build(input)
            }
            let op = FilterOperator(child: child.op, predicate: try remap(predicate, positionMap(child.layout)))
            return Result(op: op, layout: child.layout)

        case let .project(input, items):
            let child = try build(input)
            let m = positionMap(child.layout)
            let op = ProjectionOperator(child: child.op, expressions: try items.map { try remap($0.expression, m) })
            return Result(op: op, layout: items.map(\.column.id))

        case let .aggregate(input, groups, aggregates):
            let child = try build(input)
            let m = positionMap(child.layout)
            let calls = try aggregates.map { item -> AggregateCall in
                var c = item.call
                c.arguments = try c.arguments.map { try remap($0, m) }
                c.filter = try c.filter.map { try remap($0, m) }
                return c
            }
            if groups.isEmpty, let fused = ScanAggregateOperator.make(child: child.op, aggregates: calls) {
                return Result(op: fused, layout: aggregates.map(\.column.id))
            }
            let op = HashAggregateOperator(child: child.op, groupKeys: try groups.map { try remap($0.expression, m) }, aggregates: calls)
            return Result(op: op, layout: groups.map(\.column.id) + aggregates.map(\.column.id))

        case let .join(l, r, kind, condition, mark):
            return try buildJoin(l, r, kind, condition, mark)

        case let .sort(input, keys):
            let child = try buildOrdered(input, keys)
            let m = positionMap(child.layout)
            return Result(op: SortOperator(child: child.op, keys: try keys.map { try remap($0, m) }), layout: child.layout)

        case let .topN(input, keys, limit, offset):
            let child = try buildOrdered(input, keys)
            let m = positionMap(child.layout)
            return Result(op: TopNOperator(child: child.op, keys: try keys.map { try remap($0, m) }, limit: limit, offset: offset), layout: child.layout)

        case let .limit(input, limit, offset):
            let child = try build(input)
            return Result(op: LimitOperator(child: child.op, limit: limit, offset: offset), layout: child.layout)

        case let .window(input, items):
            let child = try build(input)
            let m = positionMap(child.layout)
            let calls = try items.map { item -> WindowCall in
                var c = item.call
                c.arguments = try c.arguments.map { try remap($0, m) }
                c.partitionBy = try c.partitionBy.map { try remap($0, m) }
                c.orderBy = try c.orderBy.map { try remap($0, m) }
                return c
            }
            return Result(op: WindowOperator(child: child.op, calls: calls), layout: child.layout + items.map(\.column.id))

        case let .unionAll(children, columns):
            let ops = try children.map { child -> PhysicalOperator in
                let ids = child.columns.filter { !$0.hidden }.map(\.id)
                return try Self.plan(child, outputIds: ids).op
            }
            return Result(op: UnionAllOperator(children: ops), layout: columns.map(\.id))

        case let .setOperation(intersect, all, l, r, columns):
            let lo = try Self.plan(l, outputIds: l.columns.filter { !$0.hidden }.map(\.id)).op
            let ro = try Self.plan(r, outputIds: r.columns.filter { !$0.hidden }.map(\.id)).op
            let op = SetOperationOperator(left: lo, right: ro, kind: intersect ? .intersect : .except, all: all)
            return Result(op: op, layout: columns.map(\.id))

        case let .distinct(input):
            let child = try build(input)
            return Result(op: DistinctOperator(child: child.op), layout: child.layout)

        case let .unnest(input, node):
            let child = try build(input)
            let m = positionMap(child.layout)
            let op = UnnestOperator(child: child.op, arrays: try node.arrays.map { try remap($0, m) }, ordinality: node.ordinality)
            return Result(op: op, layout: child.layout + node.columns.map(\.id))
        }
    }

    /// The input of an ORDER BY (sort or top-N) with `keys`. `SELECT DISTINCT …` whose every output column is a sort
    /// key becomes a hash aggregate grouping on all its columns with no aggregates: the same rows (both group with the
    /// same key tables, NULLs equal), and as the keys order every distinct row, the order in which they arrive cannot
    /// show; the aggregate reads a scan pipeline on all workers where `DistinctOperator` streams on one thread, and it
    /// spills under `memory_limit`.
    private static func buildOrdered(_ input: LogicalPlan, _ keys: [SortKey]) throws -> Result {
        guard case let .distinct(inner) = input else { return try build(input) }
        let child = try build(inner)
        var sorted = Set<Int>()
        for key in keys { if case let .column(id, _) = key.expression { sorted.insert(id) } }
        guard !child.layout.isEmpty, child.layout.allSatisfy(sorted.contains) else {
            return Result(op: DistinctOperator(child: child.op), layout: child.layout)
        }
        let groupKeys = child.op.outputTypes.enumerated().map { BoundExpression.column($0.offset, $0.element) }
        return Result(op: HashAggregateOperator(child: child.op, groupKeys: groupKeys, aggregates: []), layout: child.layout)
    }

    private static func buildJoin(_ l: LogicalPlan, _ r: LogicalPlan, _ kind: LogicalJoinKind, _ condition: BoundExpression?, _ mark: PlanColumn?) throws -> Result {
        let left = try build(l), right = try build(r)
        let lm = positionMap(left.layout), rm = positionMap(right.layout)
        let leftIds = Set(left.layout), rightIds = Set(right.layout)
        var leftKeys: [BoundExpression] = [], rightKeys: [BoundExpression] = [], residual: [BoundExpression] = []
        for c in condition?.conjuncts ?? [] {
            if case let .call(fn, args, _) = c, fn.name == "=", args.count == 2, !c.containsSubquery {
                let a = args[0].columnIds, b = args[1].columnIds
                if !a.isEmpty, !b.isEmpty, a.isSubset(of: leftIds), b.isSubset(of: rightIds) {
                    leftKeys.append(try remap(args[0], lm)); rightKeys.append(try remap(args[1], rm)); continue
                }
                if !a.isEmpty, !b.isEmpty, b.isSubset(of: leftIds), a.isSubset(of: rightIds) {
                    leftKeys.append(try remap(args[1], lm)); rightKeys.append(try remap(args[0], rm)); continue
                }
            }
            residual.append(c)
        }
        let combined = left.layout + right.layout
        let cm = positionMap(combined)
        let residualExpr = try BoundExpression.conjunction(residual).map { try remap($0, cm) }
        let physicalKind: PhysicalJoinKind
        var nullAware = false
        switch kind {
        case .inner, .cross: physicalKind = .inner
        case .left: physicalKind = .left
        case .right: physicalKind = .right
        case .full: physicalKind = .full
        case .semi: physicalKind = .semi
        case .anti: physicalKind = .anti
        case .nullAwareAnti: physicalKind = .anti; nullAware = true
        case .mark: physicalKind = .mark
        case .count: physicalKind = .count
        }
        let layout: [Int]
        switch kind {
        case .semi, .anti, .nullAwareAnti: layout = left.layout
        case .mark, .count: layout = left.layout + (mark.map { [$0.id] } ?? [])
        default: layout = combined
        }
        if kind == .count, leftKeys.isEmpty || !residual.isEmpty {
            throw TarnError(.internal, "a counting join needs equality keys and nothing else in its condition")
        }
        if leftKeys.isEmpty {
            let cond = try condition.map { try remap($0, cm) }
            let op = NestedLoopJoinOperator(left: left.op, right: right.op, kind: physicalKind, condition: cond, nullAware: nullAware)
            return Result(op: op, layout: layout)
        }
        // A semi / anti join whose left input is much smaller than its right hashes the left side instead
        // (TPC-H Q4, Q21, Q22: a few thousand orders or customers against millions of lineitem / orders rows).
        if (kind == .semi || kind == .anti), l.estimatedRows * 2 < r.estimatedRows {
            let swapped = right.layout + left.layout
            let swappedResidual = try BoundExpression.conjunction(residual).map { try remap($0, positionMap(swapped)) }
            let op = HashJoinOperator(left: right.op, right: left.op, kind: kind == .semi ? .rightSemi : .rightAnti,
                                      leftKeys: rightKeys, rightKeys: leftKeys, residual: swappedResidual)
            RuntimeFilterPlanning.attach(op)
            return Result(op: op, layout: left.layout)
        }
        let op = HashJoinOperator(left: left.op, right: right.op, kind: physicalKind, leftKeys: leftKeys, rightKeys: rightKeys,
                                  residual: residualExpr, nullAware: nullAware)
        RuntimeFilterPlanning.attach(op)
        return Result(op: op, layout: layout)
    }
}

/// Turns pushed-down scan filters of the form `column op constant` into statistics predicates.
enum StatisticsPredicates {
    /// The column an operand reads: a bare column, or a DECIMAL column widened to a larger precision at the same
    /// scale (`amount > 50` on DECIMAL(10,2) compares `cast(amount as DECIMAL(12,2))`; the unscaled values are equal).
    static func column(_ e: BoundExpression) -> Int? {
        switch e {
        case let .column(id, _): return id
        case let .cast(.column(id, .decimal(p1, s1)), .decimal(p2, s2), _) where s1 == s2 && p2 >= p1: return id
        default: return nil
        }
    }

    /// The most conditions an IN list or OR / AND becomes a predicate with: each is checked per row group, and a
    /// longer list (a 100,000-value IN) is evaluated by the filter alone.
    static let maxOperands = 1_000

    static func predicate(from e: BoundExpression, columns: [PlanColumn], tableColumns: [Int]) -> ColumnPredicate? {
        func tableColumn(_ id: Int) -> Int? {
            guard let i = columns.firstIndex(where: { $0.id == id }) else { return nil }
            return tableColumns[i]
        }
        switch e {
        case let .inList(x, list, negated):
            // `x IN (a, b)` is `x = a OR x = b`, `x NOT IN (a, b)` is `x <> a AND x <> b` (no NULL among the constants).
            guard !list.isEmpty, list.count <= maxOperands, let id = column(x), let c = tableColumn(id) else { return nil }
            var operands: [ColumnPredicate] = []
            for item in list {
                guard case let .constant(v, _) = item, !v.isNull else { return nil }
                operands.append(ColumnPredicate(column: c, comparison: negated ? .notEqual : .equal, value: v))
            }
            return ColumnPredicate(column: c, combining: negated ? .allOf : .anyOf, operands)
        case let .or(parts), let .and(parts):
            // Every part a condition on the same column, so the combination states `e` exactly.
            let combining: ColumnPredicate.Comparison
            if case .or = e { combining = .anyOf } else { combining = .allOf }
            var operands: [ColumnPredicate] = []
            for part in parts {
                guard let p = predicate(from: part, columns: columns, tableColumns: tableColumns),
                      operands.first.map({ $0.column == p.column }) ?? true else { return nil }
                if p.comparison == combining { operands += p.operands } else { operands.append(p) }
            }
            guard let first = operands.first, operands.count <= maxOperands else { return nil }
            return operands.count == 1 ? first : ColumnPredicate(column: first.column, combining: combining, operands)
        case let .isNull(.column(id, _), negated):
            guard let c = tableColumn(id) else { return nil }
            return ColumnPredicate(column: c, comparison: negated ? .isNotNull : .isNull)
        case let .call(fn, args, _) where args.count == 2:
            guard let op = ColumnPredicate.Comparison(operatorName: fn.name) else { return nil }
            if let id = column(args[0]), case let .constant(v, _) = args[1], !v.isNull, let c = tableColumn(id) {
                return ColumnPredicate(column: c, comparison: op, value: v)
            }
            if case let .constant(v, _) = args[0], let id = column(args[1]), !v.isNull, let c = tableColumn(id) {
                return ColumnPredicate(column: c, comparison: op.flipped, value: v)
            }
            return nil
        default:
            return nil
        }
    }
}
