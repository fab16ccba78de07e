/// SQL keywords: the full list (for tab completion) and the small reserved set that cannot be used as a bare name.
public enum SQLKeywords {
    /// Words that cannot be used unquoted as a table, column or alias name (close to Trino's reserved words).
    public static let reserved: Set<String> = [
        "ALTER", "AND", "AS", "BETWEEN", "BY", "CASE", "CAST", "CONSTRAINT", "CREATE", "CROSS", "CUBE",
        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DELETE", "DESCRIBE", "DISTINCT", "DROP",
        "ELSE", "END", "ESCAPE", "EXCEPT", "EXISTS", "EXTRACT", "FALSE", "FOR", "FROM", "FULL", "GROUP",
        "GROUPING", "HAVING", "IN", "INNER", "INSERT", "INTERSECT", "INTO", "IS", "JOIN", "LEFT", "LIKE",
        "LOCALTIME", "LOCALTIMESTAMP", "NATURAL", "NOT", "NULL", "ON", "OR", "ORDER", "RECURSIVE", "RIGHT",
        "ROLLUP", "SELECT", "TABLE", "THEN", "TRUE", "UNION", "UNNEST", "USING", "VALUES", "WHEN", "WHERE", "WITH",
    ]

    /// Words that are names elsewhere but never an alias written without `AS` (they start the next clause).
    static let clauseWords: Set<String> = [
        "LIMIT", "OFFSET", "FETCH", "WINDOW", "QUALIFY", "ILIKE", "OVER", "FILTER", "LATERAL", "SEMI", "ANTI",
        "MINUS", "TABLESAMPLE", "RETAIN", "GLOB", "REGEXP",
    ]

    /// Every keyword Tarn's SQL dialect uses, upper-case and sorted, for tab completion.
    public static let all: [String] = Array(reserved.union(clauseWords).union([
        "ADD", "ALL", "ANALYZE", "ANY", "ARRAY", "ASC", "ATTACH", "BEGIN", "BIGINT", "BOOLEAN", "CASCADE", "CHAR",
        "COALESCE", "COLUMN", "COLUMNS", "COMMENT", "COMMIT", "COPY", "COUNT", "CURRENT", "DATABASE", "DATE", "DAY",
        "DECIMAL", "DEFAULT", "DESC", "DETACH", "DOUBLE", "DRY", "EXCLUDE", "EXPECT", "EXPLAIN", "FAIL", "FIRST",
        "FOLLOWING", "FORMAT", "GROUPS", "HEADER", "HISTORY", "HOUR", "HOURS", "IF", "IGNORE", "INCREMENTAL", "INTEGER",
        "INTERVAL", "INT", "KEY", "LAST", "MERGE", "MINUTE", "MODEL", "MONTH", "NULLIF", "NULLS", "NUMERIC", "OF",
        "ONLY", "OPTIONS", "OUTER", "OVERWRITE", "PARTITION", "PATTERN", "PRAGMA", "PRECEDING", "PRIMARY", "RANGE",
        "REAL", "REFRESH", "RENAME", "REPLACE", "RESET", "RESPECT", "RESTORE", "ROLLBACK", "ROW", "ROWS", "RUN",
        "SCHEMA", "SCHEMA", "SCHEMAS", "SECOND", "SET", "SHOW", "SMALLINT", "STRICT", "STRING", "TABLES", "TEXT",
        "TIMESTAMP", "TINYINT", "TO", "TRY_CAST", "UNBOUNDED", "UNIQUE", "UPDATE", "VACUUM", "VARCHAR", "VERSION",
        "VIEW", "VIOLATION", "WEEK", "YEAR", "ZONE", "TIME", "WITHOUT", "FLOAT", "PRECISION", "SIGNED", "UNSIGNED",
        "OR", "EXPLAIN", "DISTINCT",
    ])).sorted()

    /// True if `upper` (an upper-cased bare word) cannot be a name.
    public static func isReserved(_ upper: String) -> Bool { reserved.contains(upper) }
}
