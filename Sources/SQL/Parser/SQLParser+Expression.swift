import Storage

/// Expressions, by precedence from loosest to tightest:
/// OR < AND < NOT < equality-like (`=`, `<>`, IS, IN, BETWEEN, LIKE) < relational (`<`, `>=` …) < `||` < `+ -`
/// < `* / %` < unary `+ -` < postfix `::type` < primary.
/// (Trino forbids chained comparisons; SQLite ranks `<` above `=`, which is what we do.)
extension SQLParser {
    mutating func parseExpression() throws -> Expression {
        try enter()
        defer { leave() }
        return try parseOr()
    }

    private mutating func parseOr() throws -> Expression {
        var operands = [try parseAnd()]
        while acceptKeyword("OR") { operands.append(try parseAnd()) }
        return Self.logicalChain(.or, operands)
    }

    private mutating func parseAnd() throws -> Expression {
        var operands = [try parseNot()]
        while acceptKeyword("AND") { operands.append(try parseNot()) }
        return Self.logicalChain(.and, operands)
    }

    /// `a OR b OR c …` as a tree: left-deep as written for short chains; balanced for long ones (a 10,000-term OR is
    /// 14 levels deep, not 10,000). AND and OR are associative, so the grouping changes no result.
    private static func logicalChain(_ op: BinaryOperator, _ operands: [Expression]) -> Expression {
        if operands.count <= SQLParser.balancedChainThreshold {
            var left = operands[0]
            for right in operands.dropFirst() { left = Expression(.binary(op, left, right), at: left.location) }
            return left
        }
        func balanced(_ range: Range<Int>) -> Expression {
            if range.count == 1 { return operands[range.lowerBound] }
            let middle = range.lowerBound + range.count / 2
            let left = balanced(range.lowerBound..<middle)
            return Expression(.binary(op, left, balanced(middle..<range.upperBound)), at: left.location)
        }
        return balanced(0..<operands.count)
    }

    /// `NOT NOT … predicate`; `NOT EXISTS (…)` becomes a negated EXISTS.
    mutating func parseNot() throws -> Expression {
        var nots: [SourceLocation] = []
        while isKeyword("NOT") { nots.append(advance().location) }
        let existsLocation: SourceLocation? = isKeyword("EXISTS") ? current.location : nil
        var operand = try parseEquality()
        if let location = nots.last, case .exists(let query, negated: let negated) = operand.kind, operand.location == existsLocation {
            nots.removeLast()
            operand = Expression(.exists(query, negated: !negated), at: location)
        }
        while let location = nots.popLast() {
            operand = Expression(.unary(.not, operand), at: location)
        }
        return operand
    }

    /// Equality-like operators and predicates, left-associative.
    private mutating func parseEquality() throws -> Expression {
        var links = 0
        defer { chainDepth -= links }
        var left = try parseRelational()
        while true {
            let token = current
            if token.kind == .symbol {
                let op: BinaryOperator
                switch token.text {
                case "=", "==": op = .equal
                case "<>", "!=": op = .notEqual
                case "~", "!~", "~*", "!~*":
                    // PostgreSQL / DuckDB regular-expression match (anywhere in the string); `*`: ignoring case.
                    advance()
                    var pattern = try parseRelational()
                    if token.text.hasSuffix("*") {
                        pattern = Expression(.binary(.concat, Expression(.literal(.string("(?i)")), at: pattern.location), pattern), at: pattern.location)
                    }
                    let call = FunctionCall(name: ["regexp_like"], arguments: [FunctionArgument(value: .expression(left)),
                                                                              FunctionArgument(value: .expression(pattern))])
                    left = Expression(.function(call), at: left.location)
                    if token.text.hasPrefix("!") { left = Expression(.unary(.not, left), at: left.location) }
                    continue
                default: return left
                }
                advance()
                if atQuantifiedSubquery {
                    left = try parseQuantifiedComparison(left, op)
                    continue
                }
                let right = try parseRelational()
                try extendChain(&links)
                left = Expression(.binary(op, left, right), at: left.location)
                continue
            }
            guard token.kind == .word else { return left }
            var negated = false
            if token.keyword == "ISNULL" || token.keyword == "NOTNULL" {
                advance()
                left = Expression(.isNull(left, negated: token.keyword == "NOTNULL"), at: left.location)
                continue
            }
            if token.keyword == "NOT", isKeyword("NULL", at: 1) {
                // SQLite's postfix `x NOT NULL`.
                advance(); advance()
                left = Expression(.isNull(left, negated: true), at: left.location)
                continue
            }
            if token.keyword == "NOT" {
                let next = peek()
                guard next.kind == .word, ["IN", "BETWEEN", "LIKE", "ILIKE"].contains(next.keyword) else { return left }
                advance()
                negated = true
            }
            switch current.keyword {
            case "IS" where !negated:
                advance()
                left = try parseIsTail(left)
            case "IN":
                advance()
                left = try parseInTail(left, negated: negated)
            case "BETWEEN":
                advance()
                _ = acceptKeyword("SYMMETRIC") || acceptKeyword("ASYMMETRIC")
                let low = try parseRelational()
                try expectKeyword("AND", "in BETWEEN")
                let high = try parseRelational()
                left = Expression(.between(left, low: low, high: high, negated: negated), at: left.location)
            case "LIKE", "ILIKE":
                let caseInsensitive = advance().keyword == "ILIKE"
                let pattern = try parseRelational()
                var escape: Expression?
                if acceptKeyword("ESCAPE") { escape = try parseRelational() }
                left = Expression(.like(left, pattern: pattern, escape: escape, negated: negated, caseInsensitive: caseInsensitive),
                                  at: left.location)
            default:
                return left
            }
        }
    }

