import Foundation
import Storage

/// Decodes the rows of `COPY … TO STDOUT (FORMAT binary)` straight into column builders: big-endian integers
/// and floats, numeric's base-10000 digits into DECIMAL's unscaled Int64 (or a correctly rounded DOUBLE), dates
/// and timestamps moved from PostgreSQL's 2000-01-01 epoch to 1970-01-01, uuids to their text form.
struct PostgresBinaryDecoder {
    let columns: [PostgresColumn]
    /// For messages: `schema.table` and where in it.
    let tableName: String
    var builders: [ColumnBuilder]
    var headerSeen = false
    var finished = false
    /// Rows decoded so far by this decoder (1-based in messages).
    var rowNumber = 0
    let rowLabel: @Sendable (Int) -> String

    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
    static let dateShift: Int64 = 10_957                      // days from 1970-01-01 to 2000-01-01
    static let timestampShift: Int64 = 946_684_800_000_000    // microseconds, same

    init(columns: [PostgresColumn], tableName: String, capacity: Int, rowLabel: @escaping @Sendable (Int) -> String) {
        self.columns = columns
        self.tableName = tableName
        self.rowLabel = rowLabel
        builders = columns.map { ColumnBuilder(type: $0.type.tarnType, capacity: capacity) }
    }

    private var rowNumberInBatch = 0

    mutating func takeBatch(capacity: Int) -> Batch {
        let batch = Batch(columns: builders.indices.map { builders[$0].finish() }, count: rowNumberInBatch)
        builders = columns.map { ColumnBuilder(type: $0.type.tarnType, capacity: capacity) }
        rowNumberInBatch = 0
        return batch
    }

    var pendingRows: Int { rowNumberInBatch }

