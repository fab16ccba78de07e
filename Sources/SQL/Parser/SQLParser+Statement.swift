import Storage

/// Statements other than DDL: queries, DML, SHOW / DESCRIBE / EXPLAIN, table maintenance, session and COPY / ATTACH.
extension SQLParser {
    /// All statements of the text, separated by `;`.
    mutating func parseStatements() throws -> [ParsedStatement] {
        var statements: [ParsedStatement] = []
        while true {
            while acceptSymbol(";") {}
            if atEnd { return statements }
            let start = current
            let statement = try parseStatement()
            if !atEnd, !isSymbol(";") {
                throw unexpected(expected: "';' or end of input", context: "after the statement")
            }
            statements.append(ParsedStatement(statement: statement, text: sourceText(from: start.location.offset), location: start.location))
        }
    }

    private static let statementStarts = "SELECT, WITH, VALUES, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, SHOW, DESCRIBE, EXPLAIN, "
        + "SET, COPY, ATTACH, … "

    mutating func parseStatement() throws -> Statement {
        let token = current
        if token.kind == .symbol, token.text == "(" { return .query(try parseQuery()) }
        guard token.kind == .word else { throw unexpected(expected: "a statement (\(SQLParser.statementStarts))") }
        switch token.keyword {
        case "SELECT", "WITH", "VALUES", "TABLE": return .query(try parseQuery())
        case "CREATE": return try parseCreate()
        case "DROP": return try parseDrop()
        case "ALTER": return try parseAlterTable()
        case "INSERT": return try parseInsert()
        case "DELETE": return try parseDelete()
        case "TRUNCATE":
            // `TRUNCATE [TABLE] t` (PostgreSQL, DuckDB, Databricks): every row deleted, one commit.
            advance()
            _ = acceptKeyword("TABLE")
            return .delete(table: try parseQualifiedName("a table name"), whereClause: nil)
        case "UPDATE": return try parseUpdate()
        case "SHOW": return try parseShow()
        case "SUMMARIZE":
            advance()
            if startsQuery { return .summarize(try parseQuery()) }
            let name = try parseQualifiedName("a table name, or a query")
            let select = Select(items: [.star(qualifier: nil, exclude: [], location: name.location)],
                                from: [.table(name, alias: nil, columnAliases: [], timeTravel: nil)], location: name.location)
            return .summarize(Query(body: .select(select), location: name.location))
        case "DESCRIBE", "DESC": return try parseDescribe()
        case "EXPLAIN":
            advance()
            let analyze = acceptKeyword("ANALYZE")
            _ = acceptKeyword("VERBOSE")
            return .explain(try parseStatement(), analyze: analyze)
        case "RESTORE": return try parseRestore()
        case "VACUUM": return try parseVacuum()
        case "SET": return try parseSet()
        case "PRAGMA": return try parsePragma()
        case "RESET":
            advance()
            if isKeyword("TIME"), isKeyword("ZONE", at: 1) { advance(); advance(); return .reset(name: "timezone") }
            return .reset(name: try parseSettingName())
        case "BEGIN", "START":
            advance()
            if token.keyword == "START" { try expectKeyword("TRANSACTION", "after START") }
            _ = acceptKeyword("TRANSACTION") || acceptKeyword("WORK")
            return .transaction("BEGIN")
        case "COMMIT", "END":
            advance()
            _ = acceptKeyword("TRANSACTION") || acceptKeyword("WORK")
            return .transaction("COMMIT")
        case "ROLLBACK", "ABORT":
            advance()
            _ = acceptKeyword("TRANSACTION") || acceptKeyword("WORK")
            return .transaction("ROLLBACK")
        case "USE":
            advance()
            return .use(try parseQualifiedName("a schema name").description)
        case "COPY": return try parseCopy()
        case "EXPORT":
            advance()
            try expectKeyword("TABLE", "after EXPORT")
            let table = try parseQualifiedName("a table name")
            try expectKeyword("TO", "in EXPORT TABLE")
            let path = try parseStringLiteral("a folder path string after TO")
            var options: [String: Expression] = [:]
            if acceptKeyword("WITH") || isSymbol("(") { try parseOptionList(into: &options) }
            return .exportTable(table, path: path, options: options)
        case "ATTACH": return try parseAttach()
        case "DETACH":
            advance()
            _ = acceptKeyword("DATABASE")
            return .detach(alias: try parseName("the name of the attached database"))
        case "MERGE": return try parseMerge()
        case "OPTIMIZE":
            advance()
            _ = acceptKeyword("TABLE")
            let table = try parseQualifiedName("a table name")
            let condition = acceptKeyword("WHERE") ? try parseExpression() : nil
            var zorder: [String] = []
            if acceptKeyword("ZORDER") {
                try expectKeyword("BY", "after ZORDER")
                zorder = isSymbol("(") ? try parseNameList("column") : [try parseName("a column name")]
            }
            return .optimize(table, whereClause: condition, zorder: zorder)
        case "PIVOT": return .query(try parsePivotStatement())
        case "UNPIVOT": return .query(try parseUnpivotStatement())
        case "GRANT", "REVOKE":
            throw TarnError(.unsupported, "\(token.keyword == "MERGE" ? "MERGE INTO" : token.keyword) is not supported yet",
                            line: token.location.line, column: token.location.column)
        default:
            throw unexpected(expected: "a statement (\(SQLParser.statementStarts))")
        }
    }