    /// After `IS`: `[NOT] NULL | TRUE | FALSE | DISTINCT FROM e | e` (SQLite's `a IS b` is IS NOT DISTINCT FROM).
    private mutating func parseIsTail(_ left: Expression) throws -> Expression {
        let negated = acceptKeyword("NOT")
        if acceptKeyword("NULL") { return Expression(.isNull(left, negated: negated), at: left.location) }
        if acceptKeyword("TRUE") { return Expression(.isBoolean(left, value: true, negated: negated), at: left.location) }
        if acceptKeyword("FALSE") { return Expression(.isBoolean(left, value: false, negated: negated), at: left.location) }
        if acceptKeyword("DISTINCT") {
            try expectKeyword("FROM", "after IS DISTINCT")
            let right = try parseRelational()
            return Expression(.binary(negated ? .isNotDistinctFrom : .isDistinctFrom, left, right), at: left.location)
        }
        if current.kind == .end || (current.kind == .symbol && current.text != "(" && current.text != "-" && current.text != "+") {
            throw unexpected(expected: "NULL, TRUE, FALSE or DISTINCT FROM", context: "after IS")
        }
        let right = try parseRelational()
        return Expression(.binary(negated ? .isDistinctFrom : .isNotDistinctFrom, left, right), at: left.location)
    }

    /// After `[NOT] IN`: `(list)`, `()`, `(query)`, or SQLite's `IN table`.
    private mutating func parseInTail(_ left: Expression, negated: Bool) throws -> Expression {
        if atName {
            let name = try parseQualifiedName("a list or table after IN")
            let star = SelectItem.star(qualifier: nil, exclude: [], location: name.location)
            let select = Select(items: [star], from: [.table(name, alias: nil, columnAliases: [], timeTravel: nil)], location: name.location)
            return Expression(.inSubquery(left, Query(body: .select(select), location: name.location), negated: negated), at: left.location)
        }
        try expectSymbol("(", "after IN")
        if startsQuery {
            let query = try parseQuery()
            try expectSymbol(")", "after the IN subquery")
            return Expression(.inSubquery(left, query, negated: negated), at: left.location)
        }
        var items: [Expression] = []
        if !isSymbol(")") {
            repeat { items.append(try parseExpression()) } while acceptSymbol(",")
        }
        try expectSymbol(")", "after the IN list; expected ',' or")
        return Expression(.inList(left, items, negated: negated), at: left.location)
    }

    private mutating func parseRelational() throws -> Expression {
        var links = 0
        defer { chainDepth -= links }
        var left = try parseBitwise()
        while tokens[position].kind == .symbol {
            let op: BinaryOperator
            switch tokens[position].text {
            case "<": op = .less
            case "<=": op = .lessOrEqual
            case ">": op = .greater
            case ">=": op = .greaterOrEqual
            default: return left
            }
            skip()
            if atQuantifiedSubquery {
                left = try parseQuantifiedComparison(left, op)
                continue
            }
            let right = try parseBitwise()
            try extendChain(&links)
            left = Expression(.binary(op, left, right), at: left.location)
        }
        return left
    }

    /// SQLite's bit operators `<< >> & |`, between comparisons and `||`. The AST has no operators for them,
    /// so they become calls of Trino's `bitwise_left_shift`, `bitwise_right_shift`, `bitwise_and`, `bitwise_or`.
    private mutating func parseBitwise() throws -> Expression {
        var links = 0
        defer { chainDepth -= links }
        var left = try parseConcat()
        while current.kind == .symbol {
            let function: String
            switch current.text {
            case "<<": function = "bitwise_left_shift"
            case ">>": function = "bitwise_right_shift"
            case "&": function = "bitwise_and"
            case "|": function = "bitwise_or"
            default: return left
            }
            skip()
            let right = try parseConcat()
            let call = FunctionCall(name: [function], arguments: [FunctionArgument(value: .expression(left)), FunctionArgument(value: .expression(right))])
            left = Expression(.function(call), at: left.location)
        }
        return left
    }

