import Storage

/// Queries: WITH, set operations, SELECT blocks, VALUES, FROM items and joins, ORDER BY / LIMIT / OFFSET / FETCH.
extension SQLParser {
    /// `[WITH [RECURSIVE] ctes] body [ORDER BY …] [LIMIT n|ALL] [OFFSET n [ROWS]] [FETCH FIRST n ROWS ONLY]`.
    mutating func parseQuery() throws -> Query {
        try enter()
        defer { leave() }
        let location = current.location
        var ctes: [CommonTableExpression] = []
        var recursive = false
        if acceptKeyword("WITH") {
            recursive = acceptKeyword("RECURSIVE")
            repeat { ctes.append(try parseCommonTableExpression()) } while acceptSymbol(",")
        }
        let body = try parseUnionLevel()
        let (orderBy, limit, offset) = try parseOrderByAndLimit()
        return Query(with: ctes, recursive: recursive, body: body, orderBy: orderBy, limit: limit, offset: offset, location: location)
    }

    /// `[ORDER BY …] [LIMIT n|ALL] [OFFSET n [ROWS]] [FETCH FIRST n ROWS ONLY]` after a query body.
    mutating func parseOrderByAndLimit() throws -> (orderBy: [OrderItem], limit: Expression?, offset: Expression?) {
        var orderBy: [OrderItem] = []
        var limit: Expression?
        var offset: Expression?
        if acceptKeywords("ORDER", "BY") { orderBy = try parseOrderItems() }
        while true {
            if limit == nil, isKeyword("LIMIT") {
                advance()
                if !acceptKeyword("ALL") {
                    let first = try parseExpression()
                    if offset == nil, acceptSymbol(",") {
                        offset = first            // MySQL / SQLite `LIMIT offset, count`
                        limit = try parseExpression()
                    } else {
                        limit = first
                    }
                    if offset == nil, acceptKeyword("OFFSET") {
                        offset = try parseExpression()
                        _ = acceptKeyword("ROWS") || acceptKeyword("ROW")
                    }
                } else {
                    limit = nil
                }
            } else if offset == nil, isKeyword("OFFSET") {
                advance()
                offset = try parseExpression()
                _ = acceptKeyword("ROWS") || acceptKeyword("ROW")
            } else if limit == nil, isKeyword("FETCH") {
                advance()
                guard acceptKeyword("FIRST") || acceptKeyword("NEXT") else { throw unexpected(expected: "FIRST or NEXT", context: "after FETCH") }
                if isKeyword("ROW") || isKeyword("ROWS") {
                    limit = Expression(.literal(.integer("1")), at: current.location)
                } else {
                    limit = try parseAdditive()
                }
                guard acceptKeyword("ROWS") || acceptKeyword("ROW") else { throw unexpected(expected: "ROWS", context: "in FETCH FIRST") }
                guard acceptKeyword("ONLY") else { throw unexpected(expected: "ONLY", context: "in FETCH FIRST … ROWS") }
            } else {
                break
            }
        }
        return (orderBy, limit, offset)
    }

    private mutating func parseCommonTableExpression() throws -> CommonTableExpression {
        let name = try parseName("a name for the WITH query")
        var columns: [String] = []
        if isSymbol("(") { columns = try parseNameList("column") }
        try expectKeyword("AS", "after the WITH query name")
        _ = acceptKeywords("NOT", "MATERIALIZED") || acceptKeyword("MATERIALIZED")
        try expectSymbol("(", "after AS in WITH")
        let query = try parseQuery()
        try expectSymbol(")", "after the WITH query")
        return CommonTableExpression(name: name, columnNames: columns, query: query)
    }

    /// UNION / EXCEPT (left-associative), over INTERSECT which binds tighter.
    private mutating func parseUnionLevel() throws -> QueryBody {
        var left = try parseIntersectLevel()
        while current.kind == .word {
            let op: SetOperator
            switch current.keyword {
            case "UNION": op = .union
            case "EXCEPT", "MINUS": op = .except
            default: return left
            }
            advance()
            let all = try parseSetQuantifier()
            let right = try parseIntersectLevel()
            left = .setOperation(op, all: all, left, right)
        }
        return left
    }

