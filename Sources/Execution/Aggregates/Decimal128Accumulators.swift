import Storage

/// `sum` and `avg` with a DECIMAL(19…38) result (every DECIMAL sum is DECIMAL(38, s), as in Trino and DuckDB), in
/// exact 128-bit arithmetic. Int64 input (DECIMAL(≤18), or a DECIMAL(19…38) argument whose batch fits 64 bits, see
/// `NarrowDecimalArguments`) keeps the 64-bit fast paths: one group sums blocks of 1024 values in 64 bits, few
/// groups go through `LaneSums` into per-batch 64-bit partials, many groups add each row into a 64-bit sum. A
/// group's total is its 64-bit sum plus a 128-bit one that only receives what would overflow the former (and
/// 128-bit input); the 128-bit sums are allocated on the first such value, so the state per group is 9 bytes as
/// long as no group leaves 64 bits. A result beyond 38 digits is an error ("decimal overflow").
final class Decimal128SumAccumulator: DiscardingAccumulator {
    let inputType: DataType
    let resultType: DataType
    let isAverage: Bool
    private let inputScale: Int
    /// Per-group 64-bit sums: every addition that does not overflow one goes here.
    private var narrow: [Int64] = []
    /// Per-group 128-bit sums of what did not fit `narrow`; empty until needed, then as long as `narrow`.
    private var wide: [Int128] = []
    private var seen: [UInt8] = []
    /// Row counts per group, for `avg` only.
    private var counts: [Int64] = []

    init(inputType: DataType, resultType: DataType, isAverage: Bool) {
        self.inputType = inputType
        self.resultType = resultType
        self.isAverage = isAverage
        inputScale = AggregateResults.scale(inputType)
    }

    func resize(_ n: Int) {
        if narrow.count < n {
            narrow.appendGrowing(0, count: n - narrow.count)
            seen.appendGrowing(0, count: n - seen.count)
            if !wide.isEmpty { wide.appendGrowing(0, count: n - wide.count) }
            if isAverage { counts.appendGrowing(0, count: n - counts.count) }
        }
    }

    /// Allocates the 128-bit sums (zero) for every group.
    private func needWide() {
        if wide.count < narrow.count { wide.appendGrowing(0, count: narrow.count - wide.count) }
    }

    /// Adds `v` to group `g`'s total: into its 64-bit sum when it fits, else into its 128-bit one (checked).
    @inline(__always)
    private func fold(_ g: Int, _ v: Int128) throws {
        if let small = Int64(exactly: v) {
            let (r, o) = narrow[g].addingReportingOverflow(small)
            if !o { narrow[g] = r; return }
        }
        needWide()
        let (r, o) = wide[g].addingReportingOverflow(v)
        if o { throw Self.overflow }
        wide[g] = r
    }

    /// Group `g`'s total; an error when it leaves 128 bits (far beyond 38 digits).
    @inline(__always)
    private func total(_ g: Int) throws -> Int128 {
        guard !wide.isEmpty else { return Int128(narrow[g]) }
        let (r, o) = wide[g].addingReportingOverflow(Int128(narrow[g]))
        if o { throw Self.overflow }
        return r
    }