    private mutating func parseConcat() throws -> Expression {
        var links = 0
        defer { chainDepth -= links }
        var left = try parseAdditive()
        while acceptSymbol("||") {
            let right = try parseAdditive()
            try extendChain(&links)
            left = Expression(.binary(.concat, left, right), at: left.location)
        }
        return left
    }

    /// `+ -` level; also the level used for frame bounds and type-literal operands.
    mutating func parseAdditive() throws -> Expression {
        var links = 0
        defer { chainDepth -= links }
        var left = try parseMultiplicative()
        while tokens[position].kind == .symbol {
            let op: BinaryOperator
            switch tokens[position].text {
            case "+": op = .add
            case "-": op = .subtract
            default: return left
            }
            skip()
            let right = try parseMultiplicative()
            try extendChain(&links)
            left = Expression(.binary(op, left, right), at: left.location)
        }
        return left
    }

    private mutating func parseMultiplicative() throws -> Expression {
        var links = 0
        defer { chainDepth -= links }
        var left = try parseUnary()
        while tokens[position].kind == .symbol {
            let op: BinaryOperator
            switch tokens[position].text {
            case "*": op = .multiply
            case "/", "//": op = .divide  // DuckDB's `//`: integer division on integers, which `/` already is here (Trino)
            case "%": op = .modulo
            default: return left
            }
            skip()
            let right = try parseUnary()
            try extendChain(&links)
            left = Expression(.binary(op, left, right), at: left.location)
        }
        return left
    }

    /// Prefix `+`/`-` chains are read in a loop, so `- + - - x` costs no recursion.
    private mutating func parseUnary() throws -> Expression {
        var signs: [(UnaryOperator, SourceLocation)] = []
        while current.kind == .symbol, current.text == "-" || current.text == "+" {
            signs.append((current.text == "-" ? .minus : .plus, advance().location))
        }
        var operand = try parsePostfix()
        while let (op, location) = signs.popLast() {
            operand = Expression(.unary(op, operand), at: location)
        }
        return operand
    }

    /// `e::type` casts (DuckDB / PostgreSQL).
    private mutating func parsePostfix() throws -> Expression {
        var operand = try parsePrimary()
        while true {
            if acceptSymbol("::") {
                let type = try parseTypeName()
                operand = Expression(.cast(operand, type: type, isTry: false), at: operand.location)
            } else if isKeyword("AT"), isKeyword("TIME", at: 1), isKeyword("ZONE", at: 2) {
                // `x AT TIME ZONE zone` is timezone(zone, x), as in DuckDB and PostgreSQL.
                advance(); advance(); advance()
                let zone = try parsePrimary()
                let call = FunctionCall(name: ["timezone"], arguments: [FunctionArgument(value: .expression(zone)),
                                                                       FunctionArgument(value: .expression(operand))])
                operand = Expression(.function(call), at: operand.location)
            } else if isSymbol("->") || isSymbol("->>") {
                // DuckDB's JSON operators: `j -> 'name' | '$.path' | index` (JSON text), `->>` (a scalar's text).
                let function = advance().text == "->" ? "json_extract" : "json_extract_string"
                let key = try parsePrimary()
                var path = key
                if case let .literal(.integer(index)) = key.kind {
                    path = Expression(.literal(.string("$[\(index)]")), at: key.location)
                } else if case let .unary(.minus, inner) = key.kind, case let .literal(.integer(index)) = inner.kind {
                    path = Expression(.literal(.string("$[-\(index)]")), at: key.location)
                }
                let call = FunctionCall(name: [function], arguments: [FunctionArgument(value: .expression(operand)),
                                                                     FunctionArgument(value: .expression(path))])
                operand = Expression(.function(call), at: operand.location)
            } else if isSymbol("[") {
                operand = try parseSubscript(operand)
            } else if isSymbol("."), peek().kind == .word || peek().kind == .quotedWord {
                // `(r).x`, `f(…).x`: a ROW field, bound like `r['x']`.
                advance()
                let field = advance()
                operand = Expression(.subscript(operand, index: Expression(.literal(.string(field.text)), at: field.location), upper: nil),
                                     at: operand.location)
            } else {
                return operand
            }
        }
    }

    /// True if the current token starts a query (`SELECT`, `WITH`, `VALUES`, or `(` leading to one).
    var startsQuery: Bool {
        var distance = 0
        while isSymbol("(", at: distance) { distance += 1 }
        let token = peek(distance)
        return token.kind == .word && (token.keyword == "SELECT" || token.keyword == "WITH" || token.keyword == "VALUES")
    }

