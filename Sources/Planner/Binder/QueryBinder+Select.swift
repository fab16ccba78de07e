import Foundation
import Storage
import SQL
import Execution

extension QueryBinder {
    /// One select-list entry after `*` expansion.
    private struct OutputItem {
        var ast: Expression?
        var starColumn: PlanColumn?
        var name: String
        var location: SourceLocation
    }

    /// Binds a SELECT block: FROM → WHERE → GROUP BY/aggregates → HAVING → windows → QUALIFY →
    /// projection → DISTINCT → ORDER BY → LIMIT.
    func bindSelect(_ s: Select, orderBy: [OrderItem], limit: Expression?, offset: Expression?) throws -> LogicalPlan {
        if !s.distinctOn.isEmpty { return try bindSelect(Self.distinctOnAsQualify(s, orderBy: orderBy), orderBy: orderBy, limit: limit, offset: offset) }
        if let unnested = try Self.selectListUnnest(s) { return try bindSelect(unnested, orderBy: orderBy, limit: limit, offset: offset) }
        var (plan, scope) = try bindFromList(s.from)

        if let w = s.whereClause {
            var eb = ExpressionBinder(binder: self, scope: scope)
            eb.clause = "WHERE"
            plan = .filter(plan, try eb.bindCondition(w))
        }

        // Expand the select list.
        var items: [OutputItem] = []
        for item in s.items {
            switch item {
            case let .expression(e, alias):
                items.append(OutputItem(ast: e, starColumn: nil, name: alias ?? ExpressionNaming.name(of: e), location: e.location))
            case let .star(qualifier, exclude, loc):
                let excluded = Set(exclude.map { $0.lowercased() })
                let cols = scope.star(qualifier: qualifier).filter { !excluded.contains($0.name.lowercased()) }
                if cols.isEmpty, let q = qualifier {
                    throw err("'\(q.joined(separator: ".")).*': no table or alias named '\(q.last ?? "")' in FROM", loc)
                }
                if cols.isEmpty && s.from.isEmpty { throw err("SELECT * needs a FROM clause", loc) }
                for c in cols { items.append(OutputItem(ast: nil, starColumn: c, name: c.name, location: loc)) }
            }
        }

        let hasAggregates = items.contains { $0.ast.map(ExpressionNaming.containsAggregate) ?? false }
            || (s.having.map(ExpressionNaming.containsAggregate) ?? false)
            || orderBy.contains { ExpressionNaming.containsAggregate($0.expression) }
        let isAggregate = !s.groupBy.isEmpty || s.groupByAll || s.having != nil || hasAggregates

        var aggregates: [AggregateItem] = []
        var aggregateKeys: [String: PlanColumn] = [:]
        /// The order concatenating aggregates asked for (`string_agg(x, ',' ORDER BY y)`): the input is sorted by it.
        var aggregateOrdering: [SortKey]? = nil
        var windows: [WindowItem] = []
        var groups: [ProjectItem] = []
        var groupMap: [String: BoundExpression] = [:]
        let fromScope = scope

        // GROUP BY keys, bound over the FROM scope.
        if isAggregate {
            var plain = ExpressionBinder(binder: self, scope: fromScope)
            plain.clause = "GROUP BY"
            var groupExprs: [(BoundExpression, String)] = []
            if s.groupByAll {
                for item in items {
                    if let c = item.starColumn { groupExprs.append((.column(c.id, c.type), c.name)) }
                    else if let e = item.ast, !ExpressionNaming.containsAggregate(e) { groupExprs.append((try plain.bind(e), item.name)) }
                }
            }
            for g in s.groupBy {
                if case let .literal(.integer(t)) = g.kind, let k = Int(t) {
                    guard k >= 1, k <= items.count else { throw err("GROUP BY position \(k) is not in the select list", g.location) }
                    let item = items[k - 1]
                    if let c = item.starColumn { groupExprs.append((.column(c.id, c.type), c.name)); continue }
                    guard let e = item.ast else { continue }
                    if ExpressionNaming.containsAggregate(e) { throw err("GROUP BY position \(k) refers to an aggregate", g.location) }
                    groupExprs.append((try plain.bind(e), item.name))
                    continue
                }
                if case let .column(parts) = g.kind, parts.count == 1, case .missing = fromScope.lookup(parts),
                   let item = items.first(where: { $0.name.lowercased() == parts[0].lowercased() && $0.ast != nil }), let e = item.ast {
                    groupExprs.append((try plain.bind(e), item.name))
                    continue
                }
                groupExprs.append((try plain.bind(g), ExpressionNaming.name(of: g)))
            }
            for (e, name) in groupExprs where groupMap[e.key] == nil {
                var col = newColumn(name, e.type)
                if case let .column(id, _) = e, let src = fromScope.columns.first(where: { $0.id == id }) {
                    col.name = src.name
                    col.qualifier = src.qualifier
                }
                groups.append(ProjectItem(expression: e, column: col))
                groupMap[e.key] = .column(col.id, col.type)
            }
        }

        var allowed = Set(groups.map(\.column.id))

        // Grouping sets: each set's position in `groups`, and the `grouping(k, …)` calls (their keys' positions) with
        // the column each one's per-set constant arrives in.
        var groupingSets: [[Int]]? = nil
        if let sets = s.groupingSets {
            guard !s.groupByAll else { throw err("GROUP BY ALL cannot be combined with GROUPING SETS, ROLLUP or CUBE", s.location) }
            var plainBinder = ExpressionBinder(binder: self, scope: fromScope)
            plainBinder.clause = "GROUP BY"
            let positions = try s.groupBy.map { g -> Int in
                let key = try plainBinder.bind(g).key
                guard let index = groups.firstIndex(where: { $0.expression.key == key }) else { throw err("grouping key not found", g.location) }
                return index
            }
            groupingSets = sets.map { $0.map { positions[$0] } }
        }
        var groupingCalls: [(keys: [Int], column: PlanColumn)] = []

        // Expression binder for select / HAVING / ORDER BY / QUALIFY.
        var mainBinder = ExpressionBinder(binder: self, scope: fromScope)
        mainBinder.clause = "this clause"
        let registerAggregate: (AggregateCall, String) -> BoundExpression = { [self] aggCall, name in
            let key = "\(aggCall.kind)|\(aggCall.distinct)|\(aggCall.arguments.map(\.key))|\(aggCall.filter?.key ?? "")|\(aggCall.parameters)"
            if let existing = aggregateKeys[key] { return .column(existing.id, existing.type) }
            let col = newColumn(name, aggCall.resultType)
            aggregates.append(AggregateItem(call: aggCall, column: col))
            aggregateKeys[key] = col
            allowed.insert(col.id)
            return .column(col.id, col.type)
        }
        let sqliteBareColumns = context.settings.sqliteCompatible
        let finalize: (BoundExpression, SourceLocation) throws -> BoundExpression = { [self] e, loc in
            guard isAggregate else { return e }
            var replaced = replaceGroupKeys(e, groupMap)
            if sqliteBareColumns {
                // SQLite lets a bare column appear in an aggregate query and takes its value from some row of the group.
                let current = allowed
                replaced = replaced.transformed { node in
                    guard case let .column(id, t) = node, !current.contains(id) else { return nil }
                    let name = fromScope.columns.first { $0.id == id }?.name ?? "#\(id)"
                    return registerAggregate(AggregateCall(kind: .arbitrary, arguments: [node], resultType: t), name)
                }
            }
            for id in replaced.columnIds where !allowed.contains(id) {
                let name = fromScope.columns.first { $0.id == id }?.name ?? "#\(id)"
                throw err("column '\(name)' must appear in the GROUP BY clause or be used in an aggregate function", loc)
            }
            return replaced
        }
        if isAggregate {
            mainBinder.aggregateHandler = { [self] call, loc in
                let call = try orderedAggregate(call, scope: fromScope, ordering: &aggregateOrdering, at: loc)
                let (aggCall, name) = try bindAggregate(call, scope: fromScope, at: loc)
                return registerAggregate(aggCall, name)
            }
        }
        let addWindow: (FunctionCall, SourceLocation, ExpressionBinder) throws -> BoundExpression = { [self] call, loc, argumentBinder in
            let item = try bindWindow(call, binder: argumentBinder, windowsByName: s.windows, finalize: finalize, at: loc)
            windows.append(item)
            allowed.insert(item.column.id)
            return .column(item.column.id, item.column.type)
        }
        if isAggregate {
            let groupKeys = groups.map(\.expression.key)
            mainBinder.groupingHandler = { [self] args, loc in
                let keys = try args.map { arg -> Int in
                    guard let i = groupKeys.firstIndex(of: arg.key) else { throw err("grouping() takes GROUP BY keys", loc) }
                    return i
                }
                guard !keys.isEmpty, keys.count <= 31 else { throw err("grouping() takes 1 to 31 GROUP BY keys", loc) }
                guard groupingSets != nil else { return .constant(.integer(0), .integer) }  // every key grouped
                if let existing = groupingCalls.first(where: { $0.keys == keys }) { return .column(existing.column.id, .integer) }
                let column = newColumn("grouping", .integer)
                groupingCalls.append((keys, column))
                allowed.insert(column.id)
                return .column(column.id, .integer)
            }
        }
        let binderForWindows = mainBinder
        mainBinder.windowHandler = { call, loc in try addWindow(call, loc, binderForWindows) }

        // Select items.
        var projections: [ProjectItem] = []
        for item in items {
            if let c = item.starColumn {
                let e = try finalize(.column(c.id, c.type), item.location)
                var col = newColumn(c.name, c.type)
                col.qualifier = nil
                projections.append(ProjectItem(expression: e, column: col))
                continue
            }
            guard let ast = item.ast else { continue }
            let e = try finalize(try mainBinder.bind(ast), item.location)
            projections.append(ProjectItem(expression: e, column: newColumn(item.name, e.type == .null ? .integer : e.type)))
        }

        var having: BoundExpression? = nil
        if let h = s.having {
            var hb = mainBinder
            hb.clause = "HAVING"
            hb.windowHandler = nil
            having = try finalize(try hb.bindCondition(h), h.location)
        }

        // ORDER BY keys: output ordinals, output names, or expressions (hidden projections).
        var sortKeys: [SortKey] = []
        var hidden: [ProjectItem] = []
        var explicitKeys = orderBy
        if orderBy.count == 1, case let .column(parts) = orderBy[0].expression.kind, parts.count == 1, parts[0].uppercased() == "ALL",
           !projections.contains(where: { $0.column.name.lowercased() == "all" }) {
            // DuckDB's `ORDER BY ALL [DESC]`: every output column, left to right.
            sortKeys = projections.map { sortKey(.column($0.column.id, $0.column.type), orderBy[0]) }
            explicitKeys = []
        }
        for o in explicitKeys {
            if case let .literal(.integer(t)) = o.expression.kind, let k = Int(t) {
                guard k >= 1, k <= projections.count else { throw err("ORDER BY position \(k) is not in the select list", o.expression.location) }
                let c = projections[k - 1].column
                sortKeys.append(sortKey(.column(c.id, c.type), o))
                continue
            }
            if case let .column(parts) = o.expression.kind, parts.count == 1 {
                let n = parts[0].lowercased()
                let matches = projections.indices.filter { projections[$0].column.name.lowercased() == n }
                if let first = matches.first {
                    let c = projections[first].column
                    sortKeys.append(sortKey(.column(c.id, c.type), o))
                    continue
                }
            }
            let e = try finalize(try mainBinder.bind(o.expression), o.expression.location)
            if let match = projections.first(where: { $0.expression.key == e.key }) {
                sortKeys.append(sortKey(.column(match.column.id, match.column.type), o))
                continue
            }
            if s.distinct {
                throw err("for SELECT DISTINCT, ORDER BY expressions must appear in the select list", o.expression.location)
            }
            var col = newColumn("__order\(hidden.count)", e.type)
            col.hidden = true
            hidden.append(ProjectItem(expression: e, column: col))
            sortKeys.append(sortKey(.column(col.id, col.type), o))
        }

        var qualify: BoundExpression? = nil
        if let q = s.qualify {
            var qb = mainBinder
            qb.selectAliases = Self.selectAliases(projections)
            let windowArguments = qb  // window arguments in QUALIFY may name select-list aliases too
            qb.windowHandler = { call, loc in try addWindow(call, loc, windowArguments) }
            qualify = try finalize(try qb.bindCondition(q), q.location)
        }

        // Assemble.
        if let aggregateOrdering { plan = .sort(plan, aggregateOrdering) }
        if isAggregate, let groupingSets {
            plan = groupingSetsPlan(plan, groups: groups, aggregates: aggregates, sets: groupingSets, groupingCalls: groupingCalls)
        } else if isAggregate {
            plan = .aggregate(plan, groups: groups, aggregates: aggregates)
        }
        if let having { plan = .filter(plan, having) }
        if !windows.isEmpty { plan = .window(plan, windows) }
        if let qualify { plan = .filter(plan, qualify) }
        plan = .project(plan, projections + hidden)
        if s.distinct { plan = .distinct(plan) }
        if !sortKeys.isEmpty { plan = .sort(plan, sortKeys) }
        plan = try applyLimit(plan, limit, offset)
        if !hidden.isEmpty {
            plan = .project(plan, projections.map { ProjectItem(expression: .column($0.column.id, $0.column.type), column: $0.column) })
        }
        _ = scope
        scope = Scope(projections.map(\.column))
        return plan
    }

