import Foundation
import Storage
import SQL
import Execution

extension QueryBinder {
    /// Binds the FROM list (comma items are cross joins). An empty FROM is one row with no columns.
    func bindFromList(_ from: [TableReference]) throws -> (LogicalPlan, Scope) {
        guard !from.isEmpty else {
            return (.values(columns: [], batches: [Batch(columns: [], count: 1)], label: "one row"), Scope([]))
        }
        var (plan, scope) = try bindTableReference(from[0])
        for ref in from.dropFirst() {
            if case let .function(call, alias, columnAliases, loc) = ref, call.baseName == "unnest" {
                // `FROM t, UNNEST(t.arr) AS u(x)`: correlated to each row of what precedes it (Trino).
                (plan, scope) = try bindUnnest(call, alias: alias, columnAliases: columnAliases, over: plan, scope: scope, at: loc)
                continue
            }
            if case let .function(call, alias, columnAliases, loc) = ref, call.baseName == "lateral" {
                (plan, scope) = try bindLateral(call, alias: alias, columnAliases: columnAliases, over: plan, scope: scope, keepEmpty: false, at: loc)
                continue
            }
            let (p, s) = try bindTableReference(ref)
            plan = .join(plan, p, kind: .cross, condition: nil, mark: nil)
            scope = Scope(scope.columns + s.columns)
            scope.hiddenFromUnqualified.formUnion(s.hiddenFromUnqualified)
        }
        return (plan, scope)
    }

    func bindTableReference(_ ref: TableReference) throws -> (LogicalPlan, Scope) {
        switch ref {
        case let .table(name, alias, columnAliases, timeTravel):
            return try bindNamedRelation(name, alias: alias, columnAliases: columnAliases, timeTravel: timeTravel)
        case let .subquery(q, alias, columnAliases, loc):
            let child = QueryBinder(context: context, parent: self, parentScope: nil, inline: true, viewSchema: viewSchema, ctes: ctes)
            let plan = try child.bindQuery(q)
            return (plan, try relabel(plan.columns.filter { !$0.hidden }, qualifier: alias, aliases: columnAliases, at: loc))
        case let .join(l, r, kind, condition, loc):
            return try bindJoin(l, r, kind, condition, at: loc)
        case let .function(call, alias, columnAliases, loc):
            if call.baseName == "unnest" {
                let one = LogicalPlan.values(columns: [], batches: [Batch(columns: [], count: 1)], label: "one row")
                return try bindUnnest(call, alias: alias, columnAliases: columnAliases, over: one, scope: Scope([]), at: loc)
            }
            if call.baseName == "lateral" {
                let one = LogicalPlan.values(columns: [], batches: [Batch(columns: [], count: 1)], label: "one row")
                return try bindLateral(call, alias: alias, columnAliases: columnAliases, over: one, scope: Scope([]), keepEmpty: false, at: loc)
            }
            return try bindTableFunction(call, alias: alias, columnAliases: columnAliases, at: loc)
        case let .pivot(source, pivot, alias, loc):
            return try bindPivot(source, pivot, alias: alias, at: loc)
        }
    }