    private mutating func parsePrimary() throws -> Expression {
        let token = current
        let location = token.location
        switch token.kind {
        case .integer:
            advance(); return Expression(.literal(.integer(token.text)), at: location)
        case .decimal:
            advance(); return Expression(.literal(.decimal(token.text)), at: location)
        case .double:
            advance(); return Expression(.literal(.double(token.text)), at: location)
        case .string:
            advance(); return Expression(.literal(.string(token.text)), at: location)
        case .quotedWord:
            return try parseNameExpression()
        case .symbol:
            if token.text == "(" { return try parseParenthesized() }
            if token.text == "[" { return try parseListLiteral() }
            if token.text == "{" { return try parseStructLiteral() }
            if token.text.hasPrefix("$"), let number = Int(token.text.dropFirst()), number >= 1 {
                advance(); return Expression(.parameter(number), at: location)
            }
            throw unexpected(expected: "an expression")
        case .end:
            throw unexpected(expected: "an expression")
        case .word:
            return try parseWordExpression()
        }
    }

    /// `(expr)`, `(query)` as a scalar subquery, or a row `(a, b)` (Trino's and DuckDB's row constructor: `ROW(a, b)`).
    private mutating func parseParenthesized() throws -> Expression {
        let open = advance()
        if startsQuery && isSymbol("(") {
            // `((SELECT …) …`: a parenthesized query (`((SELECT 1) UNION SELECT 2)`), or an expression that starts
            // with a scalar subquery (`((SELECT 1) + 1)`, `((SELECT max(a) FROM t) IS NULL)`). Try the query first;
            // when no `)` follows it, parse the whole as an expression instead.
            let saved = (position, depth, chainDepth)
            if let query = try? parseParenthesizedQueryBody(), isSymbol(")") {
                advance()
                return Expression(.subquery(query), at: open.location)
            }
            (position, depth, chainDepth) = saved
            let inner = try parseExpression()
            if isSymbol(",") { return try parseRowTail(inner, at: open.location) }
            try expectSymbol(")", "after the parenthesized expression; expected an operator or")
            return inner
        }
        if startsQuery {
            try enter()
            defer { leave() }
            let query = try parseQuery()
            try expectSymbol(")", "after the subquery")
            return Expression(.subquery(query), at: open.location)
        }
        let inner = try parseExpression()
        if isSymbol(",") { return try parseRowTail(inner, at: open.location) }
        try expectSymbol(")", "after the parenthesized expression; expected an operator or")
        return inner
    }

    /// The rest of `(first, b, …)` after `first`: a ROW of anonymous fields, as `ROW(first, b, …)`.
    private mutating func parseRowTail(_ first: Expression, at location: SourceLocation) throws -> Expression {
        var items = [FunctionArgument(value: .expression(first))]
        while acceptSymbol(",") { items.append(FunctionArgument(value: .expression(try parseExpression()))) }
        try expectSymbol(")", "in the row (a, b, …); expected ',' or")
        return Expression(.function(FunctionCall(name: ["row"], arguments: items)), at: location)
    }

    private mutating func parseParenthesizedQueryBody() throws -> Query {
        try enter()
        defer { leave() }
        return try parseQuery()
    }

