import NIOCore
import Storage

/// Encodes rows of a `Batch` as DataRow messages, each column in text (0) or binary (1) format.
/// Column buffers are unpacked once per batch and rows are written into a byte array that goes
/// into the `ByteBuffer` in one copy, so the per-cell loop does no allocation and no enum copying.
struct RowEncoder {
    let types: [DataType]
    /// Per column: true for binary.
    let binary: [Bool]
    /// The session time zone: TIMESTAMPTZ text is local time there with its offset (`2024-03-10 13:00:00+01`).
    let timeZone: TimeZoneRules

    init(types: [DataType], formats: [Int16], timeZone: TimeZoneRules = .utc) {
        self.types = types
        self.timeZone = timeZone
        self.binary = types.indices.map { i in
            formats.isEmpty ? false : (formats.count == 1 ? formats[0] == 1 : (i < formats.count && formats[i] == 1))
        }
    }

    /// One column's values, unpacked from `ColumnData` once per batch.
    private enum Source {
        case bool([Bool])
        case int32([Int32])
        case date([Int32])
        case int64([Int64])
        case timestamp([Int64])
        case timestampTZ([Int64])
        case decimal([Int64], scale: Int)
        case decimal128([Int128], scale: Int)
        case double([Double])
        case string(StringArray)
        case dictionary([Int32], StringArray)
        case other(Column)

        init(_ column: Column) {
            switch (column.type, column.data) {
            case let (.boolean, .bool(v)): self = .bool(v)
            case let (.integer, .int32(v)): self = .int32(v)
            case let (.date, .int32(v)): self = .date(v)
            case let (.bigint, .int64(v)): self = .int64(v)
            case let (.timestamp, .int64(v)): self = .timestamp(v)
            case let (.timestampTZ, .int64(v)): self = .timestampTZ(v)
            case let (.decimal(_, s), .int64(v)): self = .decimal(v, scale: s)
            case let (.decimal(_, s), .int128(v)): self = .decimal128(v, scale: s)
            case let (.double, .double(v)): self = .double(v)
            case let (.varchar, .string(s)): self = .string(s)
            case let (.varchar, .dictionary(codes, dict)): self = .dictionary(codes, dict)
            default: self = .other(column)
            }
        }
    }

