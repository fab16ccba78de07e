import Storage

/// PIVOT and UNPIVOT: after a FROM item (Databricks / DuckDB / Snowflake syntax) and as DuckDB's statements
/// `PIVOT t ON … USING … GROUP BY …` and `UNPIVOT t ON … INTO NAME n VALUE v`. PIVOT stays a FROM item for the
/// binder (it needs the input's columns and which functions aggregate); UNPIVOT becomes a UNION ALL here.
extension SQLParser {
    /// Whether the current word starts a PIVOT / UNPIVOT clause (and so is not an alias).
    var startsPivotClause: Bool {
        (isKeyword("PIVOT") && isSymbol("(", at: 1))
            || (isKeyword("UNPIVOT") && (isSymbol("(", at: 1) || isKeyword("INCLUDE", at: 1) || isKeyword("EXCLUDE", at: 1)))
    }

    /// Wraps `source` in every PIVOT / UNPIVOT clause that follows it.
    mutating func parsePivotClauses(after source: TableReference) throws -> TableReference {
        var result = source
        while startsPivotClause {
            let location = current.location
            if acceptKeyword("PIVOT") {
                try expectSymbol("(", "after PIVOT")
                var aggregates: [PivotClause.Aggregate] = []
                repeat {
                    let start = current.location.offset
                    let e = try parseExpression()
                    let text = sourceText(from: start)
                    aggregates.append(PivotClause.Aggregate(expression: e, alias: isKeyword("FOR") ? nil : try parseAlias(), text: text))
                } while acceptSymbol(",")
                try expectKeyword("FOR", "after PIVOT's aggregates")
                let columns = isSymbol("(") ? try parseNameList("FOR column") : [try parseName("a FOR column")]
                try expectKeyword("IN", "after PIVOT's FOR columns")
                let values = try parsePivotValues(columns: columns.count)
                var groupBy: [Expression]?
                if acceptKeywords("GROUP", "BY") {
                    var keys: [Expression] = []
                    repeat { keys.append(try parseExpression()) } while acceptSymbol(",")
                    groupBy = keys
                }
                try expectSymbol(")", "to close PIVOT (…)")
                let pivot = PivotClause(aggregates: aggregates, columns: columns, values: values, groupBy: groupBy, location: location)
                result = .pivot(result, pivot, alias: try parseAlias(), location: location)
            } else {
                advance()
                var includeNulls = false
                if acceptKeywords("INCLUDE", "NULLS") { includeNulls = true } else { _ = acceptKeywords("EXCLUDE", "NULLS") }
                try expectSymbol("(", "after UNPIVOT")
                if isSymbol("(") {
                    throw TarnError(.unsupported, "UNPIVOT into several value columns is not supported yet; unpivot one value column at a time",
                                    line: current.location.line, column: current.location.column)
                }
                let valueColumn = try parseName("the UNPIVOT value column")
                try expectKeyword("FOR", "after UNPIVOT's value column")
                let nameColumn = try parseName("the UNPIVOT name column")
                try expectKeyword("IN", "after UNPIVOT's name column")
                try expectSymbol("(", "before UNPIVOT's column list")
                let columns = try parseUnpivotColumns()
                try expectSymbol(")", "after UNPIVOT's column list")
                try expectSymbol(")", "to close UNPIVOT (…)")
                let body = Self.unpivot(result, columns: columns, nameColumn: nameColumn, valueColumn: valueColumn,
                                        includeNulls: includeNulls, at: location)
                let alias = try parseAlias()
                result = .subquery(Query(body: body, location: location), alias: alias, columnAliases: [], location: location)
            }
        }
        return result
    }

    /// `( value [AS alias], … )`: single values, or `(a, b)` tuples for several FOR columns.
    private mutating func parsePivotValues(columns: Int) throws -> [PivotClause.Value] {
        try expectSymbol("(", "before PIVOT's IN list")
        var values: [PivotClause.Value] = []
        repeat {
            var expressions: [Expression] = []
            if columns > 1 {
                try expectSymbol("(", "before a tuple of \(columns) values (one per FOR column)")
                repeat { expressions.append(try parseExpression()) } while acceptSymbol(",")
                try expectSymbol(")", "after the tuple of values")
                guard expressions.count == columns else {
                    throw TarnError.syntax("PIVOT: each IN value needs \(columns) parts, one per FOR column (got \(expressions.count))",
                                           line: previous.location.line, column: previous.location.column)
                }
            } else {
                expressions = [try parseExpression()]
            }
            let alias = try parseAlias()
            values.append(PivotClause.Value(expressions: expressions, name: alias ?? expressions.map(Self.pivotName).joined(separator: "_")))
        } while acceptSymbol(",")
        try expectSymbol(")", "after PIVOT's IN list")
        return values
    }

    /// The column-name text of a pivot value written without alias: a string without quotes, a number as written.
    static func pivotName(_ e: Expression) -> String {
        switch e.kind {
        case let .literal(.string(s)), let .literal(.integer(s)), let .literal(.decimal(s)), let .literal(.double(s)): return s
        case let .literal(.boolean(b)): return b ? "true" : "false"
        case .literal(.null): return "NULL"
        case let .literal(.typed(_, text)): return text
        case let .unary(.minus, inner): return "-" + pivotName(inner)
        case let .column(parts): return parts.joined(separator: ".")
        default: return ASTPrinter.print(e)
        }
    }