    /// GROUPING SETS as a UNION ALL of one aggregation per set: keys outside the set are NULL, and each `grouping()`
    /// call gets its constant for the set (bit i set when the i-th key it names is not grouped, first key highest).
    /// The branches' outputs are the original group, aggregate and grouping columns, so what binds over them stays.
    func groupingSetsPlan(_ input: LogicalPlan, groups: [ProjectItem], aggregates: [AggregateItem], sets: [[Int]],
                          groupingCalls: [(keys: [Int], column: PlanColumn)]) -> LogicalPlan {
        let outputs = groups.map(\.column) + aggregates.map(\.column) + groupingCalls.map(\.column)
        let branches = sets.map { set -> LogicalPlan in
            let branchGroups = set.map { ProjectItem(expression: groups[$0].expression, column: newColumn(groups[$0].column.name, groups[$0].column.type)) }
            let branchAggregates = aggregates.map { AggregateItem(call: $0.call, column: newColumn($0.column.name, $0.column.type)) }
            var items: [ProjectItem] = []
            for (i, g) in groups.enumerated() {
                let value: BoundExpression = set.firstIndex(of: i).map { .column(branchGroups[$0].column.id, g.column.type) } ?? .constant(.null, g.column.type)
                items.append(ProjectItem(expression: value, column: newColumn(g.column.name, g.column.type)))
            }
            for a in branchAggregates { items.append(ProjectItem(expression: .column(a.column.id, a.column.type), column: newColumn(a.column.name, a.column.type))) }
            for call in groupingCalls {
                let mask = call.keys.enumerated().reduce(Int32(0)) { m, pair in
                    set.contains(pair.element) ? m : m | (Int32(1) << Int32(call.keys.count - 1 - pair.offset))
                }
                items.append(ProjectItem(expression: .constant(.integer(mask), .integer), column: newColumn("grouping", .integer)))
            }
            return .project(.aggregate(input, groups: branchGroups, aggregates: branchAggregates), items)
        }
        return .unionAll(branches, columns: outputs)
    }

