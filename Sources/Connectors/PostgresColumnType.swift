import Storage

/// How one PostgreSQL column is read: its wire type in `COPY … (FORMAT binary)` and the Tarn type it becomes.
/// Types Tarn has no reader for are selected as `col::text` and read as VARCHAR.
public enum PostgresColumnType: Sendable, Equatable {
    case bool, int2, int4, int8, float4, float8
    /// `numeric(p,s)` with p ≤ 18 → DECIMAL(p,s); unconstrained or wider numeric → DOUBLE.
    case numeric(DataType)
    /// text, varchar, bpchar, name, json: the bytes are UTF-8 text.
    case text
    /// jsonb: one version byte (1), then the text.
    case jsonb
    case date, timestamp, timestamptz, uuid
    /// Anything else: selected as `col::text`, read as text.
    case castToText

    /// The mapping from `pg_attribute.atttypid` / `atttypmod`.
    public init(oid: Int, typmod: Int) {
        switch oid {
        case 16: self = .bool
        case 21: self = .int2
        case 23: self = .int4
        case 20: self = .int8
        case 700: self = .float4
        case 701: self = .float8
        case 1700:
            if typmod >= 4 {
                let precision = ((typmod - 4) >> 16) & 0xFFFF, scale = (typmod - 4) & 0xFFFF
                if precision >= 1, precision <= DataType.maxInt64DecimalPrecision, scale <= precision {
                    self = .numeric(.decimal(precision: precision, scale: scale))
                    return
                }
            }
            self = .numeric(.double)
        case 25, 1043, 1042, 19, 114: self = .text
        case 3802: self = .jsonb
        case 1082: self = .date
        case 1114: self = .timestamp
        case 1184: self = .timestamptz
        case 2950: self = .uuid
        default: self = .castToText
        }
    }

    public var tarnType: DataType {
        switch self {
        case .bool: return .boolean
        case .int2, .int4: return .integer
        case .int8: return .bigint
        case .float4, .float8: return .double
        case let .numeric(t): return t
        case .text, .jsonb, .uuid, .castToText: return .varchar
        case .date: return .date
        case .timestamp, .timestamptz: return .timestamp
        }
    }
}

/// A PostgreSQL column as Tarn reads it.
public struct PostgresColumn: Sendable {
    public var name: String
    public var type: PostgresColumnType
    /// `format_type(atttypid, atttypmod)`, e.g. `numeric(12,2)`, for messages and DESCRIBE-like output.
    public var declared: String
    /// bpchar compares with trailing-space semantics, so only IS [NOT] NULL is pushed down on it.
    public var isBpchar: Bool
}
