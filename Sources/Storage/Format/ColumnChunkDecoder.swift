/// Decodes the (decompressed) payload of one column chunk into a `Column`, writing straight into the final arrays.
enum ColumnChunkDecoder {
    static func decode(_ payload: UnsafeRawBufferPointer, type: DataType, encoding: ChunkEncoding,
                       rowCount n: Int, nullCount: Int) throws -> Column {
        var reader = ByteReader(payload)
        let validity = nullCount > 0 ? try NullBitmap.read(&reader, rowCount: n, nullCount: nullCount) : nil
        let data: ColumnData
        switch type.physical {
        case .bool:
            guard encoding != .dictionary else { throw FormatViolation("dictionary encoding is not valid for BOOLEAN") }
            let bytes = try [Int8](unsafeUninitializedCapacity: n) { out, c in
                try IntegerChunkDecoder.decode(encoding, from: &reader, into: out)
                c = n
            }
            var invalid = false
            let bools = [Bool](unsafeUninitializedCapacity: n) { out, c in
                for i in 0 ..< n {
                    invalid = invalid || UInt8(bitPattern: bytes[i]) > 1
                    out[i] = bytes[i] != 0
                }
                c = n
            }
            if invalid { throw FormatViolation("boolean value other than 0 or 1") }
            data = .bool(bools)
        case .int32:
            data = .int32(try [Int32](unsafeUninitializedCapacity: n) { out, c in
                try IntegerChunkDecoder.decode(encoding, from: &reader, into: out)
                c = n
            })
        case .int64:
            data = .int64(try [Int64](unsafeUninitializedCapacity: n) { out, c in
                try IntegerChunkDecoder.decode(encoding, from: &reader, into: out)
                c = n
            })
        case .int128:
            data = try decodeInt128(&reader, encoding: encoding, rowCount: n)
        case .double:
            data = .double(try [Double](unsafeUninitializedCapacity: n) { out, c in
                try out.withMemoryRebound(to: Int64.self) { try IntegerChunkDecoder.decode(encoding, from: &reader, into: $0) }
                c = n
            })
        case .string:
            data = try StringChunkDecoder.decode(encoding, from: &reader, rowCount: n)
        case .list:
            data = try decodeList(&reader, type: type, encoding: encoding, rowCount: n)
        case .fields:
            guard let fields = type.rowFields else { throw FormatViolation("row data for a \(type) column") }
            data = .fields(try fields.map { field in
                let what = "field '\(field.name)'"
                let child = try readNested(&reader, type: field.type, what: what)
                guard child.count == n else { throw FormatViolation("\(what) has \(child.count) rows, the row column \(n)") }
                return child
            })
        }
        try reader.expectEnd("values")
        return Column(type: type, data: data, validity: validity)
    }

    /// The high and low words `ColumnChunkEncoder.writeInt128` wrote.
    private static func decodeInt128(_ reader: inout ByteReader, encoding: ChunkEncoding, rowCount n: Int) throws -> ColumnData {
        let high = try [Int64](unsafeUninitializedCapacity: n) { out, c in
            try IntegerChunkDecoder.decode(encoding, from: &reader, into: out)
            c = n
        }
        let rawEncoding = try reader.read(UInt8.self, "DECIMAL low-word encoding")
        guard let lowEncoding = ChunkEncoding(rawValue: rawEncoding) else {
            throw FormatViolation("unknown DECIMAL low-word encoding \(rawEncoding)")
        }
        let low = try [Int64](unsafeUninitializedCapacity: n) { out, c in
            try IntegerChunkDecoder.decode(lowEncoding, from: &reader, into: out)
            c = n
        }
        return .int128([Int128](unsafeUninitializedCapacity: n) { out, c in
            for i in 0 ..< n { out[i] = Int128(high[i]) << 64 | Int128(UInt64(bitPattern: low[i])) }
            c = n
        })
    }

    /// The lengths and nested child chunk `ColumnChunkEncoder.writeList` wrote.
    private static func decodeList(_ reader: inout ByteReader, type: DataType, encoding: ChunkEncoding, rowCount n: Int) throws -> ColumnData {
        guard let element = type.listChildType else { throw FormatViolation("list data for a \(type) column") }
        let lengths = try [Int32](unsafeUninitializedCapacity: n) { out, c in
            try IntegerChunkDecoder.decode(encoding, from: &reader, into: out)
            c = n
        }
        var offsets = [Int32](repeating: 0, count: n + 1)
        var total = 0
        for i in 0 ..< n {
            guard lengths[i] >= 0 else { throw FormatViolation("negative array length \(lengths[i]) in row \(i)") }
            total += Int(lengths[i])
            guard total <= Int(Int32.max) else { throw FormatViolation("array elements exceed \(Int32.max)") }
            offsets[i + 1] = Int32(total)
        }
        let child = try readNested(&reader, type: element, what: "array element")
        guard child.count == total else { throw FormatViolation("array element count \(child.count), lengths sum to \(total)") }
        return .list(offsets: offsets, child: child)
    }

    /// One nested chunk payload `ColumnChunkEncoder.writeNested` wrote (an array's elements or a row's field).
    private static func readNested(_ reader: inout ByteReader, type: DataType, what: String) throws -> Column {
        let childRows = try reader.readCount(UInt32.self, limit: Int(Int32.max), "\(what) count")
        let childNulls = try reader.readCount(UInt32.self, limit: childRows, "\(what) NULL count")
        let rawEncoding = try reader.read(UInt8.self, "\(what) encoding")
        guard let childEncoding = ChunkEncoding(rawValue: rawEncoding) else { throw FormatViolation("unknown \(what) encoding \(rawEncoding)") }
        let length = try reader.readCount(UInt32.self, limit: reader.remaining, "\(what) payload length")
        let payload = try reader.bytes(length, "\(what) payload")
        return try decode(payload, type: type, encoding: childEncoding, rowCount: childRows, nullCount: childNulls)
    }
}