    // MARK: DML

    private mutating func parseInsert() throws -> Statement {
        advance()
        var overwrite = false
        if acceptKeyword("OVERWRITE") {
            overwrite = true
            _ = acceptKeyword("TABLE")
        } else {
            guard acceptKeyword("INTO") else { throw unexpected(expected: "INTO or OVERWRITE", context: "after INSERT") }
            _ = acceptKeyword("TABLE")
        }
        let table = try parseQualifiedName("a table name")
        var columns: [String]?
        if isSymbol("("), !startsQuery { columns = try parseNameList("column") }
        guard isKeyword("SELECT") || isKeyword("WITH") || isKeyword("VALUES") || isKeyword("TABLE") || isSymbol("(") else {
            throw unexpected(expected: "VALUES or SELECT", context: "in INSERT")
        }
        let source = try parseQuery()
        return .insert(Insert(table: table, columns: columns, source: source, overwrite: overwrite))
    }

    private mutating func parseDelete() throws -> Statement {
        advance()
        try expectKeyword("FROM", "after DELETE")
        let table = try parseQualifiedName("a table name")
        try refuseTargetAlias("DELETE")
        var sources: [TableReference] = []
        let usingLocation = current.location
        if acceptKeyword("USING") {
            // `DELETE FROM t USING s WHERE s.k = t.k` (PostgreSQL, DuckDB) is `DELETE FROM t WHERE EXISTS (SELECT 1 FROM s WHERE …)`.
            repeat { sources.append(try parseJoinedTable()) } while acceptSymbol(",")
        }
        var whereClause: Expression?
        if acceptKeyword("WHERE") { whereClause = try parseExpression() }
        if !sources.isEmpty { whereClause = Self.exists(from: sources, where: whereClause, at: usingLocation) }
        return .delete(table: table, whereClause: whereClause)
    }

