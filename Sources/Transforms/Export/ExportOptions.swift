import Storage

/// The file formats `COPY … TO` writes.
public enum ExportFormat: String, Sendable {
    /// RFC 4180 CSV: CRLF-free (LF line ends), fields quoted when they contain the delimiter, a quote or a line
    /// break, or are the empty string (so the empty string and NULL, an empty unquoted field, differ).
    case csv
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case ndjson

    public static func guess(from path: String) -> ExportFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") { return .ndjson }
        if lower.hasSuffix(".json") { return .json }
        return .csv
    }
}

/// Options of `COPY … TO 'file' (FORMAT csv, HEADER true, DELIMITER ',')`.
public struct ExportOptions: Sendable {
    public var format: ExportFormat
    public var header = true
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var quote: UInt8 = UInt8(ascii: "\"")

    public init(format: ExportFormat) { self.format = format }

    /// Options from the statement's option list (lower-case keys); the format defaults from the file name.
    public static func parse(_ options: [String: Value], path: String) throws -> ExportOptions {
        var o = ExportOptions(format: .guess(from: path))
        for (key, value) in options {
            switch key {
            case "format":
                switch value.description.lowercased() {
                case "csv": o.format = .csv
                case "json", "array": o.format = .json
                case "ndjson", "jsonl", "newline_delimited": o.format = .ndjson
                default: throw TarnError.semantic("COPY TO: unknown format '\(value)'; expected csv, json or ndjson")
                }
            case "header":
                switch value {
                case let .boolean(b): o.header = b
                case let .bigint(n): o.header = n != 0
                case let .varchar(s): o.header = ["true", "1", "yes", "on"].contains(s.lowercased())
                default: throw TarnError.semantic("COPY TO: HEADER must be true or false")
                }
            case "delimiter", "delim", "sep":
                let text = value.description == "\\t" ? "\t" : value.description
                guard text.utf8.count == 1, let b = text.utf8.first else { throw TarnError.semantic("COPY TO: DELIMITER must be one character") }
                o.delimiter = b
            case "quote":
                guard value.description.utf8.count == 1, let b = value.description.utf8.first else { throw TarnError.semantic("COPY TO: QUOTE must be one character") }
                o.quote = b
            default:
                throw TarnError.semantic("COPY TO: unknown option '\(key)'")
            }
        }
        return o
    }
}