    /// `UNNEST(a [, b …]) [WITH ORDINALITY] [AS u(x [, y …] [, n])]` over `input`, whose columns the arrays may read.
    /// Columns are named by the aliases, else `unnest` (`unnest_2`, … for more arrays) and `ordinality`.
    private func bindUnnest(_ call: FunctionCall, alias: String?, columnAliases: [String], over input: LogicalPlan, scope: Scope,
                            at loc: SourceLocation) throws -> (LogicalPlan, Scope) {
        var eb = ExpressionBinder(binder: self, scope: scope)
        eb.clause = "UNNEST"
        let arrays = try call.arguments.map { a -> BoundExpression in
            guard case let .expression(e) = a.value, a.name == nil else { throw err("UNNEST takes array expressions", loc) }
            let bound = try eb.bind(e)
            // A MAP unnests to its entries' key and value columns (Trino).
            if bound.type.mapTypes != nil { return try eb.callFunction("map_entries", [bound], at: e.location) }
            guard bound.type.elementType != nil else { throw err("UNNEST needs an ARRAY or a MAP, not \(bound.type)", e.location) }
            return bound
        }
        guard !arrays.isEmpty else { throw err("UNNEST needs at least one array", loc) }
        // An array of ROWs unnests to one column per field (Trino); not in DuckDB's select-list form.
        let expanded: [[RowField]?] = arrays.map { alias == "__unnest" ? nil : $0.type.elementType?.rowFields }
        let width = expanded.reduce(0) { $0 + ($1?.count ?? 1) } + (call.withOrdinality ? 1 : 0)
        guard columnAliases.isEmpty || columnAliases.count == width else {
            throw err("UNNEST produces \(width) columns but \(columnAliases.count) column aliases are given", loc)
        }
        var names = arrays.indices.map { $0 == 0 ? "unnest" : "unnest_\($0 + 1)" } + (call.withOrdinality ? ["ordinality"] : [])
        if !columnAliases.isEmpty, !expanded.contains(where: { $0 != nil }) { names = columnAliases }
        let types = arrays.map { $0.type.elementType ?? .null } + (call.withOrdinality ? [DataType.bigint] : [])
        var columns = zip(names, types).map { newColumn($0, $1, qualifier: alias ?? "unnest") }
        // The select-list rewrite's columns (`SELECT *, unnest(a)`) are not part of `*`.
        if alias == "__unnest" { for i in columns.indices { columns[i].hidden = true } }
        let unnest = LogicalPlan.unnest(input, UnnestNode(arrays: arrays, columns: columns, ordinality: call.withOrdinality))
        guard expanded.contains(where: { $0 != nil }) else {
            var out = Scope(scope.columns + columns)
            out.hiddenFromUnqualified = scope.hiddenFromUnqualified
            return (unnest, out)
        }
        // Rows become their fields: a projection over the unnest reads each field of the element column.
        var items = input.columns.map { ProjectItem(expression: .column($0.id, $0.type), column: $0) }
        var visible: [PlanColumn] = []
        for (i, column) in columns.enumerated() {
            let element = BoundExpression.column(column.id, column.type)
            let fields = i < expanded.count ? expanded[i] : nil
            let parts: [(String, BoundExpression, DataType)] = fields.map { fs in
                fs.enumerated().map { k, f in (f.name, BoundExpression.call(RowFunctions.field(k, name: f.name), [element], f.type), f.type) }
            } ?? [(column.name, element, column.type)]
            for (name, expression, type) in parts {
                let alias = columnAliases.isEmpty ? name : columnAliases[visible.count]
                let out = newColumn(alias, type, qualifier: column.qualifier)
                items.append(ProjectItem(expression: expression, column: out))
                visible.append(out)
            }
        }
        var out = Scope(scope.columns + visible)
        out.hiddenFromUnqualified = scope.hiddenFromUnqualified
        return (.project(unnest, items), out)
    }

    private func relabel(_ columns: [PlanColumn], qualifier: String?, aliases: [String], at loc: SourceLocation) throws -> Scope {
        if aliases.count > columns.count {
            throw err("\(aliases.count) column aliases given for \(columns.count) columns", loc)
        }
        var out: [PlanColumn] = []
        for (i, c) in columns.enumerated() {
            var col = c
            if i < aliases.count { col.name = aliases[i] }
            col.qualifier = qualifier
            col.hidden = false
            out.append(col)
        }
        return Scope(out)
    }

    // MARK: named relations: CTEs, views, tables

