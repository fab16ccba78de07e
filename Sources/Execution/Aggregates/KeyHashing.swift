import Storage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hash functions for group and join keys: a 64-bit integer finaliser and a word-at-a-time byte hash.
enum KeyHashing {
    /// Rows ahead whose slot a key table's insert or lookup loop prefetches (a table larger than the caches would
    /// otherwise cost a memory round trip per row; this many keep several in flight).
    static let prefetchDistance = 16

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
        // The last 1...7 bytes, zero-padded little-endian as a byte loop would gather them, without the loop: the
        // 4 bytes at `i` and the bytes after them taken from the 4 bytes ending the string.
        let rest = n - i
        if rest >= 4 {
            let low = UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            let last = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            let w = low | (last >> UInt64(8 * (8 - rest))) << 32
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        } else if rest > 0 {
            var w = UInt64(p.load(fromByteOffset: i, as: UInt8.self))
            if rest >= 2 { w |= UInt64(p.load(fromByteOffset: i + 1, as: UInt8.self)) << 8 }
            if rest == 3 { w |= UInt64(p.load(fromByteOffset: i + 2, as: UInt8.self)) << 16 }
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        }
        return hash(h)
    }

    /// Whether the `n` bytes at `a` and `b` are equal; short keys (up to 16 bytes, e.g. ids like `ad00852`) with
    /// overlapping word loads instead of a call to memcmp.
    @inline(__always) static func equalBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count n: Int) -> Bool {
        if n > 16 { return memcmp(a, b, n) == 0 }
        if n >= 8 {
            return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        if n == 0 { return true }
        return a.load(as: UInt8.self) == b.load(as: UInt8.self)
            && a.load(fromByteOffset: n / 2, as: UInt8.self) == b.load(fromByteOffset: n / 2, as: UInt8.self)
            && a.load(fromByteOffset: n - 1, as: UInt8.self) == b.load(fromByteOffset: n - 1, as: UInt8.self)
    }

    /// Smallest power of two ≥ `n`, at least 16.
    static func capacity(for n: Int) -> Int {
        var c = 16
        while c < n { c <<= 1 }
        return c
    }

    /// Start of a row hash; `combine` folds in each column's value hash, `hash` finishes it.
    static let rowSeed: UInt64 = 0x5851_F42D_4C95_7F2D
    /// The value hash of NULL in a row hash.
    static let nullValueHash: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always) static func combine(_ h: UInt64, _ value: UInt64) -> UInt64 {
        let x = (h ^ value) &* 0x9E37_79B9_7F4A_7C15
        return (x << 29) | (x >> 35)
    }

    /// A hash of every row's key values that depends only on the values (not on how a column is encoded or
    /// on any table's internal ids): equal keys from different workers' partial tables hash equally, so the
    /// hash can route groups to partitions. Strings hash their bytes (a dictionary's entries once each);
    /// NULL hashes as a constant; -0.0 and 0.0, and all NaNs, hash alike.
    static func rows(_ columns: [Column], count n: Int) -> [UInt64] {
        var out = [UInt64](repeating: rowSeed, count: n)
        out.withUnsafeMutableBufferPointer { h in
            for column in columns {
                var hashes = [UInt64](repeating: 0, count: n)
                hashes.withUnsafeMutableBufferPointer { v in
                    switch column.data {
                    case let .int32(x): for i in 0..<n { v[i] = hash(Int64(x[i])) }
                    case let .int64(x): for i in 0..<n { v[i] = hash(x[i]) }
                    case let .int128(x):
                        // Values that fit 64 bits hash as those, so equal keys hash alike whatever their width.
                        for i in 0..<n {
                            let low = Int64(truncatingIfNeeded: x[i])
                            v[i] = Int128(low) == x[i] ? hash(low) : combine(hash(low), UInt64(truncatingIfNeeded: x[i] >> 64))
                        }
                    case let .bool(x): for i in 0..<n { v[i] = hash(UInt64(x[i] ? 2 : 1)) }
                    case let .double(x):
                        for i in 0..<n {
                            var d = x[i]
                            if d == 0 { d = 0 } else if d.isNaN { d = .nan }
                            v[i] = hash(d.bitPattern)
                        }
                    case let .string(s):
                        s.bytes.withUnsafeBufferPointer { b in
                            for i in 0..<n {
                                let lo = s.offsets[i], hi = s.offsets[i + 1]
                                v[i] = hash(bytes: b.baseAddress.map { UnsafeRawPointer($0 + lo) }, count: hi - lo)
                            }
                        }
                    case let .dictionary(codes, dictionary):
                        let entries = dictionary.bytes.withUnsafeBufferPointer { b in
                            (0..<dictionary.count).map { e -> UInt64 in
                                let lo = dictionary.offsets[e], hi = dictionary.offsets[e + 1]
                                return hash(bytes: b.baseAddress.map { UnsafeRawPointer($0 + lo) }, count: hi - lo)
                            }
                        }
                        for i in 0..<n {
                            let c = Int(codes[i])
                            v[i] = c >= 0 && c < entries.count ? entries[c] : 0
                        }
                    case .list, .fields:
                        for i in 0..<n { v[i] = hash(Int64(column.value(at: i).hashValue)) }
                    }
                    if let validity = column.validity {
                        for i in 0..<n where validity[i] == 0 { v[i] = nullValueHash }
                    }
                    for i in 0..<n { h[i] = combine(h[i], v[i]) }
                }
            }
            for i in 0..<n { h[i] = hash(h[i]) }
        }
        return out
    }
}
