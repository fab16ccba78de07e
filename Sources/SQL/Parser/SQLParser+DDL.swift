import Storage

/// DDL: CREATE SCHEMA / TABLE / VIEW, DROP, ALTER TABLE, column definitions, expectations and type names.
extension SQLParser {
    mutating func parseCreate() throws -> Statement {
        advance()
        var orReplace = false
        var orRefresh = false
        if acceptKeyword("OR") {
            if acceptKeyword("REPLACE") { orReplace = true }
            else if acceptKeyword("REFRESH") { orRefresh = true }
            else { throw unexpected(expected: "REPLACE or REFRESH", context: "after CREATE OR") }
        }
        let incremental = acceptKeyword("INCREMENTAL") || acceptKeyword("STREAMING")
        let persistent = acceptKeyword("PERSISTENT")
        let temporary = !persistent && (acceptKeyword("TEMPORARY") || acceptKeyword("TEMP"))
        if persistent || isKeyword("SECRET") {
            try expectKeyword("SECRET", "after CREATE PERSISTENT")
            if orRefresh || incremental { throw error("CREATE SECRET takes OR REPLACE, not OR REFRESH or INCREMENTAL", at: previous) }
            let ifNotExists = try parseIfNotExists()
            let name = isSymbol("(") ? nil : try parseName("a secret name")
            var options: [String: Expression] = [:]
            try parseOptionList(into: &options)
            return .createSecret(CreateSecret(name: name, orReplace: orReplace, ifNotExists: ifNotExists, temporary: temporary, options: options))
        }
        if !temporary { _ = acceptKeyword("EXTERNAL") }
        if acceptKeyword("SCHEMA") || acceptKeyword("DATABASE") {
            let ifNotExists = try parseIfNotExists()
            let name = try parseQualifiedName("a schema name")
            return .createSchema(name: name.description, ifNotExists: ifNotExists)
        }
        if acceptKeyword("TABLE") {
            var table = try parseCreateTableBody(orReplace: orReplace, orRefresh: orRefresh, incremental: incremental)
            table.temporary = temporary
            return .createTable(table)
        }
        if acceptKeyword("VIEW") || acceptKeywords("MATERIALIZED", "VIEW") {
            var view = try parseCreateViewBody(orReplace: orReplace || orRefresh)
            view.temporary = temporary
            return .createView(view)
        }
        if acceptKeyword("MODEL") {
            if orRefresh || incremental { throw error("CREATE MODEL takes OR REPLACE, not OR REFRESH or INCREMENTAL", at: previous) }
            return .createModel(try parseCreateModelBody(orReplace: orReplace))
        }
        if isKeyword("INDEX") || isKeyword("UNIQUE") {
            let token = current
            throw TarnError.unsupported("CREATE INDEX is not supported", line: token.location.line, column: token.location.column)
        }
        throw unexpected(expected: "TABLE, VIEW, SCHEMA or MODEL", context: "after CREATE")
    }

    private mutating func parseIfNotExists() throws -> Bool {
        acceptKeywords("IF", "NOT", "EXISTS")
    }

    private mutating func parseIfExists() -> Bool {
        acceptKeywords("IF", "EXISTS")
    }

    private mutating func parseCreateTableBody(orReplace: Bool, orRefresh: Bool, incremental: Bool) throws -> CreateTable {
        let ifNotExists = try parseIfNotExists()
        let name = try parseQualifiedName("a table name")
        var table = CreateTable(name: name, orReplace: orReplace, ifNotExists: ifNotExists, orRefresh: orRefresh, incremental: incremental)
        if isSymbol("("), !startsQuery {
            advance()
            repeat {
                if isKeyword("CONSTRAINT") {
                    if let expectation = try parseConstraint() { table.expectations.append(expectation) }
                } else if isKeyword("PRIMARY") || isKeyword("UNIQUE") || isKeyword("CHECK") || isKeyword("FOREIGN") {
                    advance()
                    try skipTableConstraint()
                } else {
                    table.columns.append(try parseColumnDefinition())
                }
            } while acceptSymbol(",")
            try expectSymbol(")", "after the column definitions; expected ',' or")
        }
        try parseTableClauses(into: &table)
        if acceptKeyword("AS") {
            table.query = try parseQuery()
        } else if table.columns.isEmpty {
            if isKeyword("SELECT") || isKeyword("WITH") || isSymbol("(") {
                table.query = try parseQuery()
            } else {
                throw unexpected(expected: "'(' or AS", context: "after the table name")
            }
        }
        return table
    }