    /// Appends DataRow messages for rows `range` of `batch` to `out`.
    func encode(_ batch: Batch, rows range: Range<Int>, into out: inout ByteBuffer) {
        let columns = batch.columns
        let sources = columns.map(Source.init)
        let validity = columns.map(\.validity)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count * (7 + columns.count * 12))
        for row in range {
            bytes.append(UInt8(ascii: "D"))
            let lengthIndex = bytes.count
            Self.append32(0, &bytes)
            Self.append16(Int16(truncatingIfNeeded: columns.count), &bytes)
            for c in sources.indices {
                if let v = validity[c], v[row] == 0 { Self.append32(-1, &bytes); continue }
                let fieldIndex = bytes.count
                Self.append32(0, &bytes)
                if c < binary.count, binary[c] {
                    Self.writeBinary(sources[c], row, &bytes)
                } else {
                    Self.writeText(sources[c], row, &bytes, timeZone)
                }
                Self.set32(Int32(truncatingIfNeeded: bytes.count - fieldIndex - 4), at: fieldIndex, &bytes)
            }
            Self.set32(Int32(truncatingIfNeeded: bytes.count - lengthIndex), at: lengthIndex, &bytes)
        }
        out.writeBytes(bytes)
    }

    private static func writeText(_ source: Source, _ row: Int, _ bytes: inout [UInt8], _ timeZone: TimeZoneRules) {
        switch source {
        case let .bool(v): bytes.append(v[row] ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case let .int32(v): appendDecimal(Int64(v[row]), &bytes)
        case let .int64(v): appendDecimal(v[row], &bytes)
        case let .date(v): bytes.append(contentsOf: ValueFormatting.format(date: v[row]).utf8)
        case let .timestamp(v): bytes.append(contentsOf: ValueFormatting.format(timestamp: v[row]).utf8)
        case let .timestampTZ(v): bytes.append(contentsOf: timeZone.format(v[row]).utf8)
        case let .decimal(v, scale): bytes.append(contentsOf: ValueFormatting.format(decimal: v[row], scale: scale).utf8)
        case let .decimal128(v, scale): bytes.append(contentsOf: ValueFormatting.format(decimal: v[row], scale: scale).utf8)
        case let .double(v): bytes.append(contentsOf: PostgresText.format(double: v[row]).utf8)
        case let .string(s): s.withBytes(at: row) { bytes.append(contentsOf: $0) }
        case let .dictionary(codes, dict): dict.withBytes(at: Int(codes[row])) { bytes.append(contentsOf: $0) }
        case let .other(column): bytes.append(contentsOf: (PostgresText.format(column.value(at: row)) ?? "").utf8)
        }
    }

    private static func writeBinary(_ source: Source, _ row: Int, _ bytes: inout [UInt8]) {
        switch source {
        case let .bool(v): bytes.append(v[row] ? 1 : 0)
        case let .int32(v): append32(v[row], &bytes)
        case let .date(v): append32(Int32(truncatingIfNeeded: Int64(v[row]) - PostgresEpoch.dayOffset), &bytes)
        case let .int64(v): append64(UInt64(bitPattern: v[row]), &bytes)
        case let .timestamp(v), let .timestampTZ(v): append64(UInt64(bitPattern: v[row] &- PostgresEpoch.microsecondOffset), &bytes)
        case let .decimal(v, scale):
            var b = ByteBuffer()
            PostgresNumeric.writeBinary(unscaled: v[row], scale: scale, into: &b)
            bytes.append(contentsOf: b.readableBytesView)
        case let .decimal128(v, scale):
            var b = ByteBuffer()
            PostgresNumeric.writeBinary(unscaled: v[row], scale: scale, into: &b)
            bytes.append(contentsOf: b.readableBytesView)
        case let .double(v): append64(v[row].bitPattern, &bytes)
        case let .string(s): s.withBytes(at: row) { bytes.append(contentsOf: $0) }
        case let .dictionary(codes, dict): dict.withBytes(at: Int(codes[row])) { bytes.append(contentsOf: $0) }
        case let .other(column): bytes.append(contentsOf: (PostgresText.format(column.value(at: row)) ?? "").utf8)
        }
    }

    @inline(__always) private static func append16(_ v: Int16, _ bytes: inout [UInt8]) {
        let u = UInt16(bitPattern: v)
        bytes.append(UInt8(truncatingIfNeeded: u >> 8)); bytes.append(UInt8(truncatingIfNeeded: u))
    }

    @inline(__always) private static func append32(_ v: Int32, _ bytes: inout [UInt8]) {
        let u = UInt32(bitPattern: v)
        bytes.append(UInt8(truncatingIfNeeded: u >> 24)); bytes.append(UInt8(truncatingIfNeeded: u >> 16))
        bytes.append(UInt8(truncatingIfNeeded: u >> 8)); bytes.append(UInt8(truncatingIfNeeded: u))
    }

    @inline(__always) private static func append64(_ u: UInt64, _ bytes: inout [UInt8]) {
        append32(Int32(bitPattern: UInt32(truncatingIfNeeded: u >> 32)), &bytes)
        append32(Int32(bitPattern: UInt32(truncatingIfNeeded: u)), &bytes)
    }

    @inline(__always) private static func set32(_ v: Int32, at i: Int, _ bytes: inout [UInt8]) {
        let u = UInt32(bitPattern: v)
        bytes[i] = UInt8(truncatingIfNeeded: u >> 24); bytes[i + 1] = UInt8(truncatingIfNeeded: u >> 16)
        bytes[i + 2] = UInt8(truncatingIfNeeded: u >> 8); bytes[i + 3] = UInt8(truncatingIfNeeded: u)
    }

    /// Decimal digits of `v` without allocating a String.
    private static func appendDecimal(_ v: Int64, _ bytes: inout [UInt8]) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        if m == 0 { bytes.append(UInt8(ascii: "0")); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while m > 0 { buf[count] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; count += 1 }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }
}

/// PostgreSQL's text forms where they differ from Tarn's own rendering.
enum PostgresText {
    /// Shortest round-trip form; integral values without a trailing `.0` (as PostgreSQL 12+ prints float8).
    static func format(double v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// The text of `value` as PostgreSQL clients expect it (booleans as `t` / `f`).
    static func format(_ value: Value) -> String? {
        switch value {
        case .null: return nil
        case let .boolean(b): return b ? "t" : "f"
        case let .double(d): return format(double: d)
        default: return value.description
        }
    }
}
