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
