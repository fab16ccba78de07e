import Foundation
import Storage
import SQL
import Execution

/// Binds one query (and, through children, its subqueries) into a logical plan.
///
/// A child binder created for a subquery resolves unknown column names in its parent's scope; each such
/// outer reference becomes a `.parameter(i)` whose value `outerExpressions[i]` is computed per outer row.
/// An *inline* child (a derived table or CTE) delegates outer references straight to its parent, because
/// its plan runs inside the parent's plan.
final class QueryBinder {
    let context: BinderContext
    let parent: QueryBinder?
    let parentScope: Scope?
    let inline: Bool
    /// Schema for unqualified names inside a view body (the view's own schema).
    let viewSchema: String?
    var ctes: [String: CommonTableExpression]
    private(set) var outerExpressions: [BoundExpression] = []
    private var outerKeys: [String: Int] = [:]

    init(context: BinderContext, parent: QueryBinder? = nil, parentScope: Scope? = nil, inline: Bool = false,
         viewSchema: String? = nil, ctes: [String: CommonTableExpression] = [:]) {
        self.context = context
        self.parent = parent
        self.parentScope = parentScope
        self.inline = inline
        self.viewSchema = viewSchema
        self.ctes = ctes
    }

    func newColumn(_ name: String, _ type: DataType, qualifier: String? = nil) -> PlanColumn {
        PlanColumn(id: context.ids.make(), name: name, type: type, qualifier: qualifier)
    }

    // MARK: correlation

    func resolveOuter(_ parts: [String]) throws -> BoundExpression? {
        guard let parent else { return nil }
        if inline { return try parent.resolveOuter(parts) }
        var outer: BoundExpression
        switch parentScope?.lookup(parts) ?? .missing {
        case let .found(c): outer = .column(c.id, c.type)
        case .ambiguous: throw TarnError.semantic("column reference '\(parts.joined(separator: "."))' is ambiguous")
        case .missing:
            guard let o = try parent.resolveOuter(parts) else { return nil }
            outer = o
        }
        let key = outer.key
        if let i = outerKeys[key] { return .parameter(i, outer.type) }
        let i = outerExpressions.count
        outerExpressions.append(outer)
        outerKeys[key] = i
        return .parameter(i, outer.type)
    }

    enum SubqueryMode { case scalar, exists(negated: Bool), inProbe(BoundExpression, negated: Bool) }

    func bindSubquery(_ query: Query, mode: SubqueryMode, from eb: ExpressionBinder, at loc: SourceLocation) throws -> BoundExpression {
        let child = QueryBinder(context: context, parent: self, parentScope: eb.scope, viewSchema: viewSchema, ctes: ctes)
        var plan = try child.bindQuery(query)
        let columns = plan.columns.filter { !$0.hidden }
        switch mode {
        case .scalar:
            guard columns.count == 1 else { throw eb.err("a scalar subquery must return exactly one column, not \(columns.count)", loc) }
            let ps = PlannedSubquery(plan: plan, mode: .scalar, outerExpressions: child.outerExpressions, resultType: columns[0].type)
            return .subquery(ps, columns[0].type)
        case let .exists(negated):
            let ps = PlannedSubquery(plan: plan, mode: .exists(negated: negated), outerExpressions: child.outerExpressions, resultType: .boolean)
            return .subquery(ps, .boolean)
        case let .inProbe(probe, negated):
            guard columns.count == 1 else { throw eb.err("an IN subquery must return exactly one column, not \(columns.count)", loc) }
            guard let common = try eb.commonType([probe.type, columns[0].type], at: loc)
                    ?? (context.settings.sqliteCompatible ? DataType.varchar : nil) else {
                throw eb.err("cannot compare \(probe.type) with \(columns[0].type) in IN", loc)
            }
            var probe = eb.cast(probe, to: common)
            if ArrayKeyEncoding.canKey(common) {
                // Arrays, rows and maps match through their keys, as in `x IN (a, b)`.
                let c = newColumn(columns[0].name, .varchar)
                let key = BoundExpression.call(ArrayKeyEncoding.keyFunction, [eb.cast(.column(columns[0].id, columns[0].type), to: common)], .varchar)
                plan = .project(plan, [ProjectItem(expression: key, column: c)])
                probe = eb.arrayKey(probe)
            } else if columns[0].type != common {
                let c = newColumn(columns[0].name, common)
                plan = .project(plan, [ProjectItem(expression: eb.cast(.column(columns[0].id, columns[0].type), to: common), column: c)])
            }
            let ps = PlannedSubquery(plan: plan, mode: .inSet(probe: probe, negated: negated),
                                     outerExpressions: child.outerExpressions, resultType: .boolean)
            return .subquery(ps, .boolean)
        }
    }

