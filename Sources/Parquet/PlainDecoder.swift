import Storage

/// Decodes PLAIN values: little-endian fixed-width numbers, LSB-first bit-packed booleans,
/// length-prefixed byte arrays, fixed-length byte arrays and 12-byte INT96s.
enum PlainDecoder {
    static func decode(_ cursor: inout ByteCursor, physical: PhysicalKind, typeLength: Int, count: Int, what: String) throws -> DecodedValues {
        switch physical {
        case .boolean:
            let start = try cursor.take((count + 7) / 8, what)
            let base = cursor.base
            let out = [Bool](unsafeUninitializedCapacity: count) { buffer, n in
                for i in 0..<count { buffer.initializeElement(at: i, to: (base[start + i >> 3] >> UInt8(i & 7)) & 1 == 1) }
                n = count
            }
            return .bool(out)
        case .int32: return .int32(try fixed(&cursor, count: count, what: what))
        case .int64: return .int64(try fixed(&cursor, count: count, what: what))
        case .float: return .float(try fixed(&cursor, count: count, what: what))
        case .double: return .double(try fixed(&cursor, count: count, what: what))
        case .int96: return .bytes(try fixedBytes(&cursor, width: 12, count: count, what: what))
        case .fixedLenByteArray: return .bytes(try fixedBytes(&cursor, width: typeLength, count: count, what: what))
        case .byteArray:
            var out = StringArray()
            out.offsets.reserveCapacity(count + 1)
            // Two passes: find the total size first so the bytes are copied into one allocation.
            var scan = cursor
            var total = 0
            for _ in 0..<count {
                let length = Int(try scan.uint32LE(what))
                _ = try scan.take(length, what)
                total += length
            }
            out.bytes.reserveCapacity(total)
            let base = cursor.base
            for _ in 0..<count {
                let length = Int(try cursor.uint32LE(what))
                let start = try cursor.take(length, what)
                out.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: base[start..<start + length]))
                out.offsets.append(out.bytes.count)
            }
            return .bytes(out)
        }
    }

    /// `count` little-endian values of `T` copied in one go.
    static func fixed<T: BitwiseCopyable>(_ cursor: inout ByteCursor, count: Int, what: String) throws -> [T] {
        let size = MemoryLayout<T>.size
        guard count <= cursor.remaining / size else { throw ByteCursor.truncated(what) }
        let start = try cursor.take(count * size, what)
        let base = cursor.base
        return [T](unsafeUninitializedCapacity: count) { buffer, n in
            if count > 0, let dst = buffer.baseAddress, let src = base.baseAddress {
                UnsafeMutableRawPointer(dst).copyMemory(from: src + start, byteCount: count * size)
            }
            n = count
        }
    }

    static func fixedBytes(_ cursor: inout ByteCursor, width: Int, count: Int, what: String) throws -> StringArray {
        guard width > 0, count <= cursor.remaining / width else { throw ByteCursor.truncated(what) }
        let start = try cursor.take(width * count, what)
        let bytes = Array(UnsafeRawBufferPointer(rebasing: cursor.base[start..<start + width * count]))
        let offsets = [Int](unsafeUninitializedCapacity: count + 1) { buffer, n in
            for i in 0...count { buffer.initializeElement(at: i, to: i * width) }
            n = count + 1
        }
        return StringArray(offsets: offsets, bytes: bytes)
    }
}