    /// `SELECT * EXCLUDE (c1, …), 'c1' AS name, c1 AS value FROM source [WHERE c1 IS NOT NULL] UNION ALL …`.
    static func unpivot(_ source: TableReference, columns: [(column: String, label: String)], nameColumn: String, valueColumn: String,
                        includeNulls: Bool, at location: SourceLocation) -> QueryBody {
        let excluded = columns.map(\.column)
        let selects: [QueryBody] = columns.map { column, label in
            let value = Expression(.column(parts: [column]), at: location)
            return .select(Select(items: [.star(qualifier: nil, exclude: excluded, location: location),
                                          .expression(Expression(.literal(.string(label)), at: location), alias: nameColumn),
                                          .expression(value, alias: valueColumn)],
                                  from: [source],
                                  whereClause: includeNulls ? nil : Expression(.isNull(value, negated: true), at: location),
                                  location: location))
        }
        return selects.dropFirst().reduce(selects[0]) { .setOperation(.union, all: true, $0, $1) }
    }

    /// DuckDB's `PIVOT source ON col [IN (…)] [, …] [USING agg [AS alias], …] [GROUP BY …] [ORDER BY …] [LIMIT …]`.
    mutating func parsePivotStatement() throws -> Query {
        let location = advance().location
        let source = try parseTablePrimary()
        try expectKeyword("ON", "after the table to PIVOT")
        var columns: [String] = []
        var valueLists: [[Expression]?] = []
        repeat {
            columns.append(try parseName("a column to pivot on"))
            if acceptKeyword("IN") {
                try expectSymbol("(", "before the IN list")
                var list: [Expression] = []
                repeat { list.append(try parseExpression()) } while acceptSymbol(",")
                try expectSymbol(")", "after the IN list")
                valueLists.append(list)
            } else {
                valueLists.append(nil)
            }
        } while acceptSymbol(",")
        var values: [PivotClause.Value]?
        if valueLists.allSatisfy({ $0 != nil }) {
            // Several ON columns with IN lists: every combination, named by its parts joined with '_'.
            var combinations: [[Expression]] = [[]]
            for list in valueLists.compactMap({ $0 }) { combinations = combinations.flatMap { prefix in list.map { prefix + [$0] } } }
            values = combinations.map { PivotClause.Value(expressions: $0, name: $0.map(Self.pivotName).joined(separator: "_")) }
        } else if valueLists.contains(where: { $0 != nil }) {
            throw TarnError.syntax("PIVOT … ON: give IN (…) for every ON column or for none", line: location.line, column: location.column)
        }
        var aggregates: [PivotClause.Aggregate] = []
        if acceptKeyword("USING") {
            repeat {
                let start = current.location.offset
                let e = try parseExpression()
                aggregates.append(PivotClause.Aggregate(expression: e, alias: try parseAlias(), text: sourceText(from: start)))
            } while acceptSymbol(",")
        } else {
            let star = FunctionCall(name: ["count"], arguments: [], isStar: true)
            aggregates = [PivotClause.Aggregate(expression: Expression(.function(star), at: location), alias: nil, text: "count(*)")]
        }
        var groupBy: [Expression]?
        if acceptKeywords("GROUP", "BY") {
            var keys: [Expression] = []
            repeat { keys.append(try parseExpression()) } while acceptSymbol(",")
            groupBy = keys
        }
        let pivot = PivotClause(aggregates: aggregates, columns: columns, values: values, groupBy: groupBy, location: location)
        let select = Select(items: [.star(qualifier: nil, exclude: [], location: location)],
                            from: [.pivot(source, pivot, alias: nil, location: location)], location: location)
        let (orderBy, limit, offset) = try parseOrderByAndLimit()
        return Query(body: .select(select), orderBy: orderBy, limit: limit, offset: offset, location: location)
    }

    /// DuckDB's `UNPIVOT source ON col [AS label], … INTO NAME name VALUE value [ORDER BY …] [LIMIT …]`.
    /// `col [AS label], …`: the columns UNPIVOT turns into rows, each with the name its rows carry.
    mutating func parseUnpivotColumns() throws -> [(column: String, label: String)] {
        var columns: [(column: String, label: String)] = []
        repeat {
            let column = try parseName("a column to unpivot")
            columns.append((column, try parseAlias() ?? column))
        } while acceptSymbol(",")
        return columns
    }

    mutating func parseUnpivotStatement() throws -> Query {
        let location = advance().location
        let source = try parseTablePrimary()
        try expectKeyword("ON", "after the table to UNPIVOT")
        let columns = try parseUnpivotColumns()
        try expectKeyword("INTO", "after UNPIVOT's columns")
        try expectKeyword("NAME", "after INTO")
        let nameColumn = try parseName("the name column")
        try expectKeyword("VALUE", "after the name column")
        let valueColumn = try parseName("the value column")
        let body = Self.unpivot(source, columns: columns, nameColumn: nameColumn, valueColumn: valueColumn, includeNulls: false, at: location)
        let (orderBy, limit, offset) = try parseOrderByAndLimit()
        return Query(body: body, orderBy: orderBy, limit: limit, offset: offset, location: location)
    }
}
