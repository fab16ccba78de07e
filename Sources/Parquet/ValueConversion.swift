import Storage

/// Turns decoded physical values into a Tarn column of the column's type (the logical conversion:
/// widening, time units, INT96, decimals, unsigned integers) with contiguous loops over typed buffers.
enum ValueConversion {
    static func column(_ values: DecodedValues, validity: [UInt8]?, column c: ParquetColumn, dictionary: StringArray) throws -> Column {
        let type = c.field.type
        func make(_ data: ColumnData) -> Column { Column(type: type, data: data, validity: validity) }
        func mismatch() -> TarnError { TarnError(.internal, "Parquet values of the wrong physical type for \(c.physical) → \(type)") }
        switch (c.conversion, values) {
        case let (.identity, .bool(v)): return make(.bool(v))
        case let (.identity, .int32(v)): return make(.int32(v))
        case let (.identity, .int64(v)): return make(.int64(v))
        case let (.identity, .double(v)): return make(.double(v))
        case let (.identity, .bytes(s)): return make(.string(s))
        case let (.identity, .codes(codes)):
            // NULL slots hold code 0, which must index something.
            if dictionary.count == 0 { return make(.string(StringArray(offsets: [Int](repeating: 0, count: codes.count + 1), bytes: []))) }
            return make(.dictionary(codes: codes, dictionary: dictionary))
        case let (.floatToDouble, .float(v)):
            return make(.double(map(v) { Double($0) }))
        case let (.int32ToInt64(unsigned), .int32(v)):
            return make(.int64(unsigned ? map(v) { Int64(UInt32(bitPattern: $0)) } : map(v) { Int64($0) }))
        case let (.uint64, .int64(v)):
            if let bad = firstNegative(v, validity) {
                throw TarnError.unsupported("the UINT64 value \(UInt64(bitPattern: bad)) does not fit in a BIGINT")
            }
            return make(.int64(v))
        case let (.multiply(factor), .int32(v)):
            return make(.int64(map(v) { Int64($0) * factor }))
        case let (.multiply(factor), .int64(v)):
            var overflow = false
            let out = map(v) { x -> Int64 in
                let (r, o) = x.multipliedReportingOverflow(by: factor)
                overflow = overflow || o
                return r
            }
            if overflow { throw TarnError.execution("a timestamp or time value is out of range") }
            return make(.int64(out))
        case let (.divide(divisor), .int64(v)):
            return make(.int64(map(v) { x in
                let q = x / divisor
                return (x % divisor != 0 && x < 0) ? q - 1 : q
            }))
        case let (.int96Timestamp, .bytes(s)):
            return make(.int64(try int96(s)))
        case let (.bytesToDecimal, .bytes(s)):
            return make(.int64(try decimals(s)))
        case let (.bytesToDecimal128, .bytes(s)):
            return make(.int128(try decimal128s(s)))
        case let (.decimalToDouble(scale), .bytes(s)):
            return make(.double(decimalDoubles(s, scale: scale)))
        case let (.float16ToDouble, .bytes(s)):
            return make(.double(halfFloats(s)))
        case let (.uuidToString, .bytes(s)):
            return make(.string(uuids(s)))
        default:
            throw mismatch()
        }
    }

    @inline(__always)
    static func map<T, U>(_ a: [T], _ f: (T) -> U) -> [U] {
        [U](unsafeUninitializedCapacity: a.count) { buffer, n in
            a.withUnsafeBufferPointer { src in
                for i in 0..<src.count { buffer.initializeElement(at: i, to: f(src[i])) }
            }
            n = a.count
        }
    }

    static func firstNegative(_ v: [Int64], _ validity: [UInt8]?) -> Int64? {
        for i in 0..<v.count where v[i] < 0 && (validity?[i] ?? 1) != 0 { return v[i] }
        return nil
    }

    /// Julian day 2440588 is 1970-01-01.
    static let julianEpochDay: Int64 = 2_440_588

    /// INT96 values (8 bytes nanoseconds of day, 4 bytes Julian day, little-endian, both signed) as microseconds
    /// since the epoch.
    /// NULL slots are empty strings and give 0.
    static func int96(_ s: StringArray) throws -> [Int64] {
        let n = s.count
        return try s.bytes.withUnsafeBytes { raw in
            var failed = false
            let out = [Int64](unsafeUninitializedCapacity: n) { buffer, count in
                for i in 0..<n {
                    let lo = s.offsets[i], length = s.offsets[i + 1] - lo
                    if length == 12 {
                        let nanos = Int64(bitPattern: raw.loadUnaligned(fromByteOffset: lo, as: UInt64.self).littleEndian)
                        // Both parts are signed, and the sum wraps: Spark writes far-future timestamps by
                        // overflowing the same way, and wrapping arithmetic gives its value back.
                        let day = Int64(Int32(bitPattern: raw.loadUnaligned(fromByteOffset: lo + 8, as: UInt32.self).littleEndian))
                        buffer[i] = (day - julianEpochDay) &* 86_400_000_000 &+ nanos / 1000
                    } else {
                        failed = failed || length != 0
                        buffer[i] = 0
                    }
                }
                count = n
            }
            if failed { throw TarnError.corruption("an INT96 value is not 12 bytes long") }
            return out
        }
    }

