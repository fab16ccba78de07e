/// JSON text helpers shared by every module that writes JSON by hand (output formats, history
/// parameters, rows kept as JSON for violations).
public enum JSONText {
    /// One value as a JSON literal, as the REPL's `--format json` and `POST /query` write it: numbers as numbers,
    /// NaN / ±Infinity as null, dates and timestamps as their text.
    public static func literal(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case let .boolean(b): return b ? "true" : "false"
        case let .integer(v): return String(v)
        case let .bigint(v): return String(v)
        case let .double(v): return v.isFinite ? ValueFormatting.format(double: v) : "null"
        case .decimal, .decimal128: return value.description
        case let .varchar(s): return quoted(s)
        case .date, .timestamp, .timestampTZ: return quoted(value.description)
        case let .array(elements, _): return "[" + elements.map(literal).joined(separator: ",") + "]"
        case let .row(values, fields):
            return "{" + zip(fields, values).map { quoted($0.name) + ":" + literal($1) }.joined(separator: ",") + "}"
        case let .map(keys, values, _, _):
            return "{" + zip(keys, values).map { quoted($0.description) + ":" + literal($1) }.joined(separator: ",") + "}"
        }
    }

    /// `s` as a JSON string literal, quotes included, with RFC 8259 escapes.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