    // MARK: queries

    func bindQuery(_ q: Query) throws -> LogicalPlan {
        let saved = ctes
        defer { ctes = saved }
        var q = q
        if q.recursive { q = try materializingRecursiveCTEs(q) }
        for cte in q.with { ctes[cte.name.lowercased()] = cte }
        if case let .select(s) = q.body {
            return try bindSelect(s, orderBy: q.orderBy, limit: q.limit, offset: q.offset)
        }
        var plan = try bindBody(q.body)
        if !q.orderBy.isEmpty {
            let outputs = plan.columns
            var keys: [SortKey] = []
            for item in q.orderBy {
                let col = try outputColumn(for: item.expression, in: outputs, names: outputs.map(\.name))
                keys.append(sortKey(.column(col.id, col.type), item))
            }
            plan = .sort(plan, keys)
        }
        return try applyLimit(plan, q.limit, q.offset)
    }

    /// For ORDER BY of a set operation: an ordinal or an output name.
    private func outputColumn(for e: Expression, in outputs: [PlanColumn], names: [String]) throws -> PlanColumn {
        if case let .literal(.integer(t)) = e.kind, let k = Int(t) {
            guard k >= 1, k <= outputs.count else { throw err("ORDER BY position \(k) is not in the select list", e.location) }
            return outputs[k - 1]
        }
        if case let .column(parts) = e.kind, let n = parts.last?.lowercased(),
           let i = names.firstIndex(where: { $0.lowercased() == n }) {
            return outputs[i]
        }
        throw err("ORDER BY of a UNION/INTERSECT/EXCEPT must name an output column or position", e.location)
    }

    func sortKey(_ e: BoundExpression, _ item: OrderItem) -> SortKey {
        // Trino and DuckDB: NULLS LAST by default for ASC and DESC; SQLite mode: NULLs sort as the smallest value.
        let nullsFirst = item.nullsFirst ?? (context.settings.sqliteCompatible ? item.ascending : false)
        return SortKey(expression: e, ascending: item.ascending, nullsFirst: nullsFirst)
    }

    func applyLimit(_ plan: LogicalPlan, _ limit: Expression?, _ offset: Expression?) throws -> LogicalPlan {
        let l = try limit.map { try constantCount($0, "LIMIT") } ?? nil
        let o = try offset.map { try constantCount($0, "OFFSET") } ?? nil
        if l == nil && (o ?? 0) == 0 { return plan }
        return .limit(plan, limit: l, offset: o ?? 0)
    }

    private func constantCount(_ e: Expression, _ what: String) throws -> Int? {
        let eb = ExpressionBinder(binder: self, scope: Scope([]))
        let b = try eb.bind(e)
        let v = try ConstantEvaluator.evaluate(b)
        if v.isNull { return nil }
        guard let n = v.int64Value ?? v.doubleValue.map({ Int64($0) }), n >= 0, n <= Int64(Int.max) else {
            throw err("\(what) must be a non-negative integer", e.location)
        }
        return Int(n)
    }