    /// `MERGE INTO t [AS a] USING source [AS s] ON cond WHEN [NOT] MATCHED [BY TARGET | BY SOURCE] [AND c] THEN
    /// UPDATE SET … | UPDATE SET * | DELETE | INSERT [(cols)] VALUES (…) | INSERT * | DO NOTHING`, repeated.
    private mutating func parseMerge() throws -> Statement {
        advance()
        try expectKeyword("INTO", "after MERGE")
        let target = try parseQualifiedName("a table name")
        let targetAlias = try parseAlias()
        try expectKeyword("USING", "after the MERGE target")
        let source = try parseTablePrimary()
        try expectKeyword("ON", "after the MERGE source")
        let condition = try parseExpression()
        var clauses: [MergeStatement.Clause] = []
        while isKeyword("WHEN") {
            let location = advance().location
            var match = MergeStatement.Match.matched
            if acceptKeyword("NOT") {
                try expectKeyword("MATCHED", "after WHEN NOT")
                match = .notMatchedByTarget
                if acceptKeyword("BY") {
                    if acceptKeyword("SOURCE") { match = .notMatchedBySource } else { try expectKeyword("TARGET", "after NOT MATCHED BY") }
                }
            } else {
                try expectKeyword("MATCHED", "after WHEN")
            }
            let clauseCondition = acceptKeyword("AND") ? try parseExpression() : nil
            try expectKeyword("THEN", "in a WHEN clause")
            let action: MergeStatement.Action
            if acceptKeyword("UPDATE") {
                try expectKeyword("SET", "after UPDATE in MERGE")
                if acceptSymbol("*") {
                    action = .updateAll
                } else {
                    action = .update(try parseAssignments())
                }
            } else if acceptKeyword("DELETE") {
                action = .delete
            } else if acceptKeyword("INSERT") {
                if acceptSymbol("*") {
                    action = .insertAll
                } else {
                    let columns = isSymbol("(") ? try parseNameList("column") : nil
                    try expectKeyword("VALUES", "in MERGE's INSERT")
                    try expectSymbol("(", "after VALUES")
                    var values: [Expression] = []
                    repeat { values.append(try parseExpression()) } while acceptSymbol(",")
                    try expectSymbol(")", "after the inserted values")
                    action = .insert(columns: columns, values: values)
                }
            } else if acceptKeyword("DO") {
                try expectKeyword("NOTHING", "after DO")
                action = .doNothing
            } else {
                throw unexpected(expected: "UPDATE, DELETE, INSERT or DO NOTHING", context: "after THEN")
            }
            if match == .notMatchedByTarget, case .update = action { throw error("WHEN NOT MATCHED rows have no target row to UPDATE; INSERT them", at: previous) }
            if match == .notMatchedByTarget, case .updateAll = action { throw error("WHEN NOT MATCHED rows have no target row to UPDATE; INSERT them", at: previous) }
            if match == .notMatchedByTarget, case .delete = action { throw error("WHEN NOT MATCHED rows have no target row to DELETE", at: previous) }
            if match != .notMatchedByTarget, case .insert = action { throw error("only WHEN NOT MATCHED [BY TARGET] may INSERT", at: previous) }
            if match != .notMatchedByTarget, case .insertAll = action { throw error("only WHEN NOT MATCHED [BY TARGET] may INSERT", at: previous) }
            if clauses.contains(where: { $0.match == match && $0.condition == nil }) {
                // Databricks and DuckDB: only the last clause of a kind may leave out its condition.
                throw TarnError(.syntax, "this WHEN clause can never apply: an earlier one of its kind has no AND condition "
                                + "(only the last clause of a kind may leave it out)", line: location.line, column: location.column)
            }
            clauses.append(MergeStatement.Clause(match: match, condition: clauseCondition, action: action, location: location))
        }
        guard !clauses.isEmpty else { throw unexpected(expected: "WHEN MATCHED or WHEN NOT MATCHED", context: "after MERGE … ON") }
        return .merge(MergeStatement(target: target, targetAlias: targetAlias, source: source, condition: condition, clauses: clauses))
    }

    /// `EXISTS (SELECT 1 FROM sources [WHERE condition])`.
    static func exists(from sources: [TableReference], where condition: Expression?, at location: SourceLocation) -> Expression {
        let one = Expression(.literal(.integer("1")), at: location)
        let select = Select(items: [.expression(one, alias: nil)], from: sources, whereClause: condition, location: location)
        return Expression(.exists(Query(body: .select(select), location: location), negated: false), at: location)
    }

    /// `DELETE FROM t AS x` / `UPDATE t x`: target aliases are not supported; say so instead of a syntax error later.
    private mutating func refuseTargetAlias(_ statement: String) throws {
        if isKeyword("AS") || (current.kind == .word && !["WHERE", "USING", "SET", "FROM"].contains(current.keyword) && !SQLKeywords.isReserved(current.keyword)) {
            throw TarnError(.unsupported, "an alias for the \(statement) target is not supported yet; refer to the table by its name",
                            line: current.location.line, column: current.location.column)
        }
    }