    /// The select list's output names and what each computes, for clauses that may name them (QUALIFY); a name
    /// given to two different expressions maps to nil, so using it is an ambiguity error rather than a guess.
    static func selectAliases(_ projections: [ProjectItem]) -> [String: BoundExpression?] {
        var aliases: [String: BoundExpression?] = [:]
        for item in projections {
            let name = item.column.name.lowercased()
            if let seen = aliases[name] {
                if seen?.key != item.expression.key { aliases[name] = .some(nil) }
            } else {
                aliases[name] = item.expression
            }
        }
        return aliases
    }

    /// Replaces sub-expressions equal to a GROUP BY key with the key's output column (top-down).
    func replaceGroupKeys(_ e: BoundExpression, _ map: [String: BoundExpression]) -> BoundExpression {
        if let hit = map[e.key] { return hit }
        switch e {
        case .column, .constant, .parameter: return e
        case let .call(f, args, t): return .call(f, args.map { replaceGroupKeys($0, map) }, t)
        case let .cast(x, t, tr): return .cast(replaceGroupKeys(x, map), t, isTry: tr)
        case let .and(xs): return .and(xs.map { replaceGroupKeys($0, map) })
        case let .or(xs): return .or(xs.map { replaceGroupKeys($0, map) })
        case let .not(x): return .not(replaceGroupKeys(x, map))
        case let .isNull(x, n): return .isNull(replaceGroupKeys(x, map), negated: n)
        case let .caseWhen(b, el, t):
            return .caseWhen(b.map { CaseBranch(condition: replaceGroupKeys($0.condition, map), result: replaceGroupKeys($0.result, map)) },
                             elseResult: el.map { replaceGroupKeys($0, map) }, t)
        case let .inList(x, l, n): return .inList(replaceGroupKeys(x, map), l.map { replaceGroupKeys($0, map) }, negated: n)
        case let .coalesce(xs, t): return .coalesce(xs.map { replaceGroupKeys($0, map) }, t)
        case let .subquery(ev, t):
            if let p = ev as? PlannedSubquery { return .subquery(p.mapOuter { replaceGroupKeys($0, map) }, t) }
            return e
        }
    }