    private mutating func parseWordExpression() throws -> Expression {
        let token = current
        let location = token.location
        let next = peek()
        switch token.keyword {
        case "NULL": advance(); return Expression(.literal(.null), at: location)
        case "TRUE": advance(); return Expression(.literal(.boolean(true)), at: location)
        case "FALSE": advance(); return Expression(.literal(.boolean(false)), at: location)
        case "NOT":
            // SQLite lets NOT follow an operator: `1 + NOT 0`.
            advance()
            try enter()
            defer { leave() }
            let operand = try parseNot()
            return Expression(.unary(.not, operand), at: location)
        case "CASE": return try parseCase()
        case "CAST", "TRY_CAST":
            if next.kind == .symbol, next.text == "(" { return try parseCast() }
        case "EXISTS":
            if next.kind == .symbol, next.text == "(" {
                advance(); advance()
                try enter()
                defer { leave() }
                let query = try parseQuery()
                try expectSymbol(")", "after the EXISTS subquery")
                return Expression(.exists(query, negated: false), at: location)
            }
        case "EXTRACT":
            if next.kind == .symbol, next.text == "(" { return try parseExtract() }
        case "ARRAY":
            if next.kind == .symbol, next.text == "[" { return try parseArray() }
        case "ROW":
            if next.kind == .symbol, next.text == "(" {
                // Trino's ROW(a, b, …): the binder makes a ROW value of anonymous fields.
                advance(); advance()
                try enter()
                defer { leave() }
                var items: [FunctionArgument] = []
                repeat { items.append(FunctionArgument(value: .expression(try parseExpression()))) } while acceptSymbol(",")
                try expectSymbol(")", "in ROW(…); expected ',' or")
                return Expression(.function(FunctionCall(name: ["row"], arguments: items)), at: location)
            }
        case "MAP":
            if next.kind == .symbol, next.text == "{" {
                // DuckDB's MAP {k: v, …}: map(ARRAY[k, …], ARRAY[v, …]).
                advance()
                let entries = try parseBraceEntries()
                let keys = Expression(.array(entries.map(\.key)), at: location), values = Expression(.array(entries.map(\.value)), at: location)
                return Expression(.function(FunctionCall(name: ["map"], arguments: [FunctionArgument(value: .expression(keys)),
                                                                                   FunctionArgument(value: .expression(values))])), at: location)
            }
        case "INTERVAL":
            if next.kind == .string || next.kind == .integer || next.kind == .decimal
                || (next.kind == .symbol && (next.text == "-" || next.text == "+")) {
                return try parseInterval()
            }
        case "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "DECIMAL", "NUMERIC", "REAL", "DOUBLE", "BIGINT", "INTEGER",
             "CHAR", "VARCHAR", "JSON", "BOOLEAN":
            if next.kind == .string {
                advance(); advance()
                return Expression(.literal(.typed(type: token.keyword, text: next.text)), at: location)
            }
            if token.keyword == "TIMESTAMP", next.kind == .word, next.keyword == "WITH" || next.keyword == "WITHOUT" {
                let type = try parseTypeName()
                guard current.kind == .string else { throw unexpected(expected: "a string", context: "after \(type.name)") }
                return Expression(.literal(.typed(type: type.name, text: advance().text)), at: location)
            }
        case "X":
            // SQLite blob literal x'3031': a typed literal BLOB with the hex digits.
            if next.kind == .string, next.location.offset == token.endOffset {
                advance(); advance()
                return Expression(.literal(.typed(type: "BLOB", text: next.text)), at: location)
            }
        case "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER":
            if !(next.kind == .symbol && next.text == "(") {
                advance()
                return Expression(.function(FunctionCall(name: [token.text], arguments: [])), at: location)
            }
        default:
            break
        }
        if SQLKeywords.isReserved(token.keyword) {
            let callableReserved: Set<String> = ["TRIM", "GROUPING", "LEFT", "RIGHT", "CURRENT_DATE", "CURRENT_TIME",
                                                 "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER", "UNNEST"]
            guard callableReserved.contains(token.keyword), next.kind == .symbol, next.text == "(" else {
                throw unexpected(expected: "an expression")
            }
        }
        return try parseNameExpression()
    }

    /// A column reference `a.b.c`, `t.*`, or a function call `schema.fn(…)`.
    private mutating func parseNameExpression() throws -> Expression {
        let location = current.location
        var parts = [advance().text]
        while isSymbol(".") {
            let next = peek()
            if next.kind == .word || next.kind == .quotedWord {
                advance()
                parts.append(advance().text)
            } else if next.kind == .symbol, next.text == "*" {
                advance(); advance()
                return Expression(.star(qualifier: parts), at: location)
            } else {
                advance()
                throw unexpected(expected: "a name or '*'", context: "after '.'")
            }
        }
        if isSymbol("(") {
            let call = try parseFunctionCall(name: parts, inTablePosition: false)
            return Expression(.function(call), at: location)
        }
        return Expression(.column(parts: parts), at: location)
    }

    /// The `(…)` of a call and what may follow it: FILTER, IGNORE/RESPECT NULLS, OVER.
    mutating func parseFunctionCall(name: [String], inTablePosition: Bool) throws -> FunctionCall {
        try expectSymbol("(", "after the function name")
        try enter()
        defer { leave() }
        var call = FunctionCall(name: name, arguments: [])
        let base = name.last?.uppercased() ?? ""
        if isSymbol("*"), isSymbol(")", at: 1) {
            advance()
            call.isStar = true
        } else if !isSymbol(")") {
            if acceptKeyword("DISTINCT") { call.distinct = true } else { _ = acceptKeyword("ALL") }
            if base == "POSITION" || base == "SUBSTRING" || base == "TRIM" {
                if let special = try parseSpecialArguments(base) {
                    call.arguments = special
                    try expectSymbol(")", "after the arguments of \(name.joined(separator: "."))")
                    return try parseCallSuffix(call)
                }
            }
            let arrowLambdas = LambdaFunctionNames.all.contains(base.lowercased())
            repeat {
                if let lambda = try parseLambdaArgument(arrowAllowed: arrowLambdas) {
                    call.arguments.append(FunctionArgument(value: .lambda(lambda)))
                } else {
                    call.arguments.append(try parseFunctionArgument(inTablePosition: inTablePosition))
                }
            } while acceptSymbol(",")
            if acceptKeywords("IGNORE", "NULLS") { call.ignoreNulls = true } else { _ = acceptKeywords("RESPECT", "NULLS") }
            if acceptKeywords("ORDER", "BY") { call.orderBy = try parseOrderItems() }
        }
        try expectSymbol(")", "in the arguments of \(name.joined(separator: ".")); expected ',' or")
        return try parseCallSuffix(call)
    }

