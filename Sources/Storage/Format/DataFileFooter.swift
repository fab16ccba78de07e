/// Footer metadata of one column chunk: where its bytes are and how to decode them.
struct ColumnChunkMetadata {
    var offset: Int
    var storedLength: Int
    var payloadLength: Int
    var encoding: ChunkEncoding
    var compression: ChunkCompression
    var checksum: UInt64
    var statistics: ColumnStatistics
}

/// Footer metadata of one row group.
struct RowGroupMetadata {
    var rowCount: Int
    var chunks: [ColumnChunkMetadata]
}

/// The footer of a data file: schema with field ids, then every row group's chunk locations and statistics, then
/// (format version 2) each column's distinct-value estimate over the whole file.
/// Serialized little-endian as described in docs/FORMAT.md; parsing checks every count, offset and length.
struct DataFileFooter {
    var schema: Schema
    var fieldIds: [Int32]
    var rowGroups: [RowGroupMetadata]
    /// Per column: the file's estimated distinct non-NULL values, nil when unknown (version 1 files, nested types).
    var distinctCounts: [Int?]

    func serialized() -> [UInt8] {
        var w = ByteWriter(capacity: 256)
        w.write(UInt32(schema.count))
        for (field, id) in zip(schema.fields, fieldIds) {
            w.write(id)
            if field.type.containsRowOrMap {
                // Type code 11: the type's text follows (u32 length, UTF-8), as DataType.parse reads it.
                w.write(DataTypeTag.nestedByText); w.write(UInt8(0)); w.write(UInt8(0))
                let text = Array(field.type.description.utf8)
                w.write(UInt32(text.count))
                w.write(bytes: text)
            } else {
                let t = DataTypeTag.encode(field.type)
                w.write(t.tag); w.write(t.precision); w.write(t.scale)
            }
            w.write(UInt8(field.nullable ? 1 : 0))
            let name = Array(field.name.utf8)
            w.write(UInt32(name.count))
            w.write(bytes: name)
        }
        w.write(UInt32(rowGroups.count))
        for group in rowGroups {
            w.write(UInt64(group.rowCount))
            for (chunk, field) in zip(group.chunks, schema.fields) {
                w.write(UInt64(chunk.offset))
                w.write(UInt64(chunk.storedLength))
                w.write(UInt64(chunk.payloadLength))
                w.write(chunk.encoding.rawValue)
                w.write(chunk.compression.rawValue)
                w.write(UInt64(chunk.statistics.nullCount))
                w.write(chunk.checksum)
                if let lo = chunk.statistics.min, let hi = chunk.statistics.max {
                    w.write(UInt8(1))
                    Self.write(lo, field.type, &w)
                    Self.write(hi, field.type, &w)
                } else {
                    w.write(UInt8(0))
                }
            }
        }
        // Version 2: u64 per column, the distinct count plus one; 0 when unknown.
        for c in 0 ..< schema.count {
            let d = c < distinctCounts.count ? distinctCounts[c] : nil
            w.write(UInt64(d.map { Swift.max(0, $0) + 1 } ?? 0))
        }
        return w.bytes
    }

    private static func write(_ value: Value, _ type: DataType, _ w: inout ByteWriter) {
        switch (type.physical, value) {
        case let (.bool, .boolean(b)): w.write(UInt8(b ? 1 : 0))
        case (.int32, _): w.write(Int32(truncatingIfNeeded: value.int64Value ?? 0))
        case let (.int64, .decimal(x, _)): w.write(x)
        case let (.int128, .decimal128(x, _)):
            w.write(UInt64(truncatingIfNeeded: x))
            w.write(Int64(truncatingIfNeeded: x >> 64))
        case (.int128, _): w.write(UInt64(0)); w.write(UInt64(0))
        case (.int64, _): w.write(value.int64Value ?? 0)
        case let (.double, .double(d)): w.write(d.bitPattern)
        case let (.string, .varchar(s)):
            let bytes = Array(s.utf8)
            w.write(UInt32(bytes.count))
            w.write(bytes: bytes)
        default: w.write(UInt64(0))
        }
    }

