/// Encodes Parquet's RLE / bit-packed hybrid (definition levels, dictionary indices): the mirror of
/// `RLEBitPackedDecoder`. A value repeated at least eight times becomes an RLE run; everything else is
/// bit-packed in groups of eight (the last group padded with zeros — readers stop at the count they know).
enum RLEBitPackedEncoder {
    /// Appends the encoding of `values` (each below 2^bitWidth) to `out`.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        let valueBytes = (bitWidth + 7) / 8
        var i = 0
        @inline(__always) func runLength(at start: Int) -> Int {
            let v = values[start]
            var k = start + 1
            while k < n && values[k] == v { k += 1 }
            return k - start
        }
        while i < n {
            let run = runLength(at: i)
            if run >= 8 || bitWidth == 0 {
                let length = bitWidth == 0 ? n - i : run
                writeVarint(UInt64(length) << 1, &out)
                let v = values[i]
                for k in 0..<valueBytes { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
                i += length
                continue
            }
            // Bit-pack groups of eight until a long run starts at a group boundary (or the values end).
            let start = i
            var groups = 0
            repeat {
                i = min(i + 8, n)
                groups += 1
            } while i < n && groups < (1 << 20) && runLength(at: i) < 8
            writeVarint(UInt64(groups) << 1 | 1, &out)
            pack(values, from: start, count: groups * 8, bitWidth: bitWidth, into: &out)
        }
    }

    /// Definition levels of an optional column (1 present, 0 NULL) — one RLE run when there are no NULLs.
    static func encodeLevels(_ levels: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var allPresent = true
        for l in levels where l == 0 { allPresent = false; break }
        if allPresent {
            if !levels.isEmpty { writeVarint(UInt64(levels.count) << 1, &out); out.append(1) }
            return
        }
        let wide = [UInt32](unsafeUninitializedCapacity: levels.count) { b, n in
            for k in 0..<levels.count { b[k] = UInt32(levels[k]) }
            n = levels.count
        }
        wide.withUnsafeBufferPointer { encode($0, bitWidth: 1, into: &out) }
    }

    /// Packs `count` values (those past the end of `values` as 0) LSB first, `bitWidth` bits each.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, from start: Int, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        guard bitWidth > 0 else { return }
        var buffer: UInt64 = 0
        var bits = 0
        let end = min(start + count, values.count)
        out.reserveCapacity(out.count + (count * bitWidth + 7) / 8)
        for k in start..<start + count {
            let v = k < end ? UInt64(values[k]) : 0
            buffer |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                bits -= 8
            }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: buffer)) }
    }

    static func writeVarint(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Bits needed for values up to `maxValue`.
    static func bitWidth(_ maxValue: Int) -> Int { maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount }
}