    private mutating func parseIntersectLevel() throws -> QueryBody {
        var left = try parseQueryPrimary()
        while acceptKeyword("INTERSECT") {
            let all = try parseSetQuantifier()
            let right = try parseQueryPrimary()
            left = .setOperation(.intersect, all: all, left, right)
        }
        return left
    }

    private mutating func parseSetQuantifier() throws -> Bool {
        if acceptKeyword("ALL") { return true }
        _ = acceptKeyword("DISTINCT")
        return false
    }

    /// SELECT block, VALUES list, `TABLE t`, or a parenthesised query.
    private mutating func parseQueryPrimary() throws -> QueryBody {
        if isKeyword("SELECT") { return .select(try parseSelect()) }
        if isKeyword("VALUES") { return try parseValues() }
        if isKeyword("TABLE") {
            let location = advance().location
            let name = try parseQualifiedName("a table name")
            return .select(Select(items: [.star(qualifier: nil, exclude: [], location: location)],
                                  from: [.table(name, alias: nil, columnAliases: [], timeTravel: nil)], location: location))
        }
        if isSymbol("(") {
            advance()
            let query = try parseQuery()
            try expectSymbol(")", "after the parenthesized query")
            if query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil { return query.body }
            return .nested(query)
        }
        throw unexpected(expected: "SELECT, VALUES, WITH or '('")
    }

    /// `VALUES (a, b), (c, d)`; SQLite's `VALUES(1)` and a bare `VALUES 1, 2` (one column) too.
    mutating func parseValues() throws -> QueryBody {
        advance()
        var rows: [[Expression]] = []
        repeat {
            if isSymbol("("), !startsQuery {
                advance()
                var row: [Expression] = []
                repeat { row.append(try parseExpression()) } while acceptSymbol(",")
                try expectSymbol(")", "after the VALUES row; expected ',' or")
                rows.append(row)
            } else {
                rows.append([try parseExpression()])
            }
        } while acceptSymbol(",")
        return .values(rows)
    }

    private static let selectFollowers: Set<String> = [
        "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "FETCH",
        "UNION", "INTERSECT", "EXCEPT", "MINUS", "INTO",
    ]

    /// One `SELECT … FROM … WHERE … GROUP BY … HAVING … WINDOW … QUALIFY …` block.
    mutating func parseSelect() throws -> Select {
        let location = advance().location
        var select = Select(items: [], location: location)
        if acceptKeyword("DISTINCT") {
            if acceptKeyword("ON") {
                try expectSymbol("(", "after DISTINCT ON")
                repeat { select.distinctOn.append(try parseExpression()) } while acceptSymbol(",")
                try expectSymbol(")", "after the DISTINCT ON expressions")
            } else {
                select.distinct = true
            }
        } else { _ = acceptKeyword("ALL") }
        repeat { select.items.append(try parseSelectItem()) } while acceptSymbol(",")
        try checkFollower(after: "the select list",
                          expected: "',', FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, UNION, ')' or ';'")
        if acceptKeyword("FROM") {
            repeat { select.from.append(try parseJoinedTable()) } while acceptSymbol(",")
            try checkFollower(after: "the FROM clause",
                              expected: "',', JOIN, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, UNION, ')' or ';'")
        }
        if acceptKeyword("WHERE") { select.whereClause = try parseExpression() }
        if acceptKeywords("GROUP", "BY") {
            if isKeyword("ALL"), !isSymbol("(", at: 1) {
                advance()
                select.groupByAll = true
            } else {
                _ = acceptKeyword("ALL")
                try parseGroupingElements(into: &select)
            }
        }
        if acceptKeyword("HAVING") { select.having = try parseExpression() }
        if acceptKeyword("WINDOW") {
            repeat {
                let name = try parseName("a window name")
                try expectKeyword("AS", "after the window name")
                select.windows[name] = try parseWindowSpecification()
            } while acceptSymbol(",")
        }
        if acceptKeyword("QUALIFY") { select.qualify = try parseExpression() }
        return select
    }

