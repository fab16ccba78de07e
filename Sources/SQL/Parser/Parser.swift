import Storage

/// Parses SQL text (Athena/Trino first, plus the Databricks, DuckDB and SQLite forms Tarn accepts) into the AST.
///
/// Every syntax error is a `TarnError` of kind `.syntax` carrying the 1-based line and column of the offending token.
public enum Parser {
    /// Parses every `;`-separated statement of `sql`. Empty statements (`;;`, comments only) are skipped.
    public static func parse(_ sql: String) throws -> [ParsedStatement] {
        var parser = try SQLParser(sql)
        return try parser.parseStatements()
    }

    /// Parses one scalar expression, e.g. a stored expectation condition. The whole text must be the expression.
    public static func parseExpression(_ text: String) throws -> Expression {
        var parser = try SQLParser(text)
        let expression = try parser.parseExpression()
        try parser.expectEnd(after: "the expression")
        return expression
    }

    /// Parses one query, e.g. a stored view's text. A trailing `;` is allowed.
    public static func parseQuery(_ text: String) throws -> Query {
        var parser = try SQLParser(text)
        let query = try parser.parseQuery()
        _ = parser.acceptSymbol(";")
        try parser.expectEnd(after: "the query")
        return query
    }
}

/// The recursive-descent parser's state: the token array and a cursor. The grammar lives in extensions
/// (`SQLParser+Expression`, `+Query`, `+Statement`, `+DDL`).
struct SQLParser {
    /// The deepest nesting of expressions / subqueries accepted before a clear error (keeps the stack bounded).
    static let maximumDepth = 150
    /// From this depth on, the remaining thread stack is checked as well (see `StackGuard`).
    static let depthCheckingStack = 8
    /// The deepest expression tree accepted: nesting plus the links of left-deep operator chains (`a + b + …`), which
    /// every later pass (binder, optimizer, evaluator on 512 KB worker threads) walks recursively. Longer chains get a
    /// clear error instead of overflowing a stack; AND / OR chains are built balanced and never reach it.
    static let maximumTreeDepth = 500
    /// AND / OR chains with more operands than this are built as balanced trees (shorter ones stay left-deep, so
    /// their default column names do not change).
    static let balancedChainThreshold = 32

    let source: [UInt8]
    let tokens: [Token]
    var position = 0
    var depth = 0
    /// Links of the left-deep operator chains that enclose the cursor (see `maximumTreeDepth`).
    var chainDepth = 0
    /// The lowest stack address this parse may use; looked up once nesting gets deep.
    private var lowestSafeStackAddress: UInt?? = .none

    init(_ sql: String) throws {
        source = Array(sql.utf8)
        tokens = try Lexer.tokenize(source)
    }

    // MARK: Cursor

    var current: Token { tokens[position] }

    func peek(_ distance: Int = 1) -> Token { tokens[min(position + distance, tokens.count - 1)] }

    var atEnd: Bool { tokens[position].kind == .end }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Moves past the current token without copying it.
    mutating func skip() {
        if position < tokens.count - 1 { position += 1 }
    }

    /// The token just consumed (the current one at the very start).
    var previous: Token { tokens[max(position - 1, 0)] }

    func isKeyword(_ keyword: String) -> Bool {
        tokens[position].kind == .word && tokens[position].keyword == keyword
    }

    func isKeyword(_ keyword: String, at distance: Int) -> Bool {
        let index = min(position + distance, tokens.count - 1)
        return tokens[index].kind == .word && tokens[index].keyword == keyword
    }

    func isSymbol(_ symbol: String) -> Bool {
        tokens[position].kind == .symbol && tokens[position].text == symbol
    }

    func isSymbol(_ symbol: String, at distance: Int) -> Bool {
        let index = min(position + distance, tokens.count - 1)
        return tokens[index].kind == .symbol && tokens[index].text == symbol
    }

    mutating func acceptKeyword(_ keyword: String) -> Bool {
        if isKeyword(keyword) { skip(); return true }
        return false
    }

    /// Accepts a sequence of keywords only if all of them are next.
    mutating func acceptKeywords(_ keywords: String...) -> Bool {
        for (i, keyword) in keywords.enumerated() where !isKeyword(keyword, at: i) { return false }
        position = min(position + keywords.count, tokens.count - 1)
        return true
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        if isSymbol(symbol) { skip(); return true }
        return false
    }

