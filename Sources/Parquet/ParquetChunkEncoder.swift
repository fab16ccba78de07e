import Storage

/// One column chunk encoded: its pages (headers and compressed bodies) and what the footer says about them.
/// Offsets in the footer are only known when the chunk is placed in the file, so they are relative here.
struct EncodedColumnChunk: Sendable {
    var bytes: [UInt8] = []
    /// Bytes of all pages once written (`bytes` is then dropped).
    var compressedSize = 0
    /// Bytes of the dictionary page (header and body) at the start of `bytes`; 0 without a dictionary.
    var dictionaryPageLength = 0
    var uncompressedSize = 0
    var rows = 0
    var nullCount = 0
    var encodings: [Encoding] = []
    var extremes: ColumnExtremes?
}

/// Encodes a row group's buffered column as a column chunk: a dictionary page and RLE_DICTIONARY data pages
/// when the dictionary pays off (and stays under its size limit), PLAIN data pages otherwise; data pages v1
/// with RLE definition levels, each page compressed with the chosen codec.
struct ParquetChunkEncoder {
    let options: ParquetWriteOptions

    /// Values longer than this are left out of the footer's min/max (they would bloat every reader's footer).
    static let maxStatisticBytes = 4096

    func encode(_ buffer: ParquetColumnBuffer) throws -> EncodedColumnChunk {
        var chunk = EncodedColumnChunk()
        chunk.rows = buffer.rows
        chunk.nullCount = buffer.rows - buffer.valueCount
        let column = buffer.column
        let n = buffer.valueCount
        // The dictionary is only worth it when values repeat: give up past half as many entries as values.
        let maxEntries = max(16, n / 2)
        let limit = options.dictionaryBytesLimit
        switch column.physical {
        case .boolean:
            chunk.extremes = buffer.bools.withUnsafeBufferPointer { ColumnExtremes.of($0) }
            try writePlain(&chunk, buffer) { out, range in
                var byte: UInt8 = 0, bits = 0
                for i in range {
                    if buffer.bools[i] { byte |= 1 << UInt8(bits) }
                    bits += 1
                    if bits == 8 { out.append(byte); byte = 0; bits = 0 }
                }
                if bits > 0 { out.append(byte) }
            }
        case .int32:
            chunk.extremes = buffer.int32s.withUnsafeBufferPointer { ColumnExtremes.of($0).map { .int32($0.0, $0.1) } }
            let dictionary = buffer.int32s.withUnsafeBufferPointer {
                DictionaryBuilder.build($0, maxEntries: min(maxEntries, limit / 4)) { UInt64(UInt32(bitPattern: $0)) }
            }
            if let (entries, indices) = dictionary, worthIt(entries: entries.count, entryBytes: entries.count * 4, values: n, plainBytes: n * 4) {
                try writeDictionary(&chunk, buffer, entries: entries.count, indices: indices) { Self.rawBytes(entries, 0..<entries.count, into: &$0) }
            } else {
                try writePlain(&chunk, buffer) { Self.rawBytes(buffer.int32s, $1, into: &$0) }
            }
        case .int64:
            chunk.extremes = buffer.int64s.withUnsafeBufferPointer { ColumnExtremes.of($0).map { .int64($0.0, $0.1) } }
            let dictionary = buffer.int64s.withUnsafeBufferPointer {
                DictionaryBuilder.build($0, maxEntries: min(maxEntries, limit / 8)) { UInt64(bitPattern: $0) }
            }
            if let (entries, indices) = dictionary, worthIt(entries: entries.count, entryBytes: entries.count * 8, values: n, plainBytes: n * 8) {
                try writeDictionary(&chunk, buffer, entries: entries.count, indices: indices) { Self.rawBytes(entries, 0..<entries.count, into: &$0) }
            } else {
                try writePlain(&chunk, buffer) { Self.rawBytes(buffer.int64s, $1, into: &$0) }
            }
        case .double:
            chunk.extremes = buffer.doubles.withUnsafeBufferPointer { ColumnExtremes.of($0) }
            let dictionary = buffer.doubles.withUnsafeBufferPointer {
                DictionaryBuilder.build($0, maxEntries: min(maxEntries, limit / 8)) { $0.bitPattern }
            }
            if let (entries, indices) = dictionary, worthIt(entries: entries.count, entryBytes: entries.count * 8, values: n, plainBytes: n * 8) {
                try writeDictionary(&chunk, buffer, entries: entries.count, indices: indices) { Self.rawBytes(entries, 0..<entries.count, into: &$0) }
            } else {
                try writePlain(&chunk, buffer) { Self.rawBytes(buffer.doubles, $1, into: &$0) }
            }
        default:
            // The dictionary was built as the rows came in (`StringDictionaryAccumulator`); PLAIN when it gave up,
            // grew past half as many entries as values, or would not be smaller.
            if let d = buffer.dictionary, !d.failed, d.entries.count <= maxEntries {
                var plainBytes = 4 * n
                for i in d.indices { plainBytes += d.entries.length(at: Int(i)) }
                if worthIt(entries: d.entries.count, entryBytes: d.entries.bytes.count + 4 * d.entries.count, values: n, plainBytes: plainBytes) {
                    chunk.extremes = ColumnExtremes.of(d.entries)
                    try writeDictionary(&chunk, buffer, entries: d.entries.count, indices: d.indices) { Self.byteArrays(d.entries, 0..<d.entries.count, into: &$0) }
                    return chunk
                }
            }
            let strings = buffer.plainStrings
            chunk.extremes = ColumnExtremes.of(strings)
            try writePlain(&chunk, buffer, stringBytes: strings.bytes.count) { Self.byteArrays(strings, $1, into: &$0) }
        }
        return chunk
    }

