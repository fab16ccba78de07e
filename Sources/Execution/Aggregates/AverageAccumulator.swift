import Storage

/// `avg`: a double sum and count per group (DOUBLE result), or an exact unscaled sum for DECIMAL results
/// (rounded half away from zero to the result scale). Over INTEGER / BIGINT input with a DOUBLE result the sum is
/// kept exactly in 128 bits and divided once at the end, as DuckDB does: a double running sum loses the small
/// values next to ±9.2e18 ones (avg of 9223372036854775807, 5, -9223372036854775807 would be 0, not 5/3).
final class AverageAccumulator: DiscardingAccumulator {
    let inputType: DataType
    let resultType: DataType
    private let exact: Bool
    private var sums: [Double] = []
    private var exactSums: [Int64] = []
    private var counts: [Int64] = []
    /// Exact 128-bit sums (high, low words) for integer input with a DOUBLE result.
    private let wide: Bool
    private var wideHigh: [Int64] = []
    private var wideLow: [UInt64] = []

    init(inputType: DataType, resultType: DataType) {
        self.inputType = inputType
        self.resultType = resultType
        if case .decimal = resultType, inputType.physical != .double { exact = true } else { exact = false }
        wide = !exact && (inputType.physical == .int64 || inputType.physical == .int32)
    }

    /// The 128-bit integer (high, low) as the nearest double (exact below 2^53 in magnitude).
    static func double(high: Int64, low: UInt64) -> Double {
        let asInt64 = Int64(bitPattern: low)
        if (high == 0 && asInt64 >= 0) || (high == -1 && asInt64 < 0) { return Double(asInt64) }
        return Double(high) * 18446744073709551616.0 + Double(low)
    }

    /// Adds `x` to the 128-bit sum (high, low).
    @inline(__always)
    static func addWide(_ high: inout Int64, _ low: inout UInt64, _ x: Int64) {
        let (sum, carry) = low.addingReportingOverflow(UInt64(bitPattern: x))
        low = sum
        high &+= (x < 0 ? -1 : 0) &+ (carry ? 1 : 0)
    }

    private func updateWide(_ values: [Int64], _ validity: [UInt8]?, _ gids: UnsafeBufferPointer<Int32>) {
        for i in 0..<values.count {
            if let validity, validity[i] == 0 { continue }
            let g = Int(gids[i])
            Self.addWide(&wideHigh[g], &wideLow[g], values[i])
            counts[g] &+= 1
        }
    }

