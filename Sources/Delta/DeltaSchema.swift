import Foundation
import Storage

/// A column of a Delta table's schema (`metaData.schemaString`): its name, Delta type name and nullability.
public struct DeltaField: Sendable, Equatable {
    public var name: String
    /// The Delta primitive type name (`long`, `string`, `decimal(10,2)`, …); nested types keep their JSON text.
    public var type: String
    public var nullable: Bool
    /// Field metadata (column mapping puts `delta.columnMapping.*` here).
    public var metadata: [String: String]

    public init(name: String, type: String, nullable: Bool, metadata: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.metadata = metadata
    }

    /// The Tarn type this column is read as; a nested or unknown Delta type is an error naming the column.
    public func tarnType() throws -> DataType {
        switch type {
        case "string", "binary": return .varchar
        case "long": return .bigint
        case "integer", "short", "byte": return .integer
        case "float", "double": return .double
        case "boolean": return .boolean
        case "date": return .date
        case "timestamp", "timestamp_ntz": return .timestamp
        default:
            if let (p, s) = DeltaField.decimalParameters(type) {
                return p <= DataType.maxDecimalPrecision ? .decimal(precision: p, scale: s) : .double
            }
            if type.hasPrefix("{") {
                throw TarnError.unsupported("Delta column '\(name)' has a nested type (struct, array or map), which delta_scan cannot read yet")
            }
            throw TarnError.unsupported("Delta column '\(name)' has the type '\(type)', which delta_scan does not know")
        }
    }

    /// The Delta type name a Tarn type is published as.
    public static func deltaType(_ type: DataType) -> String {
        switch type {
        case .boolean: return "boolean"
        case .integer: return "integer"
        case .bigint: return "long"
        case .double: return "double"
        case let .decimal(p, s): return "decimal(\(p),\(s))"
        case .varchar, .null: return "string"
        case .date: return "date"
        case .timestamp: return "timestamp"  // UTC instants; timestamp_ntz would need reader version 3
        case .timestampTZ: return "timestamp"
        // Never published: the Parquet writer refuses ARRAY columns before a Delta commit is written.
        case .array, .row, .map: return "string"
        }
    }

    static func decimalParameters(_ type: String) -> (Int, Int)? {
        guard type.hasPrefix("decimal("), type.hasSuffix(")") else { return nil }
        let inner = type.dropFirst("decimal(".count).dropLast().split(separator: ",")
        guard inner.count == 2, let p = Int(inner[0].trimmingCharacters(in: .whitespaces)),
              let s = Int(inner[1].trimmingCharacters(in: .whitespaces)), p >= 1, s >= 0, s <= p else { return nil }
        return (p, s)
    }
}

/// Parsing and writing `schemaString`: the Spark `StructType` JSON Delta stores the table schema in.
public enum DeltaSchema {
    /// The top-level fields of `schemaString`.
    public static func parse(_ schemaString: String) throws -> [DeltaField] {
        guard let data = schemaString.data(using: .utf8),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let fields = root["fields"] as? [[String: Any]] else {
            throw TarnError.corruption("the Delta schemaString is not a JSON struct type: \(schemaString.prefix(200))")
        }
        return try fields.map { f in
            guard let name = f["name"] as? String else { throw TarnError.corruption("a Delta schema field without a name") }
            let type: String
            if let t = f["type"] as? String {
                type = t
            } else if let nested = f["type"], let data = try? JSONSerialization.data(withJSONObject: nested, options: [.sortedKeys]) {
                type = String(decoding: data, as: UTF8.self)
            } else {
                throw TarnError.corruption("Delta schema field '\(name)' has no type")
            }
            var metadata: [String: String] = [:]
            for (k, v) in f["metadata"] as? [String: Any] ?? [:] { metadata[k] = "\(v)" }
            return DeltaField(name: name, type: type, nullable: f["nullable"] as? Bool ?? true, metadata: metadata)
        }
    }

    /// The `schemaString` of `fields` (keys in Spark's order: type, fields; name, type, nullable, metadata).
    public static func string(_ fields: [DeltaField]) -> String {
        let parts = fields.map { f in
            let metadata = f.metadata.sorted { $0.key < $1.key }.map { "\(DeltaJSON.quote($0.key)):\(DeltaJSON.quote($0.value))" }
            return "{\"name\":\(DeltaJSON.quote(f.name)),\"type\":\(DeltaJSON.quote(f.type)),\"nullable\":\(f.nullable),\"metadata\":{\(metadata.joined(separator: ","))}}"
        }
        return "{\"type\":\"struct\",\"fields\":[\(parts.joined(separator: ","))]}"
    }
}
