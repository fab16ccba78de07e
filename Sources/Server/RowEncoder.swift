import NIOCore
import Storage

/// Encodes rows of a `Batch` as DataRow messages, each column in text (0) or binary (1) format,
/// straight from the column buffers into one `ByteBuffer`.
struct RowEncoder {
    let types: [DataType]
    /// Per column: true for binary.
    let binary: [Bool]

    init(types: [DataType], formats: [Int16]) {
        self.types = types
        self.binary = types.indices.map { i in
            formats.isEmpty ? false : (formats.count == 1 ? formats[0] == 1 : (i < formats.count && formats[i] == 1))
        }
    }

    /// Appends DataRow messages for rows `range` of `batch` to `out`.
    func encode(_ batch: Batch, rows range: Range<Int>, into out: inout ByteBuffer) {
        let columns = batch.columns
        for row in range {
            out.writeInteger(UInt8(ascii: "D"))
            let lengthIndex = out.writerIndex
            out.writeInteger(Int32(0))
            out.writeInteger(Int16(truncatingIfNeeded: columns.count))
            for (c, column) in columns.enumerated() {
                if column.isNull(row) { out.writeInteger(Int32(-1)); continue }
                let fieldIndex = out.writerIndex
                out.writeInteger(Int32(0))
                if c < binary.count, binary[c] {
                    Self.writeBinary(column, row, into: &out)
                } else {
                    Self.writeText(column, row, into: &out)
                }
                out.setInteger(Int32(truncatingIfNeeded: out.writerIndex - fieldIndex - 4), at: fieldIndex)
            }
            out.setInteger(Int32(truncatingIfNeeded: out.writerIndex - lengthIndex), at: lengthIndex)
        }
    }

    static func writeText(_ column: Column, _ row: Int, into out: inout ByteBuffer) {
        switch (column.type, column.data) {
        case let (_, .bool(v)): out.writeString(v[row] ? "t" : "f")
        case let (.integer, .int32(v)): out.writeString(String(v[row]))
        case let (.bigint, .int64(v)): out.writeString(String(v[row]))
        case let (.double, .double(v)): out.writeString(PostgresText.format(double: v[row]))
        case let (_, .string(s)): s.withBytes(at: row) { _ = out.writeBytes($0) }
        case let (_, .dictionary(codes, dict)): dict.withBytes(at: Int(codes[row])) { _ = out.writeBytes($0) }
        default: out.writeString(column.value(at: row).description)
        }
    }

    static func writeBinary(_ column: Column, _ row: Int, into out: inout ByteBuffer) {
        switch (column.type, column.data) {
        case let (_, .bool(v)): out.writeInteger(UInt8(v[row] ? 1 : 0))
        case let (.integer, .int32(v)): out.writeInteger(v[row])
        case let (.date, .int32(v)): out.writeInteger(Int32(truncatingIfNeeded: Int64(v[row]) - PostgresEpoch.dayOffset))
        case let (.bigint, .int64(v)): out.writeInteger(v[row])
        case let (.timestamp, .int64(v)): out.writeInteger(v[row] &- PostgresEpoch.microsecondOffset)
        case let (.decimal(_, scale), .int64(v)): PostgresNumeric.writeBinary(unscaled: v[row], scale: scale, into: &out)
        case let (.double, .double(v)): out.writeInteger(v[row].bitPattern)
        case let (_, .string(s)): s.withBytes(at: row) { _ = out.writeBytes($0) }
        case let (_, .dictionary(codes, dict)): dict.withBytes(at: Int(codes[row])) { _ = out.writeBytes($0) }
        default: out.writeString(column.value(at: row).description)
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