    /// Big-endian two's-complement integers (at most 8 significant bytes) as Int64.
    static func decimals(_ s: StringArray) throws -> [Int64] {
        try bigEndianIntegers(s, as: Int64.self, digits: 18)
    }

    /// Big-endian two's-complement integers (at most 16 significant bytes) as Int128 (DECIMAL(19…38)).
    static func decimal128s(_ s: StringArray) throws -> [Int128] {
        try bigEndianIntegers(s, as: Int128.self, digits: 38)
    }

    /// Big-endian two's-complement integers of at most `T`'s width in significant bytes; longer values must have only
    /// sign extension in their leading bytes, else the file is corrupt (`digits` names the DECIMAL limit in the error).
    private static func bigEndianIntegers<T: FixedWidthInteger & SignedInteger>(_ s: StringArray, as: T.Type, digits: Int) throws -> [T] {
        let n = s.count
        let width = MemoryLayout<T>.size
        var failed = false
        let out = s.bytes.withUnsafeBufferPointer { b in
            [T](unsafeUninitializedCapacity: n) { buffer, count in
                for i in 0..<n {
                    let lo = s.offsets[i], hi = s.offsets[i + 1]
                    guard hi > lo else { buffer[i] = 0; continue }
                    let negative = b[lo] & 0x80 != 0
                    var v: T.Magnitude = negative ? ~0 : 0
                    // Leading bytes beyond the width must be pure sign extension.
                    let extra = hi - lo - width
                    if extra > 0 {
                        let fill: UInt8 = negative ? 0xFF : 0
                        for k in lo..<lo + extra where b[k] != fill { failed = true }
                        if (b[lo + extra] & 0x80 != 0) != negative { failed = true }
                    }
                    for k in max(lo, hi - width)..<hi { v = v << 8 | T.Magnitude(b[k]) }
                    buffer[i] = T(truncatingIfNeeded: v)
                }
                count = n
            }
        }
        if failed { throw TarnError.corruption("a DECIMAL value does not fit in \(digits) digits") }
        return out
    }

    /// Big-endian two's-complement integers of any length divided by 10^scale, as doubles (≈ 16 significant digits).
    static func decimalDoubles(_ s: StringArray, scale: Int32) -> [Double] {
        let n = s.count
        var divisor = 1.0
        for _ in 0..<max(0, Int(scale)) { divisor *= 10 }
        return s.bytes.withUnsafeBufferPointer { b in
            [Double](unsafeUninitializedCapacity: n) { buffer, count in
                for i in 0..<n {
                    let lo = s.offsets[i], hi = s.offsets[i + 1]
                    guard hi > lo else { buffer[i] = 0; continue }
                    let negative = b[lo] & 0x80 != 0
                    // Magnitude of the two's-complement value: invert the bytes of a negative one and add 1.
                    var magnitude = 0.0
                    for k in lo..<hi {
                        let byte = negative ? ~b[k] : b[k]
                        magnitude = magnitude * 256 + Double(byte)
                    }
                    if negative { magnitude += 1 }
                    buffer[i] = (negative ? -magnitude : magnitude) / divisor
                }
                count = n
            }
        }
    }

    /// IEEE half-precision values (2 bytes, little-endian) as doubles; NULL slots (empty) give 0.
    static func halfFloats(_ s: StringArray) -> [Double] {
        let n = s.count
        return s.bytes.withUnsafeBufferPointer { b in
            [Double](unsafeUninitializedCapacity: n) { buffer, count in
                for i in 0..<n {
                    let lo = s.offsets[i]
                    guard s.offsets[i + 1] - lo == 2 else { buffer[i] = 0; continue }
                    let h = UInt16(b[lo]) | UInt16(b[lo + 1]) << 8
                    let sign: Double = h & 0x8000 != 0 ? -1 : 1
                    let exponent = Int((h >> 10) & 0x1F), mantissa = Double(h & 0x3FF)
                    let magnitude: Double
                    switch exponent {
                    case 0: magnitude = mantissa * 0x1p-24                       // subnormal
                    case 31: magnitude = mantissa == 0 ? .infinity : .nan
                    default: magnitude = (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
                    }
                    buffer[i] = sign * magnitude
                }
                count = n
            }
        }
    }

    /// 16-byte UUIDs as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`; NULL slots (empty) stay empty.
    static func uuids(_ s: StringArray) -> StringArray {
        let hex = Array("0123456789abcdef".utf8)
        var out = StringArray()
        out.reserve(strings: s.count, bytes: s.count * 36)
        for i in 0..<s.count {
            let lo = s.offsets[i]
            if s.offsets[i + 1] - lo == 16 {
                for k in 0..<16 {
                    if k == 4 || k == 6 || k == 8 || k == 10 { out.bytes.append(UInt8(ascii: "-")) }
                    let byte = s.bytes[lo + k]
                    out.bytes.append(hex[Int(byte >> 4)])
                    out.bytes.append(hex[Int(byte & 0x0F)])
                }
            }
            out.offsets.append(out.bytes.count)
        }
        return out
    }
}
