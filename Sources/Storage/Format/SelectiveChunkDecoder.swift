/// Decodes only some rows of a column chunk's payload: the rows a scan's filter kept, when they are few.
///
/// A point lookup (`WHERE id = 42`) keeps one row of a 122,880-row group; decoding every other column of that group
/// in full to gather one value from each costs a whole chunk's work per column. The encodings with random access
/// (plain, frame-of-reference, dictionary, run-length, and delta chunks whose deltas are all equal) give each kept row
/// its value directly. Everything is checked as in a full decode: the sizes of the parts of the payload, dictionary
/// codes, run lengths, and that no bytes follow the values.
enum SelectiveChunkDecoder {
    /// Whether decoding `selected` of `rowCount` rows one by one beats decoding the whole chunk and gathering them.
    static func isWorthwhile(selected: Int, rowCount: Int) -> Bool { selected &* 8 <= rowCount }

    /// Rows `rows` (each in `0..<n`) of the chunk, in that order, or nil when its type or encoding has no random access
    /// (booleans, arrays, delta chunks with varying deltas): the caller decodes the whole chunk then.
    static func decode(_ payload: UnsafeRawBufferPointer, type: DataType, encoding: ChunkEncoding, rowCount n: Int,
                       nullCount: Int, rows: [Int32]) throws -> Column? {
        guard n > 0, !rows.isEmpty else { return nil }
        for r in rows where r < 0 || Int(r) >= n { throw FormatViolation("row \(r) asked of a chunk of \(n) rows") }
        var reader = ByteReader(payload)
        let validity = nullCount > 0 ? try selectedValidity(&reader, rowCount: n, nullCount: nullCount, rows: rows) : nil
        let data: ColumnData
        switch type.physical {
        case .int32:
            guard let values = try integers(encoding, &reader, rowCount: n, rows: rows, as: Int32.self) else { return nil }
            data = .int32(values)
        case .int64:
            guard let values = try integers(encoding, &reader, rowCount: n, rows: rows, as: Int64.self) else { return nil }
            data = .int64(values)
        case .double:
            guard let bits = try integers(encoding, &reader, rowCount: n, rows: rows, as: Int64.self) else { return nil }
            data = .double(bits.map { Double(bitPattern: UInt64(bitPattern: $0)) })
        case .string:
            guard let strings = try strings(encoding, &reader, rowCount: n, rows: rows) else { return nil }
            data = strings
        default:
            return nil
        }
        try reader.expectEnd("values")
        return Column(type: type, data: data, validity: validity)
    }

    /// The validity of the selected rows from the chunk's null bitmap, whose population is checked against `nullCount`.
    private static func selectedValidity(_ reader: inout ByteReader, rowCount n: Int, nullCount: Int, rows: [Int32]) throws -> [UInt8] {
        let bits = try reader.bytes((n + 7) / 8, "null bitmap")
        var valid = 0
        for k in 0 ..< n >> 3 { valid &+= bits[k].nonzeroBitCount }
        for i in (n >> 3) << 3 ..< n { valid &+= Int((bits[i >> 3] >> UInt8(i & 7)) & 1) }
        guard n - valid == nullCount else { throw FormatViolation("null bitmap has \(n - valid) NULLs, statistics say \(nullCount)") }
        return rows.map { (bits[Int($0) >> 3] >> UInt8(Int($0) & 7)) & 1 }
    }

