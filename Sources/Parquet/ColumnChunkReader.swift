import Storage

/// Reads one column chunk of one row group page by page and hands out its rows as Tarn columns,
/// `read(rows:)` call after call. Handles dictionary pages, data pages v1 and v2, every supported encoding,
/// and a dictionary-encoded chunk that falls back to plain pages part way.
final class ColumnChunkReader {
    let column: ParquetColumn
    let codec: CompressionCodec
    /// The chunk's bytes (all its pages), read from the file once.
    private let data: [UInt8]
    private var position = 0
    /// Rows of the chunk not yet decoded into a page.
    private var rowsNotPaged: Int
    private var dictionary: DecodedValues?
    /// For a string column read as is: dictionary indices stay codes, and `stringDictionary` is the dictionary.
    private let keepsCodes: Bool
    private var stringDictionary = StringArray()
    private var page = DecodedPage()
    /// "file: row group n, column 'c'" for error messages.
    let location: String

    /// One data page decoded in full: definition levels (nil when every row is non-null) and the dense values.
    private struct DecodedPage {
        var rows = 0
        var levels: [UInt8]?
        /// Repetition levels of a leaf under a repeated group (nil for a flat or struct-only leaf).
        var repetitionLevels: [UInt8]?
        var values: DecodedValues = .bool([])
        var rowCursor = 0
        var valueCursor = 0
        var rowsLeft: Int { rows - rowCursor }
    }

    init(column: ParquetColumn, codec: CompressionCodec, data: [UInt8], rows: Int, location: String) {
        self.column = column
        self.codec = codec
        self.data = data
        self.rowsNotPaged = rows
        self.location = location
        keepsCodes = (column.physical == .byteArray || column.physical == .fixedLenByteArray) && column.conversion == .identity
    }

    /// Size of the chunk's bytes.
    var byteCount: Int { data.count }

    private func fail(_ error: Error) -> Error {
        guard let e = error as? TarnError else { return error }
        return TarnError(e.kind, "\(location): \(e.message)")
    }

    /// The next `rows` rows of the chunk as a column of the Tarn type.
    func read(rows: Int) throws -> Column {
        do {
            return try readUnwrapped(rows: rows)
        } catch {
            throw fail(error)
        }
    }

    private func readUnwrapped(rows: Int) throws -> Column {
        var values = DecodedValues.empty(column.physical)
        // The validity mask is only built once a NULL shows up (most columns have none).
        var validity: [UInt8] = []
        var sawNull = false
        var rowsDone = 0
        var remaining = rows
        while remaining > 0 {
            if page.rowsLeft == 0 { try loadDataPage() }
            let k = min(remaining, page.rowsLeft)
            var present = k
            if let levels = page.levels {
                present = 0
                let from = page.rowCursor
                levels.withUnsafeBufferPointer { l in
                    for i in from..<from + k { present &+= Int(l[i]) }
                }
                if present < k && !sawNull {
                    sawNull = true
                    validity.reserveCapacity(rows)
                    validity.append(contentsOf: repeatElement(1, count: rowsDone))
                }
                if sawNull { validity.append(contentsOf: levels[from..<from + k]) }
            } else if sawNull {
                validity.append(contentsOf: repeatElement(1, count: k))
            }
            rowsDone += k
            guard page.valueCursor + present <= page.values.count else {
                throw TarnError.corruption("a page has fewer values than its definition levels say")
            }
            // A string column may switch between dictionary codes and plain values from page to page.
            switch (page.values, values) {
            case let (.codes, .bytes(s)) where s.count == 0: values = .codes([])
            case (.codes, .bytes): page.values = page.values.gatherCodes(stringDictionary)
            case let (.bytes, .codes(codes)): values = DecodedValues.bytes(stringDictionary).gather(codes)
            default: break
            }
            if values.count == 0 && page.valueCursor == 0 && present == page.values.count && k == rows {
                values = page.values  // the page is the whole read: no copy
            } else {
                if values.count == 0 { values.reserve(rows) }
                try values.append(page.values, from: page.valueCursor, count: present)
            }
            page.rowCursor += k
            page.valueCursor += present
            remaining -= k
        }
        if sawNull { values = values.spread(validity) }
        return try ValueConversion.column(values, validity: sawNull ? validity : nil, column: column, dictionary: stringDictionary)
    }