    /// `context` may end in `; expected A, B or` to list alternatives before the awaited token.
    mutating func expectKeyword(_ keyword: String, _ context: String) throws {
        if !acceptKeyword(keyword) { throw unexpected(awaiting: keyword, context: context) }
    }

    /// `context` may end in `; expected A, B or` to list alternatives before the awaited token.
    mutating func expectSymbol(_ symbol: String, _ context: String) throws {
        if !acceptSymbol(symbol) { throw unexpected(awaiting: "'\(symbol)'", context: context) }
    }

    private func unexpected(awaiting: String, context: String) -> TarnError {
        guard let range = context.firstRange(of: "; expected ") else { return unexpected(expected: awaiting, context: context) }
        let alternatives = context[range.upperBound...]
        return unexpected(expected: "\(alternatives) \(awaiting)", context: String(context[..<range.lowerBound]))
    }

    // MARK: Errors

    func error(_ message: String, at token: Token) -> TarnError {
        TarnError.syntax(message, line: token.location.line, column: token.location.column)
    }

    /// `unexpected 'X' <context>; expected <expected>` at the current token.
    func unexpected(expected: String, context: String? = nil) -> TarnError {
        let token = current
        var message = "unexpected \(token.display)"
        if let context { message += " \(context)" }
        message += "; expected \(expected)"
        return error(message, at: token)
    }

    mutating func expectEnd(after what: String) throws {
        if !atEnd { throw unexpected(expected: "end of input", context: "after \(what)") }
    }

    /// Guards recursion; pair every successful call with `leave()`.
    mutating func enter() throws {
        depth += 1
        var tooDeep = depth > SQLParser.maximumDepth
        if !tooDeep, depth >= SQLParser.depthCheckingStack {
            if lowestSafeStackAddress == nil { lowestSafeStackAddress = .some(StackGuard.lowestSafeAddress()) }
            if let lowest = lowestSafeStackAddress ?? nil, StackGuard.currentAddress() < lowest { tooDeep = true }
        }
        if tooDeep { throw error("expression nested too deeply", at: current) }
    }

    mutating func leave() { depth -= 1 }

    /// Counts one more operator of a left-deep chain (`links` is the chain's own count, to give back at its end).
    mutating func extendChain(_ links: inout Int) throws {
        links += 1
        chainDepth += 1
        if depth + chainDepth > SQLParser.maximumTreeDepth {
            throw error("expression too deep: more than \(SQLParser.maximumTreeDepth) operators chained or nested "
                        + "(split the expression, or use IN (…) for a list of values)", at: current)
        }
    }

    // MARK: Source text

    /// The exact source text from `start` (a token's offset) up to the end of the token before the cursor.
    func sourceText(from start: Int) -> String {
        let end = max(start, previous.endOffset)
        guard start >= 0, end <= source.count, start <= end else { return "" }
        return String(decoding: source[start..<end], as: UTF8.self)
    }

    // MARK: Names

    /// True if the current token can be a name (an unreserved bare word or a quoted word).
    var atName: Bool {
        let token = current
        return token.kind == .quotedWord || (token.kind == .word && !SQLKeywords.isReserved(token.keyword))
    }

    /// A table, column or alias name.
    mutating func parseName(_ what: String) throws -> String {
        guard atName else { throw unexpected(expected: what) }
        return advance().text
    }

    /// `a`, `a.b`, `a.b.c` (quoted parts allowed).
    mutating func parseQualifiedName(_ what: String) throws -> QualifiedName {
        let location = current.location
        var parts = [try parseName(what)]
        while isSymbol("."), peek().kind == .word || peek().kind == .quotedWord {
            advance()
            parts.append(advance().text)
        }
        return QualifiedName(parts, at: location)
    }

    /// `(a, b, c)`
    mutating func parseNameList(_ what: String) throws -> [String] {
        try expectSymbol("(", "before the \(what) list")
        var names: [String] = []
        repeat { names.append(try parseName(what)) } while acceptSymbol(",")
        try expectSymbol(")", "after the \(what) list")
        return names
    }
}