    private func bindNamedRelation(_ name: QualifiedName, alias: String?, columnAliases: [String], timeTravel: TimeTravel?) throws -> (LogicalPlan, Scope) {
        let loc = name.location
        if name.parts.count == 1, let cte = ctes[name.name.lowercased()] {
            if timeTravel != nil { throw err("time travel applies to tables, not to the CTE '\(cte.name)'", loc) }
            var visible = ctes
            visible[cte.name.lowercased()] = nil
            let child = QueryBinder(context: context, parent: self, parentScope: nil, inline: true, viewSchema: viewSchema, ctes: visible)
            let plan = try child.bindQuery(cte.query)
            let cols = plan.columns.filter { !$0.hidden }
            let scope = try relabel(cols, qualifier: alias ?? cte.name, aliases: cte.columnNames, at: loc)
            return (plan, try relabel(scope.columns, qualifier: alias ?? cte.name, aliases: columnAliases, at: loc))
        }
        if name.parts.count == 1 || (name.parts.count == 2 && name.parts[0].lowercased() == "temp"),
           let temporary = context.temporaryTables[name.name.lowercased()] {
            if timeTravel != nil { throw err("time travel applies to lake tables; '\(name.name)' is a TEMP table", loc) }
            let cols = temporary.fields.map { newColumn($0.name, $0.type, qualifier: alias ?? name.name) }
            return (.values(columns: cols, batches: temporary.batches, label: "temp.\(name.name)"),
                    try relabel(cols, qualifier: alias ?? name.name, aliases: columnAliases, at: loc))
        }
        if name.parts.count == 1 || (name.parts.count == 2 && name.parts[0].lowercased() == "temp"),
           let view = context.temporaryViews[name.name.lowercased()] {
            if timeTravel != nil { throw err("time travel applies to tables; '\(name.name)' is a TEMP view", loc) }
            return try bindView(sql: view.sql, named: "TEMP view '\(name.name)'", schema: nil, columnNames: view.columnNames,
                                qualifier: alias ?? name.name, columnAliases: columnAliases, at: loc)
        }
        if name.parts.count == 2 || name.parts.count == 3, let resolve = context.externalRelations[name.parts[0].lowercased()] {
            if timeTravel != nil { throw err("time travel applies to lake tables, not to '\(name)'", loc) }
            // `ops.schema.table` (a PostgreSQL or MySQL database attached as ops) reaches the resolver as `schema.table`.
            let inner = name.parts.dropFirst().joined(separator: ".")
            guard let relation = try resolve(inner) else { throw err("'\(name.parts[0])' has no table '\(inner)'", loc) }
            if let label = context.externalLineage[name.parts[0].lowercased()] { context.noteExternalRead(label(inner)) }
            let cols = relation.columns.map { newColumn($0.name, $0.type, qualifier: alias ?? name.name) }
            return (.external(columns: cols, label: name.description, factory: relation.factory),
                    try relabel(cols, qualifier: alias ?? name.name, aliases: columnAliases, at: loc))
        }
        let tableName: TableName, isView: Bool
        do {
            (tableName, isView) = try resolveRelationName(name)
        } catch {
            // PostgreSQL searches pg_catalog first: clients write `FROM pg_type` unqualified.
            if name.parts.count == 1, name.name.lowercased().hasPrefix("pg_"), let resolve = context.externalRelations["pg_catalog"],
               let relation = try resolve(name.name) {
                if timeTravel != nil { throw err("time travel applies to lake tables, not to '\(name)'", loc) }
                let cols = relation.columns.map { newColumn($0.name, $0.type, qualifier: alias ?? name.name) }
                return (.external(columns: cols, label: "pg_catalog." + name.name.lowercased(), factory: relation.factory),
                        try relabel(cols, qualifier: alias ?? name.name, aliases: columnAliases, at: loc))
            }
            throw error
        }
        if isView {
            if timeTravel != nil { throw err("time travel applies to tables; '\(tableName)' is a view", loc) }
            guard let view = try context.lake.view(tableName) else { throw err("view '\(tableName)' disappeared", loc) }
            context.noteRead(tableName)
            return try bindView(sql: view.sql, named: "view '\(tableName)'", schema: tableName.schema, columnNames: view.columnNames,
                                qualifier: alias ?? tableName.name, columnAliases: columnAliases, at: loc)
        }
        let selector = try timeTravel.map { try snapshotSelector($0) } ?? .latest
        let snapshot: TableSnapshot
        do { snapshot = try context.snapshot(tableName, selector) } catch var e as TarnError {
            if e.line == nil { e.line = loc.line; e.column = loc.column }
            throw e
        }
        let qualifier = alias ?? tableName.name
        var columns: [PlanColumn] = []
        for f in snapshot.schema.fields { columns.append(newColumn(f.name, f.type, qualifier: qualifier)) }
        var label = tableName.description
        if case let .version(v) = selector { label += " VERSION AS OF \(v)" }
        if case .timestamp = selector { label += " (v\(snapshot.version))" }
        let node = ScanNode(snapshot: snapshot, tableColumns: Array(snapshot.schema.fields.indices), columns: columns, filters: [], displayName: label)
        let scope = try relabel(columns, qualifier: qualifier, aliases: columnAliases, at: loc)
        return (.scan(node), scope)
    }