    private mutating func parseCallSuffix(_ input: FunctionCall) throws -> FunctionCall {
        var call = input
        if isKeyword("WITHIN"), isKeyword("GROUP", at: 1) {
            advance(); advance()
            try expectSymbol("(", "after WITHIN GROUP")
            try expectKeyword("ORDER", "in WITHIN GROUP")
            try expectKeyword("BY", "after ORDER")
            call.orderBy = try parseOrderItems()
            try expectSymbol(")", "after WITHIN GROUP (ORDER BY …")
        }
        if isKeyword("FILTER"), isSymbol("(", at: 1) {
            advance(); advance()
            try expectKeyword("WHERE", "in FILTER (")
            call.filter = try parseExpression()
            try expectSymbol(")", "after the FILTER condition")
        }
        if acceptKeywords("IGNORE", "NULLS") { call.ignoreNulls = true } else { _ = acceptKeywords("RESPECT", "NULLS") }
        if acceptKeyword("OVER") {
            if isSymbol("(") {
                call.window = try parseWindowSpecification()
            } else {
                call.window = WindowSpec(name: try parseName("a window name or '('"))
            }
        }
        return call
    }

    /// `position(a IN b)`, `substring(s FROM i [FOR n])`, `trim([BOTH|LEADING|TRAILING] [chars] FROM s)`.
    private mutating func parseSpecialArguments(_ base: String) throws -> [FunctionArgument]? {
        let start = position
        if base == "TRIM" {
            var mode: String?
            if current.kind == .word, ["BOTH", "LEADING", "TRAILING"].contains(current.keyword) { mode = advance().keyword }
            if mode != nil, acceptKeyword("FROM") {
                let value = try parseExpression()
                return [FunctionArgument(value: .expression(value)),
                        FunctionArgument(name: "mode", value: .expression(Expression(.literal(.string(mode ?? "BOTH")), at: value.location)))]
            }
            let first = try parseConcat()
            if acceptKeyword("FROM") {
                let value = try parseExpression()
                var args = [FunctionArgument(value: .expression(value)), FunctionArgument(value: .expression(first))]
                if let mode { args.append(FunctionArgument(name: "mode", value: .expression(Expression(.literal(.string(mode)), at: first.location)))) }
                return args
            }
            position = start
            return nil
        }
        let first = try parseConcat()
        if base == "POSITION", acceptKeyword("IN") {
            let second = try parseExpression()
            return [FunctionArgument(value: .expression(first)), FunctionArgument(value: .expression(second))]
        }
        if base == "SUBSTRING", acceptKeyword("FROM") {
            var args = [FunctionArgument(value: .expression(first)), FunctionArgument(value: .expression(try parseConcat()))]
            if acceptKeyword("FOR") { args.append(FunctionArgument(value: .expression(try parseExpression()))) }
            return args
        }
        position = start
        return nil
    }

    /// One argument: `expr`, `name => expr`, `TABLE t`, or (in FROM) `(query)`.
    private mutating func parseFunctionArgument(inTablePosition: Bool) throws -> FunctionArgument {
        var name: String?
        if (current.kind == .word || current.kind == .quotedWord), isSymbol("=>", at: 1) {
            name = advance().text
            advance()
        }
        if isKeyword("TABLE"), peek().kind == .word || peek().kind == .quotedWord {
            advance()
            let table = try parseQualifiedName("a table name after TABLE")
            return FunctionArgument(name: name, value: .table(table, timeTravel: try parseTimeTravel()))
        }
        if inTablePosition, isSymbol("("), startsQuery {
            let save = position
            advance()
            let query = try parseQuery()
            if acceptSymbol(")"), isSymbol(",") || isSymbol(")") {
                return FunctionArgument(name: name, value: .query(query))
            }
            position = save
        }
        return FunctionArgument(name: name, value: .expression(try parseExpression()))
    }