    /// Reads page headers until a data page, decoding a dictionary page on the way; fails past the chunk's end.
    private func loadDataPage() throws {
        while true {
            guard position < data.count else {
                throw TarnError.corruption("the column chunk ends with \(rowsNotPaged) rows not found in any page")
            }
            var thrift = ThriftCompactReader(data, start: position)
            let header: PageHeader
            do { header = try PageHeader(from: &thrift) } catch let e as TarnError {
                throw TarnError(.corruption, "page header at chunk offset \(position): \(e.message)")
            }
            let bodyStart = thrift.position
            let compressed = Int(header.compressedPageSize)
            guard compressed >= 0, compressed <= data.count - bodyStart else {
                throw TarnError.corruption("a page of \(compressed) bytes runs past the end of the column chunk")
            }
            position = bodyStart + compressed
            if let expected = header.crc {
                // A page whose bytes do not match their checksum is never decoded into rows.
                let actual = data.withUnsafeBytes { raw in PageDecompressor.crc32(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<bodyStart + compressed])) }
                guard actual == UInt32(bitPattern: expected) else {
                    throw TarnError.corruption("the page at chunk offset \(bodyStart) fails its CRC check (stored \(String(UInt32(bitPattern: expected), radix: 16)), computed \(String(actual, radix: 16)))")
                }
            }
            switch header.type {
            case .dictionaryPage?:
                guard let h = header.dictionary else { throw TarnError.corruption("a dictionary page without its header") }
                guard dictionary == nil else { throw TarnError.corruption("a second dictionary page in one column chunk") }
                guard h.encoding == Encoding.plain.rawValue || h.encoding == Encoding.plainDictionary.rawValue else {
                    throw TarnError.unsupported("dictionary page encoded \(Encoding.name(h.encoding))")
                }
                let body = try body(bodyStart, compressed, Int(header.uncompressedPageSize), compressedRange: true)
                let count = Int(h.numValues)
                guard count >= 0 else { throw TarnError.corruption("a dictionary page of \(count) values") }
                let decoded = try body.withUnsafeBytes { raw in
                    var cursor = ByteCursor(raw)
                    return try PlainDecoder.decode(&cursor, physical: column.physical, typeLength: typeLength,
                                                   count: count, what: "dictionary page")
                }
                dictionary = decoded
                if keepsCodes, case let .bytes(s) = decoded { stringDictionary = s }
            case .dataPage?:
                guard let h = header.dataV1 else { throw TarnError.corruption("a data page without its header") }
                let body = try body(bodyStart, compressed, Int(header.uncompressedPageSize), compressedRange: true)
                let rows = try checkedRows(h.numValues)
                if rows == 0 { continue }
                try body.withUnsafeBytes { raw in
                    var cursor = ByteCursor(raw)
                    var levels: [UInt8]?, repetitionLevels: [UInt8]?
                    // Version 1 pages put the repetition levels first, then the definition levels, each length-prefixed.
                    if column.maxRepetitionLevel > 0 {
                        guard h.repetitionLevelEncoding == Encoding.rle.rawValue else {
                            throw TarnError.unsupported("repetition levels encoded \(Encoding.name(h.repetitionLevelEncoding))")
                        }
                        let length = Int(try cursor.uint32LE("repetition levels"))
                        let start = try cursor.take(length, "repetition levels")
                        var levelCursor = ByteCursor(raw, start: start, end: start + length)
                        repetitionLevels = try Self.levels(&levelCursor, max: column.maxRepetitionLevel, count: rows, what: "repetition levels")
                    }
                    if column.maxDefinitionLevel > 0 {
                        guard h.definitionLevelEncoding == Encoding.rle.rawValue else {
                            throw TarnError.unsupported("definition levels encoded \(Encoding.name(h.definitionLevelEncoding))")
                        }
                        let length = Int(try cursor.uint32LE("definition levels"))
                        let start = try cursor.take(length, "definition levels")
                        var levelCursor = ByteCursor(raw, start: start, end: start + length)
                        levels = try Self.levels(&levelCursor, max: column.maxDefinitionLevel, count: rows, what: "definition levels")
                    }
                    try setPage(rows: rows, levels: levels, repetitionLevels: repetitionLevels, encoding: h.encoding, &cursor)
                }
                return
            case .dataPageV2?:
                guard let h = header.dataV2 else { throw TarnError.corruption("a data page v2 without its header") }
                let rows = try checkedRows(h.numValues)
                let repLength = Int(h.repetitionLevelsByteLength), defLength = Int(h.definitionLevelsByteLength)
                guard repLength >= 0, defLength >= 0, repLength + defLength <= compressed,
                      repLength + defLength <= Int(header.uncompressedPageSize) else {
                    throw TarnError.corruption("data page v2 level lengths exceed the page")
                }
                if rows == 0 { continue }
                var levels: [UInt8]?, repetitionLevels: [UInt8]?
                if column.maxRepetitionLevel > 0 {
                    repetitionLevels = try data.withUnsafeBytes { raw in
                        var c = ByteCursor(raw, start: bodyStart, end: bodyStart + repLength)
                        return try Self.levels(&c, max: column.maxRepetitionLevel, count: rows, what: "repetition levels")
                    }
                }
                if column.maxDefinitionLevel > 0 {
                    levels = try data.withUnsafeBytes { raw in
                        var c = ByteCursor(raw, start: bodyStart + repLength, end: bodyStart + repLength + defLength)
                        return try Self.levels(&c, max: column.maxDefinitionLevel, count: rows, what: "definition levels")
                    }
                }
                let valuesStart = bodyStart + repLength + defLength
                let valuesSize = compressed - repLength - defLength
                let uncompressedSize = Int(header.uncompressedPageSize) - repLength - defLength
                let body = h.isCompressed
                    ? try self.body(valuesStart, valuesSize, uncompressedSize, compressedRange: true)
                    : try self.body(valuesStart, valuesSize, uncompressedSize, compressedRange: false)
                try body.withUnsafeBytes { raw in
                    var cursor = ByteCursor(raw)
                    try setPage(rows: rows, levels: levels, repetitionLevels: repetitionLevels, encoding: h.encoding, &cursor)
                }
                return
            default:
                continue  // index pages and unknown page types carry no rows
            }
        }
    }

    private var typeLength: Int { Int(column.element.typeLength ?? 0) }

    private func checkedRows(_ n: Int32) throws -> Int {
        let rows = Int(n)
        guard rows >= 0, rows <= rowsNotPaged else {
            throw TarnError.corruption("a page holds \(rows) values but only \(rowsNotPaged) rows are left in the row group")
        }
        rowsNotPaged -= rows
        return rows
    }

    /// The page body `data[start ..< start + size]`, decompressed to `uncompressedSize` bytes when `compressedRange`.
    private func body(_ start: Int, _ size: Int, _ uncompressedSize: Int, compressedRange: Bool) throws -> [UInt8] {
        try data.withUnsafeBytes { raw in
            let slice = UnsafeRawBufferPointer(rebasing: raw[start..<start + size])
            return try PageDecompressor.decompress(compressedRange ? codec : .uncompressed, slice, uncompressedSize: uncompressedSize)
        }
    }

    /// Decodes a data page's values (after its levels) and makes it the current page.
    private func setPage(rows: Int, levels: [UInt8]?, repetitionLevels: [UInt8]?, encoding rawEncoding: Int32,
                         _ cursor: inout ByteCursor) throws {
        var present = rows
        var levels = levels
        if let l = levels {
            present = 0
            if column.maxDefinitionLevel == 1 {
                l.withUnsafeBufferPointer { b in for x in b { present &+= Int(x) } }
            } else {
                // A nested leaf: only entries at the deepest level carry a value.
                let top = UInt8(column.maxDefinitionLevel)
                l.withUnsafeBufferPointer { b in for x in b where x == top { present &+= 1 } }
            }
            if present == rows { levels = nil }
        }
        guard let encoding = Encoding(rawValue: rawEncoding) else {
            throw TarnError.unsupported("values encoded with the unknown encoding #\(rawEncoding)")
        }
        let what = "\(encoding) values"
        let values: DecodedValues
        switch encoding {
        case .plain:
            values = try PlainDecoder.decode(&cursor, physical: column.physical, typeLength: typeLength, count: present, what: what)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw TarnError.corruption("dictionary-encoded values but no dictionary page") }
            let width = present == 0 ? 0 : Int(try cursor.byte(what))
            let size = dictionary.count
            guard size > 0 || present == 0 else { throw TarnError.corruption("dictionary indices into an empty dictionary") }
            let indices = try RLEBitPackedDecoder.decode(&cursor, bitWidth: width, count: present, maxValue: UInt64(max(0, size - 1)),
                                                         as: Int32.self, what: "dictionary indices")
            values = keepsCodes ? .codes(indices) : dictionary.gather(indices)
        case .rle:
            guard column.physical == .boolean else { throw TarnError.unsupported("RLE values of type \(column.physical)") }
            let length = Int(try cursor.uint32LE(what))
            let start = try cursor.take(length, what)
            var c = ByteCursor(cursor.base, start: start, end: start + length)
            let bits = try RLEBitPackedDecoder.decode(&c, bitWidth: 1, count: present, maxValue: 1, as: UInt8.self, what: what)
            values = .bool(bits.map { $0 != 0 })
        case .deltaBinaryPacked:
            let decoded = try DeltaBinaryPackedDecoder.decode(&cursor, count: present, what: what)
            switch column.physical {
            case .int32: values = .int32(decoded.map { Int32(truncatingIfNeeded: $0) })
            case .int64: values = .int64(decoded)
            default: throw TarnError.unsupported("DELTA_BINARY_PACKED values of type \(column.physical)")
            }
        case .deltaLengthByteArray:
            guard column.physical == .byteArray else { throw TarnError.unsupported("DELTA_LENGTH_BYTE_ARRAY values of type \(column.physical)") }
            values = .bytes(try DeltaByteArrayDecoder.decodeLengths(&cursor, count: present, what: what))
        case .deltaByteArray:
            guard column.physical == .byteArray || column.physical == .fixedLenByteArray else {
                throw TarnError.unsupported("DELTA_BYTE_ARRAY values of type \(column.physical)")
            }
            values = .bytes(try DeltaByteArrayDecoder.decode(&cursor, count: present, what: what))
        case .byteStreamSplit:
            values = try ByteStreamSplitDecoder.decode(&cursor, physical: column.physical, typeLength: typeLength, count: present, what: what)
        case .bitPacked:
            throw TarnError.unsupported("values encoded BIT_PACKED")
        }
        guard values.count == present else { throw TarnError.corruption("a page decoded to \(values.count) values, expected \(present)") }
        page = DecodedPage(rows: rows, levels: levels, repetitionLevels: repetitionLevels, values: values)
    }

    /// Levels of `count` entries, RLE/bit-packed at the width `max` needs.
    private static func levels(_ cursor: inout ByteCursor, max: Int, count: Int, what: String) throws -> [UInt8] {
        let width = Int.bitWidth - max.leadingZeroBitCount
        return try RLEBitPackedDecoder.decode(&cursor, bitWidth: width, count: count, maxValue: UInt64(max), as: UInt8.self, what: what)
    }

    /// The whole chunk of a nested leaf (one under groups, possibly repeated ones): its definition and repetition
    /// levels, one per entry, and its present values densely (entries whose definition level is the maximum).
    func readLeveled() throws -> LeveledColumn {
        do {
            var definition: [UInt8] = [], repetition: [UInt8] = []
            var values = DecodedValues.empty(column.physical)
            while rowsNotPaged > 0 {
                try loadDataPage()
                let n = page.rows
                definition.append(contentsOf: page.levels ?? [UInt8](repeating: UInt8(column.maxDefinitionLevel), count: n))
                repetition.append(contentsOf: page.repetitionLevels ?? [UInt8](repeating: 0, count: n))
                let pageValues = page.values.gatherCodes(stringDictionary)
                try values.append(pageValues, from: 0, count: pageValues.count)
                page = DecodedPage()
            }
            let column = try ValueConversion.column(values, validity: nil, column: column, dictionary: stringDictionary)
            return LeveledColumn(definitionLevels: definition, repetitionLevels: repetition, values: column)
        } catch {
            throw fail(error)
        }
    }
}

extension DecodedValues {
    /// Codes looked up in `dictionary`, as byte strings.
    func gatherCodes(_ dictionary: StringArray) -> DecodedValues {
        guard case let .codes(c) = self else { return self }
        return DecodedValues.bytes(dictionary).gather(c)
    }
}
