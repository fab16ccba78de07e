import Storage

/// Lambda arguments: `x -> body` (only in a higher-order function, see `LambdaFunctionNames`), `(x, y) -> body`
/// and DuckDB's `lambda x, y: body` (in any call; the binder refuses them where no lambda is taken).
extension SQLParser {
    /// A lambda at the cursor, or nil (cursor unchanged) when the argument is not one.
    mutating func parseLambdaArgument(arrowAllowed: Bool) throws -> LambdaExpression? {
        let location = current.location
        if isKeyword("LAMBDA"), peek().kind == .word || peek().kind == .quotedWord {
            advance()
            var parameters = [try parseName("a lambda parameter name")]
            while acceptSymbol(",") { parameters.append(try parseName("a lambda parameter name")) }
            try expectSymbol(":", "after the lambda's parameters")
            return LambdaExpression(parameters: parameters, body: try parseExpression(), at: location)
        }
        if arrowAllowed, current.kind == .word || current.kind == .quotedWord, isSymbol("->", at: 1) {
            let name = advance().text
            advance()
            return LambdaExpression(parameters: [name], body: try parseExpression(), at: location)
        }
        // `(a, b, …) ->`: names separated by commas, then `)` and `->`.
        guard isSymbol("(") else { return nil }
        var k = 1
        while true {
            let token = peek(k)
            guard token.kind == .word || token.kind == .quotedWord else { return nil }
            if isSymbol(")", at: k + 1) { break }
            guard isSymbol(",", at: k + 1) else { return nil }
            k += 2
        }
        guard isSymbol("->", at: k + 2), arrowAllowed || k > 1 else { return nil }
        advance()
        var parameters: [String] = []
        repeat { parameters.append(advance().text) } while acceptSymbol(",")
        try expectSymbol(")", "after the lambda's parameters")
        try expectSymbol("->", "after the lambda's parameters")
        return LambdaExpression(parameters: parameters, body: try parseExpression(), at: location)
    }
}
