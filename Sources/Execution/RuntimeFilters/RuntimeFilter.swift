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
    /// Nil when the build side has more than `maximumBloomKeys` distinct keys.
    public let bloom: BlockedBloomFilter?
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
        var bloom: BlockedBloomFilter? = distinctKeys <= Self.maximumBloomKeys ? BlockedBloomFilter(expectedKeys: max(1, distinctKeys)) : nil
        func add(_ v: Int64) {
            any = true
            if v < lo { lo = v }
            if v > hi { hi = v }
            bloom?.insert(hash: KeyHashing.hash(v))
        }
        let validity = keys.validity
        switch keys.data {
        case let .int32(values):
            for i in 0 ..< n where validity.map({ $0[i] != 0 }) ?? true { add(Int64(values[i])) }
        case let .int64(values):
            for i in 0 ..< n where validity.map({ $0[i] != 0 }) ?? true { add(values[i]) }
        default:
            return nil
        }
        isEmpty = !any
        minimum = any ? lo : 0
        maximum = any ? hi : -1
        self.bloom = any ? bloom : nil
        self.distinctKeys = distinctKeys
    }

    /// Appends to `kept` the rows among `rows` (all rows when nil) of `column` that may find a match, ascending.
    public func select(_ column: Column, rows: [Int32]?, into kept: inout [Int32]) {
        if isEmpty { return }
        let lo = minimum, hi = maximum
        let validity = column.validity
        let bloom = self.bloom
        func run<T: FixedWidthInteger>(_ values: [T]) {
            values.withUnsafeBufferPointer { v in
                (bloom?.words ?? []).withUnsafeBufferPointer { w in
                    @inline(__always) func test(_ i: Int) -> Bool {
                        if let validity, validity[i] == 0 { return false }
                        let x = Int64(v[i])
                        if x < lo || x > hi { return false }
                        guard let bloom else { return true }
                        return bloom.mayContain(hash: KeyHashing.hash(x), in: w)
                    }
                    if let rows {
                        for r in rows where test(Int(r)) { kept.append(r) }
                    } else {
                        for i in 0 ..< v.count where test(i) { kept.append(Int32(truncatingIfNeeded: i)) }
                    }
                }
            }
        }
        switch column.data {
        case let .int32(values): run(values)
        case let .int64(values): run(values)
        default:
            // Not a representation the filter knows: keep every row (the join still decides).
            if let rows { kept += rows } else { kept += (0 ..< Int32(truncatingIfNeeded: column.count)).map { $0 } }
        }
    }
}
