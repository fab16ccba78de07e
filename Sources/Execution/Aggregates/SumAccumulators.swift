import Storage

/// `sum` over integers and decimals in exact 64-bit arithmetic; overflow is an error ("bigint overflow").
/// Decimal inputs are rescaled to the result scale at the end.
final class IntegerSumAccumulator: DiscardingAccumulator {
    let resultType: DataType
    let inputType: DataType
    let inputScale: Int
    private var sums: [Int64] = []
    private var seen: [UInt8] = []

    init(inputType: DataType, resultType: DataType) {
        self.resultType = resultType
        self.inputType = inputType
        inputScale = AggregateResults.scale(inputType)
    }

    func resize(_ n: Int) {
        if sums.count < n {
            sums.appendGrowing(0, count: n - sums.count)
            seen.appendGrowing(0, count: n - seen.count)
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        var overflow = false
        switch c.data {
        case let .int64(v): v.withUnsafeBufferPointer { overflow = add($0, c.validity, gids) }
        case let .int32(v): v.withUnsafeBufferPointer { overflow = add($0, c.validity, gids) }
        default: break
        }
        if overflow { throw TarnError.execution("bigint overflow") }
    }

    /// Few groups and no NULLs only (`LaneSums`); otherwise the caller gathers the kept rows.
    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>, discarding discard: Int32) throws -> Bool {
        let c = arguments[0]
        let groups = Int(discard)
        guard c.validity == nil, LaneSums.applies(groups: groups, rows: gids.count), sums.count >= groups else { return false }
        var overflow = false
        let applied: Bool = sums.withUnsafeMutableBufferPointer { s in
            switch c.data {
            case let .int64(v): v.withUnsafeBufferPointer { overflow = LaneSums.add($0, gids, into: s, groups: groups) }
            case let .int32(v): v.withUnsafeBufferPointer { overflow = LaneSums.add($0, gids, into: s, groups: groups) }
            default: return false
            }
            return true
        }
        guard applied else { return false }
        if overflow { throw TarnError.execution("bigint overflow") }
        // Once every group has a value (after Q1's first batch), no row can change `seen`.
        if seen.withUnsafeBufferPointer({ s in (0..<groups).allSatisfy { s[$0] != 0 } }) { return true }
        // Flags for groups 0...discard with unconditional stores (no branch per row), then copied.
        var flags = [UInt8](repeating: 0, count: groups + 1)
        flags.withUnsafeMutableBufferPointer { f in
            for i in 0..<gids.count { f[Int(gids[i])] = 1 }
            seen.withUnsafeMutableBufferPointer { seen in
                for g in 0..<groups where f[g] != 0 { seen[g] = 1 }
            }
        }
        if overflow { throw TarnError.execution("bigint overflow") }
        return true
    }

