import Storage

/// Splits SQL text into tokens, working on UTF-8 bytes.
///
/// Columns are 1-based and count Unicode scalars (UTF-8 lead bytes), so they match what an editor shows
/// for most text. Errors (unterminated strings, comments or quoted identifiers, stray characters) are
/// `TarnError.syntax` located at the start of the offending token.
struct Lexer {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var lineStart = 0
    /// Incremental column computation: the column of `columnOffset` on the current line.
    private var columnOffset = 0
    private var columnValue = 1

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Tokenizes all of `bytes`; the result always ends with an `.end` token.
    static func tokenize(_ bytes: [UInt8]) throws -> [Token] {
        var lexer = Lexer(bytes: bytes)
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4 + 4)
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The location of byte offset `offset`, which must be on the current line at or after the last one asked for.
    private mutating func location(at offset: Int) -> SourceLocation {
        if columnOffset < lineStart || columnOffset > offset { columnOffset = lineStart; columnValue = 1 }
        while columnOffset < offset {
            if bytes[columnOffset] & 0xC0 != 0x80 { columnValue += 1 }
            columnOffset += 1
        }
        return SourceLocation(line: line, column: columnValue, offset: offset)
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private mutating func newline(at offset: Int) {
        line += 1
        lineStart = offset + 1
    }

    /// Skips whitespace and comments.
    private mutating func skipTrivia() throws {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x0A { newline(at: position); position += 1 }
            else if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0C || byte == 0x0B { position += 1 }
            else if byte == UInt8(ascii: "-"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "-") {
                while position < bytes.count, bytes[position] != 0x0A { position += 1 }
            } else if byte == UInt8(ascii: "/"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "*") {
                let start = location(at: position)
                position += 2
                var closed = false
                while position < bytes.count {
                    if bytes[position] == UInt8(ascii: "*"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "/") {
                        position += 2; closed = true; break
                    }
                    if bytes[position] == 0x0A { newline(at: position) }
                    position += 1
                }
                if !closed { throw TarnError.syntax("unterminated comment '/*'", line: start.line, column: start.column) }
            } else { return }
        }
    }

