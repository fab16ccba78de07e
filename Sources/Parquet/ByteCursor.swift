import Storage

/// A bounds-checked read position in a page's bytes: varints, little-endian words and bit-packed fields.
/// Every read checks the bytes left and throws `TarnError.corruption` past the end.
struct ByteCursor {
    let base: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    init(_ base: UnsafeRawBufferPointer, start: Int = 0, end: Int? = nil) {
        self.base = base
        self.end = min(end ?? base.count, base.count)
        self.position = max(0, min(start, self.end))
    }

    var remaining: Int { end - position }

    static func truncated(_ what: String) -> TarnError { .corruption("\(what) runs past the end of the page") }

    @inline(__always) mutating func byte(_ what: String) throws -> UInt8 {
        guard position < end else { throw Self.truncated(what) }
        let b = base[position]
        position += 1
        return b
    }

    mutating func varint(_ what: String) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte(what)
            if shift == 63 && b > 1 { throw TarnError.corruption("\(what): varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw TarnError.corruption("\(what): varint longer than 10 bytes") }
        }
    }

    mutating func zigzag(_ what: String) throws -> Int64 {
        let u = try varint(what)
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func uint32LE(_ what: String) throws -> UInt32 {
        guard remaining >= 4 else { throw Self.truncated(what) }
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian
        position += 4
        return v
    }

    /// Reserves `count` bytes and returns where they start.
    mutating func take(_ count: Int, _ what: String) throws -> Int {
        guard count >= 0, count <= remaining else { throw Self.truncated(what) }
        let start = position
        position += count
        return start
    }
}

/// Bit-level access to LSB-first packed values (Parquet's bit-packing order).
enum BitUnpacking {
    /// The `width`-bit value (0...64) starting at bit `bitOffset` of `p`; bits past `limit` bytes read as zero.
    @inline(__always)
    static func load(_ p: UnsafeRawBufferPointer, limit: Int, bitOffset: Int, width: Int) -> UInt64 {
        if width == 0 { return 0 }
        let byte = bitOffset >> 3, shift = bitOffset & 7
        var v: UInt64
        if byte + 8 <= limit {
            v = p.loadUnaligned(fromByteOffset: byte, as: UInt64.self).littleEndian >> UInt64(shift)
            if shift + width > 64, byte + 8 < limit {
                v |= UInt64(p[byte + 8]) << UInt64(64 - shift)
            }
        } else {
            v = 0
            var got = -shift
            var b = byte
            while got < width && b < limit {
                let chunk = UInt64(p[b])
                if got < 0 { v |= chunk >> UInt64(-got) } else { v |= chunk << UInt64(got) }
                got += 8
                b += 1
            }
        }
        return width == 64 ? v : v & ((1 << UInt64(width)) - 1)
    }

    /// Bytes needed for `count` values of `width` bits.
    @inline(__always) static func bytes(count: Int, width: Int) -> Int { (count * width + 7) / 8 }
}