    /// Binds an aggregate call's arguments over the pre-aggregation scope.
    private func bindAggregate(_ call: FunctionCall, scope: Scope, at loc: SourceLocation) throws -> (AggregateCall, String) {
        var eb = ExpressionBinder(binder: self, scope: scope)
        eb.clause = "aggregate function arguments"
        let name = call.baseName
        let display = ExpressionNaming.name(of: Expression(.function(call), at: loc))
        var filter = try call.filter.map { try eb.bindCondition($0) }
        if call.isStar || (name == "count" && call.arguments.isEmpty) {
            guard name == "count" else { throw err("\(name)(*) is not valid; only count(*)", loc) }
            return (AggregateCall(kind: .countStar, arguments: [], filter: filter, resultType: .bigint), display)
        }
        var args: [BoundExpression] = []
        var constants: [Value] = []
        var call = call
        // approx_most_frequent(buckets, value, capacity): the per-row value first, the constants after it.
        if name == "approx_most_frequent" {
            guard call.arguments.count == 3 else { throw err("approx_most_frequent takes (buckets, value, capacity)", loc) }
            call.arguments = [call.arguments[1], call.arguments[0], call.arguments[2]]
        }
        for (i, a) in call.arguments.enumerated() {
            guard case let .expression(e) = a.value else { throw err("\(name) takes expressions as arguments", loc) }
            let b = try eb.bind(e)
            let perRow = AggregateCatalog.kinds[name].map { AggregateCatalog.twoColumn.contains($0) } ?? false
            if i == 0 || (perRow && i == 1) { args.append(b) } else { constants.append(try ConstantEvaluator.evaluate(b)) }
        }
        guard let first = args.first else { throw err("\(name) needs an argument", loc) }
        if call.distinct, call.arguments.count > 1, context.settings.sqliteCompatible {
            throw err("DISTINCT aggregates must have exactly one argument", loc)
        }
        var kind: AggregateKind
        if name == "count_if" {
            kind = .count
            let cond = try eb.asCondition(first, at: loc)
            filter = filter.map { .and([$0, cond]) } ?? cond
        } else {
            guard let k = AggregateCatalog.kinds[name] else { throw err("unknown aggregate '\(name)'", loc) }
            kind = k
        }
        var argument = first
        switch kind {
        case .approxPercentile, .quantileCont:
            guard let p = constants.first?.doubleValue, p >= 0, p <= 1 else {
                throw err("\(name) needs a constant percentile between 0 and 1 as its second argument", loc)
            }
            constants = [.double(p)]
        case .median:
            constants = [.double(0.5)]
        case .stringAgg:
            if argument.type != .varchar { argument = eb.cast(argument, to: .varchar) }
            constants = [constants.first.map { v in v.isNull ? .varchar(",") : .varchar(v.description) } ?? .varchar(",")]
        case .count, .countStar, .approxDistinct, .min, .max, .arbitrary, .mode, .arrayAgg, .histogram, .mapUnion:
            constants = []
        case .approxMostFrequent:
            guard constants.count == 2, let buckets = constants[0].int64Value, buckets >= 1, let capacity = constants[1].int64Value, capacity >= buckets else {
                throw err("approx_most_frequent needs constant buckets ≥ 1 and capacity ≥ buckets", loc)
            }
            constants = [.bigint(buckets)]
        case .mapAgg, .multimapAgg:
            guard args.count == 2, constants.isEmpty else { throw err("\(name) takes two arguments", loc) }
            guard args[0].type.isOrderable else { throw err("\(name) keys cannot be of type \(args[0].type)", loc) }
        case .covarSamp, .covarPop, .corr, .maxBy, .minBy, .regrSlope, .regrIntercept:
            guard args.count == 2, constants.isEmpty else { throw err("\(name) takes two arguments", loc) }
            if kind != .maxBy && kind != .minBy {
                guard args[1].type.isNumeric || args[1].type == .null else { throw err("\(name) needs numeric arguments", loc) }
            } else if !args[1].type.isOrderable {
                throw err("\(name) cannot order by a value of type \(args[1].type)", loc)
            }
        default:
            if !constants.isEmpty { throw err("\(name) takes one argument", loc) }
        }
        if (kind == .sum || kind == .avg || kind == .total) && context.settings.sqliteCompatible && argument.type == .varchar {
            argument = .cast(argument, .double, isTry: true)
        }
        if kind == .boolAnd || kind == .boolOr { argument = try eb.asCondition(argument, at: loc) }
        if kind == .mapAgg || kind == .multimapAgg {
            if argument.type == .null { argument = eb.cast(argument, to: .integer) }
            if args[1].type == .null { args[1] = eb.cast(args[1], to: .integer) }
        }
        let mapAggType = kind == .mapAgg ? DataType.map(key: argument.type, value: args[1].type)
            : kind == .multimapAgg ? DataType.map(key: argument.type, value: .array(args[1].type)) : nil
        guard let resultType = mapAggType ?? AggregateCatalog.resultType(kind, argument.type) else {
            throw err("\(name)(\(argument.type)) is not supported", loc)
        }
        if argument.type == .null {
            argument = eb.cast(argument, to: resultType == .bigint || resultType == .double || kind == .arrayAgg || resultType.mapTypes != nil ? .integer : resultType)
        }
        let agg = AggregateCall(kind: kind, arguments: [argument] + args.dropFirst(), distinct: call.distinct, filter: filter,
                                resultType: resultType, parameters: constants)
        return (agg, display)
    }

