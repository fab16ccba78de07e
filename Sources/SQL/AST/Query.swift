/// A possibly schema-qualified name such as `adtech_db.processed_campaign_data`; parts unquoted, as written.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    public var parts: [String]
    public var location: SourceLocation
    public init(_ parts: [String], at location: SourceLocation = .unknown) { self.parts = parts; self.location = location }
    public var name: String { parts.last ?? "" }
    public var schema: String? { parts.count >= 2 ? parts[parts.count - 2] : nil }
    public var description: String { parts.joined(separator: ".") }
    public static func == (a: Self, b: Self) -> Bool { a.parts == b.parts }
    public func hash(into h: inout Hasher) { h.combine(parts) }
}

/// A full query: `WITH … body ORDER BY … LIMIT … OFFSET …`.
public final class Query: Sendable {
    public let with: [CommonTableExpression]
    public let recursive: Bool
    public let body: QueryBody
    public let orderBy: [OrderItem]
    public let limit: Expression?
    public let offset: Expression?
    public let location: SourceLocation

    public init(with: [CommonTableExpression] = [], recursive: Bool = false, body: QueryBody, orderBy: [OrderItem] = [],
                limit: Expression? = nil, offset: Expression? = nil, location: SourceLocation = .unknown) {
        self.with = with; self.recursive = recursive; self.body = body; self.orderBy = orderBy
        self.limit = limit; self.offset = offset; self.location = location
    }
}

/// `name [(columns)] AS (query)` in a WITH clause.
public struct CommonTableExpression: Sendable {
    public var name: String
    public var columnNames: [String]
    public var query: Query
    public init(name: String, columnNames: [String] = [], query: Query) { self.name = name; self.columnNames = columnNames; self.query = query }
}

/// The set-operation tree of a query.
public indirect enum QueryBody: Sendable {
    case select(Select)
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody)
    /// `VALUES (…), (…)`.
    case values([[Expression]])
    /// A parenthesised query with its own ORDER BY / LIMIT.
    case nested(Query)
}

public enum SetOperator: String, Sendable { case union = "UNION", intersect = "INTERSECT", except = "EXCEPT" }

/// One SELECT block.
public struct Select: Sendable {
    public var distinct: Bool
    public var items: [SelectItem]
    /// Comma-separated FROM items (an implicit cross join); empty for `SELECT 1`.
    public var from: [TableReference]
    public var whereClause: Expression?
    public var groupBy: [Expression]
    /// `GROUP BY ALL` (DuckDB / Databricks).
    public var groupByAll: Bool
    public var having: Expression?
    /// Named windows from `WINDOW w AS (…)`.
    public var windows: [String: WindowSpec]
    /// `QUALIFY` filter on window results.
    public var qualify: Expression?
    /// `SELECT DISTINCT ON (k, …)`: the first row (in ORDER BY order) of each distinct key (PostgreSQL, DuckDB).
    public var distinctOn: [Expression] = []
    /// `GROUP BY GROUPING SETS (…)` / `ROLLUP (…)` / `CUBE (…)` (and plain keys crossed with them): each set lists
    /// positions in `groupBy`, which then holds every key once. nil for a plain GROUP BY.
    public var groupingSets: [[Int]]? = nil
    public var location: SourceLocation

    public init(distinct: Bool = false, items: [SelectItem], from: [TableReference] = [], whereClause: Expression? = nil,
                groupBy: [Expression] = [], groupByAll: Bool = false, having: Expression? = nil,
                windows: [String: WindowSpec] = [:], qualify: Expression? = nil, location: SourceLocation = .unknown) {
        self.distinct = distinct; self.items = items; self.from = from; self.whereClause = whereClause
        self.groupBy = groupBy; self.groupByAll = groupByAll; self.having = having; self.windows = windows
        self.qualify = qualify; self.location = location
    }
}

/// One entry of a select list.
public enum SelectItem: Sendable {
    case expression(Expression, alias: String?)
    /// `*` or `t.*`, optionally `* EXCLUDE (a, b)`.
    case star(qualifier: [String]?, exclude: [String], location: SourceLocation)
}

/// `VERSION AS OF n` / `TIMESTAMP AS OF '…'` (also with a leading `FOR`).
public enum TimeTravel: Sendable {
    case version(Expression)
    case timestamp(Expression)
}

/// Join kinds.
public enum JoinKind: String, Sendable { case inner = "INNER", left = "LEFT", right = "RIGHT", full = "FULL", cross = "CROSS" }

/// How a join matches rows.
public enum JoinCondition: Sendable {
    case on(Expression)
    case using([String])
    case natural
    case none
}

/// An item of a FROM clause.
public indirect enum TableReference: Sendable {
    case table(QualifiedName, alias: String?, columnAliases: [String], timeTravel: TimeTravel?)
    case subquery(Query, alias: String?, columnAliases: [String], location: SourceLocation)
    case join(TableReference, TableReference, kind: JoinKind, condition: JoinCondition, location: SourceLocation)
    /// `read_json('…')`, `fill_nulls(TABLE t, …)`, `generate_series(1, 10)` …
    case function(FunctionCall, alias: String?, columnAliases: [String], location: SourceLocation)
    /// `source PIVOT (…) [AS alias]`.
    case pivot(TableReference, PivotClause, alias: String?, location: SourceLocation)
    /// `(VALUES …) AS t(a, b)` is `.subquery`; this is a bare `VALUES` list in FROM position.
}
