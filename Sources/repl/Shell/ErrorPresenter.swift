import Storage

/// Turns errors into what the user reads: in scripts one machine-friendly line
/// (`error: statement N, line L, column C: message`), interactively the offending line with a caret.
enum ErrorPresenter {
    /// Message text of any error (TarnError without its location, which is reported separately).
    static func message(of error: Error) -> String {
        if let error = error as? TarnError {
            switch error.kind {
            case .semantic, .internal, .outOfMemory: return error.message
            case .cancelled: return "query cancelled"
            case .unsupported: return "\(error.kindLabel): \(error.message) (docs/SQL.md lists what is supported and what is not yet)"
            default: return "\(error.kindLabel): \(error.message)"
            }
        }
        return String(describing: error)
    }

    /// Position of `error` relative to the chunk's text, if the error carries one.
    static func location(of error: Error) -> (line: Int, column: Int)? {
        guard let error = error as? TarnError, error.kind != .cancelled, let line = error.line, let column = error.column, line > 0 else { return nil }
        return (line, max(1, column))
    }

    /// `error: statement N, line L, column C: message` with the position absolute in the script.
    static func scriptLine(error: Error, statementNumber: Int, chunk: ScriptChunk) -> String {
        let position: (line: Int, column: Int) = location(of: error).map { chunk.absolute(line: $0.line, column: $0.column) } ?? (chunk.line, chunk.column)
        return "error: statement \(statementNumber), line \(position.line), column \(position.column): \(message(of: error))"
    }

    /// The message, then the offending line of `text` with a caret under the column (when known).
    static func caretReport(error: Error, text: String, colour: Bool) -> String {
        let red = colour ? "\u{1B}[31m" : "", bold = colour ? "\u{1B}[1m" : "", reset = colour ? "\u{1B}[0m" : ""
        var out = "\(red)\(bold)error:\(reset) \(message(of: error))\n"
        guard let (line, column) = location(of: error) else { return out }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return out }
        let source = String(lines[line - 1]).replacingOccurrences(of: "\t", with: " ")
        let gutter = String(line)
        out += "  \(gutter) | \(source)\n"
        let caretColumn = min(column, source.count + 1)
        out += "  \(String(repeating: " ", count: gutter.count)) | \(String(repeating: " ", count: caretColumn - 1))\(red)^\(reset)\n"
        return out
    }
}

extension TarnError {
    /// Short label of the error's kind ("syntax error", "execution error", …), as `description` uses.
    var kindLabel: String { kind.label }
}