    /// `OVER (…)` / `WINDOW w AS (…)` body: `[base] [PARTITION BY …] [ORDER BY …] [frame]`.
    mutating func parseWindowSpecification() throws -> WindowSpec {
        try expectSymbol("(", "before the window specification")
        var spec = WindowSpec()
        if atName, !isKeyword("PARTITION"), !isKeyword("ORDER"), !isKeyword("ROWS"), !isKeyword("RANGE"), !isKeyword("GROUPS") {
            spec.name = advance().text
        }
        if acceptKeywords("PARTITION", "BY") {
            repeat { spec.partitionBy.append(try parseExpression()) } while acceptSymbol(",")
        }
        if acceptKeywords("ORDER", "BY") { spec.orderBy = try parseOrderItems() }
        if current.kind == .word, let unit = WindowFrame.Unit(rawValue: current.keyword) {
            advance()
            if acceptKeyword("BETWEEN") {
                let start = try parseFrameBound()
                try expectKeyword("AND", "between the window frame bounds")
                let end = try parseFrameBound()
                spec.frame = WindowFrame(unit: unit, start: start, end: end)
            } else {
                spec.frame = WindowFrame(unit: unit, start: try parseFrameBound(), end: .currentRow)
            }
        }
        try expectSymbol(")", "in the window specification; expected PARTITION BY, ORDER BY, ROWS, RANGE or")
        return spec
    }

    private mutating func parseFrameBound() throws -> WindowFrame.Bound {
        if acceptKeyword("UNBOUNDED") {
            if acceptKeyword("PRECEDING") { return .unboundedPreceding }
            if acceptKeyword("FOLLOWING") { return .unboundedFollowing }
            throw unexpected(expected: "PRECEDING or FOLLOWING", context: "after UNBOUNDED")
        }
        if acceptKeywords("CURRENT", "ROW") { return .currentRow }
        let value = try parseAdditive()
        if acceptKeyword("PRECEDING") { return .preceding(value) }
        if acceptKeyword("FOLLOWING") { return .following(value) }
        throw unexpected(expected: "PRECEDING or FOLLOWING", context: "in the window frame")
    }