    /// The clauses between a table's name or columns and AS, in any order: `TBLPROPERTIES ('k' = 'v', …)` and
    /// Trino's `WITH (k = v, …)` give the table's properties (`parseTrinoTableOptions`: the ones Tarn knows);
    /// `USING delta`, `COMMENT '…'`, `PARTITIONED BY (…)` and `CLUSTER BY (…)` are accepted and ignored.
    private mutating func parseTableClauses(into table: inout CreateTable) throws {
        while true {
            if acceptKeyword("USING") { _ = try parseName("a table format") }
            else if acceptKeyword("COMMENT") { _ = try parseStringLiteralValue() }
            else if acceptKeyword("TBLPROPERTIES") {
                table.properties.merge(try parseTablePropertyList()) { _, later in later }
            } else if isKeyword("WITH") && isSymbol("(", at: 1) && !startsQueryAt(position + 2) {
                advance()
                table.properties.merge(try parseTrinoTableOptions()) { _, later in later }
            } else if acceptKeywords("PARTITIONED", "BY") || acceptKeywords("CLUSTER", "BY") {
                try skipParenthesized()
            } else { return }
        }
    }

    /// `COMMENT '…'`, `TBLPROPERTIES (…)`, `WITH (…)` and the like after a view's name: accepted and ignored (views
    /// keep no properties).
    private mutating func skipViewClauses() throws {
        while true {
            if acceptKeyword("USING") { _ = try parseName("a table format") }
            else if acceptKeyword("COMMENT") { _ = try parseStringLiteralValue() }
            else if acceptKeywords("PARTITIONED", "BY") || acceptKeywords("CLUSTER", "BY") || acceptKeyword("TBLPROPERTIES") {
                try skipParenthesized()
            } else if isKeyword("WITH") && isSymbol("(", at: 1) && !startsQueryAt(position + 2) {
                advance()
                try skipParenthesized()
            } else { return }
        }
    }

    private func startsQueryAt(_ index: Int) -> Bool {
        let token = tokens[min(index, tokens.count - 1)]
        return token.kind == .word && (token.keyword == "SELECT" || token.keyword == "WITH")
    }

    private mutating func parseStringLiteralValue() throws -> String {
        guard current.kind == .string else { throw unexpected(expected: "a string") }
        return advance().text
    }

    /// Skips a balanced `( … )` group.
    private mutating func skipParenthesized() throws {
        try expectSymbol("(", "here")
        var level = 1
        while level > 0 {
            if atEnd { throw unexpected(expected: "')'") }
            let token = advance()
            if token.kind == .symbol, token.text == "(" { level += 1 }
            if token.kind == .symbol, token.text == ")" { level -= 1 }
        }
    }

    /// After PRIMARY / UNIQUE / CHECK / FOREIGN: skips `KEY`, the parenthesised part and any REFERENCES clause.
    private mutating func skipTableConstraint() throws {
        _ = acceptKeyword("KEY")
        if isSymbol("(") { try skipParenthesized() }
        if acceptKeyword("REFERENCES") {
            _ = try parseQualifiedName("a table name")
            if isSymbol("(") { try skipParenthesized() }
        }
    }