    /// Binds a window function call into a `WindowItem`.
    private func bindWindow(_ call: FunctionCall, binder eb: ExpressionBinder, windowsByName: [String: WindowSpec],
                            finalize: (BoundExpression, SourceLocation) throws -> BoundExpression, at loc: SourceLocation) throws -> WindowItem {
        guard var spec = call.window else { throw err("missing OVER clause", loc) }
        if let n = spec.name {
            guard let named = windowsByName[n] ?? windowsByName[n.lowercased()] else { throw err("window '\(n)' is not defined", loc) }
            spec = WindowSpec(name: nil, partitionBy: named.partitionBy + spec.partitionBy,
                              orderBy: spec.orderBy.isEmpty ? named.orderBy : spec.orderBy, frame: spec.frame ?? named.frame)
        }
        var inner = eb
        inner.windowHandler = nil
        inner.clause = "window function arguments"
        let name = call.baseName
        var args: [BoundExpression] = []
        for a in call.arguments {
            guard case let .expression(e) = a.value else { throw err("\(name) takes expressions as arguments", loc) }
            args.append(try finalize(try inner.bind(e), loc))
        }
        let partition = try spec.partitionBy.map { try finalize(try inner.bind($0), $0.location) }
        let order = try spec.orderBy.map { o in sortKey(try finalize(try inner.bind(o.expression), o.expression.location), o) }
        let kind: WindowFunctionKind
        var resultType: DataType
        if let wk = WindowCatalog.kinds[name] {
            kind = wk
            switch wk {
            case .rowNumber, .rank, .denseRank, .ntile: resultType = .bigint
            case .percentRank, .cumeDist, .geometricAdstock, .weibullAdstock: resultType = .double
            case .lag, .lead, .firstValue, .lastValue, .nthValue:
                guard let t = args.first?.type else { throw err("\(name) needs an argument", loc) }
                resultType = t
                if args.count == 3, args[2].type != t {
                    args[2] = inner.cast(args[2], to: t)
                }
            case .aggregate: resultType = .double
            }
            if case .geometricAdstock = wk { args = args.map { inner.cast($0, to: .double) } }
            if case .weibullAdstock = wk {
                args = args.map { inner.cast($0, to: .double) }
            }
            if case .ntile = wk, args.isEmpty { throw err("ntile needs the number of buckets", loc) }
        } else if let ak = AggregateCatalog.kinds[name] ?? (name == "count" ? .count : nil) {
            let isCountStar = name == "count" && (call.isStar || args.isEmpty)
            kind = .aggregate(isCountStar ? .countStar : ak)
            guard let rt = AggregateCatalog.resultType(isCountStar ? .countStar : ak, args.first?.type) else {
                throw err("\(name)(\(args.first?.type.description ?? "")) is not supported", loc)
            }
            resultType = rt
            if isCountStar { args = [] }
        } else {
            throw err("'\(name)' is not a window function", loc)
        }
        let frame: WindowFrameSpec
        if let f = spec.frame {
            let rangeKey = f.unit == .range && order.count == 1 ? order[0].expression.type : nil
            frame = WindowFrameSpec(unit: f.unit == .rows ? .rows : .range,
                                    start: try frameBound(f.start, inner, loc, rangeKey: rangeKey),
                                    end: try frameBound(f.end, inner, loc, rangeKey: rangeKey))
        } else {
            frame = order.isEmpty ? .wholePartition : .defaultWithOrder
        }
        let col = newColumn(ExpressionNaming.name(of: Expression(.function(call), at: loc)), resultType)
        let wc = WindowCall(kind: kind, arguments: args, partitionBy: partition, orderBy: order, frame: frame,
                            ignoreNulls: call.ignoreNulls, distinct: call.distinct, resultType: resultType)
        return WindowItem(call: wc, column: col)
    }

