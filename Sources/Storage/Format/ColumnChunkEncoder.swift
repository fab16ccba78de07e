import Foundation

/// Turns one column of a row group into an `EncodedChunk`: statistics, null bitmap (only when there are NULLs),
/// value encoding chosen from the data, zstd on top when it saves at least 1/8, and the XXH64 checksum.
/// NULL slots are re-filled with the previous valid value (empty string for VARCHAR) so they do not disturb
/// runs, deltas or the dictionary.
struct ColumnChunkEncoder: Sendable {
    let compressor: ZstdCompressor

    func encode(_ column: Column) -> EncodedChunk { encode(column, compress: true) }

    private func encode(_ column: Column, compress: Bool) -> EncodedChunk {
        let n = column.count
        let nullCount = column.validity == nil ? 0 : column.nullCount
        var writer = ByteWriter(capacity: n * 8 + 64)
        if nullCount > 0, let validity = column.validity { NullBitmap.write(validity: validity, to: &writer) }
        let validity = nullCount > 0 ? column.validity : nil
        let encoding: ChunkEncoding
        var minValue: Value? = nil, maxValue: Value? = nil
        switch column.data {
        case let .bool(values):
            let bytes = [Int8](unsafeUninitializedCapacity: n) { out, c in
                for i in 0 ..< n { out[i] = values[i] ? 1 : 0 }
                c = n
            }
            let filled = Self.fillNulls(bytes, validity)
            if let range = Self.integerRange(filled, validity) {
                minValue = .boolean(range.min != 0); maxValue = .boolean(range.max != 0)
            }
            encoding = filled.withUnsafeBufferPointer { IntegerChunkEncoder.encode($0, into: &writer) }
        case let .int32(values):
            let filled = Self.fillNulls(values, validity)
            if let range = Self.integerRange(filled, validity) {
                minValue = Self.value(Int64(range.min), column.type); maxValue = Self.value(Int64(range.max), column.type)
            }
            encoding = filled.withUnsafeBufferPointer { IntegerChunkEncoder.encode($0, into: &writer) }
        case let .int64(values):
            let filled = Self.fillNulls(values, validity)
            if let range = Self.integerRange(filled, validity) {
                minValue = Self.value(range.min, column.type); maxValue = Self.value(range.max, column.type)
            }
            encoding = filled.withUnsafeBufferPointer { IntegerChunkEncoder.encode($0, into: &writer) }
        case let .int128(values):
            let filled = Self.fillNulls(values, validity)
            if let range = Self.integerRange(filled, validity), case let .decimal(_, s) = column.type {
                minValue = .decimal128(range.min, scale: s); maxValue = .decimal128(range.max, scale: s)
            }
            encoding = Self.writeInt128(filled, into: &writer)
        case let .double(values):
            let filled = Self.fillNulls(values, validity)
            if let range = Self.doubleRange(filled, validity) { minValue = .double(range.min); maxValue = .double(range.max) }
            encoding = filled.withUnsafeBufferPointer { doubles in
                doubles.withMemoryRebound(to: Int64.self) { IntegerChunkEncoder.encode($0, into: &writer) }
            }
        case let .string(strings):
            let normalized = Self.emptyNullSlots(strings, validity)
            if let range = Self.stringRange(normalized, validity) { minValue = .varchar(range.min); maxValue = .varchar(range.max) }
            encoding = StringChunkEncoder.encode(normalized, into: &writer)
        case .dictionary:
            return encode(column.flattened(), compress: compress)
        case let .list(offsets, child):
            encoding = writeList(offsets: offsets, child: child, into: &writer)
        case let .fields(columns):
            for field in columns { writeNested(field, into: &writer) }
            encoding = .plain
        }
        if column.type == .null || column.type.physical == .list || column.type.physical == .fields { minValue = nil; maxValue = nil }
        let payload = writer.bytes
        var stored = payload
        var compression = ChunkCompression.none
        if compress, payload.count >= 64 {
            let limit = payload.count * DataFileLayout.zstdKeepNumerator / DataFileLayout.zstdKeepDenominator
            if let compressed = payload.withUnsafeBytes({ compressor.compress($0, limit: limit) }) {
                stored = compressed
                compression = .zstd
            }
        }
        return EncodedChunk(stored: stored, payloadLength: payload.count, encoding: encoding, compression: compression,
                            checksum: XXHash64.hash(stored),
                            statistics: ColumnStatistics(min: minValue, max: maxValue, nullCount: nullCount, rowCount: n))
    }

    /// An array chunk's values: the row lengths (integer-encoded; their encoding is the chunk's), then the child
    /// column as a nested chunk payload (u32 rows, u32 NULLs, u8 encoding, u32 length, payload bytes), uncompressed
    /// since the whole chunk is compressed once. NULL rows have empty ranges, so their length is 0.
    private func writeList(offsets: [Int32], child: Column, into writer: inout ByteWriter) -> ChunkEncoding {
        let n = offsets.count - 1
        let lengths = [Int32](unsafeUninitializedCapacity: n) { out, c in
            for i in 0 ..< n { out[i] = offsets[i + 1] - offsets[i] }
            c = n
        }
        let encoding = lengths.withUnsafeBufferPointer { IntegerChunkEncoder.encode($0, into: &writer) }
        let first = Int(offsets[0]), last = Int(offsets[n])
        writeNested(child.slice(first ..< last), into: &writer)
        return encoding
    }