    private mutating func parseUpdate() throws -> Statement {
        advance()
        let table = try parseQualifiedName("a table name")
        try refuseTargetAlias("UPDATE")
        try expectKeyword("SET", "after the table name in UPDATE")
        var assignments = try parseAssignments()
        var sources: [TableReference] = []
        let fromLocation = current.location
        if acceptKeyword("FROM") {
            // `UPDATE t SET c = s.v FROM s WHERE s.k = t.k` (PostgreSQL, DuckDB): each value is the one matching row's
            // (a scalar subquery, so two matching rows are an error, as in Delta's MERGE), and only matched rows change.
            repeat { sources.append(try parseJoinedTable()) } while acceptSymbol(",")
        }
        var whereClause: Expression?
        if acceptKeyword("WHERE") { whereClause = try parseExpression() }
        if !sources.isEmpty {
            let condition = whereClause
            assignments = assignments.map { a in
                let select = Select(items: [.expression(a.value, alias: nil)], from: sources, whereClause: condition, location: fromLocation)
                return Assignment(column: a.column, value: Expression(.subquery(Query(body: .select(select), location: fromLocation)), at: a.value.location))
            }
            whereClause = Self.exists(from: sources, where: condition, at: fromLocation)
        }
        return .update(table: table, assignments: assignments, whereClause: whereClause)
    }

    // MARK: Introspection

    private mutating func parseShow() throws -> Statement {
        advance()
        if acceptKeyword("TABLES") {
            var schema: String?
            var like: String?
            if acceptKeyword("FROM") || acceptKeyword("IN") { schema = try parseQualifiedName("a schema name").description }
            if acceptKeyword("LIKE") {
                guard current.kind == .string else { throw unexpected(expected: "a pattern string", context: "after LIKE") }
                like = advance().text
            }
            return .showTables(schema: schema, like: like)
        }
        if acceptKeyword("SCHEMAS") || acceptKeyword("DATABASES") { return .showSchemas }
        if acceptKeywords("TIME", "ZONE") || acceptKeyword("TIMEZONE") {
            return .query(try Parser.parseQuery("SELECT current_setting('TimeZone') AS \"TimeZone\""))
        }
        if acceptKeyword("COLUMNS") {
            guard acceptKeyword("FROM") || acceptKeyword("IN") else { throw unexpected(expected: "FROM", context: "after SHOW COLUMNS") }
            var name = try parseQualifiedName("a table name")
            if acceptKeyword("FROM") || acceptKeyword("IN") {
                let schema = try parseQualifiedName("a schema name")
                name = QualifiedName(schema.parts + name.parts, at: name.location)
            }
            return .describe(name)
        }
        if acceptKeyword("CREATE") {
            guard acceptKeyword("TABLE") || acceptKeyword("VIEW") else { throw unexpected(expected: "TABLE or VIEW", context: "after SHOW CREATE") }
            return .showCreate(try parseQualifiedName("a table or view name"))
        }
        throw unexpected(expected: "TABLES, SCHEMAS, COLUMNS or CREATE TABLE", context: "after SHOW")
    }

    private mutating func parseDescribe() throws -> Statement {
        advance()
        if isKeyword("HISTORY"), peek().kind == .word || peek().kind == .quotedWord {
            advance()
            return .describeHistory(try parseQualifiedName("a table name"))
        }
        if startsQuery { return .describeQuery(try parseQuery()) }
        _ = acceptKeyword("TABLE") || acceptKeyword("EXTENDED")
        return .describe(try parseQualifiedName("a table name, or a query"))
    }

    // MARK: Maintenance

    private mutating func parseRestore() throws -> Statement {
        advance()
        _ = acceptKeyword("TABLE")
        let table = try parseQualifiedName("a table name")
        _ = acceptKeyword("TO")
        guard let target = try parseTimeTravel() else {
            throw unexpected(expected: "VERSION AS OF or TIMESTAMP AS OF", context: "in RESTORE")
        }
        return .restore(table, target)
    }

    private mutating func parseVacuum() throws -> Statement {
        advance()
        _ = acceptKeyword("TABLE")
        let table = try parseQualifiedName("a table name")
        var hours: Double?
        if acceptKeyword("RETAIN") {
            let token = current
            guard token.kind == .integer || token.kind == .decimal || token.kind == .double, let value = Double(token.text) else {
                throw unexpected(expected: "a number of hours", context: "after RETAIN")
            }
            advance()
            hours = value
            try expectKeyword("HOURS", "after the RETAIN value")
        }
        let dryRun = acceptKeywords("DRY", "RUN")
        return .vacuum(table, retainHours: hours, dryRun: dryRun)
    }

    // MARK: Session

    /// `a`, `a.b.c` joined with dots (`spark.sql.ansi.enabled`).
    private mutating func parseSettingName() throws -> String {
        guard current.kind == .word || current.kind == .quotedWord else { throw unexpected(expected: "a setting name") }
        var parts = [advance().text]
        while acceptSymbol(".") {
            guard current.kind == .word || current.kind == .quotedWord else { throw unexpected(expected: "a setting name", context: "after '.'") }
            parts.append(advance().text)
        }
        return parts.joined(separator: ".")
    }