    /// After a select list or FROM clause the next token must start a clause or end the query.
    private func checkFollower(after what: String, expected: String) throws {
        let token = current
        switch token.kind {
        case .end: return
        case .symbol where token.text == ";" || token.text == ")" || token.text == ",": return
        case .word where SQLParser.selectFollowers.contains(token.keyword): return
        case .word where what == "the FROM clause" && ["JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING"].contains(token.keyword): return
        default: throw unexpected(expected: expected, context: "after \(what)")
        }
    }

    private mutating func parseSelectItem() throws -> SelectItem {
        let location = current.location
        let expression: Expression
        if isSymbol("*") {
            advance()
            expression = Expression(.star(qualifier: nil), at: location)
        } else {
            expression = try parseExpression()
        }
        if case .star(let qualifier) = expression.kind {
            var exclude: [String] = []
            if (isKeyword("EXCLUDE") || isKeyword("EXCEPT")), isSymbol("(", at: 1), !startsQueryAt(2) {
                advance()
                exclude = try parseNameList("excluded column")
            } else if isKeyword("EXCLUDE"), peek().kind == .word || peek().kind == .quotedWord {
                advance()
                exclude = [advance().text]
            }
            return .star(qualifier: qualifier, exclude: exclude, location: location)
        }
        return .expression(expression, alias: try parseAlias())
    }

    private func startsQueryAt(_ distance: Int) -> Bool {
        let token = peek(distance)
        return token.kind == .word && (token.keyword == "SELECT" || token.keyword == "WITH")
    }

    /// `[AS] name` (a string after AS is accepted too). Words that start a clause are never taken as an alias
    /// without AS; after AS any word is one, as in PostgreSQL (`… AS select`, `… AS table` in Metabase's queries).
    mutating func parseAlias() throws -> String? {
        if acceptKeyword("AS") {
            if current.kind == .string || current.kind == .word { return advance().text }
            return try parseName("an alias after AS")
        }
        if current.kind == .quotedWord { return advance().text }
        if current.kind == .word, !SQLKeywords.isReserved(current.keyword), !SQLKeywords.clauseWords.contains(current.keyword),
           !startsTimeTravel, !startsPivotClause {
            return advance().text
        }
        return nil
    }

    // MARK: FROM

    /// A FROM item followed by any joins.
    mutating func parseJoinedTable() throws -> TableReference {
        var left = try parseTablePrimary()
        while true {
            let location = current.location
            if acceptKeywords("CROSS", "JOIN") {
                let right = try parseTablePrimary()
                left = .join(left, right, kind: .cross, condition: .none, location: location)
                continue
            }
            let natural = acceptKeyword("NATURAL")
            var kind = JoinKind.inner
            var sawJoinWord = natural
            if acceptKeyword("INNER") {
                sawJoinWord = true
            } else if isKeyword("LEFT") || isKeyword("RIGHT") || isKeyword("FULL") {
                kind = JoinKind(rawValue: advance().keyword) ?? .inner
                _ = acceptKeyword("OUTER")
                sawJoinWord = true
            }
            if !acceptKeyword("JOIN") {
                if sawJoinWord { throw unexpected(expected: "JOIN") }
                return left
            }
            let right = try parseTablePrimary()
            var condition = JoinCondition.none
            if natural {
                condition = .natural
            } else if acceptKeyword("ON") {
                condition = .on(try parseExpression())
            } else if acceptKeyword("USING") {
                condition = .using(try parseNameList("USING column"))
            }
            left = .join(left, right, kind: kind, condition: condition, location: location)
        }
    }

    /// A FROM item with any PIVOT / UNPIVOT clauses after it.
    mutating func parseTablePrimary() throws -> TableReference {
        try parsePivotClauses(after: try parseTableFactor())
    }

