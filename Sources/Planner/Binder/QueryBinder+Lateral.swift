import Storage
import SQL
import Execution

extension QueryBinder {
    /// `LATERAL (subquery) [AS alias(cols)]` after `input` (comma, CROSS JOIN, JOIN … ON cond, LEFT JOIN … ON TRUE):
    /// the subquery may read the columns of `scope`. Uncorrelated, it is a plain cross join; correlated, it runs once
    /// per distinct tuple of the outer values it reads (`LateralSubquery`) and its rows join the left row through
    /// UNNEST of its columns as arrays. `keepEmpty` keeps a left row with no subquery rows, with NULLs.
    func bindLateral(_ call: FunctionCall, alias: String?, columnAliases: [String], over input: LogicalPlan, scope: Scope,
                     keepEmpty: Bool, at loc: SourceLocation) throws -> (LogicalPlan, Scope) {
        guard call.arguments.count == 1, case let .query(query) = call.arguments[0].value else {
            throw err("LATERAL takes a parenthesised subquery", loc)
        }
        if !keepEmpty, let inlined = try inlineLateral(query, alias: alias, columnAliases: columnAliases, over: input, scope: scope) {
            return inlined
        }
        let child = QueryBinder(context: context, parent: self, parentScope: scope, viewSchema: viewSchema, ctes: ctes)
        let plan = try child.bindQuery(query)
        let visible = plan.columns.filter { !$0.hidden }
        if columnAliases.count > visible.count {
            throw err("\(columnAliases.count) column aliases given for \(visible.count) columns", loc)
        }
        var columns = visible.enumerated().map { k, c in newColumn(k < columnAliases.count ? columnAliases[k] : c.name, c.type, qualifier: alias) }
        if child.outerExpressions.isEmpty && !keepEmpty {
            // Uncorrelated: the subquery's own columns, relabelled, cross joined.
            columns = visible.enumerated().map { k, c in
                var col = c
                if k < columnAliases.count { col.name = columnAliases[k] }
                col.qualifier = alias
                col.hidden = false
                return col
            }
            var out = Scope(scope.columns + columns)
            out.hiddenFromUnqualified = scope.hiddenFromUnqualified
            return (.join(input, plan, kind: .cross, condition: nil, mark: nil), out)
        }
        if let joined = decorrelated(plan, visible: visible, columns: columns, outer: child.outerExpressions, over: input, keepEmpty: keepEmpty) {
            var out = Scope(scope.columns + columns)
            out.hiddenFromUnqualified = scope.hiddenFromUnqualified
            return (joined, out)
        }
        let shared = LateralSubquery(plan: plan, outputIds: visible.map(\.id), types: visible.map(\.type), keepEmpty: keepEmpty)
        let arrays = visible.indices.map { k -> BoundExpression in
            .subquery(LateralSubqueryColumn(shared, index: k, outerExpressions: child.outerExpressions), .array(visible[k].type))
        }
        var out = Scope(scope.columns + columns)
        out.hiddenFromUnqualified = scope.hiddenFromUnqualified
        return (.unnest(input, UnnestNode(arrays: arrays, columns: columns, ordinality: false)), out)
    }

