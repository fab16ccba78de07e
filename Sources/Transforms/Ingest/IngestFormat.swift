import Storage

/// The formats Tarn reads and loads.
public enum IngestFormat: String, Sendable {
    /// Newline-delimited JSON, a JSON array of objects, or concatenated objects.
    case json
    /// Delimited text (RFC 4180).
    case csv
    /// Parquet files (COPY INTO only; queries read them with `read_parquet`).
    case parquet

    /// File extensions a folder load picks up for this format when no PATTERN is given.
    public var extensions: [String] {
        switch self {
        case .json: return ["json", "ndjson", "jsonl"]
        case .csv: return ["csv", "tsv", "txt"]
        case .parquet: return ["parquet"]
        }
    }

    /// The format a file name suggests (nil when unknown).
    public static func guess(from path: String) -> IngestFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".parquet") { return .parquet }
        if lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") || lower.contains(".json") { return .json }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.contains(".csv") { return .csv }
        return nil
    }
}

/// Options shared by `read_json`, `read_csv` and `COPY INTO` (see docs/INGEST.md).
public struct IngestOptions: Sendable {
    public var format: IngestFormat?
    /// CSV: the first record holds column names.
    public var header = true
    /// CSV: `header` was given; otherwise each file's first line is checked (`CSVHeaderSniffer`).
    public var headerGiven = false
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// CSV: the delimiter was given (`delim =>`, `FORMAT tsv`); otherwise each file's is sniffed (`CSVDelimiterSniffer`).
    public var delimiterGiven = false
    /// CSV: the quote was given; otherwise `"` unless the file's lines only split consistently with `'`.
    public var quoteGiven = false
    public var quote: UInt8 = UInt8(ascii: "\"")
    /// Explicit column names and types (`columns => 'id BIGINT, name VARCHAR'`); replaces inference.
    public var columns: Schema?
    /// Records read (from the first files) to infer column types.
    public var sampleRecords = 10_000
    /// read_json / read_csv: skip records that do not parse or fit instead of failing the query.
    public var ignoreErrors = false
    /// Rows per batch produced.
    public var batchRows = 65_536
    /// read_json (`nested => true`): nested objects are kept as ROW values and arrays as ARRAY values (types inferred
    /// from the sampled JSON) instead of objects flattened into dotted names and arrays kept as JSON text.
    public var nested = false

    public init() {}

    /// Options from named arguments / option lists (keys lower-case). Unknown keys are an error.
    public static func parse(_ named: [String: Value], ignoring: Set<String> = []) throws -> IngestOptions {
        var o = IngestOptions()
        for (key, value) in named where !ignoring.contains(key) {
            switch key {
            case "format":
                let text = value.description.lowercased()
                switch text {
                case "json", "ndjson", "jsonl", "newline_delimited", "array", "auto": o.format = .json
                case "csv", "tsv": o.format = .csv; if text == "tsv" { o.delimiter = 9; o.delimiterGiven = true }
                case "parquet": o.format = .parquet
                default: throw TarnError.semantic("unknown format '\(value)'; expected json, csv or parquet")
                }
            case "header": o.header = try bool(value, key); o.headerGiven = true
            case "delim", "delimiter", "sep", "separator":
                o.delimiter = try singleByte(value, key)
                o.delimiterGiven = true
            case "quote": o.quote = try singleByte(value, key); o.quoteGiven = true
            case "columns": o.columns = try parseColumns(value.description)
            case "sample_size", "sample_records":
                guard let n = value.int64Value, n > 0 else { throw TarnError.semantic("\(key) must be a positive integer") }
                o.sampleRecords = Int(n)
            case "ignore_errors": o.ignoreErrors = try bool(value, key)
            case "nested": o.nested = try bool(value, key)
            case "batch_rows", "batch_size":
                guard let n = value.int64Value, n > 0, n <= 1_048_576 else { throw TarnError.semantic("\(key) must be between 1 and 1048576") }
                o.batchRows = Int(n)
            case "auto_detect", "records", "maximum_object_size", "compression":
                continue
            default:
                throw TarnError.semantic("unknown option '\(key)'")
            }
        }
        return o
    }

    static func bool(_ v: Value, _ key: String) throws -> Bool {
        switch v {
        case let .boolean(b): return b
        case let .bigint(n): return n != 0
        case let .integer(n): return n != 0
        case let .varchar(s):
            switch s.lowercased() {
            case "true", "t", "1", "yes", "on": return true
            case "false", "f", "0", "no", "off": return false
            default: break
            }
        default: break
        }
        throw TarnError.semantic("option \(key) must be true or false, not \(v)")
    }

    private static func singleByte(_ v: Value, _ key: String) throws -> UInt8 {
        var text = v.description
        if text == "\\t" { text = "\t" }
        guard text.utf8.count == 1, let b = text.utf8.first else { throw TarnError.semantic("option \(key) must be a single character, not '\(text)'") }
        return b
    }

    /// `'name TYPE, name TYPE'` (a type may hold a comma inside parentheses: `DECIMAL(10,2)`).
    public static func parseColumns(_ text: String) throws -> Schema {
        var parts: [String] = []
        var depth = 0, current = ""
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        var fields: [Field] = []
        for part in parts {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            var name: String, typeText: String
            if trimmed.hasPrefix("\""), let close = trimmed.dropFirst().firstIndex(of: "\"") {
                name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                typeText = String(trimmed[trimmed.index(after: close)...])
            } else {
                let pieces = trimmed.split(separator: " ", maxSplits: 1)
                name = String(pieces[0])
                typeText = pieces.count > 1 ? String(pieces[1]) : "VARCHAR"
            }
            guard let type = DataType.parse(typeText) else {
                throw TarnError.semantic("columns: unknown type '\(typeText.trimmingCharacters(in: .whitespaces))' for column '\(name)'")
            }
            fields.append(Field(name: name, type: type))
        }
        guard !fields.isEmpty else { throw TarnError.semantic("columns: expected 'name TYPE, …'") }
        return Schema(fields)
    }
}

import Foundation
