import Storage

/// RFC 4180 CSV (`csv`), tab-separated values (`tsv`) and sqlite3's `list` (fields joined by `|`, as they are),
/// each with a header row unless `headers` is off.
///
/// CSV quotes fields containing a comma, quote, CR or LF and doubles quotes; NULL is an empty field and
/// the empty string `""`, so the two stay distinguishable. Lines end in CRLF as the RFC says.
/// TSV escapes tab, newline, carriage return and backslash as `\t`, `\n`, `\r`, `\\`; NULL is empty.
struct DelimitedFormatter {
    enum Dialect: Sendable { case csv, tsv, list }
    var dialect: Dialect = .csv
    var headers = true
    /// Text for NULL (`.nullvalue`); nil: an empty field.
    var nullText: String? = nil

    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) throws {
        let lineEnd = dialect == .csv ? "\r\n" : "\n"
        let separator = dialect == .csv ? "," : dialect == .tsv ? "\t" : "|"
        if headers { out.write(result.columns.map { field(.varchar($0.name)) }.joined(separator: separator) + lineEnd) }
        try result.forEachRow { row in
            out.write(row.map(field).joined(separator: separator) + lineEnd)
        }
    }

    func field(_ value: Value) -> String {
        let text: String
        switch value {
        case .null: return nullText ?? ""
        case let .varchar(s): text = s
        default: text = value.description
        }
        switch dialect {
        case .csv:
            if text.isEmpty { return "\"\"" }
            let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        case .list:
            return CellText.display(value)
        case .tsv:
            guard text.unicodeScalars.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\\" }) else { return text }
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\\": out += "\\\\"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }
}