    /// `name type [NOT NULL | NULL | DEFAULT e | PRIMARY KEY | UNIQUE | COMMENT '…' | CHECK (…) | CONSTRAINT n …]…`
    private mutating func parseColumnDefinition() throws -> ColumnDefinition {
        let location = current.location
        let name = try parseName("a column name or CONSTRAINT")
        var column = ColumnDefinition(name: name, type: try parseTypeName(), location: location)
        while true {
            if acceptKeywords("NOT", "NULL") { column.notNull = true }
            else if acceptKeyword("NULL") { column.notNull = false }
            else if acceptKeyword("DEFAULT") { column.defaultValue = try parseAdditive() }
            else if acceptKeywords("PRIMARY", "KEY") { _ = acceptKeyword("ASC") || acceptKeyword("DESC"); _ = acceptKeyword("AUTOINCREMENT") }
            else if acceptKeyword("UNIQUE") {}
            else if acceptKeyword("COMMENT") { _ = try parseStringLiteralValue() }
            else if acceptKeyword("CHECK") { try skipParenthesized() }
            else if acceptKeyword("REFERENCES") {
                _ = try parseQualifiedName("a table name")
                if isSymbol("(") { try skipParenthesized() }
            } else if acceptKeyword("COLLATE") { _ = try parseName("a collation name") }
            else if isKeyword("CONSTRAINT"), !isKeyword("EXPECT", at: 2) {
                advance()
                _ = try parseName("a constraint name")
            } else { return column }
        }
    }

    /// `CONSTRAINT name EXPECT (cond) [ON VIOLATION DROP ROW | FAIL UPDATE]`; other named constraints are skipped (nil).
    private mutating func parseConstraint() throws -> Expectation? {
        advance()
        let name = try parseName("a constraint name")
        if acceptKeyword("EXPECT") {
            try expectSymbol("(", "after EXPECT")
            let start = current.location.offset
            let condition = try parseExpression()
            let text = sourceText(from: start)
            try expectSymbol(")", "after the EXPECT condition")
            var action = Expectation.Action.keep
            if acceptKeywords("ON", "VIOLATION") {
                if acceptKeywords("DROP", "ROW") { action = .dropRow }
                else if acceptKeywords("FAIL", "UPDATE") { action = .failUpdate }
                else { throw unexpected(expected: "DROP ROW or FAIL UPDATE", context: "after ON VIOLATION") }
            }
            return Expectation(name: name, condition: condition, conditionText: text, action: action)
        }
        if current.kind == .word, ["PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].contains(current.keyword) {
            advance()
            try skipTableConstraint()
            return nil
        }
        throw unexpected(expected: "EXPECT, PRIMARY KEY, UNIQUE or CHECK", context: "after CONSTRAINT \(name)")
    }

    private mutating func parseCreateViewBody(orReplace: Bool) throws -> CreateView {
        let ifNotExists = try parseIfNotExists()
        let name = try parseQualifiedName("a view name")
        var columns: [String] = []
        if isSymbol("(") { columns = try parseNameList("column") }
        try skipViewClauses()
        try expectKeyword("AS", "after the view name")
        let start = current.location.offset
        let query = try parseQuery()
        return CreateView(name: name, columnNames: columns, query: query, queryText: sourceText(from: start),
                          orReplace: orReplace, ifNotExists: ifNotExists)
    }

    /// `[IF NOT EXISTS] name AS function(args…)` after `CREATE [OR REPLACE] MODEL`.
    private mutating func parseCreateModelBody(orReplace: Bool) throws -> CreateModel {
        let location = previous.location
        let ifNotExists = try parseIfNotExists()
        if orReplace && ifNotExists { throw error("CREATE OR REPLACE MODEL cannot also say IF NOT EXISTS", at: previous) }
        let name = try parseName("a model name")
        try expectKeyword("AS", "after the model name")
        let functionName = try parseQualifiedName("a model function such as mmm(TABLE weekly, …)")
        guard isSymbol("(") else { throw unexpected(expected: "'('", context: "after \(functionName) in CREATE MODEL") }
        let call = try parseFunctionCall(name: functionName.parts, inTablePosition: true)
        return CreateModel(name: name, call: call, orReplace: orReplace, ifNotExists: ifNotExists, location: location)
    }

