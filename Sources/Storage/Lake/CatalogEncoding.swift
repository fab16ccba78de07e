import Foundation

/// JSON encodings of schemas, values and statistics as the catalog stores them.
enum CatalogEncoding {
    private struct StoredField: Codable {
        var id: Int32
        var name: String
        var type: String
        var nullable: Bool
    }

    private struct StoredValue: Codable {
        var kind: String
        var text: String
        var scale: Int?
    }

    private struct StoredStatistics: Codable {
        var id: Int32
        var min: StoredValue?
        var max: StoredValue?
        var nulls: Int
        var rows: Int
        /// Estimated distinct non-NULL values; absent for files committed before it was recorded.
        var ndv: Int?
    }

    static func encodeSchema(_ schema: Schema, columnIds: [Int32]) -> String {
        let fields = zip(schema.fields, columnIds).map { StoredField(id: $1, name: $0.name, type: $0.type.description, nullable: $0.nullable) }
        return json(fields)
    }

    static func decodeSchema(_ text: String) throws -> (schema: Schema, columnIds: [Int32]) {
        guard let data = text.data(using: .utf8), let fields = try? JSONDecoder().decode([StoredField].self, from: data) else {
            throw TarnError.corruption("the lake catalog holds an unreadable table schema: \(text.prefix(200))")
        }
        var result: [Field] = []
        for f in fields {
            guard let type = f.type == "NULL" ? DataType.null : DataType.parse(f.type) else {
                throw TarnError.corruption("the lake catalog holds an unknown column type '\(f.type)' for column '\(f.name)'")
            }
            result.append(Field(name: f.name, type: type, nullable: f.nullable))
        }
        return (Schema(result), fields.map(\.id))
    }

    static func encodeStatistics(_ statistics: [ColumnStatistics], columnIds: [Int32]) -> String {
        json(zip(statistics, columnIds).map { StoredStatistics(id: $1, min: $0.min.flatMap(encodeValue), max: $0.max.flatMap(encodeValue), nulls: $0.nullCount, rows: $0.rowCount, ndv: $0.distinctCount) })
    }

    /// File-level statistics by column id; unreadable text gives no statistics (scans then keep the file).
    static func decodeStatistics(_ text: String) -> [Int32: ColumnStatistics] {
        guard let data = text.data(using: .utf8), let stored = try? JSONDecoder().decode([StoredStatistics].self, from: data) else { return [:] }
        var result: [Int32: ColumnStatistics] = [:]
        for s in stored {
            result[s.id] = ColumnStatistics(min: s.min.flatMap(decodeValue), max: s.max.flatMap(decodeValue), nullCount: s.nulls, rowCount: s.rows, distinctCount: s.ndv)
        }
        return result
    }

    private static func encodeValue(_ v: Value) -> StoredValue? {
        switch v {
        case .null: return nil
        case let .boolean(b): return StoredValue(kind: "boolean", text: b ? "1" : "0")
        case let .integer(x): return StoredValue(kind: "integer", text: String(x))
        case let .bigint(x): return StoredValue(kind: "bigint", text: String(x))
        case let .double(x): return StoredValue(kind: "double", text: String(x.bitPattern))
        case let .decimal(x, s): return StoredValue(kind: "decimal", text: String(x), scale: s)
        case let .decimal128(x, s): return StoredValue(kind: "decimal128", text: String(x), scale: s)
        case let .varchar(s): return StoredValue(kind: "varchar", text: s)
        case let .date(x): return StoredValue(kind: "date", text: String(x))
        case let .timestamp(x): return StoredValue(kind: "timestamp", text: String(x))
        case let .timestampTZ(x): return StoredValue(kind: "timestamptz", text: String(x))
        case .array, .row, .map: return nil
        }
    }

    private static func decodeValue(_ s: StoredValue) -> Value? {
        switch s.kind {
        case "boolean": return .boolean(s.text == "1")
        case "integer": return Int32(s.text).map { .integer($0) }
        case "bigint": return Int64(s.text).map { .bigint($0) }
        case "double": return UInt64(s.text).map { .double(Double(bitPattern: $0)) }
        case "decimal": return Int64(s.text).map { .decimal($0, scale: s.scale ?? 0) }
        case "decimal128": return Int128(s.text).map { .decimal128($0, scale: s.scale ?? 0) }
        case "varchar": return .varchar(s.text)
        case "date": return Int32(s.text).map { .date($0) }
        case "timestamp": return Int64(s.text).map { .timestamp($0) }
        case "timestamptz": return Int64(s.text).map { .timestampTZ($0) }
        default: return nil
        }
    }

    static func encodeStrings(_ strings: [String]) -> String { json(strings) }

    static func decodeStrings(_ text: String) -> [String] {
        guard let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }

    /// A JSON object text from string keys and JSON-encodable scalar values, keys sorted.
    static func object(_ entries: [String: JSONScalar]) -> String {
        let parts = entries.keys.sorted().map { key -> String in
            let value: String
            switch entries[key] ?? .null {
            case let .int(i): value = String(i)
            case let .string(s): value = json(s)
            case let .bool(b): value = b ? "true" : "false"
            case .null: value = "null"
            }
            return json(key) + ":" + value
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    enum JSONScalar {
        case int(Int64)
        case string(String)
        case bool(Bool)
        case null
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
