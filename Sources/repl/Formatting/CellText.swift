import Storage

/// Text of one value in the human-readable formats (table, box, markdown, line, bar).
enum CellText {
    /// NULL prints as `NULL`; control characters are made visible so a cell stays on one line.
    static func display(_ value: Value) -> String {
        guard case let .varchar(s) = value else { return value.description }
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar.value < 0x20 ? "?" : scalar)
            }
        }
        return out
    }

    /// Display width in terminal cells (one per character; good enough for the scripts Tarn data uses).
    static func width(_ s: String) -> Int { s.count }

    static func pad(_ s: String, to width: Int, right: Bool) -> String {
        let gap = width - self.width(s)
        guard gap > 0 else { return s }
        let spaces = String(repeating: " ", count: gap)
        return right ? spaces + s : s + spaces
    }
}