    private mutating func parseSet() throws -> Statement {
        advance()
        if isKeyword("SESSION") || isKeyword("LOCAL"), peek().kind == .word { advance() }
        if isKeyword("TIME"), isKeyword("ZONE", at: 1) {
            // PostgreSQL / Trino: SET TIME ZONE 'Europe/Paris' | LOCAL | DEFAULT (the last two: back to UTC).
            advance(); advance()
            if isKeyword("LOCAL") || isKeyword("DEFAULT") { advance(); return .reset(name: "timezone") }
            return .set(name: "timezone", value: try parseOptionValue())
        }
        let name = try parseSettingName()
        guard acceptSymbol("=") || acceptKeyword("TO") else { throw unexpected(expected: "'=' or TO", context: "after SET \(name)") }
        return .set(name: name, value: try parseOptionValue())
    }

    private mutating func parsePragma() throws -> Statement {
        advance()
        let name = try parseSettingName()
        if acceptSymbol("=") { return .set(name: name, value: try parseOptionValue()) }
        if acceptSymbol("(") {
            let value = try parseOptionValue()
            try expectSymbol(")", "after the PRAGMA value")
            return .set(name: name, value: value)
        }
        throw unexpected(expected: "'=' or '('", context: "after PRAGMA \(name)")
    }

    /// An option or setting value: a bare word becomes a string (`FORMAT csv`), anything else an expression.
    mutating func parseOptionValue() throws -> Expression {
        let token = current
        if token.kind == .word, !["TRUE", "FALSE", "NULL", "DATE", "TIMESTAMP", "INTERVAL"].contains(token.keyword),
           !isSymbol("(", at: 1), !isSymbol(".", at: 1) {
            advance()
            return Expression(.literal(.string(token.text)), at: token.location)
        }
        return try parseExpression()
    }

    /// An option's name: a word, quoted word or string, then `.word` parts (`delta.publish_to`), lower-cased; its
    /// first token for error positions. `what` names it in the error when the name is missing.
    mutating func parseOptionName(_ what: String) throws -> (token: Token, key: String) {
        let token = current
        guard token.kind == .word || token.kind == .quotedWord || token.kind == .string else { throw unexpected(expected: what) }
        advance()
        var key = token.text.lowercased()
        while acceptSymbol(".") {
            guard current.kind == .word || current.kind == .quotedWord else { throw unexpected(expected: what, context: "after '.'") }
            key += "." + advance().text.lowercased()
        }
        return (token, key)
    }

    /// `(key value, key = value, flag, …)`; keys lower-cased. A key without a value is `true`.
    mutating func parseOptionList(into options: inout [String: Expression]) throws {
        try expectSymbol("(", "before the options")
        if acceptSymbol(")") { return }
        repeat {
            let (token, key) = try parseOptionName("an option name")
            _ = acceptSymbol("=")
            if isSymbol(",") || isSymbol(")") {
                options[key] = Expression(.literal(.boolean(true)), at: token.location)
            } else if isSymbol("(") {
                // A parenthesised list (`PARTITION_BY (country, date)`) is an array of its values.
                let open = advance()
                var items: [Expression] = []
                if !isSymbol(")") {
                    repeat { items.append(try parseOptionValue()) } while acceptSymbol(",")
                }
                try expectSymbol(")", "after the option's list of values")
                options[key] = Expression(.array(items), at: open.location)
            } else {
                options[key] = try parseOptionValue()
            }
        } while acceptSymbol(",")
        try expectSymbol(")", "after the options; expected ',' or")
    }

    // MARK: COPY / ATTACH

    private mutating func parseStringLiteral(_ what: String) throws -> String {
        guard current.kind == .string else { throw unexpected(expected: what) }
        return advance().text
    }

