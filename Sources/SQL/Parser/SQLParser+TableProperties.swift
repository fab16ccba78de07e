import Storage

/// Table properties in DDL: `TBLPROPERTIES ('key' = 'value', …)` (CREATE TABLE and ALTER TABLE … SET) and Trino's
/// `CREATE TABLE … WITH (key = value, …)`.
extension SQLParser {
    /// `('key' = 'value', …)`: keys lower-cased, the `=` optional, every value a literal (`tablePropertyText`; NULL or
    /// an expression is a syntax error at the value). A key without a value is an error at the key, as in Spark
    /// ("Values must be specified"), and as a property of Tarn's is in Trino's WITH.
    mutating func parseTablePropertyList() throws -> [String: String] {
        try expectSymbol("(", "before the table properties")
        var properties: [String: String] = [:]
        if acceptSymbol(")") { return properties }
        repeat {
            let (token, key) = try parseOptionName("a table property name")
            _ = acceptSymbol("=")
            if isSymbol(",") || isSymbol(")") {
                throw error("table property '\(key)' needs a value: '\(key)' = 'true', for example", at: token)
            }
            properties[key] = try tablePropertyText(key, try parseOptionValue())
        } while acceptSymbol(",")
        try expectSymbol(")", "after the table properties; expected ',' or")
        return properties
    }

    /// Trino's `WITH (key = value, …)` after CREATE TABLE: the properties of `Lake.knownTableProperties` (whose
    /// values must be literals, as in TBLPROPERTIES); any other option is Trino's connector's (or PostgreSQL's
    /// storage parameter) and is skipped, whatever its value (`partitioned_by = ARRAY['day']`, `bucket_count = 8`,
    /// a bare `autovacuum_enabled`). The `=` may be left out, as in other option lists.
    mutating func parseTrinoTableOptions() throws -> [String: String] {
        try expectSymbol("(", "after WITH")
        var properties: [String: String] = [:]
        if acceptSymbol(")") { return properties }
        repeat {
            let (token, key) = try parseOptionName("a table property name")
            let known = Lake.knownTableProperties.contains(key)
            if !acceptSymbol("="), isSymbol(",") || isSymbol(")") {
                // A flag (PostgreSQL's `WITH (autovacuum_enabled)`): no value for a property of Tarn's.
                if known { throw error("the value of table property '\(key)' must be a string, boolean or number literal", at: token) }
                continue
            }
            if known {
                properties[key] = try tablePropertyText(key, try parseOptionValue())
            } else {
                try skipOptionValue()
            }
        } while acceptSymbol(",")
        try expectSymbol(")", "after the table properties; expected ',' or")
        return properties
    }

    /// A table property's value as text. As in Databricks, a string, boolean, integer or decimal literal (a bare
    /// word counts as a string, as in other option lists): `delta.enableDeletionVectors = true` stores 'true'.
    private func tablePropertyText(_ key: String, _ value: Expression) throws -> String {
        if case let .literal(literal) = value.kind {
            switch literal {
            case let .string(text), let .integer(text), let .decimal(text): return text
            case let .boolean(b): return b ? "true" : "false"
            default: break
            }
        }
        throw TarnError.syntax("the value of table property '\(key)' must be a string, boolean or number literal",
                               line: value.location.line, column: value.location.column)
    }

    /// Skips one option value: tokens up to the `,` or `)` that ends it, over balanced brackets.
    private mutating func skipOptionValue() throws {
        var level = 0
        let start = position
        while true {
            if atEnd { throw unexpected(expected: "')'", context: "in the table properties") }
            if current.kind == .symbol {
                let text = current.text
                if level == 0, text == "," || text == ")" {
                    if position == start { throw unexpected(expected: "a value", context: "after '='") }
                    return
                }
                if text == "(" || text == "[" { level += 1 }
                if text == ")" || text == "]" { level -= 1 }
            }
            advance()
        }
    }
}
