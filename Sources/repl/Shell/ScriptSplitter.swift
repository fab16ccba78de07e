/// Splits script text into statements and dot commands, ignoring `;` inside quoted strings, quoted
/// identifiers and comments. A line starting with `.` between statements is a dot command.
/// Also tells the interactive shell whether the text typed so far ends in a complete statement.
enum ScriptSplitter {
    static func split(_ text: String) -> [ScriptChunk] { scan(text).chunks }

    /// True when `text` holds at least one statement and nothing is left open after the last `;`.
    static func isComplete(_ text: String) -> Bool {
        let result = scan(text)
        return !result.chunks.isEmpty && !result.pending && result.chunks.last?.isTerminated == true
    }

    private static func scan(_ text: String) -> (chunks: [ScriptChunk], pending: Bool) {
        let scalars = Array(text.unicodeScalars)
        var chunks: [ScriptChunk] = []
        var i = 0, line = 1, column = 1
        var start: (index: Int, line: Int, column: Int)? = nil
        var lineHasContent = false

        func advance() {
            if scalars[i] == "\n" { line += 1; column = 1; lineHasContent = false } else { column += 1 }
            i += 1
        }
        func slice(_ from: Int, _ to: Int) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[from..<to])
            return String(s)
        }
        func peek(_ offset: Int) -> Unicode.Scalar? { i + offset < scalars.count ? scalars[i + offset] : nil }
        func pendingChunk() -> [ScriptChunk] {
            guard let s = start else { return [] }
            return [ScriptChunk(kind: .sql, text: slice(s.index, scalars.count), line: s.line, column: s.column, isTerminated: false)]
        }

        while i < scalars.count {
            let c = scalars[i]
            if start == nil {
                if c == " " || c == "\t" || c == "\r" || c == "\n" { advance(); continue }
                if c == "." && !lineHasContent {
                    let from = i, l = line, col = column
                    while i < scalars.count && scalars[i] != "\n" { advance() }
                    var command = slice(from, i)
                    while command.last?.isWhitespace == true { command.removeLast() }
                    chunks.append(ScriptChunk(kind: .dotCommand, text: command, line: l, column: col, isTerminated: true))
                    continue
                }
            }
            if c == "-" && peek(1) == "-" {
                while i < scalars.count && scalars[i] != "\n" { advance() }
                continue
            }
            if c == "/" && peek(1) == "*" {
                advance(); advance()
                while i < scalars.count && !(scalars[i] == "*" && peek(1) == "/") { advance() }
                if i >= scalars.count { return (chunks + pendingChunk(), true) }
                advance(); advance()
                continue
            }
            lineHasContent = true
            if c == ";" && start == nil { advance(); continue }
            if start == nil { start = (i, line, column) }
            if c == "'" || c == "\"" || c == "`" {
                // `E'…'` escape strings: a backslash escapes the next character (the quote too).
                let escapes = c == "'" && i > 0 && (scalars[i - 1] == "E" || scalars[i - 1] == "e")
                    && (i < 2 || !(scalars[i - 2].properties.isAlphabetic || ("0"..."9").contains(scalars[i - 2]) || scalars[i - 2] == "_"))
                advance()
                var closed = false
                while i < scalars.count {
                    if escapes, scalars[i] == "\\", i + 1 < scalars.count { advance(); advance(); continue }
                    if scalars[i] == c {
                        if peek(1) == c { advance(); advance(); continue }
                        advance(); closed = true; break
                    }
                    advance()
                }
                if !closed { return (chunks + pendingChunk(), true) }
                continue
            }
            if c == ";" {
                advance()
                if let s = start {
                    chunks.append(ScriptChunk(kind: .sql, text: slice(s.index, i), line: s.line, column: s.column, isTerminated: true))
                }
                start = nil
                continue
            }
            advance()
        }
        let tail = pendingChunk()
        return (chunks + tail, false)
    }
}
