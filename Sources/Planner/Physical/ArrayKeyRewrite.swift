import Storage
import Execution

/// Lets plans sort, group, deduplicate and partition on ARRAY, ROW and MAP values: each such key becomes its order-preserving
/// string key (`ArrayKeyEncoding`), and where the arrays themselves are the output (GROUP BY, DISTINCT, UNION,
/// INTERSECT, EXCEPT, `min` / `max`, `array_agg(DISTINCT …)`) a projection above decodes the keys back
/// into the same column ids. Joins on arrays need
/// nothing here: the binder already compares these values through their keys, so `a.x = b.y` is a string equi-join.
/// Runs on the optimised plan just before physical planning.
enum ArrayKeyRewrite {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        var next = maxId(plan) + 1
        return rewrite(plan, &next)
    }

    private static func maxId(_ plan: LogicalPlan) -> Int {
        plan.inputs.reduce(plan.columns.map(\.id).max() ?? 0) { max($0, maxId($1)) }
    }

    private static func key(_ e: BoundExpression) -> BoundExpression {
        ArrayKeyEncoding.canKey(e.type) ? .call(ArrayKeyEncoding.keyFunction, [e], .varchar) : e
    }

    private static func keyed(_ k: SortKey) -> SortKey {
        SortKey(expression: key(k.expression), ascending: k.ascending, nullsFirst: k.nullsFirst)
    }

    /// `columns` with every array replaced by a new VARCHAR column holding its key: the encoding items (over
    /// `columns`), and the decoding items (over the new columns, giving back `columns`).
    private static func encoding(_ columns: [PlanColumn], _ next: inout Int) -> (encode: [ProjectItem], decode: [ProjectItem]) {
        var encode: [ProjectItem] = [], decode: [ProjectItem] = []
        for c in columns {
            guard ArrayKeyEncoding.canKey(c.type) else {
                encode.append(ProjectItem(expression: .column(c.id, c.type), column: c))
                decode.append(ProjectItem(expression: .column(c.id, c.type), column: c))
                continue
            }
            var k = c
            k.id = next
            k.type = .varchar
            next += 1
            encode.append(ProjectItem(expression: key(.column(c.id, c.type)), column: k))
            decode.append(ProjectItem(expression: .call(ArrayKeyEncoding.decodeFunction(c.type), [.column(k.id, .varchar)], c.type), column: c))
        }
        return (encode, decode)
    }

    private static func rewrite(_ plan: LogicalPlan, _ next: inout Int) -> LogicalPlan {
        var inputs: [LogicalPlan] = []
        for input in plan.inputs { inputs.append(rewrite(input, &next)) }
        let p = plan.inputs.isEmpty ? plan : plan.withInputs(inputs)
        switch p {
        case let .sort(input, keys):
            return .sort(input, keys.map(keyed))
        case let .topN(input, keys, limit, offset):
            return .topN(input, keys.map(keyed), limit: limit, offset: offset)
        case let .aggregate(input, groups, aggregates):
            var calls = aggregates
            for k in calls.indices where calls[k].call.distinct && calls[k].call.kind == .count {
                calls[k].call.arguments = calls[k].call.arguments.map(key)
            }
            // min / max of arrays and array_agg(DISTINCT array) run on the keys; their results are decoded above.
            var decodedCalls: [Int: ProjectItem] = [:]
            for k in calls.indices {
                let call = calls[k].call
                guard call.arguments.count == 1, ArrayKeyEncoding.canKey(call.arguments[0].type) else { continue }
                let original = calls[k].column
                var keyedColumn = original
                let decoder: ScalarFunction
                switch call.kind {
                case .min, .max:
                    keyedColumn.type = .varchar
                    decoder = ArrayKeyEncoding.decodeFunction(original.type)
                case .arrayAgg where call.distinct:
                    keyedColumn.type = .array(.varchar)
                    decoder = ArrayKeyEncoding.decodeElementsFunction(original.type)
                default:
                    continue
                }
                keyedColumn.id = next
                next += 1
                calls[k].call.arguments = call.arguments.map(key)
                calls[k].call.resultType = keyedColumn.type
                calls[k].column = keyedColumn
                decodedCalls[k] = ProjectItem(expression: .call(decoder, [.column(keyedColumn.id, keyedColumn.type)], original.type), column: original)
            }
            guard groups.contains(where: { ArrayKeyEncoding.canKey($0.column.type) }) || !decodedCalls.isEmpty else {
                return .aggregate(input, groups: groups, aggregates: calls)
            }
            let (_, decode) = encoding(groups.map(\.column), &next)
            var keyed: [ProjectItem] = []
            for (g, d) in zip(groups, decode) {
                if case let .call(_, args, _) = d.expression, ArrayKeyEncoding.canKey(g.column.type), case let .column(id, _) = args[0] {
                    var column = g.column
                    column.id = id
                    column.type = .varchar
                    keyed.append(ProjectItem(expression: key(g.expression), column: column))
                } else {
                    keyed.append(g)
                }
            }
            let passed = calls.indices.map { k in
                decodedCalls[k] ?? ProjectItem(expression: .column(calls[k].column.id, calls[k].column.type), column: calls[k].column)
            }
            return .project(.aggregate(input, groups: keyed, aggregates: calls), decode + passed)
        case let .distinct(input):
            guard input.columns.contains(where: { ArrayKeyEncoding.canKey($0.type) }) else { return p }
            let (encode, decode) = encoding(input.columns, &next)
            return .project(.distinct(.project(input, encode)), decode)
        case let .setOperation(intersect, all, l, r, columns):
            guard columns.contains(where: { ArrayKeyEncoding.canKey($0.type) }) else { return p }
            let (_, decode) = encoding(columns, &next)
            let (left, _) = encoding(l.columns, &next), (right, _) = encoding(r.columns, &next)
            let keyedColumns = zip(columns, decode).map { c, d -> PlanColumn in
                guard ArrayKeyEncoding.canKey(c.type), case let .call(_, args, _) = d.expression, case let .column(id, _) = args[0] else { return c }
                var k = c
                k.id = id
                k.type = .varchar
                return k
            }
            return .project(.setOperation(intersect: intersect, all: all, .project(l, left), .project(r, right), columns: keyedColumns), decode)
        case let .window(input, items):
            let keyedItems = items.map { item -> WindowItem in
                var w = item
                w.call.partitionBy = w.call.partitionBy.map(key)
                w.call.orderBy = w.call.orderBy.map(keyed)
                return w
            }
            return .window(input, keyedItems)
        default:
            return p
        }
    }
}