    /// A correlated LATERAL whose plan is a projection over an optional filter over relations that read no outer value
    /// (`SELECT y.v FROM u y WHERE y.k = t.c AND …`, no grouping, ordering or LIMIT) is a join: the filter, its outer
    /// references now the left columns, becomes the join condition (a LEFT join for `LEFT JOIN LATERAL … ON TRUE`),
    /// and the projection goes above the join. nil: another shape, run per outer tuple instead.
    private func decorrelated(_ plan: LogicalPlan, visible: [PlanColumn], columns: [PlanColumn], outer: [BoundExpression],
                              over input: LogicalPlan, keepEmpty: Bool) -> LogicalPlan? {
        guard let (relation, filters, items) = projectedFilter(plan) else { return nil }
        let condition: BoundExpression? = filters.isEmpty ? nil : filters.count == 1 ? filters[0] : .and(filters)
        func readsOuter(_ p: LogicalPlan) -> Bool {
            var found = false
            for e in p.expressions { e.forEachNode { if case .parameter = $0 { found = true } } }
            return found || p.inputs.contains(where: readsOuter)
        }
        guard !readsOuter(relation) else { return nil }
        func leftSide(_ e: BoundExpression) -> BoundExpression? {
            var ok = true
            let mapped = e.transformed { node -> BoundExpression? in
                guard case let .parameter(i, _) = node else { return nil }
                guard i < outer.count else { ok = false; return nil }
                return outer[i]
            }
            return ok ? mapped : nil
        }
        // A LEFT join's unmatched rows must give NULL for every subquery column, also for items that read only the left
        // row or constants (`SELECT 1 AS one, x FROM u WHERE …`): those are computed only where a marker column of the
        // right side is there.
        var right = relation
        var matched: BoundExpression? = nil
        let relationIds = Set(relation.columns.map(\.id))
        func isRightColumn(_ e: BoundExpression) -> Bool {
            if case let .column(id, _) = e { return relationIds.contains(id) }
            return false
        }
        if keepEmpty, visible.contains(where: { v in items.contains { $0.column.id == v.id && !isRightColumn($0.expression) } }) {
            let marker = newColumn("lateral_matched", .boolean)
            right = .project(relation, relation.columns.map { ProjectItem(expression: .column($0.id, $0.type), column: $0) }
                                 + [ProjectItem(expression: .constant(.boolean(true), .boolean), column: marker)])
            matched = .isNull(.column(marker.id, .boolean), negated: true)
        }
        var projected = input.columns.map { ProjectItem(expression: .column($0.id, $0.type), column: $0) }
        for (k, v) in visible.enumerated() {
            guard let item = items.first(where: { $0.column.id == v.id }), var e = leftSide(item.expression) else { return nil }
            if let matched, !isRightColumn(e) { e = .caseWhen([CaseBranch(condition: matched, result: e)], elseResult: nil, e.type) }
            projected.append(ProjectItem(expression: e, column: columns[k]))
        }
        let on: BoundExpression?
        if let condition {
            guard let mapped = leftSide(condition) else { return nil }
            on = mapped
        } else {
            on = keepEmpty ? .constant(.boolean(true), .boolean) : nil
        }
        let kind: LogicalJoinKind = keepEmpty ? .left : (on == nil ? .cross : .inner)
        return .project(.join(input, right, kind: kind, condition: on, mark: nil), projected)
    }

    /// A plan of projections and filters over a relation (`project(filter(project(filter(r, p1), …), p2), …)`, as
    /// `LEFT JOIN LATERAL … ON cond` wraps its subquery) as the relation, the filters over its columns and the final
    /// items over its columns (each projection's items substituted into what reads them). nil: not that shape.
    private func projectedFilter(_ plan: LogicalPlan) -> (LogicalPlan, [BoundExpression], [ProjectItem])? {
        guard case let .project(body, items) = plan else { return nil }
        var below = body
        var predicate: BoundExpression? = nil
        if case let .filter(inner, p) = body { below = inner; predicate = p }
        guard let (relation, filters, innerItems) = projectedFilter(below) else {
            return (below, predicate.map { [$0] } ?? [], items)
        }
        var byId: [Int: BoundExpression] = [:]
        for item in innerItems { byId[item.column.id] = item.expression }
        func substituted(_ e: BoundExpression) -> BoundExpression {
            e.transformed { node in
                if case let .column(id, _) = node { return byId[id] }
                return nil
            }
        }
        let merged = items.map { ProjectItem(expression: substituted($0.expression), column: $0.column) }
        return (relation, filters + (predicate.map { [substituted($0)] } ?? []), merged)
    }