    mutating func parseDrop() throws -> Statement {
        advance()
        if acceptKeyword("PERSISTENT") || acceptKeyword("TEMPORARY") || acceptKeyword("TEMP") || isKeyword("SECRET") {
            try expectKeyword("SECRET", "after DROP PERSISTENT / TEMPORARY")
            let ifExists = parseIfExists()
            return .dropSecret(name: try parseName("a secret name"), ifExists: ifExists)
        }
        let token = current
        let kind: ObjectKind
        switch token.kind == .word ? token.keyword : "" {
        case "TABLE": kind = .table
        case "VIEW": kind = .view
        case "SCHEMA", "DATABASE": kind = .schema
        case "MODEL": kind = .model
        case "INDEX":
            throw TarnError.unsupported("DROP INDEX is not supported", line: token.location.line, column: token.location.column)
        default:
            throw unexpected(expected: "TABLE, VIEW, SCHEMA or MODEL", context: "after DROP")
        }
        advance()
        let ifExists = parseIfExists()
        let name = try parseQualifiedName("a name")
        let cascade = acceptKeyword("CASCADE")
        if !cascade { _ = acceptKeyword("RESTRICT") }
        return .drop(kind, name, ifExists: ifExists, cascade: cascade)
    }

    mutating func parseAlterTable() throws -> Statement {
        advance()
        try expectKeyword("TABLE", "after ALTER")
        let table = try parseQualifiedName("a table name")
        if acceptKeyword("ADD") {
            if isKeyword("CONSTRAINT") {
                guard let expectation = try parseConstraint() else {
                    throw error("only CONSTRAINT … EXPECT (…) constraints can be added", at: previous)
                }
                return .alterTable(table, .addExpectation(expectation))
            }
            _ = acceptKeyword("COLUMN")
            let ifNotExists = try parseIfNotExists()
            return .alterTable(table, .addColumn(try parseColumnDefinition(), ifNotExists: ifNotExists))
        }
        if acceptKeyword("DROP") {
            if acceptKeyword("CONSTRAINT") {
                _ = parseIfExists()
                return .alterTable(table, .dropExpectation(try parseName("a constraint name")))
            }
            _ = acceptKeyword("COLUMN")
            let ifExists = parseIfExists()
            return .alterTable(table, .dropColumn(try parseName("a column name"), ifExists: ifExists))
        }
        if acceptKeyword("RENAME") {
            if acceptKeyword("TO") {
                return .alterTable(table, .renameTable(to: try parseQualifiedName("a new table name")))
            }
            _ = acceptKeyword("COLUMN")
            let from = try parseName("a column name")
            try expectKeyword("TO", "after the column name in RENAME COLUMN")
            return .alterTable(table, .renameColumn(from: from, to: try parseName("a new column name")))
        }
        if acceptKeyword("SET") {
            try expectKeyword("TBLPROPERTIES", "after ALTER TABLE … SET")
            return .alterTable(table, .setProperties(try parseTablePropertyList()))
        }
        throw unexpected(expected: "ADD, DROP, RENAME or SET TBLPROPERTIES", context: "after ALTER TABLE \(table)")
    }

    // MARK: Types

