/// Decodes a VARCHAR chunk: plain into `.string(StringArray)`, dictionary into `.dictionary(codes:dictionary:)`.
enum StringChunkDecoder {
    static func decode(_ encoding: ChunkEncoding, from reader: inout ByteReader, rowCount n: Int) throws -> ColumnData {
        switch encoding {
        case .plain:
            return .string(try readPlain(&reader, count: n))
        case .dictionary:
            let size = try reader.readCount(UInt32.self, limit: n, "dictionary size")
            guard size >= 1 || n == 0 else { throw FormatViolation("empty dictionary") }
            let dictionary = try readPlain(&reader, count: size)
            let block = try BitPacking.readBlock(&reader, count: n)
            let last = UInt64(Swift.max(size - 1, 0))
            guard block.width <= 31 else {
                // Never written (codes take the fewest bits the dictionary needs): checked value by value.
                var outOfRange = false
                let codes = [Int32](unsafeUninitializedCapacity: n) { out, c in
                    block.forEachValue(count: n) { i, code in
                        outOfRange = outOfRange || code > last
                        out[i] = Int32(truncatingIfNeeded: Swift.min(code, last))
                    }
                    c = n
                }
                if outOfRange { throw FormatViolation("dictionary code out of range") }
                return .dictionary(codes: codes, dictionary: dictionary)
            }
            // Codes of at most 31 bits fit Int32 as they are; unpacked first, checked in a second pass (a flag
            // updated inside the unpacking loop chains every value through memory, several times slower).
            let codes = [Int32](unsafeUninitializedCapacity: n) { buffer, c in
                let out = buffer
                block.forEachValue(count: n) { i, code in out[i] = Int32(truncatingIfNeeded: code) }
                c = n
            }
            if block.maximum > last, UInt64(codes.withUnsafeBufferPointer(BitPacking.largest)) > last {
                throw FormatViolation("dictionary code out of range")
            }
            return .dictionary(codes: codes, dictionary: dictionary)
        default:
            throw FormatViolation("encoding \(encoding) is not valid for VARCHAR")
        }
    }

    /// `count` u32 lengths followed by the concatenated bytes.
    static func readPlain(_ reader: inout ByteReader, count n: Int) throws -> StringArray {
        let lengths = try reader.bytes(n * 4, "string lengths")
        var total = 0
        let offsets = [Int](unsafeUninitializedCapacity: n + 1) { out, c in
            out[0] = 0
            for i in 0 ..< n {
                total &+= Int(UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))
                out[i + 1] = total
            }
            c = n + 1
        }
        let body = try reader.bytes(total, "string bytes")
        return StringArray(offsets: offsets, bytes: [UInt8](body))
    }
}
