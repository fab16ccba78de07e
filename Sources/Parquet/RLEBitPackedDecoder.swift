import Storage

/// Decodes Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary indices, RLE booleans).
///
/// Runs are `varint header` then either one repeated value (`header >> 1` times, in ⌈width/8⌉ bytes) or
/// `header >> 1` groups of eight bit-packed values. Exactly `count` values are produced or an error is thrown.
enum RLEBitPackedDecoder {
    /// Decodes `out.count` values of `bitWidth` bits from `cursor` into `out`; values never exceed `maxValue`.
    static func decode<T: FixedWidthInteger>(_ cursor: inout ByteCursor, bitWidth: Int, into out: UnsafeMutableBufferPointer<T>,
                                             maxValue: UInt64, what: String) throws {
        guard bitWidth >= 0, bitWidth <= 32 else { throw TarnError.corruption("\(what): bit width \(bitWidth) is above 32") }
        let count = out.count
        var produced = 0
        let valueBytes = (bitWidth + 7) / 8
        while produced < count {
            let header = try cursor.varint(what)
            let runLength = header >> 1
            if header & 1 == 0 {
                guard runLength > 0 else { throw TarnError.corruption("\(what): empty RLE run") }
                let start = try cursor.take(valueBytes, what)
                var value: UInt64 = 0
                for k in 0..<valueBytes { value |= UInt64(cursor.base[start + k]) << UInt64(8 * k) }
                guard value <= maxValue else { throw TarnError.corruption("\(what): value \(value) above \(maxValue)") }
                let n = Int(min(runLength, UInt64(count - produced)))
                UnsafeMutableBufferPointer(rebasing: out[produced..<produced + n]).update(repeating: T(truncatingIfNeeded: value))
                produced += n
            } else {
                // Width 0 packs any number of groups into no bytes, so bound the count itself (keeps the arithmetic in range).
                guard runLength > 0, runLength <= UInt64(Int32.max) else {
                    throw TarnError.corruption("\(what): bit-packed run of \(runLength) groups")
                }
                let values = Int(runLength) * 8
                let n = min(values, count - produced)
                let fullBytes = values * bitWidth / 8
                // The last run may be cut short; the values actually needed must be there.
                let needed = BitUnpacking.bytes(count: n, width: bitWidth)
                guard needed <= cursor.remaining else { throw ByteCursor.truncated(what) }
                let start = cursor.position
                let limit = cursor.end
                let base = cursor.base
                var bit = start * 8
                var largest: UInt64 = 0
                var k = 0
                if bitWidth > 0, let raw = base.baseAddress {
                    // Values whose 8-byte load stays inside the buffer: one unaligned load, shift and mask each
                    // (a width of at most 32 plus a shift of at most 7 never needs a ninth byte).
                    let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
                    let room = (limit - 7) * 8 - bit
                    let fast = room > 0 ? min(n, (room + bitWidth - 1) / bitWidth) : 0
                    let target = out.baseAddress.map { $0 + produced }
                    while k < fast {
                        let v = (raw.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self).littleEndian &>> UInt64(bit & 7)) & mask
                        largest = Swift.max(largest, v)
                        target?[k] = T(truncatingIfNeeded: v)
                        bit &+= bitWidth
                        k &+= 1
                    }
                }
                while k < n {
                    let v = BitUnpacking.load(base, limit: limit, bitOffset: bit, width: bitWidth)
                    largest = Swift.max(largest, v)
                    out[produced + k] = T(truncatingIfNeeded: v)
                    bit += bitWidth
                    k += 1
                }
                if largest > maxValue { throw TarnError.corruption("\(what): a value is above \(maxValue)") }
                cursor.position = min(cursor.end, start + fullBytes)
                produced += n
            }
        }
    }

    /// Decodes `count` values into a new array.
    static func decode<T: FixedWidthInteger>(_ cursor: inout ByteCursor, bitWidth: Int, count: Int, maxValue: UInt64,
                                             as: T.Type, what: String) throws -> [T] {
        var failure: Error?
        let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: 0)
            do { try decode(&cursor, bitWidth: bitWidth, into: buffer, maxValue: maxValue, what: what) } catch { failure = error }
            initialized = count
        }
        if let failure { throw failure }
        return out
    }
}