    /// Finds the schema of a (possibly unqualified) table or view name: the view's own schema, then
    /// the session's, then `main`.
    /// A view's stored SQL, parsed and bound where it is used (lake views resolve unqualified names in their own
    /// schema first); its columns renamed by the view's column list, then by the FROM item's aliases.
    private func bindView(sql: String, named what: String, schema: String?, columnNames: [String], qualifier: String,
                          columnAliases: [String], at loc: SourceLocation) throws -> (LogicalPlan, Scope) {
        guard context.viewDepth < 32 else { throw err("views nested more than 32 deep (a view that refers to itself?)", loc) }
        context.viewDepth += 1
        defer { context.viewDepth -= 1 }
        let query: Query
        do { query = try Parser.parseQuery(sql) } catch let e as TarnError {
            throw err("\(what) cannot be parsed: \(e.message)", loc)
        }
        let plan: LogicalPlan
        do { plan = try QueryBinder(context: context, viewSchema: schema).bindQuery(query) } catch var e as TarnError {
            e.message = "in \(what): \(e.message)"
            e.line = loc.line; e.column = loc.column
            throw e
        }
        let cols = plan.columns.filter { !$0.hidden }
        let scope = try relabel(cols, qualifier: qualifier, aliases: columnNames, at: loc)
        return (plan, try relabel(scope.columns, qualifier: qualifier, aliases: columnAliases, at: loc))
    }

    func resolveRelationName(_ name: QualifiedName) throws -> (TableName, isView: Bool) {
        let lake = context.lake
        var candidates: [TableName] = []
        if name.parts.count >= 2 {
            candidates = [TableName(schema: name.parts[name.parts.count - 2], name: name.name)]
        } else {
            for s in [viewSchema, context.currentSchema, TableName.defaultSchema].compactMap({ $0 }) {
                let t = TableName(schema: s, name: name.name)
                if !candidates.contains(t) { candidates.append(t) }
            }
        }
        for t in candidates {
            if try lake.tableExists(t) { return (t, false) }
            if try lake.view(t) != nil { return (t, true) }
        }
        let schema = candidates.first?.schema ?? TableName.defaultSchema
        if name.parts.count >= 2, !(try lake.schemaExists(schema)) {
            throw err("schema '\(schema)' does not exist", name.location)
        }
        let everything = try lake.tableNames(schema: nil) + lake.viewNames(schema: nil)
        if name.parts.count == 1 {
            // The name exists, but in another schema: say which, and how to reach it.
            let elsewhere = everything.filter { $0.name == name.name.lowercased() }.map { "\($0.schema).\($0.name)" }
            if !elsewhere.isEmpty {
                throw err("table or view '\(name)' does not exist in schema '\(candidates.first?.schema ?? TableName.defaultSchema)'; "
                          + "did you mean \(elsewhere.map { "'\($0)'" }.joined(separator: " or "))? (or USE \(elsewhere[0].split(separator: ".")[0]))", name.location)
            }
        }
        throw err("table or view '\(name)' does not exist" + NameSuggestion.hint(for: name.name, among: everything.map(\.name)), name.location)
    }

    func snapshotSelector(_ t: TimeTravel) throws -> SnapshotSelector {
        let eb = ExpressionBinder(binder: self, scope: Scope([]))
        switch t {
        case let .version(e):
            let v = try ConstantEvaluator.evaluate(try eb.bind(e))
            guard let n = v.int64Value else { throw err("VERSION AS OF needs an integer version", e.location) }
            return .version(n)
        case let .timestamp(e):
            let v = try ConstantEvaluator.evaluate(try eb.bind(e))
            switch v {
            case let .timestamp(ts): return .timestamp(ts)
            case let .timestampTZ(ts): return .timestamp(ts)  // an instant: the lake's commit times are UTC
            case let .date(d): return .timestamp(Int64(d) * 86_400_000_000)
            case let .varchar(s):
                guard let ts = ValueFormatting.parseTimestamp(Substring(s)) else {
                    throw err("TIMESTAMP AS OF: '\(s)' is not a timestamp (expected 'YYYY-MM-DD HH:MM:SS')", e.location)
                }
                return .timestamp(ts)
            default: throw err("TIMESTAMP AS OF needs a timestamp", e.location)
            }
        }
    }