    private static func isWordStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b >= 0x80
    }

    private static func isWordPart(_ b: UInt8) -> Bool {
        isWordStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x24
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Reads the next token.
    mutating func next() throws -> Token {
        try skipTrivia()
        let start = position
        guard position < bytes.count else {
            return Token(kind: .end, text: "", keyword: "", location: location(at: position), endOffset: position)
        }
        let startLocation = location(at: start)
        let byte = bytes[position]

        if byte | 0x20 == UInt8(ascii: "e"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "'") {
            position += 1
            let value = try lexEscapeString(start: startLocation)
            return Token(kind: .string, text: value, keyword: "", location: startLocation, endOffset: position)
        }
        if Lexer.isWordStart(byte) {
            position += 1
            while position < bytes.count, Lexer.isWordPart(bytes[position]) { position += 1 }
            let word = text(start, position)
            var hasLowercase = false
            for i in start..<position where bytes[i] >= 0x61 && bytes[i] <= 0x7A { hasLowercase = true; break }
            var keyword = word
            if hasLowercase {
                var upper = [UInt8](bytes[start..<position])
                for i in upper.indices where upper[i] >= 0x61 && upper[i] <= 0x7A { upper[i] -= 0x20 }
                keyword = String(decoding: upper, as: UTF8.self)
            }
            return Token(kind: .word, text: word, keyword: keyword, location: startLocation, endOffset: position)
        }
        if Lexer.isDigit(byte) || (byte == UInt8(ascii: ".") && position + 1 < bytes.count && Lexer.isDigit(bytes[position + 1])) {
            return lexNumber(start: start, location: startLocation)
        }
        if byte == UInt8(ascii: "'") {
            let value = try lexQuoted(quote: byte, start: startLocation, what: "string literal")
            return Token(kind: .string, text: value, keyword: "", location: startLocation, endOffset: position)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "`") {
            let value = try lexQuoted(quote: byte, start: startLocation, what: "quoted identifier")
            if value.isEmpty { throw TarnError.syntax("empty quoted identifier", line: startLocation.line, column: startLocation.column) }
            return Token(kind: .quotedWord, text: value, keyword: "", location: startLocation, endOffset: position)
        }
        if byte == UInt8(ascii: "$"), position + 1 < bytes.count, Lexer.isDigit(bytes[position + 1]) {
            // A bind parameter `$1` (PostgreSQL's extended protocol): a symbol token holding its text.
            position += 1
            while position < bytes.count, Lexer.isDigit(bytes[position]) { position += 1 }
            return Token(kind: .symbol, text: text(start, position), keyword: "", location: startLocation, endOffset: position)
        }
        return try lexSymbol(start: start, location: startLocation)
    }

    private mutating func lexNumber(start: Int, location: SourceLocation) -> Token {
        var kind = TokenKind.integer
        while position < bytes.count, Lexer.isDigit(bytes[position]) { position += 1 }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            kind = .decimal
            position += 1
            while position < bytes.count, Lexer.isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            var look = position + 1
            if look < bytes.count, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") { look += 1 }
            if look < bytes.count, Lexer.isDigit(bytes[look]) {
                position = look
                while position < bytes.count, Lexer.isDigit(bytes[position]) { position += 1 }
                kind = .double
            }
        }
        return Token(kind: kind, text: text(start, position), keyword: "", location: location, endOffset: position)
    }

    /// PostgreSQL's escape string `E'…'` (the cursor on its quote): backslash escapes `\n \t \r \b \f \\ \'` and a doubled
    /// quote; any other escaped character stands for itself.
    private mutating func lexEscapeString(start: SourceLocation) throws -> String {
        position += 1
        var value: [UInt8] = []
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "'") {
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "'") { value.append(b); position += 2; continue }
                position += 1
                return String(decoding: value, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\"), position + 1 < bytes.count {
                let next = bytes[position + 1]
                switch next {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "r"): value.append(0x0D)
                case UInt8(ascii: "b"): value.append(0x08)
                case UInt8(ascii: "f"): value.append(0x0C)
                default:
                    if next == 0x0A { newline(at: position + 1) }
                    value.append(next)
                }
                position += 2
                continue
            }
            if b == 0x0A { newline(at: position) }
            value.append(b)
            position += 1
        }
        throw TarnError.syntax("unterminated string literal", line: start.line, column: start.column)
    }

    /// Reads a quoted string or identifier whose quote is doubled to escape it; returns the unescaped value.
    private mutating func lexQuoted(quote: UInt8, start: SourceLocation, what: String) throws -> String {
        position += 1
        var segmentStart = position
        var value: [UInt8] = []
        var escaped = false
        while position < bytes.count {
            let b = bytes[position]
            if b == quote {
                if position + 1 < bytes.count, bytes[position + 1] == quote {
                    value.append(contentsOf: bytes[segmentStart...position])
                    escaped = true
                    position += 2
                    segmentStart = position
                    continue
                }
                let result: String
                if escaped {
                    value.append(contentsOf: bytes[segmentStart..<position])
                    result = String(decoding: value, as: UTF8.self)
                } else {
                    result = text(segmentStart, position)
                }
                position += 1
                return result
            }
            if b == 0x0A { newline(at: position) }
            position += 1
        }
        throw TarnError.syntax("unterminated \(what)", line: start.line, column: start.column)
    }

    private static let oneByteSymbols: Set<UInt8> = Set("(),.;+-*/%=<>[]{}:?|&^~!@".utf8)

    private mutating func lexSymbol(start: Int, location: SourceLocation) throws -> Token {
        if position + 1 < bytes.count {
            let first = bytes[position], second = bytes[position + 1]
            let isPair: Bool
            switch (first, second) {
            case (UInt8(ascii: "<"), UInt8(ascii: "=")), (UInt8(ascii: ">"), UInt8(ascii: "=")), (UInt8(ascii: "<"), UInt8(ascii: ">")),
                 (UInt8(ascii: "!"), UInt8(ascii: "=")), (UInt8(ascii: "="), UInt8(ascii: "=")), (UInt8(ascii: "|"), UInt8(ascii: "|")),
                 (UInt8(ascii: ":"), UInt8(ascii: ":")), (UInt8(ascii: "="), UInt8(ascii: ">")),
                 (UInt8(ascii: "<"), UInt8(ascii: "<")), (UInt8(ascii: ">"), UInt8(ascii: ">")),
                 (UInt8(ascii: "/"), UInt8(ascii: "/")), (UInt8(ascii: "!"), UInt8(ascii: "~")), (UInt8(ascii: "~"), UInt8(ascii: "*")),
                 (UInt8(ascii: "-"), UInt8(ascii: ">")):
                isPair = true
            default:
                isPair = false
            }
            let third = position + 2 < bytes.count ? bytes[position + 2] : 0
            if isPair, (first == UInt8(ascii: "!") && second == UInt8(ascii: "~") && third == UInt8(ascii: "*"))
                || (first == UInt8(ascii: "-") && second == UInt8(ascii: ">") && third == UInt8(ascii: ">")) {
                position += 3  // `!~*`, `->>`
                return Token(kind: .symbol, text: text(start, position), keyword: "", location: location, endOffset: position)
            }
            if isPair {
                position += 2
                return Token(kind: .symbol, text: text(start, position), keyword: "", location: location, endOffset: position)
            }
        }
        let byte = bytes[position]
        if Lexer.oneByteSymbols.contains(byte) {
            position += 1
            return Token(kind: .symbol, text: text(start, position), keyword: "", location: location, endOffset: position)
        }
        let shown = byte < 0x20 || byte == 0x7F ? "byte 0x" + String(byte, radix: 16) : "'" + text(position, position + 1) + "'"
        throw TarnError.syntax("unexpected character \(shown)", line: location.line, column: location.column)
    }
}