    func bindBody(_ body: QueryBody) throws -> LogicalPlan {
        switch body {
        case let .select(s):
            return try bindSelect(s, orderBy: [], limit: nil, offset: nil)
        case let .nested(q):
            return try bindQuery(q)
        case let .values(rows):
            return try bindValues(rows)
        case let .setOperation(op, all, l, r):
            let left = try bindBody(l), right = try bindBody(r)
            let lc = left.columns, rc = right.columns
            guard lc.count == rc.count else {
                throw TarnError.semantic("\(op.rawValue) inputs have \(lc.count) and \(rc.count) columns; they must match")
            }
            let eb = ExpressionBinder(binder: self, scope: Scope([]))
            var types: [DataType] = []
            for (a, b) in zip(lc, rc) {
                // A side that is only untyped NULLs takes the other side's type (`SELECT NULL UNION SELECT DATE …`).
                let leftType = left.producesOnlyUntypedNulls(a.id) ? DataType.null : a.type
                let rightType = right.producesOnlyUntypedNulls(b.id) ? DataType.null : b.type
                guard let t = try eb.commonType([leftType, rightType], at: .unknown) else {
                    throw TarnError.semantic("\(op.rawValue) column '\(a.name)' has incompatible types \(a.type) and \(b.type)")
                }
                types.append(t == .null ? .integer : t)
            }
            let castLeft = castPlan(left, to: types, eb), castRight = castPlan(right, to: types, eb)
            let outputs = zip(lc, types).map { newColumn($0.name, $1) }
            switch op {
            case .union:
                let u = LogicalPlan.unionAll([castLeft, castRight], columns: outputs)
                return all ? u : .distinct(u)
            case .intersect, .except:
                return .setOperation(intersect: op == .intersect, all: all, castLeft, castRight, columns: outputs)
            }
        }
    }

    private func castPlan(_ plan: LogicalPlan, to types: [DataType], _ eb: ExpressionBinder) -> LogicalPlan {
        let cols = plan.columns
        if zip(cols, types).allSatisfy({ $0.type == $1 }) { return plan }
        let items = zip(cols, types).map { c, t in
            let value: BoundExpression = c.type != t && plan.producesOnlyUntypedNulls(c.id) ? .constant(.null, t) : eb.cast(.column(c.id, c.type), to: t)
            return ProjectItem(expression: value, column: newColumn(c.name, t))
        }
        return .project(plan, items)
    }

    private func bindValues(_ rows: [[Expression]]) throws -> LogicalPlan {
        guard let width = rows.first?.count, width > 0 else { throw TarnError.semantic("VALUES needs at least one row") }
        let eb = ExpressionBinder(binder: self, scope: Scope([]))
        var bound: [[BoundExpression]] = []
        for row in rows {
            guard row.count == width else {
                throw err("VALUES rows must all have \(width) values", row.first?.location ?? .unknown)
            }
            bound.append(try row.map { try eb.bind($0) })
        }
        var types: [DataType] = []
        for c in 0..<width {
            guard let t = try eb.commonType(bound.map { $0[c].type }, at: .unknown) else {
                throw TarnError.semantic("VALUES column \(c + 1) has incompatible types")
            }
            types.append(t == .null ? .integer : t)
        }
        var builders = types.map { ColumnBuilder(type: $0, capacity: rows.count) }
        for row in bound {
            for c in 0..<width {
                builders[c].append(try ConstantEvaluator.evaluate(eb.cast(row[c], to: types[c]), settings: context.settings))
            }
        }
        let columns = types.enumerated().map { newColumn("col\($0.offset)", $0.element) }
        let batch = Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows.count)
        return .values(columns: columns, batches: [batch], label: "VALUES (\(rows.count) rows)")
    }

    func err(_ message: String, _ loc: SourceLocation) -> TarnError {
        TarnError.semantic(message, line: loc.line > 0 ? loc.line : nil, column: loc.line > 0 ? loc.column : nil)
    }
}
