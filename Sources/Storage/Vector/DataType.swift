/// A SQL data type as Tarn stores and computes it.
///
/// Physical representation in a `Column`:
/// - `boolean` → `[Bool]`
/// - `integer`, `date` (days since 1970-01-01) → `[Int32]`
/// - `bigint`, `timestamp` (microseconds since 1970-01-01 00:00:00 UTC), `decimal` (unscaled value),
///   `timestampTZ` (an instant: microseconds since 1970-01-01 00:00:00 UTC, shown in the session time zone) → `[Int64]`
/// - `decimal` with precision 19…38 (unscaled value) → `[Int128]`
/// - `double` → `[Double]`
/// - `varchar` → `StringArray` or dictionary codes into one
/// - `null` is the type of an untyped NULL literal; it is stored as an all-null `int32` column.
/// - `array(T)` → `ColumnData.list`: Arrow-style offsets (count + 1) into one child column of `T`.
public indirect enum DataType: Hashable, Sendable, CustomStringConvertible {
    case boolean
    case integer
    case bigint
    case double
    /// Fixed-point number, 1 ≤ `precision` ≤ 38: the unscaled value is an Int64 up to precision 18, an Int128 above.
    case decimal(precision: Int, scale: Int)
    case varchar
    case date
    case timestamp
    case null
    /// `TIMESTAMP WITH TIME ZONE` (`TIMESTAMPTZ`): an instant, stored like DuckDB's as µs since the epoch in UTC;
    /// the zone is not stored, values are shown and split into fields in the session's time zone.
    case timestampTZ
    /// `ARRAY(T)` (Trino), `T[]` / `LIST(T)` (DuckDB): a variable-length list of `T` values per row.
    case array(DataType)
    /// `ROW(name T, …)` (Trino), `STRUCT(name T, …)` (DuckDB): named fields per row (`ColumnData.fields`).
    case row([RowField])
    /// `MAP(K, V)`: per row, distinct keys and their values, stored as a list of (key, value) rows.
    case map(key: DataType, value: DataType)

    /// The largest DECIMAL precision (Trino's and DuckDB's 38); above `maxInt64DecimalPrecision` values are Int128.
    public static let maxDecimalPrecision = 38
    /// The largest DECIMAL precision stored as a scaled Int64.
    public static let maxInt64DecimalPrecision = 18

    /// Whether this is a DECIMAL stored in 128 bits (precision 19…38).
    public var isInt128Decimal: Bool {
        if case let .decimal(p, _) = self { return p > DataType.maxInt64DecimalPrecision }
        return false
    }

    /// Limits on a type's text that `parse` accepts (nested ROW / MAP / ARRAY types are stored as text).
    public static let maxTypeTextBytes = 65_536
    public static let maxTypeNesting = 64

    /// Whether parentheses / angle brackets nest at most `maxTypeNesting` deep and at most that many `[` occur.
    private static func nestingIsBounded(_ text: String) -> Bool {
        var depth = 0, deepest = 0, brackets = 0
        for b in text.utf8 {
            if b == UInt8(ascii: "(") || b == UInt8(ascii: "<") { depth += 1; deepest = max(deepest, depth) }
            if b == UInt8(ascii: ")") || b == UInt8(ascii: ">") { depth -= 1 }
            if b == UInt8(ascii: "[") { brackets += 1 }
        }
        return deepest <= maxTypeNesting && brackets <= maxTypeNesting
    }

    public var description: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .double: return "DOUBLE"
        case let .decimal(p, s): return "DECIMAL(\(p),\(s))"
        case .varchar: return "VARCHAR"
        case .date: return "DATE"
        case .timestamp: return "TIMESTAMP"
        case .null: return "NULL"
        case .timestampTZ: return "TIMESTAMP WITH TIME ZONE"
        case let .array(element): return "\(element)[]"
        case let .row(fields): return RowField.describe(fields)
        case let .map(k, v): return "MAP(\(k), \(v))"
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .integer, .bigint, .double, .decimal: return true
        default: return false
        }
    }

    public var isInteger: Bool { self == .integer || self == .bigint }

    /// The physical storage class used by `ColumnData`.
    public var physical: PhysicalType {
        switch self {
        case .boolean: return .bool
        case .integer, .date, .null: return .int32
        case let .decimal(p, _): return p > DataType.maxInt64DecimalPrecision ? .int128 : .int64
        case .bigint, .timestamp: return .int64
        case .double: return .double
        case .varchar: return .string
        case .timestampTZ: return .int64
        case .array, .map: return .list
        case .row: return .fields
        }
    }

    /// Parses a type name as written in SQL or stored in the catalog (`BIGINT`, `decimal(10,2)`, `TEXT`...).
    public static func parse(_ text: String) -> DataType? {
        // The plain names first: casts in every statement (`$1::int8`) and every catalog schema name one.
        if text.utf8.count <= 11, let simple = simpleNames[text.uppercased()] { return simple }
        // Type text read from a file footer or the catalog: bounded, so a crafted one cannot exhaust the stack.
        guard text.utf8.count <= maxTypeTextBytes, nestingIsBounded(text) else { return nil }
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if let nested = parseNested(text.trimmingCharacters(in: .whitespaces)) { return nested }
        if let element = arrayElementText(text.trimmingCharacters(in: .whitespaces)) { return parse(element).map { .array($0) } }
        if t.hasPrefix("DECIMAL") || t.hasPrefix("NUMERIC") {
            guard let open = t.firstIndex(of: "(") else { return .decimal(precision: 18, scale: 0) }
            let inner = t[t.index(after: open)...].dropLast(t.hasSuffix(")") ? 1 : 0)
            let parts = inner.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard let p = parts.first ?? nil, p >= 1, p <= maxDecimalPrecision else { return nil }
            let s = parts.count > 1 ? (parts[1] ?? -1) : 0
            guard s >= 0, s <= p else { return nil }
            return .decimal(precision: p, scale: s)
        }
        let base = t.split(separator: "(").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? t
        switch base {
        case "BOOLEAN", "BOOL": return .boolean
        case "INTEGER", "INT", "INT4", "SMALLINT", "TINYINT", "INT2": return .integer
        case "BIGINT", "INT8", "LONG": return .bigint
        case "DOUBLE", "DOUBLE PRECISION", "FLOAT", "FLOAT8", "REAL", "FLOAT4": return .double
        case "VARCHAR", "TEXT", "STRING", "CHAR", "CHARACTER", "CHARACTER VARYING": return .varchar
        case "DATE": return .date
        case "TIMESTAMP", "DATETIME", "TIMESTAMP WITHOUT TIME ZONE": return .timestamp
        case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE": return .timestampTZ
        default: return nil
        }
    }

    /// Type names of at most 11 characters without parameters, uppercased (`parse`'s fast path; the same answers as
    /// its general path).
    private static let simpleNames: [String: DataType] = [
        "BOOLEAN": .boolean, "BOOL": .boolean, "INTEGER": .integer, "INT": .integer, "INT4": .integer, "SMALLINT": .integer,
        "TINYINT": .integer, "INT2": .integer, "BIGINT": .bigint, "INT8": .bigint, "LONG": .bigint, "DOUBLE": .double,
        "FLOAT": .double, "FLOAT8": .double, "REAL": .double, "FLOAT4": .double, "VARCHAR": .varchar, "TEXT": .varchar,
        "STRING": .varchar, "CHAR": .varchar, "CHARACTER": .varchar, "DATE": .date, "TIMESTAMP": .timestamp,
        "DATETIME": .timestamp, "TIMESTAMPTZ": .timestampTZ,
    ]

    /// The element type's text of `T[]`, `ARRAY(T)`, `ARRAY<T>` or `LIST(T)` (case kept), nil for other types.
    private static func arrayElementText(_ t: String) -> String? {
        if t.hasSuffix("[]") { return String(t.dropLast(2)) }
        let upper = t.uppercased()
        for prefix in ["ARRAY(", "LIST(", "ARRAY<"] where upper.hasPrefix(prefix) {
            let close: Character = prefix.hasSuffix("<") ? ">" : ")"
            guard t.hasSuffix(String(close)) else { return nil }
            return String(t.dropFirst(prefix.count).dropLast())
        }
        return nil
    }

    /// The element type of an array type (nil for scalar types).
    public var elementType: DataType? {
        if case let .array(element) = self { return element }
        return nil
    }

    /// The type of a list column's child rows: an array's elements, a map's (key, value) entries.
    public var listChildType: DataType? {
        switch self {
        case let .array(element): return element
        case let .map(k, v): return .row(RowField.mapEntry(key: k, value: v))
        default: return nil
        }
    }

    /// Whether values of this type can be ordered and compared (arrays, maps and rows cannot yet).
    public var isOrderable: Bool { elementType == nil && !isRowOrMap }
}

/// The in-memory storage class of a column.
public enum PhysicalType: Sendable, Hashable {
    case bool, int32, int64, double, string
    /// DECIMAL with precision 19…38 (`ColumnData.int128`).
    case int128
    /// Offsets plus a child column (`DataType.array`, `DataType.map`).
    case list
    /// One child column per field (`DataType.row`).
    case fields
}

import Foundation
