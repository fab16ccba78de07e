/// Hash functions for group and join keys: a 64-bit integer finaliser and a word-at-a-time byte hash.
enum KeyHashing {
    @inline(__always) static func hash(_ x: UInt64) -> UInt64 {
        var z = x ^ (x >> 33)
        z = z &* 0xff51_afd7_ed55_8ccd
        z ^= z >> 33
        z = z &* 0xc4ce_b9fe_1a85_ec53
        z ^= z >> 33
        return z
    }

    @inline(__always) static func hash(_ x: Int64) -> UInt64 { hash(UInt64(bitPattern: x)) }

    /// Hash of a byte string, 8 bytes at a time.
    @inline(__always) static func hash(bytes p: UnsafeRawPointer?, count n: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: n)
        guard let p else { return hash(h) }
        var i = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h = (h << 31) | (h >> 33)
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        }
        return hash(h)
    }

    /// Smallest power of two ≥ `n`, at least 16.
    static func capacity(for n: Int) -> Int {
        var c = 16
        while c < n { c <<= 1 }
        return c
    }
}