    /// Decodes one CopyData message (a header and/or whole tuples, or the trailer).
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let base = bytes.baseAddress else { return }
        var at = 0
        let n = bytes.count
        func bad(_ what: String) -> TarnError {
            TarnError(.corruption, "PostgreSQL table \(tableName): malformed binary COPY data (\(what))")
        }
        if !headerSeen {
            guard n >= 19, Array(bytes[0..<11]) == Self.signature else { throw bad("no PGCOPY signature") }
            let extensionLength = Int(Self.int32(base + 15))
            at = 19 + extensionLength
            guard at <= n else { throw bad("header extension") }
            headerSeen = true
        }
        while at < n {
            guard at + 2 <= n else { throw bad("truncated tuple") }
            let fields = Int(Int16(bitPattern: Self.uint16(base + at)))
            at += 2
            if fields == -1 { finished = true; return }
            guard fields == columns.count else { throw bad("\(fields) fields where \(columns.count) were selected") }
            rowNumber += 1
            for c in 0..<fields {
                guard at + 4 <= n else { throw bad("truncated field") }
                let length = Int(Self.int32(base + at))
                at += 4
                if length < 0 { builders[c].appendNull(); continue }
                guard at + length <= n else { throw bad("field longer than its message") }
                try append(c, UnsafeBufferPointer(start: base + at, count: length))
                at += length
            }
            rowNumberInBatch += 1
        }
    }

    @inline(__always) static func uint16(_ p: UnsafePointer<UInt8>) -> UInt16 { UInt16(p[0]) << 8 | UInt16(p[1]) }
    @inline(__always) static func int32(_ p: UnsafePointer<UInt8>) -> Int32 {
        Int32(bitPattern: UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3]))
    }
    @inline(__always) static func uint64(_ p: UnsafePointer<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(p[i]) }
        return v
    }

    private func fail(_ c: Int, _ why: String) -> TarnError {
        TarnError(.execution, "PostgreSQL table \(tableName) \(rowLabel(rowNumber)), column '\(columns[c].name)' (\(columns[c].declared)): \(why)")
    }

    private mutating func append(_ c: Int, _ v: UnsafeBufferPointer<UInt8>) throws {
        guard let p = v.baseAddress ?? (v.count == 0 ? UnsafePointer<UInt8>(bitPattern: 1) : nil) else { return }
        func need(_ size: Int) throws { if v.count != size { throw fail(c, "expected \(size) bytes, got \(v.count)") } }
        switch columns[c].type {
        case .bool:
            try need(1); builders[c].append(bool: p[0] != 0)
        case .int2:
            try need(2); builders[c].append(int32: Int32(Int16(bitPattern: Self.uint16(p))))
        case .int4:
            try need(4); builders[c].append(int32: Self.int32(p))
        case .int8:
            try need(8); builders[c].append(int64: Int64(bitPattern: Self.uint64(p)))
        case .float4:
            try need(4); builders[c].append(double: Double(Float(bitPattern: UInt32(bitPattern: Self.int32(p)))))
        case .float8:
            try need(8); builders[c].append(double: Double(bitPattern: Self.uint64(p)))
        case let .numeric(type):
            try appendNumeric(c, p, v.count, type)
        case .text, .castToText:
            builders[c].append(utf8: v)
        case .jsonb:
            guard v.count >= 1, p[0] == 1 else { throw fail(c, "unknown jsonb format version") }
            builders[c].append(utf8: UnsafeBufferPointer(rebasing: v[1...]))
        case .date:
            try need(4)
            let d = Self.int32(p)
            guard d != Int32.max, d != Int32.min else { throw fail(c, "\(d > 0 ? "infinity" : "-infinity") is not a DATE") }
            let shifted = Int64(d) + Self.dateShift
            guard let days = Int32(exactly: shifted) else { throw fail(c, "date out of range") }
            builders[c].append(int32: days)
        case .timestamp, .timestamptz:
            try need(8)
            let t = Int64(bitPattern: Self.uint64(p))
            guard t != Int64.max, t != Int64.min else { throw fail(c, "\(t > 0 ? "infinity" : "-infinity") is not a TIMESTAMP") }
            let (shifted, overflow) = t.addingReportingOverflow(Self.timestampShift)
            guard !overflow else { throw fail(c, "timestamp out of range") }
            builders[c].append(int64: shifted)
        case .uuid:
            try need(16)
            var text = [UInt8](repeating: 0, count: 36)
            let hex = Array("0123456789abcdef".utf8)
            var o = 0
            for i in 0..<16 {
                if i == 4 || i == 6 || i == 8 || i == 10 { text[o] = 45; o += 1 }
                text[o] = hex[Int(p[i] >> 4)]; text[o + 1] = hex[Int(p[i] & 15)]; o += 2
            }
            text.withUnsafeBufferPointer { builders[c].append(utf8: $0) }
        }
    }

    /// numeric: int16 ndigits, int16 weight, uint16 sign, int16 dscale, then ndigits base-10000 digits; the value is
    /// Σ digit[i] · 10000^(weight − i).
    private mutating func appendNumeric(_ c: Int, _ p: UnsafePointer<UInt8>, _ count: Int, _ type: DataType) throws {
        guard count >= 8 else { throw fail(c, "short numeric") }
        let ndigits = Int(Int16(bitPattern: Self.uint16(p)))
        let weight = Int(Int16(bitPattern: Self.uint16(p + 2)))
        let sign = Self.uint16(p + 4)
        guard ndigits >= 0, count == 8 + 2 * ndigits else { throw fail(c, "malformed numeric") }
        let digit = { (i: Int) in Int64(Self.uint16(p + 8 + 2 * i)) }
        if case let .decimal(precision, scale) = type {
            guard sign == 0 || sign == 0x4000 else { throw fail(c, "\(Self.special(sign)) is not a DECIMAL(\(precision),\(scale))") }
            var acc: Int64 = 0
            var overflow = false
            // acc holds the value · 10000^(ndigits − 1 − weight) once all digits are in.
            for i in 0..<ndigits {
                let (m, o1) = acc.multipliedReportingOverflow(by: 10_000)
                let (a, o2) = m.addingReportingOverflow(digit(i))
                acc = a; overflow = overflow || o1 || o2
            }
            var exponent = 4 * (ndigits - 1 - weight)   // decimal digits after the point in acc
            if ndigits == 0 { exponent = 0 }
            while exponent > scale {
                guard acc % 10 == 0 else { throw fail(c, "more fraction digits than DECIMAL(\(precision),\(scale)) holds") }
                acc /= 10; exponent -= 1
            }
            while exponent < scale {
                let (m, o) = acc.multipliedReportingOverflow(by: 10)
                acc = m; overflow = overflow || o; exponent += 1
            }
            guard !overflow else { throw fail(c, "value does not fit DECIMAL(\(precision),\(scale))") }
            builders[c].append(int64: sign == 0x4000 ? -acc : acc)
            return
        }
        switch sign {
        case 0xC000: builders[c].append(double: .nan); return
        case 0xD000: builders[c].append(double: .infinity); return
        case 0xF000: builders[c].append(double: -.infinity); return
        case 0, 0x4000: break
        default: throw fail(c, "malformed numeric sign")
        }
        if ndigits == 0 { builders[c].append(double: sign == 0x4000 ? -0.0 : 0); return }
        // Exact decimal text, then one correctly rounded conversion.
        var text = sign == 0x4000 ? "-" : ""
        for i in 0..<ndigits {
            let d = String(digit(i))
            text += i == 0 ? d : String(repeating: "0", count: 4 - d.count) + d
        }
        text += "e\(4 * (weight - ndigits + 1))"
        guard let d = Double(text) else { throw fail(c, "numeric does not convert to DOUBLE") }
        builders[c].append(double: d)
    }

    static func special(_ sign: UInt16) -> String {
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        default: return "a special value"
        }
    }
}
