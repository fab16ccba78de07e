import Storage

/// What a hash join's finished build side tells the probe side's scan about the values one key column can take
/// for a probe row to find a match: none at all (`isEmpty`), a range (`minimum ... maximum`) and, unless the build
/// side has too many distinct keys for it to pay, a Bloom filter of them. Keys are integers of the INTEGER,
/// BIGINT, DATE, TIMESTAMP and DECIMAL(≤18) families, compared by their stored (unscaled) value as an Int64, so
/// an INTEGER probe column widened to the BIGINT build key is tested by the same values. NULL keys never match:
/// they are not in the filter, and a probe row with a NULL key fails it.
public final class RuntimeFilter: Sendable {
    public let isEmpty: Bool
    public let minimum: Int64
    public let maximum: Int64
    /// Nil when the build side has more than `maximumBloomKeys` distinct keys, or when `bitmap` holds the keys.
    public let bloom: BlockedBloomFilter?
    /// Bit `k - minimum` set for every key `k`, when the keys' range is narrow enough (`maximumBitmapBits`): an exact
    /// test of one load and no hashing (dense integer keys such as TPC-H's part and order keys).
    let bitmap: [UInt64]?

    /// The widest key range held as a bitmap: 8 Mbit (1 MB), or 64 bits per distinct key when that is less (but
    /// always up to 2 Mbit, 256 KB).
    static let maximumBitmapBits: Int64 = 1 << 23
    /// Distinct non-NULL keys of the build side (an upper bound: distinct key tuples for a multi-column key).
    public let distinctKeys: Int

    /// Above this many distinct build keys the Bloom filter (10 bits a key) outgrows the caches and tests cost
    /// more than they save; the range alone is kept.
    public static let maximumBloomKeys = 4_000_000

    /// Whether `type` is one whose values a runtime filter holds.
    public static func supports(_ type: DataType) -> Bool {
        switch type {
        case .integer, .bigint, .date, .timestamp, .timestampTZ: return true
        case let .decimal(p, _): return p <= 18
        default: return false
        }
    }

