import NIOCore
import Storage

/// `COPY (query) TO STDOUT` and `COPY table [(columns)] TO STDOUT`, with `FORMAT text|csv`, `HEADER`
/// and `DELIMITER`, in both the `WITH (…)` and the old `CSV HEADER` spelling. Rows go out as CopyData.
struct CopyOut: Equatable {
    var query: String
    var csv: Bool
    var header: Bool
    var delimiter: String

    /// The COPY … TO STDOUT in `text`, or nil when `text` is something else (then Tarn handles it).
    static func parse(_ text: String) -> CopyOut? {
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        while s.hasSuffix(";") { s = s.dropLast() }
        guard s.prefix(4).lowercased() == "copy", s.count > 4, s[s.index(s.startIndex, offsetBy: 4)].isWhitespace || s.dropFirst(4).first == "(" else { return nil }
        s = s.dropFirst(4).drop { $0.isWhitespace }
        let query: String
        if s.first == "(" {
            guard let close = matchingParen(s) else { return nil }
            query = String(s[s.index(after: s.startIndex)..<close])
            s = s[s.index(after: close)...]
        } else {
            let name = s.prefix { !$0.isWhitespace && $0 != "(" }
            guard !name.isEmpty else { return nil }
            s = s.dropFirst(name.count).drop { $0.isWhitespace }
            var columns = "*"
            if s.first == "(" {
                guard let close = matchingParen(s) else { return nil }
                columns = String(s[s.index(after: s.startIndex)..<close])
                s = s[s.index(after: close)...]
            }
            query = "SELECT \(columns) FROM \(name)"
        }
        var words = s.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ")" || $0 == "," }).map { String($0) }
        guard words.count >= 2, words[0].lowercased() == "to", words[1].lowercased() == "stdout" else { return nil }
        words.removeFirst(2)
        var out = CopyOut(query: query, csv: false, header: false, delimiter: "\t")
        var i = 0
        let lower = words.map { $0.lowercased() }
        while i < lower.count {
            switch lower[i] {
            case "format":
                if i + 1 < lower.count { out.csv = lower[i + 1] == "csv"; i += 1 }
            case "csv": out.csv = true
            case "header":
                if i + 1 < lower.count, ["true", "on", "1", "false", "off", "0"].contains(lower[i + 1]) {
                    out.header = ["true", "on", "1"].contains(lower[i + 1]); i += 1
                } else { out.header = true }
            case "delimiter":
                if i + 1 < words.count { out.delimiter = ClientCompatibility.unquote(words[i + 1]); i += 1 }
            default: break
            }
            i += 1
        }
        if out.csv, out.delimiter == "\t", !lower.contains("delimiter") { out.delimiter = "," }
        return out
    }

    private static func matchingParen(_ s: Substring) -> Substring.Index? {
        var depth = 0
        var quote: Character?
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let q = quote { if c == q { quote = nil } } else if c == "'" || c == "\"" { quote = c } else if c == "(" { depth += 1 } else if c == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
            i = s.index(after: i)
        }
        return nil
    }

    /// One row as COPY text or CSV, with its newline.
    func line(_ values: [Value]) -> String {
        values.map { v -> String in
            guard let text = PostgresText.format(v) else { return csv ? "" : "\\N" }
            return csv ? Self.csvField(text, delimiter: delimiter) : Self.textField(text)
        }.joined(separator: delimiter) + "\n"
    }

    func headerLine(_ names: [String]) -> String {
        names.map { csv ? Self.csvField($0, delimiter: delimiter) : Self.textField($0) }.joined(separator: delimiter) + "\n"
    }

    static func textField(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(c)
            }
        }
        return out
    }

    static func csvField(_ s: String, delimiter: String) -> String {
        guard s.isEmpty || s.contains(delimiter) || s.contains("\"") || s.contains("\n") || s.contains("\r") else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
