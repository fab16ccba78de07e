import Storage

/// The PostgreSQL type a Tarn column is presented as: OID, size and type modifier.
public struct PostgresType: Sendable, Equatable {
    public var oid: Int32
    public var size: Int16
    public var modifier: Int32

    public static let bool = PostgresType(oid: 16, size: 1, modifier: -1)
    public static let int8 = PostgresType(oid: 20, size: 8, modifier: -1)
    public static let int2 = PostgresType(oid: 21, size: 2, modifier: -1)
    public static let int4 = PostgresType(oid: 23, size: 4, modifier: -1)
    public static let text = PostgresType(oid: 25, size: -1, modifier: -1)
    public static let float4 = PostgresType(oid: 700, size: 4, modifier: -1)
    public static let float8 = PostgresType(oid: 701, size: 8, modifier: -1)
    public static let unknown = PostgresType(oid: 705, size: -2, modifier: -1)
    public static let varchar = PostgresType(oid: 1043, size: -1, modifier: -1)
    public static let date = PostgresType(oid: 1082, size: 4, modifier: -1)
    public static let timestamp = PostgresType(oid: 1114, size: 8, modifier: -1)
    public static let timestamptz = PostgresType(oid: 1184, size: 8, modifier: -1)
    public static let numeric = PostgresType(oid: 1700, size: -1, modifier: -1)

    /// How a result column of `type` is described to clients.
    public static func of(_ type: DataType) -> PostgresType {
        switch type {
        case .boolean: return .bool
        case .integer: return .int4
        case .bigint: return .int8
        case .double: return .float8
        case let .decimal(p, s): return PostgresType(oid: 1700, size: -1, modifier: Int32((p << 16) | s) + 4)
        case .varchar, .null: return .text
        case .date: return .date
        case .timestamp: return .timestamp
        case .timestampTZ: return .timestamptz
        case .array, .row, .map: return .text  // sent as text: `[1, 2, 3]`, `{'x': 1}`, `{a=1}`
        }
    }

    /// A Tarn type name for a parameter declared with PostgreSQL type `oid` (nil: treat as text).
    static func tarnTypeName(oid: Int32) -> String? {
        switch oid {
        case 16: return "BOOLEAN"
        case 20: return "BIGINT"
        case 21, 23: return "INTEGER"
        case 700, 701: return "DOUBLE"
        case 1700: return "DECIMAL"
        case 1082: return "DATE"
        case 1114, 1184: return "TIMESTAMP"
        default: return nil
        }
    }

    /// The OID of a PostgreSQL or Tarn type name written in SQL (`int4`, `bigint`, `text`, …), for parameter inference.
    static func oid(ofTypeName name: String) -> Int32? {
        switch name.lowercased() {
        case "bool", "boolean": return 16
        case "int8", "bigint": return 20
        case "int2", "smallint": return 21
        case "int4", "int", "integer": return 23
        case "text", "string": return 25
        case "varchar", "char", "character": return 1043
        case "float4", "real": return 700
        case "float8", "double", "float": return 701
        case "numeric", "decimal": return 1700
        case "date": return 1082
        case "timestamp", "datetime": return 1114
        case "timestamptz": return 1184
        default: return nil
        }
    }
}