    /// The filter of the build keys `keys` (a column of a supported type), or nil for another representation.
    /// `distinctKeys` sizes the Bloom filter.
    public init?(keys: Column, distinctKeys: Int) {
        guard Self.supports(keys.type) else { return nil }
        let n = keys.count
        var lo = Int64.max, hi = Int64.min
        var any = false
        let validity = keys.validity
        func forEach(_ body: (Int64) -> Void) {
            switch keys.data {
            case let .int32(values): for i in 0 ..< n where validity.map({ $0[i] != 0 }) ?? true { body(Int64(values[i])) }
            case let .int64(values): for i in 0 ..< n where validity.map({ $0[i] != 0 }) ?? true { body(values[i]) }
            default: break
            }
        }
        switch keys.data {
        case .int32, .int64: break
        default: return nil
        }
        forEach { v in
            any = true
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        isEmpty = !any
        minimum = any ? lo : 0
        maximum = any ? hi : -1
        self.distinctKeys = distinctKeys
        let span = any ? hi.subtractingReportingOverflow(lo) : (partialValue: 0, overflow: true)
        if any, !span.overflow, span.partialValue < min(Self.maximumBitmapBits, max(1 << 21, Int64(max(1, distinctKeys)) &* 64)) {
            var bits = [UInt64](repeating: 0, count: Int(span.partialValue) / 64 + 1)
            forEach { v in
                let k = Int(v &- lo)
                bits[k >> 6] |= 1 << UInt64(k & 63)
            }
            bitmap = bits
            bloom = nil
        } else if any, distinctKeys <= Self.maximumBloomKeys {
            var filter = BlockedBloomFilter(expectedKeys: max(1, distinctKeys))
            forEach { filter.insert(hash: KeyHashing.hash($0)) }
            bitmap = nil
            bloom = filter
        } else {
            bitmap = nil
            bloom = nil
        }
    }

    /// Appends to `kept` the rows among `rows` (all rows when nil) of `column` that may find a match, ascending.
    public func select(_ column: Column, rows: [Int32]?, into kept: inout [Int32]) {
        if isEmpty { return }
        switch column.data {
        case let .int32(values):
            values.withUnsafeBufferPointer { select($0, column.validity, rows, &kept) }
        case let .int64(values):
            values.withUnsafeBufferPointer { select($0, column.validity, rows, &kept) }
        default:
            // Not a representation the filter knows: keep every row (the join still decides).
            if let rows { kept += rows } else { kept += (0 ..< Int32(truncatingIfNeeded: column.count)).map { $0 } }
        }
    }

    /// `select` over the values `v`: the rows written into a buffer of the most rows, then appended. One loop per
    /// kind of test (range only, bitmap, Bloom filter), so the per-row work has no branch on the kind.
    @inline(__always)
    private func select<T: FixedWidthInteger>(_ v: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ rows: [Int32]?,
                                              _ kept: inout [Int32]) {
        let lo = minimum, hi = maximum
        if let bitmap {
            bitmap.withUnsafeBufferPointer { bits in
                Self.keep(v, validity, rows, &kept) { x in
                    let inRange = Self.both(x >= lo, x <= hi)
                    let k = UInt64(bitPattern: inRange ? x &- lo : 0)
                    return Self.both(inRange, bits[Int(truncatingIfNeeded: k &>> 6)] & (1 &<< (k & 63)) != 0)
                }
            }
        } else if let bloom {
            bloom.words.withUnsafeBufferPointer { w in
                @inline(__always) func test(_ x: Int64) -> Bool {
                    Self.both(Self.both(x >= lo, x <= hi), bloom.mayContain(hash: KeyHashing.hash(x), in: w))
                }
                // Keys clustered in the probe table (lineitem by l_orderkey) repeat in consecutive rows: those reuse
                // the previous row's answer instead of hashing and loading the filter again.
                var last = Int64.min
                var lastPass = test(last)
                Self.keep(v, validity, rows, &kept) { x in
                    if x != last { last = x; lastPass = test(x) }
                    return lastPass
                }
            }
        } else {
            Self.keep(v, validity, rows, &kept) { x in Self.both(x >= lo, x <= hi) }
        }
    }

    /// `a && b` without a branch (both are already computed; the rows' outcomes are not predictable).
    @inline(__always) private static func both(_ a: Bool, _ b: Bool) -> Bool { (a ? 1 as UInt8 : 0) & (b ? 1 : 0) != 0 }

    /// Appends the rows (all when `rows` is nil) whose value is not NULL and passes `test`, branch-free per row.
    @inline(__always)
    private static func keep<T: FixedWidthInteger>(_ v: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ rows: [Int32]?,
                                                   _ kept: inout [Int32], _ test: (Int64) -> Bool) {
        let n = rows?.count ?? v.count
        var count = 0
        var out = [Int32](unsafeUninitializedCapacity: n) { o, initialized in
            if let rows {
                rows.withUnsafeBufferPointer { r in
                    for k in 0 ..< n {
                        let i = Int(r[k])
                        let pass = Self.both(validity.map { $0[i] != 0 } ?? true, test(Int64(truncatingIfNeeded: v[i])))
                        o[count] = Int32(truncatingIfNeeded: i)
                        count &+= pass ? 1 : 0
                    }
                }
            } else if let validity {
                validity.withUnsafeBufferPointer { valid in
                    for i in 0 ..< n {
                        let pass = Self.both(valid[i] != 0, test(Int64(truncatingIfNeeded: v[i])))
                        o[count] = Int32(truncatingIfNeeded: i)
                        count &+= pass ? 1 : 0
                    }
                }
            } else {
                for i in 0 ..< n {
                    let pass = test(Int64(truncatingIfNeeded: v[i]))
                    o[count] = Int32(truncatingIfNeeded: i)
                    count &+= pass ? 1 : 0
                }
            }
            initialized = count
        }
        if kept.isEmpty { swap(&kept, &out) } else { kept.append(contentsOf: out) }
    }
}
