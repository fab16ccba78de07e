import Storage

/// The smallest and largest non-NULL values of a column chunk, in its physical type; merged over row groups
/// for the writer's summary and written as the chunk's statistics.
enum ColumnExtremes: Sendable {
    case bool(Bool, Bool)
    case int32(Int32, Int32)
    case int64(Int64, Int64)
    case double(Double, Double)
    case bytes([UInt8], [UInt8])

    /// Both extremes of `self` and `other` (which must be of the same case; otherwise `self` is kept).
    func merged(with other: ColumnExtremes) -> ColumnExtremes {
        switch (self, other) {
        case let (.bool(a, b), .bool(c, d)): return .bool(a && c, b || d)
        case let (.int32(a, b), .int32(c, d)): return .int32(Swift.min(a, c), Swift.max(b, d))
        case let (.int64(a, b), .int64(c, d)): return .int64(Swift.min(a, c), Swift.max(b, d))
        case let (.double(a, b), .double(c, d)): return .double(Swift.min(a, c), Swift.max(b, d))
        case let (.bytes(a, b), .bytes(c, d)):
            return .bytes(a.lexicographicallyPrecedes(c) ? a : c, b.lexicographicallyPrecedes(d) ? d : b)
        default: return self
        }
    }

    /// The PLAIN encoding of the minimum and maximum, as `Statistics.min_value` / `max_value` hold them.
    var plainBytes: (min: [UInt8], max: [UInt8]) {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        switch self {
        case let .bool(a, b): return ([a ? 1 : 0], [b ? 1 : 0])
        case let .int32(a, b): return (le(a), le(b))
        case let .int64(a, b): return (le(a), le(b))
        case let .double(a, b):
            // The format asks for -0.0 as a minimum of zero and +0.0 as a maximum.
            let lo = a == 0 ? -0.0 : a, hi = b == 0 ? 0.0 : b
            return (le(lo.bitPattern), le(hi.bitPattern))
        case let .bytes(a, b): return (a, b)
        }
    }

    /// The extremes as Tarn values of `type`.
    func values(_ type: DataType) -> (min: Value, max: Value)? {
        func v(_ bool: Bool?, _ i32: Int32?, _ i64: Int64?, _ d: Double?, _ bytes: [UInt8]?) -> Value? {
            switch type {
            case .boolean: return bool.map { .boolean($0) }
            case .integer: return i32.map { .integer($0) }
            case .date: return i32.map { .date($0) }
            case .bigint: return i64.map { .bigint($0) }
            case .timestamp: return i64.map { .timestamp($0) }
            case let .decimal(_, s): return i64.map { .decimal($0, scale: s) }
            case .double: return d.map { .double($0) }
            case .varchar: return bytes.map { .varchar(String(decoding: $0, as: UTF8.self)) }
            case .null, .array, .row, .map: return nil
            case .timestampTZ: return i64.map { .timestampTZ($0) }
            }
        }
        let lo: Value?, hi: Value?
        switch self {
        case let .bool(a, b): lo = v(a, nil, nil, nil, nil); hi = v(b, nil, nil, nil, nil)
        case let .int32(a, b): lo = v(nil, a, nil, nil, nil); hi = v(nil, b, nil, nil, nil)
        case let .int64(a, b): lo = v(nil, nil, a, nil, nil); hi = v(nil, nil, b, nil, nil)
        case let .double(a, b): lo = v(nil, nil, nil, a, nil); hi = v(nil, nil, nil, b, nil)
        case let .bytes(a, b): lo = v(nil, nil, nil, nil, a); hi = v(nil, nil, nil, nil, b)
        }
        guard let lo, let hi else { return nil }
        return (lo, hi)
    }

    // MARK: computing

    static func of(_ v: UnsafeBufferPointer<Bool>) -> ColumnExtremes? {
        guard !v.isEmpty else { return nil }
        var anyFalse = false, anyTrue = false
        for b in v { if b { anyTrue = true } else { anyFalse = true } }
        return .bool(!anyFalse, anyTrue)
    }

    static func of<T: FixedWidthInteger>(_ v: UnsafeBufferPointer<T>) -> (T, T)? {
        guard let first = v.first else { return nil }
        var lo = first, hi = first
        for x in v {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
        }
        return (lo, hi)
    }

    /// NaN is left out; nil when every value is NaN (or there are none).
    static func of(_ v: UnsafeBufferPointer<Double>) -> ColumnExtremes? {
        var lo = Double.infinity, hi = -Double.infinity
        var any = false
        for x in v where !x.isNaN {
            any = true
            if x < lo { lo = x }
            if x > hi { hi = x }
        }
        return any ? .double(lo, hi) : nil
    }

    /// Unsigned byte-wise order (the sort order of BYTE_ARRAY strings).
    static func of(_ s: StringArray) -> ColumnExtremes? {
        guard s.count > 0 else { return nil }
        var lo = 0, hi = 0
        for i in 1..<s.count {
            if s.compare(i, s, lo) < 0 { lo = i }
            if s.compare(i, s, hi) > 0 { hi = i }
        }
        return .bytes(Array(s.bytes[s.offsets[lo]..<s.offsets[lo + 1]]), Array(s.bytes[s.offsets[hi]..<s.offsets[hi + 1]]))
    }
}