    /// Whether a dictionary of `entries` values (`entryBytes` PLAIN) and bit-packed indices is smaller than PLAIN.
    private func worthIt(entries: Int, entryBytes: Int, values: Int, plainBytes: Int) -> Bool {
        let width = max(1, RLEBitPackedEncoder.bitWidth(entries - 1))
        return entryBytes + (values * width + 7) / 8 < plainBytes
    }

    // MARK: pages

    /// Pages of about `options.pageBytes` PLAIN bytes: each a range of rows and the range of values they hold.
    private func pages(_ buffer: ParquetColumnBuffer, bytesPerValue: Int) -> [(rows: Range<Int>, values: Range<Int>)] {
        let rows = buffer.rows
        let perPage = max(1, options.pageBytes / max(1, bytesPerValue))
        var out: [(Range<Int>, Range<Int>)] = []
        var row = 0, value = 0
        buffer.levels.withUnsafeBufferPointer { levels in
            repeat {
                let end = min(rows, row + perPage)
                var present = end - row
                if buffer.hasNull {
                    present = 0
                    for i in row..<end { present &+= Int(levels[i]) }
                }
                out.append((row..<end, value..<value + present))
                row = end
                value += present
            } while row < rows
        }
        return out
    }

    /// PLAIN pages; `stringBytes` is the total length of a string column's values.
    private func writePlain(_ chunk: inout EncodedColumnChunk, _ buffer: ParquetColumnBuffer, stringBytes: Int = 0,
                            _ values: (inout [UInt8], Range<Int>) -> Void) throws {
        let width = buffer.column.plainWidth
        let bytesPerValue = width > 0 ? width : (stringBytes / max(1, buffer.valueCount) + 4)
        for page in pages(buffer, bytesPerValue: bytesPerValue) {
            var body = levels(buffer, page.rows, reserving: page.values.count * bytesPerValue)
            values(&body, page.values)
            try appendDataPage(&chunk, body: body, rows: page.rows.count, encoding: .plain)
        }
        chunk.encodings = [.plain, .rle]
    }

    private func writeDictionary(_ chunk: inout EncodedColumnChunk, _ buffer: ParquetColumnBuffer, entries: Int, indices: [UInt32],
                                 _ dictionaryValues: (inout [UInt8]) -> Void) throws {
        var dictionary: [UInt8] = []
        dictionaryValues(&dictionary)
        let compressed = try PageCompressor.compress(options.compression, dictionary)
        var header = ThriftCompactWriter()
        header.beginStruct()
        header.i32(1, PageType.dictionaryPage.rawValue)
        header.i32(2, try Self.pageSize(dictionary.count))
        header.i32(3, try Self.pageSize(compressed.count))
        if options.pageChecksums { header.i32(4, Self.checksum(compressed)) }
        header.structure(7) { w in
            w.i32(1, Int32(clamping: entries))
            w.i32(2, Encoding.plain.rawValue)
        }
        header.endStruct()
        chunk.bytes.append(contentsOf: header.bytes)
        chunk.bytes.append(contentsOf: compressed)
        chunk.uncompressedSize += header.bytes.count + dictionary.count
        chunk.dictionaryPageLength = chunk.bytes.count

        let width = max(1, RLEBitPackedEncoder.bitWidth(entries - 1))
        try indices.withUnsafeBufferPointer { indices in
            for page in pages(buffer, bytesPerValue: max(1, width / 8)) {
                var body = levels(buffer, page.rows, reserving: page.values.count * width / 8 + 16)
                body.append(UInt8(width))
                RLEBitPackedEncoder.encode(UnsafeBufferPointer(rebasing: indices[page.values]), bitWidth: width, into: &body)
                try appendDataPage(&chunk, body: body, rows: page.rows.count, encoding: .rleDictionary)
            }
        }
        chunk.encodings = [.plain, .rle, .rleDictionary]
    }