    /// Parses footer bytes; chunk byte ranges must lie within `dataRange` (between header and footer).
    static func parse(_ bytes: UnsafeRawBufferPointer, dataRange: Range<Int>, version: UInt16 = DataFileLayout.formatVersion) throws -> DataFileFooter {
        var r = ByteReader(bytes)
        let fieldCount = try r.readCount(UInt32.self, limit: r.remaining / 12, "field count")
        var fields: [Field] = []
        var ids: [Int32] = []
        for _ in 0 ..< fieldCount {
            ids.append(try r.read(Int32.self, "field id"))
            let tag = try r.read(UInt8.self, "type"), p = try r.read(UInt8.self, "precision"), s = try r.read(UInt8.self, "scale")
            let type: DataType
            if tag == DataTypeTag.nestedByText {
                let length = try r.readCount(UInt32.self, limit: r.remaining, "type text length")
                let text = String(decoding: try r.bytes(length, "type text"), as: UTF8.self)
                guard let parsed = DataType.parse(text), parsed.containsRowOrMap else { throw FormatViolation("invalid nested type '\(text)'") }
                type = parsed
            } else {
                type = try DataTypeTag.decode(tag: tag, precision: p, scale: s)
            }
            let nullable = try r.read(UInt8.self, "nullable flag")
            guard nullable <= 1 else { throw FormatViolation("invalid nullable flag") }
            let nameLength = try r.readCount(UInt32.self, limit: r.remaining, "field name length")
            let name = String(decoding: try r.bytes(nameLength, "field name"), as: UTF8.self)
            fields.append(Field(name: name, type: type, nullable: nullable == 1))
        }
        let minChunkMeta = 43
        let rowGroupCount = try r.readCount(UInt32.self, limit: r.remaining / 8, "row group count")
        var groups: [RowGroupMetadata] = []
        for g in 0 ..< rowGroupCount {
            let rowCount = try r.readCount(UInt64.self, limit: DataFileLayout.maxRowGroupRows, "row count of row group \(g)")
            guard rowCount > 0 else { throw FormatViolation("row group \(g) is empty") }
            guard r.remaining >= fieldCount * minChunkMeta else { throw FormatViolation("truncated row group \(g)") }
            var chunks: [ColumnChunkMetadata] = []
            for field in fields {
                let what = "row group \(g), column '\(field.name)'"
                let offset = try r.readCount(UInt64.self, limit: dataRange.upperBound, "\(what): offset")
                let length = try r.readCount(UInt64.self, limit: dataRange.upperBound, "\(what): length")
                guard offset >= dataRange.lowerBound, length <= dataRange.upperBound - offset else {
                    throw FormatViolation("\(what): chunk bytes outside the data region")
                }
                let payloadLength = try r.readCount(UInt64.self, limit: DataFileLayout.maxPayloadBytes, "\(what): payload length")
                guard let encoding = ChunkEncoding(rawValue: try r.read(UInt8.self)) else { throw FormatViolation("\(what): unknown encoding") }
                guard let compression = ChunkCompression(rawValue: try r.read(UInt8.self)) else { throw FormatViolation("\(what): unknown compression") }
                if compression == .none, payloadLength != length { throw FormatViolation("\(what): payload length differs from stored length") }
                let nullCount = try r.readCount(UInt64.self, limit: rowCount, "\(what): null count")
                let checksum = try r.read(UInt64.self, "\(what): checksum")
                var lo: Value? = nil, hi: Value? = nil
                switch try r.read(UInt8.self, "\(what): statistics flag") {
                case 0: break
                case 1:
                    guard field.type != .null else { throw FormatViolation("\(what): statistics on a NULL column") }
                    lo = try readValue(&r, field.type, what)
                    hi = try readValue(&r, field.type, what)
                default: throw FormatViolation("\(what): invalid statistics flag")
                }
                chunks.append(ColumnChunkMetadata(offset: offset, storedLength: length, payloadLength: payloadLength,
                                                  encoding: encoding, compression: compression, checksum: checksum,
                                                  statistics: ColumnStatistics(min: lo, max: hi, nullCount: nullCount, rowCount: rowCount)))
            }
            groups.append(RowGroupMetadata(rowCount: rowCount, chunks: chunks))
        }
        var distinct = [Int?](repeating: nil, count: fieldCount)
        if version >= 2 {
            let rows = groups.reduce(0) { $0 + $1.rowCount }
            for (c, field) in fields.enumerated() {
                let stored = try r.readCount(UInt64.self, limit: rows + 1, "distinct count of column '\(field.name)'")
                distinct[c] = stored == 0 ? nil : stored - 1
            }
        }
        try r.expectEnd("footer")
        return DataFileFooter(schema: Schema(fields), fieldIds: ids, rowGroups: groups, distinctCounts: distinct)
    }

    private static func readValue(_ r: inout ByteReader, _ type: DataType, _ what: String) throws -> Value {
        switch type {
        case .boolean:
            let b = try r.read(UInt8.self, "\(what): statistics")
            guard b <= 1 else { throw FormatViolation("\(what): invalid boolean statistics") }
            return .boolean(b == 1)
        case .integer: return .integer(try r.read(Int32.self, "\(what): statistics"))
        case .date: return .date(try r.read(Int32.self, "\(what): statistics"))
        case .bigint: return .bigint(try r.read(Int64.self, "\(what): statistics"))
        case .timestamp: return .timestamp(try r.read(Int64.self, "\(what): statistics"))
        case .timestampTZ: return .timestampTZ(try r.read(Int64.self, "\(what): statistics"))
        case let .decimal(p, s) where p > DataType.maxInt64DecimalPrecision:
            let low = try r.read(UInt64.self, "\(what): statistics"), high = try r.read(Int64.self, "\(what): statistics")
            return .decimal128(Int128(high) << 64 | Int128(low), scale: s)
        case let .decimal(_, s): return .decimal(try r.read(Int64.self, "\(what): statistics"), scale: s)
        case .double: return .double(Double(bitPattern: try r.read(UInt64.self, "\(what): statistics")))
        case .varchar:
            let length = try r.readCount(UInt32.self, limit: r.remaining, "\(what): statistics length")
            return .varchar(String(decoding: try r.bytes(length, "\(what): statistics"), as: UTF8.self))
        case .null: throw FormatViolation("\(what): statistics on a NULL column")
        case .array, .row, .map: throw FormatViolation("\(what): statistics on a \(type) column")
        }
    }
}