    static let overflow = TarnError.execution("decimal overflow: a sum does not fit DECIMAL(38)")

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        switch c.data {
        case let .int64(v): try v.withUnsafeBufferPointer { try add($0, c.validity, gids) }
        case let .int32(v): let widened = v.map { Int64($0) }; try widened.withUnsafeBufferPointer { try add($0, c.validity, gids) }
        case let .int128(v):
            if let narrow = Self.narrowed(v, c.validity) {
                try narrow.withUnsafeBufferPointer { try add($0, c.validity, gids) }
            } else {
                try v.withUnsafeBufferPointer { try addWide($0, c.validity, gids) }
            }
        default: break
        }
    }

    /// The values as Int64 when every valid one fits (then the 64-bit paths apply), else nil.
    static func narrowed(_ v: [Int128], _ validity: [UInt8]?) -> [Int64]? {
        var outside = false
        let out = [Int64](unsafeUninitializedCapacity: v.count) { out, initialized in
            for i in 0..<v.count {
                let low = Int64(truncatingIfNeeded: v[i])
                outside = outside || (Int128(low) != v[i] && (validity.map { $0[i] != 0 } ?? true))
                out[i] = low
            }
            initialized = v.count
        }
        return outside ? nil : out
    }

    /// Few groups, no NULLs, Int64 input only; otherwise the caller gathers the kept rows.
    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>, discarding discard: Int32) throws -> Bool {
        let c = arguments[0]
        let groups = Int(discard)
        guard c.validity == nil, LaneSums.applies(groups: groups, rows: gids.count), narrow.count >= groups else { return false }
        switch c.data {
        case let .int64(v): try v.withUnsafeBufferPointer { try addLanes($0, gids, groups: groups) }
        case let .int128(values):
            // Every value fits 64 bits (checked without a copy): the lanes read the 128-bit buffer directly.
            let fits = values.withUnsafeBufferPointer { w in
                var outside = false
                for i in 0..<w.count { outside = outside || Int128(Int64(truncatingIfNeeded: w[i])) != w[i] }
                return !outside
            }
            guard fits else { return false }
            try values.withUnsafeBufferPointer { try addLanes($0, gids, groups: groups) }
        default: return false
        }
        return true
    }

    /// Per-batch 64-bit partial sums through `LaneSums`, then folded into the groups' totals; a batch whose partials
    /// overflow 64 bits is added row by row instead.
    private func addLanes<T: FixedWidthInteger & SignedInteger>(_ x: UnsafeBufferPointer<T>, _ gids: UnsafeBufferPointer<Int32>, groups: Int) throws {
        var partial = [Int64](repeating: 0, count: groups)
        let overflowed = partial.withUnsafeMutableBufferPointer { LaneSums.add(x, gids, into: $0, groups: groups) }
        if overflowed {
            for i in 0..<x.count where Int(gids[i]) < groups { try fold(Int(gids[i]), Int128(truncatingIfNeeded: x[i])) }
        } else {
            for g in 0..<groups { try fold(g, Int128(partial[g])) }
        }
        if isAverage {
            counts.withUnsafeMutableBufferPointer { LaneSums.count(gids, into: $0, groups: groups) }
        }
        if !seen.withUnsafeBufferPointer({ s in (0..<groups).allSatisfy { s[$0] != 0 } }) {
            for i in 0..<gids.count where Int(gids[i]) < groups { seen[Int(gids[i])] = 1 }
        }
    }

    private func add(_ x: UnsafeBufferPointer<Int64>, _ validity: [UInt8]?, _ gids: UnsafeBufferPointer<Int32>) throws {
        if narrow.count == 1 && validity == nil {
            // Blocks of 1024 values within ±2^52 cannot overflow 64 bits: wrapping (vectorisable) adds, one
            // 128-bit add per block; a block with a larger value is added in 128 bits.
            var acc: Int128 = 0
            var start = 0
            while start < x.count {
                let end = min(start + 1024, x.count)
                var blockSum: Int64 = 0
                var outside: UInt64 = 0
                for i in start..<end {
                    blockSum &+= x[i]
                    outside |= UInt64(bitPattern: x[i] &+ (1 << 52)) >> 53
                }
                if outside == 0 {
                    acc &+= Int128(blockSum)
                } else {
                    for i in start..<end { acc &+= Int128(x[i]) }
                }
                start = end
            }
            try fold(0, acc)
            if x.count > 0 { seen[0] = 1 }
            if isAverage { counts[0] &+= Int64(x.count) }
            return
        }
        if validity == nil, LaneSums.applies(groups: narrow.count, rows: x.count) {
            try addLanes(x, gids, groups: narrow.count)
            return
        }
        let average = isAverage
        var spilled: [(Int, Int64)] = []
        narrow.withUnsafeMutableBufferPointer { s in
            seen.withUnsafeMutableBufferPointer { seen in
                counts.withUnsafeMutableBufferPointer { cnt in
                    for i in 0..<x.count {
                        if let validity, validity[i] == 0 { continue }
                        let g = Int(gids[i])
                        let (r, o) = s[g].addingReportingOverflow(x[i])
                        if o { spilled.append((g, x[i])) } else { s[g] = r }
                        seen[g] = 1
                        if average { cnt[g] &+= 1 }
                    }
                }
            }
        }
        for (g, v) in spilled { try fold(g, Int128(v)) }
    }

    private func addWide(_ x: UnsafeBufferPointer<Int128>, _ validity: [UInt8]?, _ gids: UnsafeBufferPointer<Int32>) throws {
        var overflow = false
        let average = isAverage
        needWide()
        wide.withUnsafeMutableBufferPointer { s in
            seen.withUnsafeMutableBufferPointer { seen in
                counts.withUnsafeMutableBufferPointer { cnt in
                    for i in 0..<x.count {
                        if let validity, validity[i] == 0 { continue }
                        let g = Int(gids[i])
                        let r = s[g].addingReportingOverflow(x[i])
                        s[g] = r.partialValue
                        overflow = overflow || r.overflow
                        seen[g] = 1
                        if average { cnt[g] &+= 1 }
                    }
                }
            }
        }
        if overflow { throw Self.overflow }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? Decimal128SumAccumulator, o !== self else { return }
        if o.wide.isEmpty {
            // Every group of `other` is a 64-bit sum: add them in 64 bits, and only the additions that overflow
            // one go through `fold` (a parallel GROUP BY merges millions of groups here).
            var spilled: [(Int, Int64)] = []
            let average = isAverage
            narrow.withUnsafeMutableBufferPointer { sums in
                seen.withUnsafeMutableBufferPointer { seen in
                    counts.withUnsafeMutableBufferPointer { counts in
                        o.narrow.withUnsafeBufferPointer { theirs in
                            o.seen.withUnsafeBufferPointer { theirSeen in
                                o.counts.withUnsafeBufferPointer { theirCounts in
                                    mapping.withUnsafeBufferPointer { mapping in
                                        for g in 0..<min(theirs.count, mapping.count) where theirSeen[g] != 0 {
                                            let t = Int(mapping[g])
                                            if t < 0 { continue }
                                            let (r, overflow) = sums[t].addingReportingOverflow(theirs[g])
                                            if overflow { spilled.append((t, theirs[g])) } else { sums[t] = r }
                                            seen[t] = 1
                                            if average { counts[t] &+= theirCounts[g] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (t, v) in spilled { try fold(t, Int128(v)) }
            return
        }
        for g in 0..<o.narrow.count where o.seen[g] != 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            try fold(t, try o.total(g))
            seen[t] = 1
            if isAverage { counts[t] &+= o.counts[g] }
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        let valid = AggregateResults.validity(Array(seen.prefix(n)))
        guard case let .decimal(p, outScale) = resultType else { throw TarnError(.internal, "a DECIMAL sum of type \(resultType)") }
        let bound = Int128.powerOfTen(p).magnitude
        if wide.isEmpty, !isAverage, inputScale == outScale, p > DataType.maxInt64DecimalPrecision {
            // Every total is its 64-bit sum, at the result's scale and below 2^63 < 10^p: widened as they are.
            let out = narrow.withUnsafeBufferPointer { s in
                seen.withUnsafeBufferPointer { seen in
                    [Int128](unsafeUninitializedCapacity: n) { out, initialized in
                        for g in 0..<n { out[g] = seen[g] != 0 ? Int128(s[g]) : 0 }
                        initialized = n
                    }
                }
            }
            return Column(type: resultType, data: .int128(out), validity: valid)
        }
        var out = [Int128](repeating: 0, count: n)
        for g in 0..<n where seen[g] != 0 {
            var v = try total(g)
            if isAverage {
                guard let q = DecimalMath.divideRounded(v, Int128(counts[g])) else { throw Self.overflow }
                v = q
            }
            guard let r = DecimalMath.wideRescale(v, from: inputScale, to: outScale), r.magnitude < bound else {
                throw TarnError.execution("decimal overflow: result does not fit \(resultType)")
            }
            out[g] = r
        }
        if p <= DataType.maxInt64DecimalPrecision {
            return Column(type: resultType, data: .int64(out.map { Int64(truncatingIfNeeded: $0) }), validity: valid)
        }
        return Column(type: resultType, data: .int128(out), validity: valid)
    }

    func makeEmpty() -> GroupedAccumulator { Decimal128SumAccumulator(inputType: inputType, resultType: resultType, isAverage: isAverage) }
}

/// `min` / `max` over DECIMAL(19…38).
final class Decimal128MinMaxAccumulator: GroupedAccumulator {
    let isMax: Bool
    let resultType: DataType
    private var best: [Int128] = []
    private var seen: [UInt8] = []

    init(isMax: Bool, resultType: DataType) { self.isMax = isMax; self.resultType = resultType }

    func resize(_ n: Int) {
        if best.count < n {
            best.appendGrowing(0, count: n - best.count)
            seen.appendGrowing(0, count: n - seen.count)
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        guard case let .int128(x) = c.data else { return }
        for i in 0..<x.count {
            if c.isNull(i) { continue }
            let g = Int(gids[i])
            if seen[g] == 0 || (isMax ? x[i] > best[g] : x[i] < best[g]) { best[g] = x[i] }
            seen[g] = 1
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? Decimal128MinMaxAccumulator else { return }
        for g in 0..<o.best.count where o.seen[g] != 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            if seen[t] == 0 || (isMax ? o.best[g] > best[t] : o.best[g] < best[t]) { best[t] = o.best[g] }
            seen[t] = 1
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        let valid = AggregateResults.validity(Array(seen.prefix(n)))
        return Column(type: resultType, data: .int128((0..<n).map { seen[$0] != 0 ? best[$0] : 0 }), validity: valid)
    }

    func makeEmpty() -> GroupedAccumulator { Decimal128MinMaxAccumulator(isMax: isMax, resultType: resultType) }
}
