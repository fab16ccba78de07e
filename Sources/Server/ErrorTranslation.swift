import Storage

/// Maps Tarn's errors to what a PostgreSQL client reads: SQLSTATE, the REPL's message text and a position.
enum ErrorTranslation {
    static func serverError(_ error: Error, query: String?) -> ServerError {
        if let e = error as? ServerError { return e }
        guard let e = error as? TarnError else { return ServerError(sqlState: "XX000", message: String(describing: error)) }
        var out = ServerError(sqlState: sqlState(e), message: message(e))
        if e.kind != .cancelled, let query, let line = e.line, let column = e.column {
            out.position = position(in: query, line: line, column: column)
        }
        return out
    }

    /// The text the REPL prints for `e` (see `ErrorPresenter.message(of:)` in the repl target).
    static func message(_ e: TarnError) -> String {
        switch e.kind {
        case .semantic, .internal, .outOfMemory: return e.message
        case .cancelled: return "query cancelled"
        default: return "\(e.kind.label): \(e.message)"
        }
    }

    static func sqlState(_ e: TarnError) -> String {
        let m = e.message.lowercased()
        switch e.kind {
        case .syntax: return "42601"
        case .conflict: return "40001"
        case .cancelled: return "57014"
        case .outOfMemory: return "53200"
        case .unsupported: return m.contains("read-only") ? "25006" : "0A000"
        case .constraint: return "23514"
        case .io: return "58030"
        case .corruption: return "XX001"
        case .execution:
            if m.contains("division by zero") { return "22012" }
            if m.contains("overflow") || m.contains("out of range") { return "22003" }
            return "XX000"
        case .semantic:
            if m.contains("read-only") { return "25006" }
            if m.hasPrefix("table or view") && m.contains("does not exist") { return "42P01" }
            if m.hasPrefix("column") && m.contains("does not exist") { return "42703" }
            if (m.hasPrefix("function") || m.hasPrefix("table function")) && m.contains("does not exist") { return "42883" }
            if m.hasPrefix("schema") && m.contains("does not exist") { return "3F000" }
            if m.hasPrefix("current transaction is aborted") { return "25P02" }
            return "XX000"
        case .internal: return "XX000"
        }
    }

    /// 1-based character position of (`line`, `column`) in `text`, when inside it.
    static func position(in text: String, line: Int, column: Int) -> Int? {
        guard line >= 1, column >= 1 else { return nil }
        var currentLine = 1
        var offset = 0
        for ch in text {
            if currentLine == line { break }
            offset += 1
            if ch == "\n" { currentLine += 1 }
        }
        guard currentLine == line else { return nil }
        let p = offset + column
        return p <= text.count + 1 ? p : nil
    }
}