    /// `LATERAL (SELECT e1 AS a, e2 AS b)` with no FROM, WHERE, grouping or ordering (Trino's example
    /// `CROSS JOIN LATERAL (SELECT name || ' :-' AS x)`) is one row per left row: the items are bound over the left
    /// columns and appended by a projection instead of a subquery run per row. nil: not that shape (or an item the
    /// left scope cannot bind alone, such as an aggregate), so the general path binds it.
    private func inlineLateral(_ query: Query, alias: String?, columnAliases: [String], over input: LogicalPlan,
                               scope: Scope) throws -> (LogicalPlan, Scope)? {
        guard query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil, case let .select(select) = query.body,
              select.from.isEmpty, select.whereClause == nil, select.groupBy.isEmpty, !select.groupByAll, select.having == nil,
              select.qualify == nil, !select.distinct, select.distinctOn.isEmpty, select.groupingSets == nil,
              columnAliases.count <= select.items.count else { return nil }
        var items = input.columns.map { ProjectItem(expression: .column($0.id, $0.type), column: $0) }
        var added: [PlanColumn] = []
        let eb = ExpressionBinder(binder: self, scope: scope)
        for (k, item) in select.items.enumerated() {
            guard case let .expression(e, itemAlias) = item else { return nil }
            if ExpressionNaming.containsAggregate(e) { return nil }
            guard let bound = try? eb.bind(e), !bound.containsSubquery else { return nil }
            let name = k < columnAliases.count ? columnAliases[k] : itemAlias ?? ExpressionNaming.name(of: e)
            let column = newColumn(name, bound.type, qualifier: alias)
            items.append(ProjectItem(expression: bound, column: column))
            added.append(column)
        }
        var out = Scope(scope.columns + added)
        out.hiddenFromUnqualified = scope.hiddenFromUnqualified
        return (.project(input, items), out)
    }

    /// `l [CROSS | INNER | LEFT] JOIN LATERAL (…) [ON cond]`. `LEFT JOIN LATERAL (q) AS s ON cond` is
    /// `LEFT JOIN LATERAL (SELECT * FROM (q) AS s WHERE cond) AS s ON TRUE`: the rows of `q` that meet the condition,
    /// or one row of NULLs when none does. RIGHT and FULL joins take a LATERAL that reads nothing of the left side
    /// as an ordinary subquery; one that does is refused, as PostgreSQL and DuckDB refuse it.
    func bindLateralJoin(_ l: TableReference, _ call: FunctionCall, alias: String?, columnAliases: [String], kind: JoinKind,
                         condition: JoinCondition, at loc: SourceLocation) throws -> (LogicalPlan, Scope) {
        var on: Expression? = nil
        if case let .on(e) = condition, !isTrueLiteral(e) { on = e }
        guard !condition.isUsingOrNatural else { throw err("JOIN LATERAL takes ON, not USING or NATURAL", loc) }
        guard call.arguments.count == 1, case let .query(query) = call.arguments[0].value else {
            throw err("LATERAL takes a parenthesised subquery", loc)
        }
        var lateral = call, lateralAliases = columnAliases
        let keepEmpty: Bool
        switch kind {
        case .cross, .inner: keepEmpty = false
        case .left:
            keepEmpty = true
            if let condition = on {
                let filtered = Select(items: [.star(qualifier: nil, exclude: [], location: loc)],
                                      from: [.subquery(query, alias: alias, columnAliases: columnAliases, location: loc)],
                                      whereClause: condition, location: condition.location)
                lateral = FunctionCall(name: call.name, arguments: [FunctionArgument(value: .query(Query(body: .select(filtered), location: loc)))])
                lateralAliases = []
                on = nil
            }
        case .right, .full:
            let (_, ls) = try bindTableReference(l)
            let probe = QueryBinder(context: context, parent: self, parentScope: ls, viewSchema: viewSchema, ctes: ctes)
            _ = try probe.bindQuery(query)
            guard probe.outerExpressions.isEmpty else {
                throw err("\(kind.rawValue) JOIN LATERAL cannot read the columns of the FROM items before it: the combining join "
                          + "type must be INNER or LEFT for a LATERAL reference (as in PostgreSQL and DuckDB)", loc)
            }
            return try bindTableReference(.join(l, .subquery(query, alias: alias, columnAliases: columnAliases, location: loc),
                                                kind: kind, condition: condition, location: loc))
        }
        let (lp, ls) = try bindTableReference(l)
        var (plan, scope) = try bindLateral(lateral, alias: alias, columnAliases: lateralAliases, over: lp, scope: ls, keepEmpty: keepEmpty, at: loc)
        if let on {
            var eb = ExpressionBinder(binder: self, scope: scope)
            eb.clause = "JOIN ON"
            plan = .filter(plan, try eb.bindCondition(on))
        }
        scope.hiddenFromUnqualified.formUnion(ls.hiddenFromUnqualified)
        return (plan, scope)
    }

    private func isTrueLiteral(_ e: Expression) -> Bool {
        if case .literal(.boolean(true)) = e.kind { return true }
        return false
    }
}
