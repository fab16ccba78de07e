import Storage
import Execution

/// Refuses plans that would sort, group, deduplicate or join on ARRAY, ROW or MAP values that `ArrayKeyRewrite` did not key:
/// a clear error at planning instead of wrong rows from key tables that do not know the type.
enum UnorderableKeyCheck {
    static func validate(_ plan: LogicalPlan) throws {
        switch plan {
        case let .sort(_, keys), let .topN(_, keys, _, _):
            try keys.forEach { try check($0.expression.type, "ORDER BY") }
        case let .aggregate(_, groups, aggregates):
            try groups.forEach { try check($0.column.type, "GROUP BY") }
            for a in aggregates where a.call.distinct { try a.call.arguments.forEach { try check($0.type, "DISTINCT aggregates") } }
        case let .distinct(input):
            try input.columns.forEach { try check($0.type, "SELECT DISTINCT / UNION") }
        case let .setOperation(intersect, _, _, _, columns):
            try columns.forEach { try check($0.type, intersect ? "INTERSECT" : "EXCEPT") }
        case let .window(_, items):
            for item in items {
                try item.call.partitionBy.forEach { try check($0.type, "PARTITION BY") }
                try item.call.orderBy.forEach { try check($0.expression.type, "ORDER BY in a window") }
            }
        case let .join(_, _, _, condition, _):
            if let condition { try checkComparisons(condition) }
        default: break
        }
        try plan.inputs.forEach(validate)
    }

    private static func check(_ type: DataType, _ clause: String) throws {
        guard type.isOrderable else {
            throw TarnError.semantic("\(clause) cannot use a value of type \(type): arrays, rows and maps are compared, sorted and grouped through their keys except in DISTINCT aggregates other than count and array_agg")
        }
    }

    private static let comparisons: Set<String> = ["=", "<>", "!=", "<", "<=", ">", ">=", "is_distinct_from", "is_not_distinct_from"]

    private static func checkComparisons(_ e: BoundExpression) throws {
        switch e {
        case let .call(f, args, _):
            if comparisons.contains(f.name) { try args.forEach { try check($0.type, "a join condition") } }
            try args.forEach(checkComparisons)
        case let .and(xs), let .or(xs): try xs.forEach(checkComparisons)
        case let .not(x): try checkComparisons(x)
        default: break
        }
    }
}