    /// `ORDER BY` keys: `e [ASC|DESC] [NULLS FIRST|LAST]`, comma-separated.
    mutating func parseOrderItems() throws -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            var item = OrderItem(expression: try parseExpression())
            if acceptKeyword("DESC") { item.ascending = false } else { _ = acceptKeyword("ASC") }
            if acceptKeyword("NULLS") {
                if acceptKeyword("FIRST") { item.nullsFirst = true }
                else if acceptKeyword("LAST") { item.nullsFirst = false }
                else { throw unexpected(expected: "FIRST or LAST", context: "after NULLS") }
            }
            items.append(item)
        } while acceptSymbol(",")
        return items
    }

    private mutating func parseCase() throws -> Expression {
        let location = advance().location
        try enter()
        defer { leave() }
        var operand: Expression?
        if !isKeyword("WHEN") { operand = try parseExpression() }
        var branches: [WhenBranch] = []
        while acceptKeyword("WHEN") {
            let condition = try parseExpression()
            try expectKeyword("THEN", "after the WHEN condition")
            branches.append(WhenBranch(condition: condition, result: try parseExpression()))
        }
        if branches.isEmpty { throw unexpected(expected: "WHEN", context: "in CASE") }
        var elseResult: Expression?
        if acceptKeyword("ELSE") { elseResult = try parseExpression() }
        try expectKeyword("END", "in CASE; expected WHEN, ELSE or")
        return Expression(.caseWhen(operand: operand, branches: branches, elseResult: elseResult), at: location)
    }

    private mutating func parseCast() throws -> Expression {
        let keyword = advance()
        advance()
        let value = try parseExpression()
        try expectKeyword("AS", "in \(keyword.keyword)")
        let type = try parseTypeName()
        try expectSymbol(")", "after the \(keyword.keyword) type")
        return Expression(.cast(value, type: type, isTry: keyword.keyword == "TRY_CAST"), at: keyword.location)
    }

    private mutating func parseExtract() throws -> Expression {
        let location = advance().location
        advance()
        guard current.kind == .word || current.kind == .string else { throw unexpected(expected: "a date field such as YEAR") }
        let field = advance().text.uppercased()
        try expectKeyword("FROM", "in EXTRACT")
        let value = try parseExpression()
        try expectSymbol(")", "after EXTRACT")
        return Expression(.extract(field: field, value), at: location)
    }

    /// `a[i]`, `a[lo:hi]`, `a[:hi]`, `a[lo:]` after an operand.
    private mutating func parseSubscript(_ operand: Expression) throws -> Expression {
        advance()
        let index: Expression? = isSymbol(":") ? nil : try parseExpression()
        var upper: Expression?? = nil
        if acceptSymbol(":") {
            upper = .some(isSymbol("]") ? nil : try parseExpression())
        }
        try expectSymbol("]", "after the subscript")
        guard index != nil || upper != nil else { throw unexpected(expected: "a subscript") }
        return Expression(.subscript(operand, index: index, upper: upper), at: operand.location)
    }

    /// DuckDB's struct literal `{'x': 1, 'y': 'a'}`: struct_pack with the keys as argument names.
    private mutating func parseStructLiteral() throws -> Expression {
        let location = current.location
        let entries = try parseBraceEntries()
        var arguments: [FunctionArgument] = []
        for entry in entries {
            let name: String
            switch entry.key.kind {
            case let .literal(.string(text)): name = text
            case let .column(parts) where parts.count == 1: name = parts[0]
            default: throw unexpected(expected: "a field name or string", context: "as a struct literal's key")
            }
            arguments.append(FunctionArgument(name: name, value: .expression(entry.value)))
        }
        guard !arguments.isEmpty else { throw unexpected(expected: "at least one field", context: "in a struct literal") }
        return Expression(.function(FunctionCall(name: ["struct_pack"], arguments: arguments)), at: location)
    }

    /// `{key: value, …}` (the current token is `{`).
    private mutating func parseBraceEntries() throws -> [(key: Expression, value: Expression)] {
        advance()
        try enter()
        defer { leave() }
        var entries: [(key: Expression, value: Expression)] = []
        if !isSymbol("}") {
            repeat {
                let key = try parseExpression()
                try expectSymbol(":", "between a key and its value")
                entries.append((key, try parseExpression()))
            } while acceptSymbol(",")
        }
        try expectSymbol("}", "after the entries; expected ',' or")
        return entries
    }

    /// DuckDB's list literal `[a, b, …]`.
    private mutating func parseListLiteral() throws -> Expression {
        let location = advance().location
        try enter()
        defer { leave() }
        var items: [Expression] = []
        if !isSymbol("]") {
            repeat { items.append(try parseExpression()) } while acceptSymbol(",")
        }
        try expectSymbol("]", "in the list […]; expected ',' or")
        return Expression(.array(items), at: location)
    }

    private mutating func parseArray() throws -> Expression {
        let location = advance().location
        advance()
        var items: [Expression] = []
        if !isSymbol("]") {
            repeat { items.append(try parseExpression()) } while acceptSymbol(",")
        }
        try expectSymbol("]", "in ARRAY[…]; expected ',' or")
        return Expression(.array(items), at: location)
    }

    private static let intervalUnits: [String: String] = [
        "YEAR": "YEAR", "YEARS": "YEAR", "MONTH": "MONTH", "MONTHS": "MONTH", "WEEK": "WEEK", "WEEKS": "WEEK",
        "DAY": "DAY", "DAYS": "DAY", "HOUR": "HOUR", "HOURS": "HOUR", "MINUTE": "MINUTE", "MINUTES": "MINUTE",
        "SECOND": "SECOND", "SECONDS": "SECOND", "MILLISECOND": "MILLISECOND", "MILLISECONDS": "MILLISECOND",
        "MICROSECOND": "MICROSECOND", "MICROSECONDS": "MICROSECOND", "QUARTER": "QUARTER", "QUARTERS": "QUARTER",
    ]

    /// `INTERVAL '3' DAY`, `INTERVAL 3 DAYS`, `INTERVAL -'3' DAY`; the sign is folded into the value text.
    private mutating func parseInterval() throws -> Expression {
        let location = advance().location
        var negative = false
        while current.kind == .symbol, current.text == "-" || current.text == "+" {
            if advance().text == "-" { negative.toggle() }
        }
        guard [.string, .integer, .decimal].contains(current.kind) else { throw unexpected(expected: "the interval value") }
        var value = advance().text.trimmingSpaces
        if value.hasPrefix("-") { negative.toggle(); value.removeFirst() } else if value.hasPrefix("+") { value.removeFirst() }
        if negative { value = "-" + value }
        if !(current.kind == .word && SQLParser.intervalUnits[current.keyword] != nil), value.contains(" ") {
            // `INTERVAL '1 day'`, `INTERVAL '-3 hours'` (PostgreSQL, DuckDB): the unit inside the string.
            let words = value.split(separator: " ")
            guard words.count == 2, let unit = SQLParser.intervalUnits[words[1].uppercased()] else {
                throw TarnError(.unsupported, "INTERVAL '\(value)': one number and one unit are supported (such as '1 day'); "
                                + "add intervals for several units: INTERVAL '2' HOUR + INTERVAL '30' MINUTE",
                                line: location.line, column: location.column)
            }
            return Expression(.literal(.interval(value: String(words[0]), unit: unit)), at: location)
        }
        guard current.kind == .word, let unit = SQLParser.intervalUnits[current.keyword] else {
            throw unexpected(expected: "an interval unit such as DAY", context: "after INTERVAL value")
        }
        advance()
        return Expression(.literal(.interval(value: value, unit: unit)), at: location)
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " { scalars.removeFirst() }
        while let last = scalars.last, last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