    private static func integers<T: FixedWidthInteger & SignedInteger>(_ encoding: ChunkEncoding, _ reader: inout ByteReader,
                                                                       rowCount n: Int, rows: [Int32], as: T.Type) throws -> [T]? {
        let width = MemoryLayout<T>.size
        switch encoding {
        case .plain:
            let bytes = try reader.bytes(n * width, "plain values")
            return rows.map { T(littleEndian: bytes.loadUnaligned(fromByteOffset: Int($0) &* width, as: T.self)) }
        case .frameOfReference:
            let reference = try reader.read(Int64.self, "reference value")
            let block = try BitPacking.readBlock(&reader, count: n)
            return rows.map { T(truncatingIfNeeded: reference &+ Int64(bitPattern: block.value(at: Int($0)))) }
        case .delta:
            let first = try reader.read(Int64.self, "first value")
            let minDelta = try reader.read(Int64.self, "minimum delta")
            let block = try BitPacking.readBlock(&reader, count: max(n - 1, 0))
            // Equal deltas (a sequence such as consecutive ids): row i is first + i·delta. Otherwise no random access.
            guard block.width == 0 else { return nil }
            return rows.map { T(truncatingIfNeeded: first &+ Int64($0) &* minDelta) }
        case .runLength:
            let runCount = try reader.readCount(UInt32.self, limit: n, "run count")
            let runValues = try reader.bytes(runCount * width, "run values")
            let runLengths = try reader.bytes(runCount * 4, "run lengths")
            var ends = [Int](repeating: 0, count: runCount)
            var position = 0
            for r in 0 ..< runCount {
                let length = Int(UInt32(littleEndian: runLengths.loadUnaligned(fromByteOffset: r * 4, as: UInt32.self)))
                guard length >= 1, length <= n - position else { throw FormatViolation("run lengths exceed the row count") }
                position += length
                ends[r] = position
            }
            guard position == n else { throw FormatViolation("run lengths cover \(position) of \(n) rows") }
            return rows.map { row in
                // The run holding the row: the first whose end is past it (binary search over the run ends).
                var low = 0, high = runCount - 1
                while low < high {
                    let mid = (low + high) / 2
                    if ends[mid] > Int(row) { high = mid } else { low = mid + 1 }
                }
                return T(littleEndian: runValues.loadUnaligned(fromByteOffset: low * width, as: T.self))
            }
        case .dictionary:
            let size = try reader.readCount(UInt32.self, limit: n, "dictionary size")
            guard size >= 1 else { throw FormatViolation("empty dictionary") }
            let entries = try reader.bytes(size * width, "dictionary")
            let block = try BitPacking.readBlock(&reader, count: n)
            return try rows.map { row in
                let code = block.value(at: Int(row))
                guard code < UInt64(size) else { throw FormatViolation("dictionary code out of range") }
                return T(littleEndian: entries.loadUnaligned(fromByteOffset: Int(code) &* width, as: T.self))
            }
        }
    }

    private static func strings(_ encoding: ChunkEncoding, _ reader: inout ByteReader, rowCount n: Int, rows: [Int32]) throws -> ColumnData? {
        switch encoding {
        case .plain:
            let lengths = try reader.bytes(n * 4, "string lengths")
            // Where each string starts: one pass over the lengths (no string bytes are touched), which also gives
            // the total the body must hold.
            var starts = [Int](repeating: 0, count: n + 1)
            var total = 0
            for i in 0 ..< n {
                total &+= Int(UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))
                starts[i + 1] = total
            }
            let body = try reader.bytes(total, "string bytes")
            var offsets = [0]
            var bytes: [UInt8] = []
            offsets.reserveCapacity(rows.count + 1)
            for row in rows {
                let r = Int(row)
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[starts[r] ..< starts[r + 1]]))
                offsets.append(bytes.count)
            }
            return .string(StringArray(offsets: offsets, bytes: bytes))
        case .dictionary:
            let size = try reader.readCount(UInt32.self, limit: n, "dictionary size")
            guard size >= 1 || n == 0 else { throw FormatViolation("empty dictionary") }
            let dictionary = try StringChunkDecoder.readPlain(&reader, count: size)
            let block = try BitPacking.readBlock(&reader, count: n)
            let codes = try rows.map { row -> Int32 in
                let code = block.value(at: Int(row))
                guard code < UInt64(size) else { throw FormatViolation("dictionary code out of range") }
                return Int32(code)
            }
            return .dictionary(codes: codes, dictionary: dictionary)
        default:
            throw FormatViolation("encoding \(encoding) is not valid for VARCHAR")
        }
    }
}