    /// A page body's start: the definition levels of `rows`, RLE-encoded behind their 4-byte length.
    private func levels(_ buffer: ParquetColumnBuffer, _ rows: Range<Int>, reserving: Int) -> [UInt8] {
        var body: [UInt8] = [0, 0, 0, 0]
        body.reserveCapacity(reserving + 16)
        buffer.levels.withUnsafeBufferPointer { RLEBitPackedEncoder.encodeLevels(UnsafeBufferPointer(rebasing: $0[rows]), into: &body) }
        let length = UInt32(body.count - 4)
        for k in 0..<4 { body[k] = UInt8(truncatingIfNeeded: length >> UInt32(8 * k)) }
        return body
    }

    private func appendDataPage(_ chunk: inout EncodedColumnChunk, body: [UInt8], rows: Int, encoding: Encoding) throws {
        let compressed = try PageCompressor.compress(options.compression, body)
        var header = ThriftCompactWriter()
        header.beginStruct()
        header.i32(1, PageType.dataPage.rawValue)
        header.i32(2, try Self.pageSize(body.count))
        header.i32(3, try Self.pageSize(compressed.count))
        if options.pageChecksums { header.i32(4, Self.checksum(compressed)) }
        header.structure(5) { w in
            w.i32(1, Int32(clamping: rows))
            w.i32(2, encoding.rawValue)
            w.i32(3, Encoding.rle.rawValue)
            w.i32(4, Encoding.rle.rawValue)
        }
        header.endStruct()
        chunk.bytes.append(contentsOf: header.bytes)
        chunk.bytes.append(contentsOf: compressed)
        chunk.uncompressedSize += header.bytes.count + body.count
    }

    /// The page CRC (CRC-32 of the page's bytes after its header, as stored), as a signed i32.
    private static func checksum(_ bytes: [UInt8]) -> Int32 {
        Int32(bitPattern: bytes.withUnsafeBytes { PageDecompressor.crc32($0) })
    }

    private static func pageSize(_ n: Int) throws -> Int32 {
        guard let v = Int32(exactly: n) else { throw TarnError.unsupported("a Parquet page of \(n) bytes is larger than the format allows (2 GB)") }
        return v
    }

    // MARK: PLAIN values

    /// Fixed-width values copied as their little-endian bytes.
    static func rawBytes<T>(_ values: [T], _ range: Range<Int>, into out: inout [UInt8]) {
        guard !range.isEmpty else { return }
        values.withUnsafeBytes { raw in
            let size = MemoryLayout<T>.stride
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[range.lowerBound * size..<range.upperBound * size]))
        }
    }

    /// Byte arrays, each behind its 4-byte little-endian length.
    static func byteArrays(_ s: StringArray, _ range: Range<Int>, into out: inout [UInt8]) {
        guard !range.isEmpty else { return }
        let total = s.offsets[range.upperBound] - s.offsets[range.lowerBound] + 4 * range.count
        let base = out.count
        out.append(contentsOf: repeatElement(0, count: total))
        out.withUnsafeMutableBufferPointer { dst in
            s.bytes.withUnsafeBufferPointer { bytes in
                s.offsets.withUnsafeBufferPointer { offsets in
                    var p = base
                    for i in range {
                        let lo = offsets[i], length = offsets[i + 1] - lo
                        let l = UInt32(truncatingIfNeeded: length)
                        dst[p] = UInt8(truncatingIfNeeded: l)
                        dst[p + 1] = UInt8(truncatingIfNeeded: l >> 8)
                        dst[p + 2] = UInt8(truncatingIfNeeded: l >> 16)
                        dst[p + 3] = UInt8(truncatingIfNeeded: l >> 24)
                        p += 4
                        if length > 0, let d = dst.baseAddress, let b = bytes.baseAddress {
                            (d + p).update(from: b + lo, count: length)
                        }
                        p += length
                    }
                }
            }
        }
    }
}