    /// A nested chunk payload (an array's elements, a row's field): u32 rows, u32 NULLs, u8 encoding, u32 length,
    /// payload bytes, uncompressed since the whole chunk is compressed once.
    private func writeNested(_ column: Column, into writer: inout ByteWriter) {
        let nested = ColumnChunkEncoder(compressor: compressor).encode(column, compress: false)
        writer.write(UInt32(column.count))
        writer.write(UInt32(nested.statistics.nullCount))
        writer.write(nested.encoding.rawValue)
        writer.write(UInt32(nested.stored.count))
        writer.write(bytes: nested.stored)
    }

    /// DECIMAL(19…38) values: the high words integer-encoded (their encoding is the chunk's, so small values cost
    /// little), then u8 the low words' encoding and the low words (as Int64 bit patterns) integer-encoded.
    static func writeInt128(_ values: [Int128], into writer: inout ByteWriter) -> ChunkEncoding {
        let high = values.map { Int64(truncatingIfNeeded: $0 >> 64) }
        let low = values.map { Int64(truncatingIfNeeded: $0) }
        let encoding = high.withUnsafeBufferPointer { IntegerChunkEncoder.encode($0, into: &writer) }
        var lowWriter = ByteWriter(capacity: values.count * 8 + 16)
        let lowEncoding = low.withUnsafeBufferPointer { IntegerChunkEncoder.encode($0, into: &lowWriter) }
        writer.write(lowEncoding.rawValue)
        writer.write(bytes: lowWriter.bytes)
        return encoding
    }

    static func value(_ x: Int64, _ type: DataType) -> Value {
        switch type {
        case .integer: return .integer(Int32(truncatingIfNeeded: x))
        case .date: return .date(Int32(truncatingIfNeeded: x))
        case .bigint: return .bigint(x)
        case .timestamp: return .timestamp(x)
        case .timestampTZ: return .timestampTZ(x)
        case let .decimal(_, s): return .decimal(x, scale: s)
        default: return .null
        }
    }

    /// A copy with every NULL slot holding the previous valid value (the first valid value for leading NULLs).
    static func fillNulls<T>(_ values: [T], _ validity: [UInt8]?) -> [T] {
        guard let validity, let firstValid = validity.firstIndex(where: { $0 != 0 }) else { return values }
        var filled = values
        var last = values[firstValid]
        for i in 0 ..< filled.count {
            if validity[i] != 0 { last = filled[i] } else { filled[i] = last }
        }
        return filled
    }

    static func integerRange<T: FixedWidthInteger>(_ values: [T], _ validity: [UInt8]?) -> (min: T, max: T)? {
        // NULL slots hold a neighbouring valid value after fillNulls, so they never widen the range.
        guard let first = values.first else { return nil }
        if let validity, !validity.contains(where: { $0 != 0 }) { return nil }
        var lo = first, hi = first
        for v in values { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
        return (lo, hi)
    }

    /// Min and max ignoring NaN; max is NaN when any value is NaN (NaN sorts above every number).
    static func doubleRange(_ values: [Double], _ validity: [UInt8]?) -> (min: Double, max: Double)? {
        if values.isEmpty { return nil }
        if let validity, !validity.contains(where: { $0 != 0 }) { return nil }
        var lo = Double.infinity, hi = -Double.infinity
        var sawNaN = false, sawNumber = false
        for v in values {
            if v.isNaN { sawNaN = true; continue }
            sawNumber = true
            if v < lo || (v == lo && v.sign == .minus) { lo = v }
            if v > hi || (v == hi && v.sign == .plus) { hi = v }
        }
        if !sawNumber { return (.nan, .nan) }
        return (lo, sawNaN ? .nan : hi)
    }

    static func emptyNullSlots(_ strings: StringArray, _ validity: [UInt8]?) -> StringArray {
        guard let validity else { return strings }
        var out = StringArray()
        out.reserve(strings: strings.count, bytes: strings.bytes.count)
        for i in 0 ..< strings.count {
            if validity[i] != 0 { out.append(from: strings, at: i) } else { out.appendEmpty() }
        }
        return out
    }

    /// Byte-wise (UTF-8 code point order) minimum and maximum of the valid strings.
    static func stringRange(_ strings: StringArray, _ validity: [UInt8]?) -> (min: String, max: String)? {
        var lo = -1, hi = -1
        strings.bytes.withUnsafeBytes { raw in
            strings.offsets.withUnsafeBufferPointer { o in
                func compare(_ a: Int, _ b: Int) -> Int {
                    let la = o[a + 1] - o[a], lb = o[b + 1] - o[b]
                    let common = Swift.min(la, lb)
                    if common > 0 {
                        let c = memcmp(raw.baseAddress! + o[a], raw.baseAddress! + o[b], common)
                        if c != 0 { return Int(c) }
                    }
                    return la - lb
                }
                for i in 0 ..< strings.count where validity == nil || validity![i] != 0 {
                    if lo < 0 { lo = i; hi = i; continue }
                    if compare(i, lo) < 0 { lo = i } else if compare(i, hi) > 0 { hi = i }
                }
            }
        }
        guard lo >= 0 else { return nil }
        return (strings.string(at: lo), strings.string(at: hi))
    }
}