    private mutating func parseCopy() throws -> Statement {
        let copyToken = advance()
        if acceptKeyword("INTO") {
            let table = try parseQualifiedName("a table name")
            try expectKeyword("FROM", "after COPY INTO table")
            var options: [String: Expression] = [:]
            if current.kind == .word || current.kind == .quotedWord {
                // `COPY INTO t FROM ops.public.orders [WATERMARK col]`: rows of a relation (an attached database's
                // table), loaded incrementally past the watermark; the source name travels as the `relation` option.
                let relation = try parseQualifiedName("a table name or a path string after FROM")
                options["relation"] = Expression(.literal(.boolean(true)), at: relation.location)
                try parseCopyIntoClauses(into: &options)
                return .copyInto(table: table, source: relation.parts.joined(separator: "."), options: options)
            }
            let path = try parseStringLiteral("a path string after FROM")
            try parseCopyIntoClauses(into: &options)
            return .copyInto(table: table, source: path, options: options)
        }
        let source: Query
        if isSymbol("(") {
            advance()
            source = try parseQuery()
            try expectSymbol(")", "after the COPY query")
        } else {
            let name = try parseQualifiedName("a table name or '(' query ')'")
            var columns: [String]?
            if isSymbol("(") { columns = try parseNameList("column") }
            if acceptKeyword("FROM") {
                // DuckDB `COPY t FROM 'file' (options)` loads a file into a table.
                let path = try parseStringLiteral("a path string after FROM")
                var options: [String: Expression] = [:]
                try parseCopyIntoClauses(into: &options)
                if let columns {
                    options["columns"] = Expression(.array(columns.map { Expression(.literal(.string($0)), at: name.location) }), at: name.location)
                }
                return .copyInto(table: name, source: path, options: options)
            }
            let items: [SelectItem] = columns.map { $0.map { SelectItem.expression(Expression(.column(parts: [$0]), at: name.location), alias: nil) } }
                ?? [.star(qualifier: nil, exclude: [], location: name.location)]
            source = Query(body: .select(Select(items: items, from: [.table(name, alias: nil, columnAliases: [], timeTravel: nil)],
                                                location: name.location)), location: copyToken.location)
        }
        try expectKeyword("TO", "in COPY")
        let path = try parseStringLiteral("a file path string after TO")
        var options: [String: Expression] = [:]
        if acceptKeyword("WITH") || isSymbol("(") { try parseOptionList(into: &options) }
        return .copyTo(source: source, path: path, options: options)
    }

    /// The clauses after `COPY INTO t FROM 'path'`, in any order, all into `options` with lower-case keys.
    private mutating func parseCopyIntoClauses(into options: inout [String: Expression]) throws {
        while true {
            let token = current
            if isSymbol("(") { try parseOptionList(into: &options); continue }
            guard token.kind == .word else { return }
            switch token.keyword {
            case "PATTERN", "FORMAT", "FILEFORMAT":
                advance()
                _ = acceptSymbol("=")
                let key = token.keyword == "PATTERN" ? "pattern" : "format"
                options[key] = try parseOptionValue()
            case "OPTIONS", "FORMAT_OPTIONS", "COPY_OPTIONS", "WITH":
                advance()
                try parseOptionList(into: &options)
            case "MERGE":
                advance()
                try expectKeyword("SCHEMA", "after MERGE")
                options["merge_schema"] = Expression(.literal(.boolean(true)), at: token.location)
            case "STRICT":
                advance()
                options["strict"] = Expression(.literal(.boolean(true)), at: token.location)
            case "WATERMARK":
                advance()
                let column = try parseName("the watermark column after WATERMARK")
                options["watermark"] = Expression(.literal(.string(column)), at: token.location)
            default:
                return
            }
        }
    }

    private mutating func parseAttach() throws -> Statement {
        advance()
        _ = acceptKeyword("DATABASE")
        let path = try parseStringLiteral("a database file path string")
        try expectKeyword("AS", "after the ATTACH path")
        let alias = try parseName("a name for the attached database")
        var options: [String: Expression] = [:]
        if isSymbol("(") { try parseOptionList(into: &options) }
        return .attach(path: path, alias: alias, options: options)
    }

    /// `c = expr [, …]` after SET in UPDATE and MERGE's WHEN MATCHED; `SET t.c = …` keeps the column name.
    private mutating func parseAssignments() throws -> [Assignment] {
        var assignments: [Assignment] = []
        repeat {
            var column = try parseName("a column name")
            while acceptSymbol(".") { column = try parseName("a column name") }
            try expectSymbol("=", "after the column name in SET")
            assignments.append(Assignment(column: column, value: try parseExpression()))
        } while acceptSymbol(",")
        return assignments
    }
}