    func resize(_ n: Int) {
        if counts.count < n {
            let k = n - counts.count
            counts.appendGrowing(0, count: k)
            if exact { exactSums.appendGrowing(0, count: k) } else { sums.appendGrowing(0, count: k) }
            if wide { wideHigh.appendGrowing(0, count: k); wideLow.appendGrowing(0, count: k) }
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        let validity = c.validity
        if exact {
            var overflow = false
            let values: [Int64]
            switch c.data {
            case let .int64(v): values = v
            case let .int32(v): values = v.map { Int64($0) }
            default: return
            }
            values.withUnsafeBufferPointer { x in
                exactSums.withUnsafeMutableBufferPointer { s in
                    counts.withUnsafeMutableBufferPointer { cnt in
                        if let validity {
                            validity.withUnsafeBufferPointer { valid in
                                for i in 0..<x.count where valid[i] != 0 {
                                    let g = Int(gids[i])
                                    let r = s[g].addingReportingOverflow(x[i])
                                    s[g] = r.partialValue; overflow = overflow || r.overflow
                                    cnt[g] &+= 1
                                }
                            }
                        } else if LaneSums.applies(groups: s.count, rows: x.count) {
                            overflow = LaneSums.add(x, gids, into: s)
                            LaneSums.count(gids, into: cnt)
                        } else {
                            for i in 0..<x.count {
                                let g = Int(gids[i])
                                let r = s[g].addingReportingOverflow(x[i])
                                s[g] = r.partialValue; overflow = overflow || r.overflow
                                cnt[g] &+= 1
                            }
                        }
                    }
                }
            }
            if overflow { throw TarnError.execution("bigint overflow") }
            return
        }
        if wide {
            switch c.data {
            case let .int64(v): updateWide(v, validity, gids); return
            case let .int32(v): updateWide(v.map { Int64($0) }, validity, gids); return
            default: break
            }
        }
        let values: [Double]
        if case let .double(v) = c.data { values = v } else { values = AggregateResults.doubles(c) }
        values.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { cnt in
                    if s.count == 1 && validity == nil {
                        var acc = s[0]
                        for i in 0..<x.count { acc += x[i] }
                        s[0] = acc; cnt[0] &+= Int64(x.count)
                        return
                    }
                    if let validity {
                        validity.withUnsafeBufferPointer { valid in
                            for i in 0..<x.count where valid[i] != 0 {
                                let g = Int(gids[i]); s[g] += x[i]; cnt[g] &+= 1
                            }
                        }
                    } else {
                        for i in 0..<x.count {
                            let g = Int(gids[i]); s[g] += x[i]; cnt[g] &+= 1
                        }
                    }
                }
            }
        }
    }

    /// Exact (decimal) averages over few groups without NULLs only (`LaneSums`); otherwise the caller gathers.
    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>, discarding discard: Int32) throws -> Bool {
        let c = arguments[0]
        let groups = Int(discard)
        guard exact, c.validity == nil, case let .int64(v) = c.data, LaneSums.applies(groups: groups, rows: gids.count),
              exactSums.count >= groups else { return false }
        var overflow = false
        v.withUnsafeBufferPointer { x in
            exactSums.withUnsafeMutableBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { cnt in
                    overflow = LaneSums.add(x, gids, into: s, groups: groups)
                    LaneSums.count(gids, into: cnt, groups: groups)
                }
            }
        }
        if overflow { throw TarnError.execution("bigint overflow") }
        return true
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? AverageAccumulator else { return }
        for g in 0..<o.counts.count where o.counts[g] != 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            counts[t] &+= o.counts[g]
            if exact {
                let r = exactSums[t].addingReportingOverflow(o.exactSums[g])
                if r.overflow { throw TarnError.execution("bigint overflow") }
                exactSums[t] = r.partialValue
            } else if wide {
                let (low, carry) = wideLow[t].addingReportingOverflow(o.wideLow[g])
                wideLow[t] = low
                wideHigh[t] = wideHigh[t] &+ o.wideHigh[g] &+ (carry ? 1 : 0)
                sums[t] += o.sums[g]
            } else {
                sums[t] += o.sums[g]
            }
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        let valid = AggregateResults.validity(counts.prefix(n).map { $0 == 0 ? 0 : 1 })
        if exact {
            let shift = AggregateResults.scale(resultType) - AggregateResults.scale(inputType)
            var out = [Int64](repeating: 0, count: n)
            for g in 0..<n where counts[g] != 0 {
                out[g] = Self.divideRounded(exactSums[g], counts[g], shift: shift)
            }
            return Column(type: resultType, data: .int64(out), validity: valid)
        }
        var out = [Double](repeating: 0, count: n)
        for g in 0..<n where counts[g] != 0 {
            // A wide accumulator may also hold a double part (non-integer batches, e.g. a cast column).
            let sum = wide ? Self.double(high: wideHigh[g], low: wideLow[g]) + sums[g] : sums[g]
            out[g] = sum / Double(counts[g])
        }
        return AggregateResults.column(double: out, valid: valid, type: resultType)
    }

    /// (sum · 10^shift) / count, rounded half away from zero (128-bit intermediate).
    static func divideRounded(_ sum: Int64, _ count: Int64, shift: Int) -> Int64 {
        let negative = sum < 0
        var magnitude = (UInt64(0), sum.magnitude)  // (high, low)
        if shift > 0 {
            let f = UInt64(AggregateResults.pow10Int(shift))
            let p = magnitude.1.multipliedFullWidth(by: f)
            magnitude = (p.high, p.low)
        }
        let c = UInt64(count)
        let q: UInt64, r: UInt64
        if magnitude.0 >= c { return negative ? .min : .max }
        (q, r) = c.dividingFullWidth((magnitude.0, magnitude.1))
        var result = q
        if shift < 0 {
            let f = UInt64(AggregateResults.pow10Int(-shift))
            let q2 = result / f, r2 = result % f
            result = q2 + (r2 * 2 >= f ? 1 : 0)
        } else if r * 2 >= c {
            result += 1
        }
        let v = Int64(clamping: result)
        return negative ? -v : v
    }

    func makeEmpty() -> GroupedAccumulator { AverageAccumulator(inputType: inputType, resultType: resultType) }
}