    // MARK: joins

    private func bindJoin(_ l: TableReference, _ r: TableReference, _ kind: JoinKind, _ condition: JoinCondition, at loc: SourceLocation) throws -> (LogicalPlan, Scope) {
        if case let .function(call, alias, columnAliases, unnestLocation) = r, call.baseName == "unnest" {
            // `t CROSS JOIN UNNEST(t.arr) AS u(x)` (also `JOIN UNNEST(…) ON TRUE`): the arrays read the left row.
            var always = false
            if case let .on(e) = condition, case .literal(.boolean(true)) = e.kind { always = true }
            guard kind == .cross || (kind == .inner && (always || condition.isNone)) else {
                throw err("UNNEST can only be joined with CROSS JOIN, a comma or JOIN … ON TRUE", loc)
            }
            let (lp, ls) = try bindTableReference(l)
            return try bindUnnest(call, alias: alias, columnAliases: columnAliases, over: lp, scope: ls, at: unnestLocation)
        }
        if case let .function(call, alias, columnAliases, lateralLocation) = r, call.baseName == "lateral" {
            return try bindLateralJoin(l, call, alias: alias, columnAliases: columnAliases, kind: kind, condition: condition, at: lateralLocation)
        }
        let (lp, ls) = try bindTableReference(l)
        let (rp, rs) = try bindTableReference(r)
        var scope = Scope(ls.columns + rs.columns)
        scope.hiddenFromUnqualified = ls.hiddenFromUnqualified.union(rs.hiddenFromUnqualified)
        let eb = ExpressionBinder(binder: self, scope: scope)
        var logicalKind: LogicalJoinKind
        switch kind {
        case .inner: logicalKind = .inner
        case .left: logicalKind = .left
        case .right: logicalKind = .right
        case .full: logicalKind = .full
        case .cross: logicalKind = .cross
        }
        var cond: BoundExpression? = nil
        var usingNames: [String] = []
        switch condition {
        case let .on(e):
            var onBinder = eb
            onBinder.clause = "JOIN ON"
            cond = try onBinder.bindCondition(e)
        case let .using(names):
            usingNames = names
        case .natural:
            let rightNames = Set(rs.columns.filter { !rs.hiddenFromUnqualified.contains($0.id) }.map { $0.name.lowercased() })
            usingNames = ls.columns.filter { !ls.hiddenFromUnqualified.contains($0.id) && rightNames.contains($0.name.lowercased()) }.map(\.name)
        case .none:
            if logicalKind != .cross && logicalKind != .inner { throw err("\(kind.rawValue) JOIN needs ON or USING", loc) }
            logicalKind = .cross
        }
        if !usingNames.isEmpty || condition.isUsingOrNatural {
            var conjuncts: [BoundExpression] = []
            var hiddenSide: [Int] = []
            for n in usingNames {
                guard case let .found(a) = ls.lookup([n]) else { throw err("USING column '\(n)' is not in the left side of the join", loc) }
                guard case let .found(b) = rs.lookup([n]) else { throw err("USING column '\(n)' is not in the right side of the join", loc) }
                conjuncts.append(try eb.compare("=", .column(a.id, a.type), .column(b.id, b.type), at: loc))
                hiddenSide.append(logicalKind == .right ? a.id : b.id)
            }
            scope.hiddenFromUnqualified.formUnion(hiddenSide)
            cond = BoundExpression.conjunction(conjuncts)
            if cond == nil, logicalKind == .inner { logicalKind = .cross }
        }
        return (.join(lp, rp, kind: logicalKind, condition: cond, mark: nil), scope)
    }

    // MARK: table functions