    private func frameBound(_ b: WindowFrame.Bound, _ eb: ExpressionBinder, _ loc: SourceLocation, rangeKey: DataType?) throws -> WindowFrameSpec.Bound {
        switch b {
        case .unboundedPreceding: return .unboundedPreceding
        case .unboundedFollowing: return .unboundedFollowing
        case .currentRow: return .currentRow
        case let .preceding(e): return .preceding(try frameOffset(e, eb, rangeKey: rangeKey, loc))
        case let .following(e): return .following(try frameOffset(e, eb, rangeKey: rangeKey, loc))
        }
    }

    /// A frame offset: a constant, or for `RANGE` over a DATE / TIMESTAMP key an interval of fixed length
    /// (`INTERVAL '7' DAY PRECEDING`) in the key's units — days for DATE, microseconds for TIMESTAMP.
    private func frameOffset(_ e: Expression, _ eb: ExpressionBinder, rangeKey: DataType?, _ loc: SourceLocation) throws -> Value {
        guard case let .literal(.interval(text, unit)) = e.kind else { return try ConstantEvaluator.evaluate(try eb.bind(e)) }
        guard rangeKey == .date || rangeKey == .timestamp || rangeKey == .timestampTZ else {
            throw err("an INTERVAL frame offset needs RANGE with one DATE or TIMESTAMP ORDER BY key", e.location)
        }
        if rangeKey == .timestampTZ, unit == "DAY" || unit == "WEEK" {
            // Over instants a frame is a fixed length; a local day is 23 or 25 hours across a DST change.
            throw err("RANGE frame offsets over TIMESTAMP WITH TIME ZONE take hours or smaller units (a day's length varies with DST); use INTERVAL '24' HOUR", e.location)
        }
        let microsPer: [String: Double] = ["WEEK": 604_800e6, "DAY": 86_400e6, "HOUR": 3_600e6, "MINUTE": 60e6, "SECOND": 1e6,
                                           "MILLISECOND": 1e3, "MICROSECOND": 1]
        guard let perUnit = microsPer[unit], let amount = Double(text), amount >= 0 else {
            throw err("RANGE frame offsets take a non-negative INTERVAL of weeks, days or smaller units (months and years vary in length), not '\(text)' \(unit)", e.location)
        }
        let micros = amount * perUnit
        return .double(rangeKey == .date ? micros / 86_400e6 : micros)
    }
}
