/// `PIVOT (aggregate [AS alias], … FOR column | (columns) IN (value [AS alias], …) [GROUP BY …])` after a FROM
/// item (Databricks, DuckDB, Snowflake), also DuckDB's statement `PIVOT t ON … [IN (…)] USING … [GROUP BY …]`.
/// The binder turns it into a GROUP BY with one filtered aggregate per (value, aggregate).
public struct PivotClause: Sendable {
    /// One aggregate expression to spread over the values, with its optional alias.
    public struct Aggregate: Sendable {
        public var expression: Expression
        public var alias: String?
        /// The expression as written, naming columns when several aggregates have no alias (`2000_sum(x)`).
        public var text: String
        public init(expression: Expression, alias: String?, text: String) { self.expression = expression; self.alias = alias; self.text = text }
    }

    /// One IN value (a tuple when there are several FOR columns) and the name of its columns: the alias, else the
    /// value as written (a string without its quotes; a tuple's parts joined by `_`).
    public struct Value: Sendable {
        public var expressions: [Expression]
        public var name: String
        public init(expressions: [Expression], name: String) { self.expressions = expressions; self.name = name }
    }

    public var aggregates: [Aggregate]
    /// The FOR (ON) columns whose values become output columns.
    public var columns: [String]
    /// The IN list; nil when every distinct value present in the data becomes a column (DuckDB's form without IN).
    public var values: [Value]?
    /// An explicit GROUP BY (DuckDB); nil groups by every input column the aggregates and FOR columns do not use.
    public var groupBy: [Expression]?
    public var location: SourceLocation

    public init(aggregates: [Aggregate], columns: [String], values: [Value]?, groupBy: [Expression]?, location: SourceLocation) {
        self.aggregates = aggregates; self.columns = columns; self.values = values; self.groupBy = groupBy; self.location = location
    }
}