    @inline(__always)
    private func add<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ gids: UnsafeBufferPointer<Int32>) -> Bool {
        var overflow = false
        sums.withUnsafeMutableBufferPointer { s in
            seen.withUnsafeMutableBufferPointer { seen in
                if s.count == 1 && validity == nil {
                    // Blocks of 1024 values within ±2^52 cannot overflow internally: sum them with wrapping
                    // (vectorisable) adds and check only the block total.
                    var acc = s[0]
                    var start = 0
                    while start < values.count {
                        let end = min(start + 1024, values.count)
                        var blockSum: Int64 = 0
                        // Bits above 52 of v + 2^52, OR-ed: zero iff every v is in [-2^52, 2^52) (a shift and
                        // an OR vectorise; a signed 64-bit min/max does not before AVX-512).
                        var outside: UInt64 = 0
                        for i in start..<end {
                            let v = Int64(values[i])
                            blockSum &+= v
                            outside |= UInt64(bitPattern: v &+ (1 << 52)) >> 53
                        }
                        let small = outside == 0
                        if !small {
                            blockSum = 0
                            for i in start..<end {
                                let r = blockSum.addingReportingOverflow(Int64(values[i]))
                                blockSum = r.partialValue
                                overflow = overflow || r.overflow
                            }
                        }
                        let r = acc.addingReportingOverflow(blockSum)
                        acc = r.partialValue
                        overflow = overflow || r.overflow
                        start = end
                    }
                    s[0] = acc
                    if values.count > 0 { seen[0] = 1 }
                    return
                }
                if let validity {
                    validity.withUnsafeBufferPointer { valid in
                        for i in 0..<values.count where valid[i] != 0 {
                            let g = Int(gids[i])
                            let r = s[g].addingReportingOverflow(Int64(values[i]))
                            s[g] = r.partialValue
                            overflow = overflow || r.overflow
                            seen[g] = 1
                        }
                    }
                } else if LaneSums.applies(groups: s.count, rows: values.count) {
                    overflow = LaneSums.add(values, gids, into: s)
                    if !(0..<seen.count).allSatisfy({ seen[$0] != 0 }) {
                        for i in 0..<values.count { seen[Int(gids[i])] = 1 }
                    }
                } else {
                    for i in 0..<values.count {
                        let g = Int(gids[i])
                        let r = s[g].addingReportingOverflow(Int64(values[i]))
                        s[g] = r.partialValue
                        overflow = overflow || r.overflow
                        seen[g] = 1
                    }
                }
            }
        }
        return overflow
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? IntegerSumAccumulator else { return }
        for g in 0..<o.sums.count where o.seen[g] != 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            let r = sums[t].addingReportingOverflow(o.sums[g])
            if r.overflow { throw TarnError.execution("bigint overflow") }
            sums[t] = r.partialValue
            seen[t] = 1
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        var values = Array(sums.prefix(n))
        let valid = AggregateResults.validity(Array(seen.prefix(n)))
        if resultType == .double {
            let f = AggregateResults.pow10(inputScale)
            return Column(type: .double, data: .double(values.map { Double($0) / f }), validity: valid)
        }
        let outScale = AggregateResults.scale(resultType)
        if outScale > inputScale {
            let f = AggregateResults.pow10Int(outScale - inputScale)
            for i in 0..<n {
                let r = values[i].multipliedReportingOverflow(by: f)
                if r.overflow { throw TarnError.execution("bigint overflow") }
                values[i] = r.partialValue
            }
        }
        return try AggregateResults.column(int64: values, valid: valid, type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { IntegerSumAccumulator(inputType: inputType, resultType: resultType) }
}

/// `sum` and SQLite `total` in double precision (doubles, or any numeric when the result is DOUBLE).
/// `total` gives 0.0 for a group without non-NULL values; `sum` gives NULL.
final class DoubleSumAccumulator: GroupedAccumulator {
    let resultType: DataType
    let isTotal: Bool
    private var sums: [Double] = []
    private var seen: [UInt8] = []

    init(resultType: DataType, isTotal: Bool) { self.resultType = resultType; self.isTotal = isTotal }

    func resize(_ n: Int) {
        if sums.count < n {
            sums.appendGrowing(0, count: n - sums.count)
            seen.appendGrowing(0, count: n - seen.count)
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        let values: [Double]
        if case let .double(v) = c.data { values = v } else { values = AggregateResults.doubles(c) }
        let validity = c.validity
        values.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { s in
                seen.withUnsafeMutableBufferPointer { seen in
                    if s.count == 1 && x.count >= Self.laneThreshold {
                        // One group, a large batch: four independent partial sums (no serial add chain; NULLs
                        // become +0 without a branch, so the loop vectorises).
                        if let v = validity {
                            let (total, any) = v.withUnsafeBufferPointer { Self.laneSum(x, $0) }
                            s[0] += total
                            if any { seen[0] = 1 }
                        } else {
                            s[0] += Self.laneSum(x)
                            seen[0] = 1
                        }
                        return
                    }
                    if s.count == 1 && validity == nil {
                        var acc = s[0]
                        for i in 0..<x.count { acc += x[i] }
                        s[0] = acc
                        if x.count > 0 { seen[0] = 1 }
                        return
                    }
                    if let v = validity {
                        for i in 0..<x.count where v[i] != 0 {
                            let g = Int(gids[i]); s[g] += x[i]; seen[g] = 1
                        }
                    } else {
                        for i in 0..<x.count {
                            let g = Int(gids[i]); s[g] += x[i]; seen[g] = 1
                        }
                    }
                }
            }
        }
    }

    /// Batches at least this long take the multi-lane path of a single-group sum.
    static let laneThreshold = 1024

    @inline(__always)
    static func laneSum(_ x: UnsafeBufferPointer<Double>) -> Double {
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        let n = x.count
        var i = 0
        while i &+ 4 <= n {
            a0 += x[i]; a1 += x[i &+ 1]; a2 += x[i &+ 2]; a3 += x[i &+ 3]
            i &+= 4
        }
        while i < n { a0 += x[i]; i &+= 1 }
        return (a0 + a1) + (a2 + a3)
    }

    @inline(__always)
    static func laneSum(_ x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<UInt8>) -> (Double, Bool) {
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        var valid: UInt8 = 0
        let n = x.count
        var i = 0
        // A NULL row adds +0.0: its value's bits are AND-ed with an all-zero mask (a select compiled as a
        // branch mispredicts on scattered NULLs; the NULL row's placeholder may be anything, even NaN).
        @inline(__always) func masked(_ k: Int) -> Double {
            Double(bitPattern: x[k].bitPattern & (0 &- UInt64(v[k] != 0 ? 1 : 0)))
        }
        while i &+ 4 <= n {
            a0 += masked(i)
            a1 += masked(i &+ 1)
            a2 += masked(i &+ 2)
            a3 += masked(i &+ 3)
            valid |= v[i] | v[i &+ 1] | v[i &+ 2] | v[i &+ 3]
            i &+= 4
        }
        while i < n { if v[i] != 0 { a0 += x[i]; valid = 1 }; i &+= 1 }
        return ((a0 + a1) + (a2 + a3), valid != 0)
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? DoubleSumAccumulator else { return }
        for g in 0..<o.sums.count where o.seen[g] != 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            sums[t] += o.sums[g]; seen[t] = 1
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        let valid = isTotal ? nil : AggregateResults.validity(Array(seen.prefix(n)))
        return AggregateResults.column(double: Array(sums.prefix(n)), valid: valid, type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { DoubleSumAccumulator(resultType: resultType, isTotal: isTotal) }
}
