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
        case .double:
            data = .double(try [Double](unsafeUninitializedCapacity: n) { out, c in
                try out.withMemoryRebound(to: Int64.self) { try IntegerChunkDecoder.decode(encoding, from: &reader, into: $0) }
                c = n
            })
        case .string:
            data = try StringChunkDecoder.decode(encoding, from: &reader, rowCount: n)
        }
        try reader.expectEnd("values")
        return Column(type: type, data: data, validity: validity)
    }
}