    /// A type name as written, upper-cased: `INTEGER`, `DECIMAL(10,2)`, `VARCHAR(20)`, `DOUBLE PRECISION` → `DOUBLE`,
    /// `TIMESTAMP WITH TIME ZONE`, `CHARACTER VARYING` → `VARCHAR`, `SIGNED [INTEGER]` → `SIGNED`.
    mutating func parseTypeName() throws -> TypeName {
        let token = current
        guard token.kind == .word || token.kind == .quotedWord else { throw unexpected(expected: "a type name") }
        advance()
        var name = token.kind == .word ? token.keyword : token.text.uppercased()
        if name == "ARRAY" || name == "LIST", isSymbol("(") || isSymbol("<") {
            // Trino's ARRAY(T), Databricks' ARRAY<T>, DuckDB's LIST(T).
            let close = advance().text == "(" ? ")" : ">"
            let element = try parseTypeName()
            try expectSymbol(close, "after the element type of \(name)")
            return try parseArraySuffixes(TypeName.array(of: element))
        }
        if name == "ROW" || name == "STRUCT" || name == "MAP", isSymbol("(") || isSymbol("<") {
            return try parseArraySuffixes(try parseNestedTypeName(name))
        }
        switch name {
        case "DOUBLE": _ = acceptKeyword("PRECISION")
        case "CHARACTER":
            if acceptKeyword("VARYING") { name = "VARCHAR" } else { name = "CHAR" }
        case "SIGNED", "UNSIGNED": _ = acceptKeyword("INTEGER") || acceptKeyword("INT")
        case "TIMESTAMP", "TIME":
            if acceptKeywords("WITH", "TIME", "ZONE") { name += " WITH TIME ZONE" }
            else { _ = acceptKeywords("WITHOUT", "TIME", "ZONE") }
        default: break
        }
        var parameters: [Int] = []
        if isSymbol("(") {
            advance()
            repeat {
                var sign = 1
                if acceptSymbol("-") { sign = -1 } else { _ = acceptSymbol("+") }
                guard current.kind == .integer, let value = Int(current.text) else {
                    throw unexpected(expected: "an integer type parameter", context: "in \(name)(…)")
                }
                advance()
                parameters.append(sign * value)
            } while acceptSymbol(",")
            try expectSymbol(")", "after the type parameters; expected ',' or")
            // Trino's `timestamp(3) with time zone`: the precision comes before the zone clause.
            if name == "TIMESTAMP" || name == "TIME" {
                if acceptKeywords("WITH", "TIME", "ZONE") { name += " WITH TIME ZONE" }
                else { _ = acceptKeywords("WITHOUT", "TIME", "ZONE") }
            }
        }
        if name == "INT" || name == "INTEGER" || name == "BIGINT", isKeyword("UNSIGNED") { advance() }
        return try parseArraySuffixes(TypeName(name: name, parameters: parameters))
    }

    /// `ROW(name T, …)` / `ROW(T, …)` (Trino), `STRUCT(name T, …)` / `STRUCT<name: T, …>` (DuckDB, Databricks),
    /// `MAP(K, V)` / `MAP<K, V>`, after the type's name.
    private mutating func parseNestedTypeName(_ name: String) throws -> TypeName {
        let close = advance().text == "(" ? ")" : ">"
        try enter()
        defer { leave() }
        var types: [TypeName] = []
        var names: [String?] = []
        repeat {
            if name == "MAP" {
                types.append(try parseTypeName())
                continue
            }
            // A field is `name type`, `name: type` (Databricks), or a bare type (Trino's anonymous fields).
            let first = current, second = peek()
            let named = (first.kind == .word || first.kind == .quotedWord)
                && (second.kind == .word || second.kind == .quotedWord || (second.kind == .symbol && second.text == ":"))
            if named {
                advance()
                _ = acceptSymbol(":")
                names.append(first.text)
            } else {
                names.append(nil)
            }
            types.append(try parseTypeName())
        } while acceptSymbol(",")
        try expectSymbol(close, "after the fields of \(name); expected ',' or")
        if name == "MAP" {
            guard types.count == 2 else { throw unexpected(expected: "MAP(key type, value type)") }
            return TypeName.nested("MAP", types)
        }
        return TypeName.nested("ROW", types, fieldNames: names)
    }

    /// DuckDB's `T[]` (repeatable: `T[][]`).
    private mutating func parseArraySuffixes(_ type: TypeName) throws -> TypeName {
        var result = type
        while isSymbol("["), isSymbol("]", at: 1) {
            advance(); advance()
            result = TypeName.array(of: result)
        }
        return result
    }
}
