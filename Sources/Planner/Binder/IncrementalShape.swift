import SQL

/// The shapes of a pipeline table's query for which a change of its one source can be applied to the table without
/// recomputing it (see the pipeline's refresh from the change data feed):
/// - `perRow`: `SELECT exprs FROM source [WHERE cond]` — each output row comes from one source row, so the rows a
///   change removed and added map to output rows one by one;
/// - `grouped`: `SELECT key columns, aggregates FROM source [WHERE cond] GROUP BY key columns [HAVING cond]` — each
///   output row depends only on the source rows of its group, so only the groups a change touched are recomputed.
/// Anything else (joins, subqueries, windows, DISTINCT, LIMIT, CTEs, set operations, volatile functions) is nil.
public enum IncrementalShape: Sendable, Equatable {
    case perRow(source: QualifiedName, alias: String)
    /// `keys`: per GROUP BY key, the source column and the output column (by position) that carries it.
    case grouped(source: QualifiedName, alias: String, keys: [Key])

    /// A group key: its source column and the output column position holding its value.
    public struct Key: Sendable, Equatable {
        public var sourceColumn: String
        public var output: Int
    }

    /// Functions whose value changes from one evaluation to the next: a table built with them cannot be kept
    /// up to date from changes.
    static let volatile: Set<String> = ["random", "rand", "uuid", "gen_random_uuid", "now", "current_timestamp", "current_date",
                                        "current_time", "localtimestamp", "today", "get_current_timestamp", "nextval", "setseed"]

    public static func classify(_ query: Query) -> IncrementalShape? {
        guard query.with.isEmpty, query.limit == nil, query.offset == nil, case let .select(s) = query.body else { return nil }
        guard !s.distinct, s.distinctOn.isEmpty, s.windows.isEmpty, s.qualify == nil, s.groupingSets == nil, !s.groupByAll,
              s.from.count == 1, case let .table(source, alias, columnAliases, timeTravel) = s.from[0],
              columnAliases.isEmpty, timeTravel == nil else { return nil }
        let qualifier = (alias ?? source.name).lowercased()
        var expressions: [Expression] = s.groupBy
        for item in s.items { if case let .expression(e, _) = item { expressions.append(e) } }
        if let w = s.whereClause { expressions.append(w) }
        if let h = s.having { expressions.append(h) }
        for e in expressions where !isPlain(e) { return nil }
        let aggregates = s.items.contains { if case let .expression(e, _) = $0 { return ExpressionNaming.containsAggregate(e) }; return false }
            || (s.having.map(ExpressionNaming.containsAggregate) ?? false)
        if s.groupBy.isEmpty {
            guard !aggregates, s.having == nil else { return nil }
            return .perRow(source: source, alias: alias ?? source.name)
        }
        // Every key a plain source column that the select list outputs as itself.
        func columnName(_ e: Expression) -> String? {
            guard case let .column(parts) = e.kind, let last = parts.last, parts.count == 1 || (parts.count == 2 && parts[0].lowercased() == qualifier)
            else { return nil }
            return last
        }
        var keys: [Key] = []
        for g in s.groupBy {
            var key: Expression = g
            if case let .literal(.integer(text)) = g.kind {
                guard let k = Int(text), k >= 1, k <= s.items.count, case let .expression(e, _) = s.items[k - 1] else { return nil }
                key = e
            }
            guard let column = columnName(key) else { return nil }
            guard let output = s.items.firstIndex(where: { item in
                if case let .expression(e, _) = item, let c = columnName(e) { return c.lowercased() == column.lowercased() }
                return false
            }) else { return nil }
            keys.append(Key(sourceColumn: column, output: output))
        }
        // Star items would make output positions depend on the source's schema.
        guard !s.items.contains(where: { if case .star = $0 { return true }; return false }) else { return nil }
        return .grouped(source: source, alias: alias ?? source.name, keys: keys)
    }

    /// No subquery, window, table argument or volatile function anywhere in `e`.
    private static func isPlain(_ e: Expression) -> Bool {
        var plain = true
        ExpressionNaming.visit(e) { node in
            switch node.kind {
            case .subquery, .exists, .inSubquery: plain = false
            case let .function(call):
                if call.window != nil || volatile.contains(call.baseName) { plain = false }
                for a in call.arguments { if case .expression = a.value {} else { plain = false } }
            case let .column(parts):
                if parts.count == 1, volatile.contains(parts[0].lowercased()) { plain = false }
            default: break
            }
        }
        return plain
    }
}