    /// A table (with time travel and alias), a subquery, a table function, or a parenthesised join.
    private mutating func parseTableFactor() throws -> TableReference {
        try enter()
        defer { leave() }
        let location = current.location
        if isSymbol("(") {
            if startsQuery {
                let save = position
                do {
                    advance()
                    let query = try parseQuery()
                    try expectSymbol(")", "after the subquery")
                    let (alias, columns) = try parseTableAlias()
                    return .subquery(query, alias: alias, columnAliases: columns, location: location)
                } catch let queryError as TarnError {
                    // `((SELECT …) x JOIN y)`: not a query after all; try a parenthesised join.
                    let failedAt = position
                    position = save
                    do { return try parseParenthesizedJoin() } catch let joinError as TarnError {
                        throw position > failedAt ? joinError : queryError
                    }
                }
            }
            return try parseParenthesizedJoin()
        }
        if isKeyword("VALUES") {
            let body = try parseValues()
            let (alias, columns) = try parseTableAlias()
            return .subquery(Query(body: body, location: location), alias: alias, columnAliases: columns, location: location)
        }
        if current.kind == .string {
            // DuckDB's `FROM 'events.csv'`: a file (or glob) read by the reader its extension names.
            let token = advance()
            guard let reader = Self.fileReader(for: token.text) else {
                throw TarnError(.semantic, "cannot tell the format of '\(token.text)' from its name (expected .csv, .tsv, .json, "
                                + ".ndjson, .jsonl or .parquet); call read_csv, read_json or read_parquet", line: location.line, column: location.column)
            }
            let call = FunctionCall(name: [reader], arguments: [FunctionArgument(value: .expression(Expression(.literal(.string(token.text)), at: location)))])
            var (alias, columns) = try parseTableAlias()
            if alias == nil { alias = Self.fileStem(token.text) }
            return .function(call, alias: alias, columnAliases: columns, location: location)
        }
        if isKeyword("LATERAL"), isSymbol("(", at: 1) {
            // `LATERAL (subquery)`: a call of the binder's `lateral` with the query, so the AST needs no new case.
            advance()
            let primary = try parseTablePrimary()
            guard case let .subquery(query, alias, columnAliases, at) = primary else { return primary }
            let call = FunctionCall(name: ["lateral"], arguments: [FunctionArgument(value: .query(query))])
            return .function(call, alias: alias, columnAliases: columnAliases, location: at)
        }
        if isKeyword("UNNEST"), isSymbol("(", at: 1) {
            let name = [advance().text]
            var call = try parseFunctionCall(name: name, inTablePosition: true)
            call.withOrdinality = acceptKeywords("WITH", "ORDINALITY")
            let (alias, columns) = try parseTableAlias()
            return .function(call, alias: alias, columnAliases: columns, location: location)
        }
        let name = try parseQualifiedName("a table name, '(' or VALUES")
        if isSymbol("(") {
            let call = try parseFunctionCall(name: name.parts, inTablePosition: true)
            let (alias, columns) = try parseTableAlias()
            return .function(call, alias: alias, columnAliases: columns, location: location)
        }
        var timeTravel = try parseTimeTravel()
        let (alias, columns) = try parseTableAlias()
        if timeTravel == nil { timeTravel = try parseTimeTravel() }
        if acceptKeywords("NOT", "INDEXED") {
        } else if acceptKeywords("INDEXED", "BY") {
            _ = try parseName("an index name")
        }
        return .table(name, alias: alias, columnAliases: columns, timeTravel: timeTravel)
    }