    private func bindTableFunction(_ call: FunctionCall, alias: String?, columnAliases: [String], at loc: SourceLocation) throws -> (LogicalPlan, Scope) {
        let name = call.baseName
        let eb = ExpressionBinder(binder: self, scope: Scope([]))
        var positional: [Value] = []
        var named: [String: Value] = [:]
        var arrays: [String: [Value]] = [:]
        var inputs: [TableFunctionInput] = []
        /// `generate_series(DATE a, DATE b, INTERVAL '1' DAY)`: the step is an interval literal, not a value.
        var temporalStep: (value: String, unit: String)? = nil
        for (i, a) in call.arguments.enumerated() {
            let key = a.name?.lowercased() ?? "#\(i)"
            switch a.value {
            case let .expression(e):
                if (name == "generate_series" || name == "range" || name == "sequence"), i == 2, a.name == nil, case let .literal(.interval(value, unit)) = e.kind {
                    temporalStep = (value, unit)
                    continue
                }
                if case let .array(items) = e.kind {
                    arrays[key] = try items.map { try ConstantEvaluator.evaluate(try eb.bind($0)) }
                    continue
                }
                let v = try ConstantEvaluator.evaluate(try eb.bind(e))
                if a.name == nil { positional.append(v) } else { named[key] = v }
            case let .table(qn, timeTravel):
                let (plan, _) = try bindNamedRelation(qn, alias: nil, columnAliases: [], timeTravel: timeTravel)
                var input = makeInput(plan)
                if case let .scan(node) = plan { input.source = (node.snapshot.name.description, node.snapshot.version) }
                input.name = a.name?.lowercased()
                inputs.append(input)
            case let .query(q):
                let child = QueryBinder(context: context, parent: self, parentScope: nil, inline: true, viewSchema: viewSchema, ctes: ctes)
                var input = makeInput(try child.bindQuery(q))
                input.name = a.name?.lowercased()
                inputs.append(input)
            case let .lambda(l):
                throw TarnError.semantic("a lambda is not a table function argument", line: l.location.line, column: l.location.column)
            }
        }
        if name == "generate_series" || name == "range" || name == "sequence" {
            let (columns, factory) = try temporalStep.map {
                try SeriesTableFunction.buildTemporal(name: name, start: positional[0], stop: positional[1], step: $0, zone: context.settings.timeZone, at: loc)
            } ?? SeriesTableFunction.build(name: name, positional: positional, named: named, at: loc)
            let cols = columns.map { newColumn($0.name, $0.type, qualifier: alias ?? name) }
            return (.external(columns: cols, label: "\(name)(\(positional.map(\.description).joined(separator: ", ")))", factory: factory),
                    try relabel(cols, qualifier: alias ?? name, aliases: columnAliases, at: loc))
        }
        guard let def = context.tableFunctions[name] else {
            let known = ["generate_series", "range", "sequence"] + context.tableFunctions.keys
            throw err("table function '\(name)' does not exist" + NameSuggestion.hint(for: name, among: Array(known)), loc)
        }
        let tfCall = TableFunctionCall(name: name, positional: positional, named: named, arrays: arrays, inputs: inputs,
                                       context: ExecutionContext(settings: context.settings))
        let built: (columns: [Field], factory: OperatorFactory)
        do { built = try def.build(tfCall) } catch var e as TarnError {
            if e.line == nil { e.line = loc.line; e.column = loc.column }
            throw e
        }
        let cols = built.columns.map { newColumn($0.name, $0.type, qualifier: alias ?? name) }
        return (.external(columns: cols, label: "\(name)(…)", factory: built.factory),
                try relabel(cols, qualifier: alias ?? name, aliases: columnAliases, at: loc))
    }

    private func makeInput(_ plan: LogicalPlan) -> TableFunctionInput {
        let visible = plan.columns.filter { !$0.hidden }
        return TableFunctionInput(columns: visible.map { Field(name: $0.name, type: $0.type) }, makeOperator: OperatorFactory {
            let optimized = try Optimizer.optimize(plan)
            return try PhysicalPlanner.plan(optimized, outputIds: visible.map(\.id)).op
        })
    }
}

extension JoinCondition {
    var isUsingOrNatural: Bool {
        switch self {
        case .using, .natural: return true
        default: return false
        }
    }

    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}
