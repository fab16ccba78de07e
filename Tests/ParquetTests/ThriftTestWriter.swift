/// A minimal Thrift compact-protocol writer for building footers and page headers in tests.
struct ThriftTestWriter {
    var bytes: [UInt8] = []
    private var lastIds: [Int16] = [0]

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func field(_ id: Int16, _ type: UInt8) {
        let delta = id - lastIds[lastIds.count - 1]
        if delta > 0 && delta <= 15 { bytes.append(UInt8(delta) << 4 | type) } else { bytes.append(type); zigzag(Int64(id)) }
        lastIds[lastIds.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ v: Int32) { field(id, 5); zigzag(Int64(v)) }
    mutating func i64(_ id: Int16, _ v: Int64) { field(id, 6); zigzag(v) }
    mutating func bool(_ id: Int16, _ v: Bool) { field(id, v ? 1 : 2) }
    mutating func binary(_ id: Int16, _ v: [UInt8]) { field(id, 8); varint(UInt64(v.count)); bytes += v }
    mutating func string(_ id: Int16, _ v: String) { binary(id, Array(v.utf8)) }

    mutating func beginStruct(_ id: Int16) { field(id, 12); lastIds.append(0) }
    mutating func endStruct() { bytes.append(0); lastIds.removeLast() }

    /// A list field header; the caller writes `count` elements (structs with `beginElement`/`endStruct`).
    mutating func list(_ id: Int16, elementType: UInt8, count: Int) {
        field(id, 9)
        if count < 15 { bytes.append(UInt8(count) << 4 | elementType) } else { bytes.append(0xF0 | elementType); varint(UInt64(count)) }
    }

    mutating func beginElement() { lastIds.append(0) }
    mutating func stop() { bytes.append(0) }
}

/// Builds small Parquet files by hand: one row group, data pages v1, PLAIN or dictionary, uncompressed.
enum TestParquetFile {
    /// `id` INT64 REQUIRED and `name` BYTE_ARRAY UTF8 OPTIONAL (nil = NULL), one row group of `ids.count` rows.
    /// `idsAsTimestamps` annotates the ids TIMESTAMP_MILLIS (a file whose `id` has another Tarn type).
    /// `nameColumn` renames the second column.
    /// `checksums` stores each page's CRC-32 in its header.
    static func make(ids: [Int64], names: [String?], dictionaryNames: Bool = false, idsAsTimestamps: Bool = false,
                     nameColumn: String = "name", checksums: Bool = false) -> [UInt8] {
        precondition(ids.count == names.count)
        var file = Array("PAR1".utf8)
        // Column 0: one PLAIN page of the ids.
        var values: [UInt8] = []
        for v in ids { withUnsafeBytes(of: v.littleEndian) { values += $0 } }
        let idOffset = file.count
        file += pageHeader(type: 0, size: values.count, numValues: ids.count, encoding: 0, crc: checksums ? crc(values) : nil) + values
        let idSize = file.count - idOffset
        // Column 1: definition levels (bit-packed, width 1) then the non-null strings.
        var levels: [UInt8] = []
        let groups = (names.count + 7) / 8
        var header = ThriftTestWriter()
        header.varint(UInt64(groups << 1 | 1))
        levels += header.bytes
        var packed = [UInt8](repeating: 0, count: groups)
        for (i, n) in names.enumerated() where n != nil { packed[i / 8] |= 1 << UInt8(i % 8) }
        levels += packed
        var body: [UInt8] = []
        withUnsafeBytes(of: UInt32(levels.count).littleEndian) { body += $0 }
        body += levels
        let nameOffset = file.count
        var dictionaryOffset: Int?
        if dictionaryNames {
            let distinct = Array(Set(names.compactMap { $0 })).sorted()
            var dict: [UInt8] = []
            for s in distinct { withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian) { dict += $0 }; dict += Array(s.utf8) }
            dictionaryOffset = file.count
            file += dictionaryPageHeader(size: dict.count, numValues: distinct.count, crc: checksums ? crc(dict) : nil) + dict
            // Indices: bit width 8, one bit-packed run per 8 values (padded).
            let indices = names.compactMap { $0 }.map { UInt8(distinct.firstIndex(of: $0)!) }
            body.append(8)
            let idxGroups = (indices.count + 7) / 8
            if idxGroups > 0 {
                var header = ThriftTestWriter()
                header.varint(UInt64(idxGroups << 1 | 1))
                body += header.bytes
                body += indices + [UInt8](repeating: 0, count: idxGroups * 8 - indices.count)
            }
        } else {
            for n in names.compactMap({ $0 }) {
                withUnsafeBytes(of: UInt32(n.utf8.count).littleEndian) { body += $0 }
                body += Array(n.utf8)
            }
        }
        let dataOffset = file.count
        file += pageHeader(type: 0, size: body.count, numValues: names.count, encoding: dictionaryNames ? 8 : 0,
                           crc: checksums ? crc(body) : nil) + body
        let nameSize = file.count - nameOffset
        // Footer.
        var w = ThriftTestWriter()
        w.i32(1, 1)
        w.list(2, elementType: 12, count: 3)
        w.beginElement(); w.string(4, "schema"); w.i32(5, 2); w.endStruct()
        w.beginElement(); w.i32(1, 2); w.i32(3, 0); w.string(4, "id"); if idsAsTimestamps { w.i32(6, 9) }; w.endStruct()
        w.beginElement(); w.i32(1, 6); w.i32(3, 1); w.string(4, nameColumn); w.i32(6, 0); w.endStruct()
        w.i64(3, Int64(ids.count))
        w.list(4, elementType: 12, count: 1)
        w.beginElement()
        w.list(1, elementType: 12, count: 2)
        for (k, (offset, size, type, name)) in [(idOffset, idSize, Int32(2), "id"), (nameOffset, nameSize, Int32(6), nameColumn)].enumerated() {
            w.beginElement()
            w.i64(2, Int64(offset))
            w.beginStruct(3)
            w.i32(1, type)
            w.list(2, elementType: 5, count: 1); w.zigzag(0)
            w.list(3, elementType: 8, count: 1); w.varint(UInt64(name.utf8.count)); w.bytes += Array(name.utf8)
            w.i32(4, 0)
            w.i64(5, Int64(ids.count))
            w.i64(6, Int64(size))
            w.i64(7, Int64(size))
            w.i64(9, Int64(k == 1 ? dataOffset : offset))
            if k == 1, let dictionaryOffset { w.i64(11, Int64(dictionaryOffset)) }
            w.endStruct()
            w.endStruct()
        }
        w.i64(2, 0)
        w.i64(3, Int64(ids.count))
        w.endStruct()
        w.stop()
        file += w.bytes
        withUnsafeBytes(of: UInt32(w.bytes.count).littleEndian) { file += $0 }
        file += Array("PAR1".utf8)
        return file
    }

    /// CRC-32 as zlib computes it (bitwise here, so the test does not share the reader's code).
    static func crc(_ bytes: [UInt8]) -> Int32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return Int32(bitPattern: ~c)
    }

    static func pageHeader(type: Int32, size: Int, numValues: Int, encoding: Int32, crc: Int32? = nil) -> [UInt8] {
        var w = ThriftTestWriter()
        w.i32(1, type)
        w.i32(2, Int32(size))
        w.i32(3, Int32(size))
        if let crc { w.i32(4, crc) }
        w.beginStruct(5)
        w.i32(1, Int32(numValues))
        w.i32(2, encoding)
        w.i32(3, 3)
        w.i32(4, 3)
        w.endStruct()
        w.stop()
        return w.bytes
    }

    static func dictionaryPageHeader(size: Int, numValues: Int, crc: Int32? = nil) -> [UInt8] {
        var w = ThriftTestWriter()
        w.i32(1, 2)
        w.i32(2, Int32(size))
        w.i32(3, Int32(size))
        if let crc { w.i32(4, crc) }
        w.beginStruct(7)
        w.i32(1, Int32(numValues))
        w.i32(2, 0)
        w.endStruct()
        w.stop()
        return w.bytes
    }
}
