/// Bit-packing of unsigned integers into a little-endian bit stream (value `i` occupies bits
/// `i*w ..< (i+1)*w`, least significant bit first), followed by `DataFileLayout.bitPackPadding` zero bytes.
/// A block on disk is: bit width `w` (u8, 0...64), then `ceil(n*w/8)` packed bytes, then the padding.
enum BitPacking {
    /// Bits needed to store `maxValue` (0 for 0).
    @inline(__always) static func bitWidth(_ maxValue: UInt64) -> Int { 64 - maxValue.leadingZeroBitCount }

    /// Bytes of a whole block (header, packed bits and padding) holding `count` values of `width` bits.
    @inline(__always) static func blockSize(count: Int, width: Int) -> Int {
        1 + (count * width + 7) / 8 + DataFileLayout.bitPackPadding
    }

    /// Appends a block of `values`, each of which must fit in `width` bits.
    static func write(_ values: UnsafeBufferPointer<UInt64>, width: Int, to writer: inout ByteWriter) {
        writer.write(UInt8(width))
        let packedBytes = (values.count * width + 7) / 8
        let start = writer.bytes.count
        writer.writeZeros(packedBytes + DataFileLayout.bitPackPadding)
        guard width > 0, values.count > 0 else { return }
        writer.bytes.withUnsafeMutableBytes { raw in
            let out = raw.baseAddress! + start
            var accumulator: UInt64 = 0
            var filled = 0
            var position = 0
            for v in values {
                accumulator |= v << UInt64(filled)
                filled += width
                if filled >= 64 {
                    out.storeBytes(of: accumulator.littleEndian, toByteOffset: position, as: UInt64.self)
                    position += 8
                    filled -= 64
                    accumulator = filled > 0 ? v >> UInt64(width - filled) : 0
                }
            }
            var tail = accumulator
            while filled > 0 {
                out.storeBytes(of: UInt8(truncatingIfNeeded: tail), toByteOffset: position, as: UInt8.self)
                tail >>= 8
                position += 1
                filled -= 8
            }
        }
    }

    /// The largest of `values` (0 when empty): a plain loop the compiler vectorises.
    static func largest(_ values: UnsafeBufferPointer<Int32>) -> Int32 {
        var m: Int32 = 0
        for v in values { m = Swift.max(m, v) }
        return m
    }

    /// Reads a block header and checks the block holds `count` values plus padding.
    static func readBlock(_ reader: inout ByteReader, count: Int) throws -> PackedBlock {
        let width = Int(try reader.read(UInt8.self, "bit width"))
        guard width <= 64 else { throw FormatViolation("bit width \(width) exceeds 64") }
        let length = (count * width + 7) / 8 + DataFileLayout.bitPackPadding
        let bytes = try reader.bytes(length, "bit-packed values")
        guard let base = bytes.baseAddress else { throw FormatViolation("empty bit-packed block") }
        return PackedBlock(base: base, width: width)
    }
}

/// A validated bit-packed block in memory; `value(at:)` is safe for indices below the count it was read for.
struct PackedBlock {
    let base: UnsafeRawPointer
    let width: Int
    let mask: UInt64

    init(base: UnsafeRawPointer, width: Int) {
        self.base = base
        self.width = width
        mask = width >= 64 ? ~0 : (UInt64(1) << UInt64(width)) &- 1
    }

    /// Calls `body(i, value(at: i))` for every `i` in `0..<count`, in order. Groups of 8 values start on a
    /// byte boundary (8 × width bits), so their byte offsets and shifts within a group are loop-invariant:
    /// no per-value multiply, no wide-value branch, 8 independent loads per iteration.
    @inline(__always) func forEachValue(count n: Int, _ body: (Int, UInt64) -> Void) {
        let w = width
        if w == 0 {
            for i in 0 ..< n { body(i, 0) }
            return
        }
        if w > 56 {
            for i in 0 ..< n { body(i, value(at: i)) }
            return
        }
        let m = mask
        let b1 = w &>> 3, b2 = (2 &* w) &>> 3, b3 = (3 &* w) &>> 3, b4 = (4 &* w) &>> 3
        let b5 = (5 &* w) &>> 3, b6 = (6 &* w) &>> 3, b7 = (7 &* w) &>> 3
        let s1 = UInt64(w & 7), s2 = UInt64((2 &* w) & 7), s3 = UInt64((3 &* w) & 7), s4 = UInt64((4 &* w) & 7)
        let s5 = UInt64((5 &* w) & 7), s6 = UInt64((6 &* w) & 7), s7 = UInt64((7 &* w) & 7)
        var p = base
        var i = 0
        while i &+ 8 <= n {
            body(i, UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) & m)
            body(i &+ 1, (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: b1, as: UInt64.self)) &>> s1) & m)
            body(i &+ 2, (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: b2, as: UInt64.self)) &>> s2) & m)
            body(i &+ 3, (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: b3, as: UInt64.self)) &>> s3) & m)
            body(i &+ 4, (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: b4, as: UInt64.self)) &>> s4) & m)
            body(i &+ 5, (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: b5, as: UInt64.self)) &>> s5) & m)
            body(i &+ 6, (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: b6, as: UInt64.self)) &>> s6) & m)
            body(i &+ 7, (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: b7, as: UInt64.self)) &>> s7) & m)
            p += w
            i &+= 8
        }
        while i < n {
            body(i, value(at: i))
            i &+= 1
        }
    }

    /// The largest value the block's width can hold.
    var maximum: UInt64 { mask }

    @inline(__always) func value(at index: Int) -> UInt64 {
        let bit = index &* width
        let byte = bit &>> 3
        let shift = UInt64(truncatingIfNeeded: bit & 7)
        var v = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) &>> shift
        if width > 56 && shift > 0 {
            v |= UInt64(base.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< (64 &- shift)
        }
        return v & mask
    }
}