    /// GROUP BY's elements: plain keys, `ROLLUP (a, b)` (the sets (a, b), (a), ()), `CUBE (a, b)` (every subset) and
    /// `GROUPING SETS ((a, b), (a), ())`; several elements cross their sets. A list of plain keys stays a plain GROUP BY.
    mutating func parseGroupingElements(into select: inout Select) throws {
        var elements: [[[Expression]]] = []
        var plain = true
        repeat {
            if isKeyword("ROLLUP"), isSymbol("(", at: 1) {
                advance()
                let keys = try parseGroupingList()
                elements.append((0...keys.count).reversed().map { Array(keys.prefix($0)) })
                plain = false
            } else if isKeyword("CUBE"), isSymbol("(", at: 1) {
                advance()
                let keys = try parseGroupingList()
                guard keys.count <= 12 else { throw error("CUBE of more than 12 keys (4,096 sets) is not supported", at: current) }
                elements.append((0..<(1 << keys.count)).reversed().map { mask in keys.indices.filter { mask & (1 << (keys.count - 1 - $0)) != 0 }.map { keys[$0] } })
                plain = false
            } else if isKeyword("GROUPING"), isKeyword("SETS", at: 1) {
                advance(); advance()
                try expectSymbol("(", "after GROUPING SETS")
                var sets: [[Expression]] = []
                repeat {
                    if isSymbol("(") { sets.append(try parseGroupingList()) } else { sets.append([try parseExpression()]) }
                } while acceptSymbol(",")
                try expectSymbol(")", "after the grouping sets")
                elements.append(sets)
                plain = false
            } else {
                elements.append([[try parseExpression()]])
            }
        } while acceptSymbol(",")
        if plain {
            select.groupBy = elements.map { $0[0][0] }
            return
        }
        // Cross the elements' sets, then number the distinct keys (by their text).
        var crossed: [[Expression]] = [[]]
        for sets in elements { crossed = crossed.flatMap { prefix in sets.map { prefix + $0 } } }
        guard crossed.count <= 4_096 else { throw error("more than 4,096 grouping sets", at: current) }
        var keyText: [String] = []
        var positions: [[Int]] = []
        for set in crossed {
            var indices: [Int] = []
            for e in set {
                let text = ASTPrinter.print(e)
                let index = keyText.firstIndex(of: text) ?? { keyText.append(text); select.groupBy.append(e); return keyText.count - 1 }()
                if !indices.contains(index) { indices.append(index) }
            }
            positions.append(indices)
        }
        select.groupingSets = positions
    }

    /// `(a, b)` or `()` in a grouping element.
    private mutating func parseGroupingList() throws -> [Expression] {
        try expectSymbol("(", "before the grouping keys")
        var keys: [Expression] = []
        if !isSymbol(")") {
            repeat { keys.append(try parseExpression()) } while acceptSymbol(",")
        }
        try expectSymbol(")", "after the grouping keys")
        return keys
    }

    /// The table function that reads a file named in FROM, by its extension.
    static func fileReader(for path: String) -> String? {
        let name = path.lowercased()
        if name.hasSuffix(".csv") || name.hasSuffix(".tsv") { return "read_csv" }
        if name.hasSuffix(".json") || name.hasSuffix(".ndjson") || name.hasSuffix(".jsonl") { return "read_json" }
        if name.hasSuffix(".parquet") || name.hasSuffix(".parq") { return "read_parquet" }
        return nil
    }

    /// `events` for `data/events.csv`: the relation's default name, so `events.col` qualifies its columns.
    static func fileStem(_ path: String) -> String? {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let stem = last.split(separator: ".").first, !stem.isEmpty,
              stem.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), stem.first?.isNumber == false else { return nil }
        return String(stem)
    }

    private mutating func parseParenthesizedJoin() throws -> TableReference {
        try expectSymbol("(", "before the join")
        let inner = try parseJoinedTable()
        try expectSymbol(")", "after the parenthesized join; expected JOIN or")
        return inner
    }

    /// `[AS] alias [(col, …)]` after a FROM item.
    private mutating func parseTableAlias() throws -> (String?, [String]) {
        guard let alias = try parseAlias() else { return (nil, []) }
        var columns: [String] = []
        if isSymbol("(") { columns = try parseNameList("column alias") }
        return (alias, columns)
    }

    /// True at `[FOR] VERSION|TIMESTAMP AS OF` (also `FOR SYSTEM_TIME AS OF`).
    var startsTimeTravel: Bool {
        let offset = isKeyword("FOR") ? 1 : 0
        let word = peek(offset)
        guard word.kind == .word, ["VERSION", "TIMESTAMP", "SYSTEM_TIME", "SYSTEM_VERSION"].contains(word.keyword) else { return false }
        return isKeyword("AS", at: offset + 1) && isKeyword("OF", at: offset + 2)
    }

    /// `[FOR] VERSION AS OF n` / `[FOR] TIMESTAMP AS OF expr`.
    mutating func parseTimeTravel() throws -> TimeTravel? {
        guard startsTimeTravel else { return nil }
        _ = acceptKeyword("FOR")
        let kind = advance().keyword
        advance(); advance()
        let value = try parseAdditive()
        return kind == "VERSION" || kind == "SYSTEM_VERSION" ? .version(value) : .timestamp(value)
    }
}
