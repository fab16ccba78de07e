/// One named field of a `ROW` type.
public struct RowField: Hashable, Sendable {
    public var name: String
    public var type: DataType

    public init(name: String, type: DataType) {
        self.name = name
        self.type = type
    }

    /// The entry row of `MAP(key, value)`'s list child: fields `key` and `value`.
    public static func mapEntry(key: DataType, value: DataType) -> [RowField] {
        [RowField(name: "key", type: key), RowField(name: "value", type: value)]
    }

    /// `STRUCT(x INTEGER, "odd name" VARCHAR)`: DuckDB's spelling, which `DataType.parse` reads back.
    static func describe(_ fields: [RowField]) -> String {
        "STRUCT(" + fields.map { quoteIfNeeded($0.name) + " " + $0.type.description }.joined(separator: ", ") + ")"
    }

    /// A field name as written in a type's text: bare when it is a plain identifier, double-quoted otherwise.
    public static func quoteIfNeeded(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
            && !("0"..."9").contains(name.unicodeScalars.first!) // invariant: name is not empty (checked first)
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension DataType {
    /// Whether this is a ROW or MAP type (neither can be ordered, grouped or compared yet).
    public var isRowOrMap: Bool {
        switch self {
        case .row, .map: return true
        default: return false
        }
    }

    /// Whether this type is or contains (at any depth) a ROW or MAP type.
    public var containsRowOrMap: Bool {
        switch self {
        case .row, .map: return true
        case let .array(element): return element.containsRowOrMap
        default: return false
        }
    }

    /// The fields of a ROW type (nil for other types).
    public var rowFields: [RowField]? {
        if case let .row(fields) = self { return fields }
        return nil
    }

    /// The key and value types of a MAP type (nil for other types).
    public var mapTypes: (key: DataType, value: DataType)? {
        if case let .map(k, v) = self { return (k, v) }
        return nil
    }

    /// `ROW(x INTEGER, y VARCHAR)`, `STRUCT(…)`, `MAP(K, V)` and `MAP<K, V>` as written or stored (field names keep their case);
    /// nil when the text is not one of those.
    static func parseNested(_ text: String) -> DataType? {
        let upper = text.uppercased()
        guard let open = text.firstIndex(where: { $0 == "(" || $0 == "<" }) else { return nil }
        let head = upper[..<open].trimmingCharacters(in: .whitespaces)
        guard head == "ROW" || head == "STRUCT" || head == "MAP" else { return nil }
        guard !text.hasSuffix("[]") else { return nil }
        let close: Character = text[open] == "(" ? ")" : ">"
        guard text.hasSuffix(String(close)) else { return nil }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        let parts = splitTopLevel(inner)
        if head == "MAP" {
            guard parts.count == 2, let k = parse(parts[0]), let v = parse(parts[1]) else { return nil }
            return .map(key: k, value: v)
        }
        var fields: [RowField] = []
        for (i, part) in parts.enumerated() {
            let p = part.trimmingCharacters(in: .whitespaces)
            guard !p.isEmpty else { return nil }
            var name: String
            var rest: Substring
            if p.hasPrefix("\"") {
                var chars = p.dropFirst()
                name = ""
                var closed = false
                while let c = chars.first {
                    chars = chars.dropFirst()
                    if c == "\"" {
                        if chars.first == "\"" { name.append("\""); chars = chars.dropFirst(); continue }
                        closed = true
                        break
                    }
                    name.append(c)
                }
                guard closed else { return nil }
                rest = chars
            } else if let space = p.firstIndex(of: " ") {
                name = String(p[..<space])
                rest = p[space...]
                // ROW(T, …) without names: Trino names the fields field0, field1, …
                if let t = parse(p) {
                    fields.append(RowField(name: "field\(i)", type: t))
                    continue
                }
            } else {
                guard let t = parse(p) else { return nil }
                fields.append(RowField(name: "field\(i)", type: t))
                continue
            }
            guard let t = parse(String(rest)) else { return nil }
            fields.append(RowField(name: name, type: t))
        }
        return fields.isEmpty ? nil : .row(fields)
    }

    /// Splits at commas outside parentheses, angle brackets and double quotes.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var depth = 0
        var quoted = false
        var current = ""
        for c in text {
            if c == "\"" { quoted.toggle() }
            if !quoted {
                if c == "(" || c == "<" { depth += 1 }
                if c == ")" || c == ">" { depth -= 1 }
                if c == ",", depth == 0 { parts.append(current); current = ""; continue }
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }
}
