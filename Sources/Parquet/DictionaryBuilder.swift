import Storage

/// Builds the dictionary of a fixed-width column chunk with an open-addressing hash table over contiguous buffers:
/// the distinct values in first-seen order and each value's index. Gives up (nil) once the dictionary would hold
/// more than `maxEntries` values, and the chunk is written PLAIN instead (strings: `StringDictionaryAccumulator`). A chunk whose first
/// `probe` values are nearly all distinct (ids, measurements) gives up there instead of hashing half the chunk.
enum DictionaryBuilder {
    /// Values looked at before deciding the chunk is too distinct to be worth a dictionary.
    static let probe = 8192

    /// Whether `entries` distinct values among the first `probe` of `n` say the dictionary will not pay.
    @inline(__always)
    static func tooDistinct(_ entries: Int, _ n: Int) -> Bool { n > 2 * probe && entries * 4 > probe * 3 }

    /// Fixed-width values, compared by the 64-bit `key` of each (the bit pattern, so -0.0 and 0.0 differ).
    static func build<T>(_ values: UnsafeBufferPointer<T>, maxEntries: Int, key: (T) -> UInt64) -> (entries: [T], indices: [UInt32])? {
        let n = values.count
        let limit = min(maxEntries, n)
        var capacity = 16
        while capacity < limit * 2 { capacity <<= 1 }
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var slotKeys = [UInt64](repeating: 0, count: capacity)
        var entries: [T] = []
        entries.reserveCapacity(min(limit, 1024))
        var failed = false
        let indices = [UInt32](unsafeUninitializedCapacity: n) { out, count in
            count = 0
            slots.withUnsafeMutableBufferPointer { slots in
                slotKeys.withUnsafeMutableBufferPointer { keys in
                    for i in 0..<n {
                        if i == probe && tooDistinct(entries.count, n) { failed = true; return }
                        let v = values[i]
                        let k = key(v)
                        var s = Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> shift)
                        while true {
                            let e = slots[s]
                            if e < 0 {
                                guard entries.count < limit else { failed = true; return }
                                slots[s] = Int32(entries.count)
                                keys[s] = k
                                out[i] = UInt32(entries.count)
                                entries.append(v)
                                break
                            }
                            if keys[s] == k { out[i] = UInt32(e); break }
                            s = (s + 1) & mask
                        }
                    }
                }
            }
            count = failed ? 0 : n
        }
        return failed ? nil : (entries, indices)
    }

    /// A fast 64-bit hash of `length` bytes (eight at a time, then the tail), well mixed in its low bits.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>?, _ length: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        guard let p, length > 0 else { return h &* 0xFF51_AFD7_ED55_8CCD }
        let raw = UnsafeRawPointer(p)
        var k = 0
        while k + 8 <= length {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            k += 8
        }
        if k < length {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while k < length { w |= UInt64(p[k]) << shift; shift += 8; k += 1 }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }
}
