import Storage

/// The state of one aggregate for every group, stored struct-of-arrays and indexed by group id.
///
/// `update` receives the argument columns of a batch and the group id of every row; `merge` folds in the
/// partial state of another worker, `mapping[otherGroup]` giving the group id in this accumulator (a negative
/// entry skips that group: partitioned merges take a subset of another worker's groups).
protocol GroupedAccumulator: AnyObject {
    /// Grows the state to cover groups `0..<groupCount` (new groups start empty).
    func resize(_ groupCount: Int)
    func update(_ arguments: [Column], _ groupIDs: UnsafeBufferPointer<Int32>) throws
    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws
    /// The result of every group `0..<groupCount` as a column of the call's result type.
    func finish(_ groupCount: Int) throws -> Column
    /// A fresh, empty accumulator for the same call (per-worker partial state).
    func makeEmpty() -> GroupedAccumulator
}

/// An accumulator that can skip rows itself: `update` with `groupIDs` where the id `discard` (the group count)
/// marks a row to ignore. Returns false, having changed nothing, when it cannot do so for this batch (the caller
/// then passes only the kept rows to the ordinary `update`).
protocol DiscardingAccumulator: GroupedAccumulator {
    func update(_ arguments: [Column], _ groupIDs: UnsafeBufferPointer<Int32>, discarding discard: Int32) throws -> Bool
}

/// Converts accumulated 64-bit integers or doubles into a result column of the binder's result type.
enum AggregateResults {
    static func validity(_ valid: [UInt8]) -> [UInt8]? { valid.contains(0) ? valid : nil }

    static func column(int64 values: [Int64], valid: [UInt8]?, type: DataType) throws -> Column {
        switch type.physical {
        case .int64: return Column(type: type, data: .int64(values), validity: valid)
        case .int32:
            var out = [Int32](repeating: 0, count: values.count)
            for i in 0..<values.count {
                if valid?[i] == 0 { continue }
                guard let v = Int32(exactly: values[i]) else { throw TarnError.execution("integer overflow") }
                out[i] = v
            }
            return Column(type: type, data: .int32(out), validity: valid)
        case .double:
            return Column(type: type, data: .double(values.map { Double($0) }), validity: valid)
        case .bool: return Column(type: type, data: .bool(values.map { $0 != 0 }), validity: valid)
        case .string: return Column(type: type, data: .string(StringArray(values.map { String($0) })), validity: valid)
        case .int128: return Column(type: type, data: .int128(values.map { Int128($0) }), validity: valid)
        case .list, .fields: throw TarnError(.internal, "an aggregate's integer result cannot be \(type)")
        }
    }

    static func column(double values: [Double], valid: [UInt8]?, type: DataType) -> Column {
        switch type {
        case .double: return Column(type: type, data: .double(values), validity: valid)
        case let .decimal(p, s) where p > DataType.maxInt64DecimalPrecision:
            let f = pow10(s)
            return Column(type: type, data: .int128(values.map { d in
                let x = (d * f).rounded()
                return x.isFinite && abs(x) < 1.7e38 ? Int128(x) : 0 }), validity: valid)
        case let .decimal(_, s):
            let f = pow10(s)
            return Column(type: type, data: .int64(values.map { toInt64(($0 * f).rounded()) }), validity: valid)
        default:
            switch type.physical {
            case .int64: return Column(type: type, data: .int64(values.map { toInt64($0.rounded()) }), validity: valid)
            case .int32: return Column(type: type, data: .int32(values.map { Int32(clamping: toInt64($0.rounded())) }), validity: valid)
            case .bool: return Column(type: type, data: .bool(values.map { $0 != 0 }), validity: valid)
            case .double: return Column(type: type, data: .double(values), validity: valid)
            case .string: return Column(type: type, data: .string(StringArray(values.map { ValueFormatting.format(double: $0) })), validity: valid)
            case .list, .fields, .int128: return Column.nulls(type, count: values.count)  // invariant: numeric aggregates never return ARRAY; DECIMAL is handled above
            }
        }
    }

    @inline(__always) static func toInt64(_ d: Double) -> Int64 {
        if d.isNaN { return 0 }
        if d >= 9.2e18 { return .max }
        if d <= -9.2e18 { return .min }
        return Int64(d)
    }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<max(n, 0) { r *= 10 }
        return r
    }

    static func pow10Int(_ n: Int) -> Int64 {
        var r: Int64 = 1
        for _ in 0..<max(n, 0) { r = r &* 10 }
        return r
    }

    /// Scale of a decimal type (0 for anything else).
    static func scale(_ t: DataType) -> Int { if case let .decimal(_, s) = t { return s } else { return 0 } }

    /// A numeric column as doubles (decimals unscaled to their value); NULL rows hold 0.
    static func doubles(_ c: Column) -> [Double] {
        switch c.data {
        case let .double(v): return v
        case let .int32(v): return v.map { Double($0) }
        case let .int64(v):
            let s = scale(c.type)
            if s == 0 { return v.map { Double($0) } }
            let f = pow10(s)
            return v.map { Double($0) / f }
        case let .int128(v):
            let f = pow10(scale(c.type))
            return v.map { Double($0) / f }
        case let .bool(v): return v.map { $0 ? 1 : 0 }
        case .string, .dictionary, .list, .fields: return [Double](repeating: 0, count: c.count)
        }
    }
}

extension Array {
    /// Appends `value` `count` times, growing the capacity by a quarter instead of doubling it: per-group
    /// state arrays reach millions of entries, where a doubling leaves up to half of a large block unused.
    @inline(__always) mutating func appendGrowing(_ value: Element, count k: Int) {
        guard k > 0 else { return }
        let needed = count + k
        if needed > capacity { reserveCapacity(Swift.max(needed, capacity + capacity / 4)) }
        append(contentsOf: repeatElement(value, count: k))
    }
}
