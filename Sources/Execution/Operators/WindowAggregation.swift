import Storage

/// Aggregates over window frames. sum / count / avg / total over numbers use prefix sums (O(1) per row);
/// other aggregates reuse the grouped accumulators — incrementally while frames only grow at the end
/// (the default running frame, whole partitions), otherwise recomputed per distinct frame.
enum WindowAggregation {
    static func compute(_ kind: AggregateKind, _ call: WindowCall, _ args: [Column], _ layout: WindowLayout,
                        _ frames: (lo: [Int32], hi: [Int32]), _ n: Int, _ context: ExecutionContext) throws -> Column {
        let perm = layout.perm
        let numeric = args.first.map { $0.type.physical != .string } ?? true
        if !call.distinct, numeric, [.sum, .count, .countStar, .avg, .total].contains(kind) {
            return try prefixSums(kind, call, args, perm, frames, n)
        }
        let parameters: [Value] = call.arguments.dropFirst().compactMap { if case let .constant(v, _) = $0 { return v } else { return nil } }
        let aggregateCall = AggregateCall(kind: kind, arguments: args.indices.map { .column($0, args[$0].type) }, distinct: call.distinct,
                                          resultType: call.resultType, parameters: parameters)
        var results = [Value](repeating: .null, count: n)
        var state: GroupedAggregation? = nil
        var stateLo = -1, stateHi = -1
        var lastValue: Value = .null
        for p in 0..<n {
            if p & 1023 == 0 { try context.progress.checkCancelled() }   // sliding frames recompute per row
            let lo = Int(frames.lo[p]), hi = Int(frames.hi[p])
            if lo == stateLo && hi == stateHi, state != nil {
                results[Int(perm[p])] = lastValue
                continue
            }
            if state == nil || lo != stateLo || hi < stateHi {
                state = try GroupedAggregation(groupKeys: [], calls: [aggregateCall])
                stateLo = lo; stateHi = lo
            }
            guard let agg = state else { continue }
            if hi > stateHi {
                let rows = Array(perm[stateHi..<hi])
                try agg.consume(Batch(columns: args.map { $0.gather(rows) }, count: rows.count), context)
                stateHi = hi
            }
            let out = try agg.finish()
            lastValue = out.columns[0].value(at: 0)
            results[Int(perm[p])] = lastValue
        }
        var b = ColumnBuilder(type: call.resultType, capacity: n)
        for v in results { b.append(v) }
        return b.finish()
    }

    private static func prefixSums(_ kind: AggregateKind, _ call: WindowCall, _ args: [Column], _ perm: [Int32],
                                   _ frames: (lo: [Int32], hi: [Int32]), _ n: Int) throws -> Column {
        let x = args.first
        var counts = [Int64](repeating: 0, count: n + 1)
        for p in 0..<n { counts[p + 1] = counts[p] + ((kind == .countStar || x == nil || !(x?.isNull(Int(perm[p])) ?? true)) ? 1 : 0) }
        if kind == .count || kind == .countStar {
            let out = (0..<n).map { r -> Int64 in 0 }
            var values = out
            for p in 0..<n { values[Int(perm[p])] = counts[Int(frames.hi[p])] - counts[Int(frames.lo[p])] }
            return try AggregateResults.column(int64: values, valid: nil, type: call.resultType)
        }
        guard let x else { throw TarnError.semantic("\(kind.rawValue) needs an argument") }
        let exactInteger = kind == .sum && x.type.physical != .double && call.resultType.physical == .int64 && x.type.physical != .bool
        var valid = [UInt8](repeating: 1, count: n)
        if exactInteger {
            // 128-bit prefix sums: a frame's sum is their exact difference, and it alone must fit in BIGINT
            // (a 64-bit prefix wrapped silently when one partition overflowed while the running total did not).
            let prefix = WidePrefixSums(x, perm, n)
            var values = [Int64](repeating: 0, count: n)
            let shift = AggregateResults.scale(call.resultType) - AggregateResults.scale(x.type)
            let factor = AggregateResults.pow10Int(max(shift, 0))
            for p in 0..<n {
                let lo = Int(frames.lo[p]), hi = Int(frames.hi[p]), row = Int(perm[p])
                if counts[hi] - counts[lo] == 0 { valid[row] = 0; continue }
                let (h, l) = prefix.sum(lo, hi)
                let sum = Int64(bitPattern: l)
                guard (h == 0 && sum >= 0) || (h == -1 && sum < 0) else { throw TarnError.execution("bigint overflow") }
                let r = sum.multipliedReportingOverflow(by: factor)
                if r.overflow { throw TarnError.execution("bigint overflow") }
                values[row] = r.partialValue
            }
            return try AggregateResults.column(int64: values, valid: AggregateResults.validity(valid), type: call.resultType)
        }
        if kind == .avg, x.type.physical == .int64 || x.type.physical == .int32, call.resultType.physical == .double {
            return exactIntegerAverage(x, perm, frames, counts, n, call.resultType)
        }
        // The values in window order, NULLs as 0, read once through the permutation: the frames below then read
        // contiguous memory instead of following `perm` into the input for every row of every frame.
        let d = AggregateResults.doubles(x)
        var ordered = [Double](repeating: 0, count: n)
        var prefix = [Double](repeating: 0, count: n + 1)
        for p in 0..<n {
            let row = Int(perm[p])
            let v = x.isNull(row) ? 0 : d[row]
            ordered[p] = v
            prefix[p + 1] = prefix[p] + v
        }
        var values = [Double](repeating: 0, count: n)
        ordered.withUnsafeBufferPointer { ordered in
            for p in 0..<n {
                let lo = Int(frames.lo[p]), hi = Int(frames.hi[p]), row = Int(perm[p])
                let c = counts[hi] - counts[lo]
                if c == 0 { if kind != .total { valid[row] = 0 }; continue }
                // Recompute small frames directly to avoid cancellation error in long prefix sums.
                var s = 0.0
                if hi - lo <= 64 { for q in lo..<hi { s += ordered[q] } } else { s = prefix[hi] - prefix[lo] }
                values[row] = kind == .avg ? s / Double(c) : s
            }
        }
        return AggregateResults.column(double: values, valid: AggregateResults.validity(valid), type: call.resultType)
    }

    /// avg over integers: 128-bit prefix sums, so a frame's sum is exact before its one division (a double prefix
    /// sum loses small values next to ±9.2e18 ones; see `AverageAccumulator`).
    private static func exactIntegerAverage(_ x: Column, _ perm: [Int32], _ frames: (lo: [Int32], hi: [Int32]),
                                            _ counts: [Int64], _ n: Int, _ type: DataType) -> Column {
        let prefix = WidePrefixSums(x, perm, n)
        var values = [Double](repeating: 0, count: n)
        var valid = [UInt8](repeating: 1, count: n)
        for p in 0..<n {
            let lo = Int(frames.lo[p]), hi = Int(frames.hi[p]), row = Int(perm[p])
            let c = counts[hi] - counts[lo]
            if c == 0 { valid[row] = 0; continue }
            let (h, l) = prefix.sum(lo, hi)
            values[row] = AverageAccumulator.double(high: h, low: l) / Double(c)
        }
        return AggregateResults.column(double: values, valid: AggregateResults.validity(valid), type: type)
    }
}

/// Exact 128-bit prefix sums (high, low words) of an INTEGER / BIGINT column in window order: a frame's sum is the
/// difference of two of them, exact however large the running total grows.
private struct WidePrefixSums {
    private var high: [Int64]
    private var low: [UInt64]

    init(_ x: Column, _ perm: [Int32], _ n: Int) {
        high = [Int64](repeating: 0, count: n + 1)
        low = [UInt64](repeating: 0, count: n + 1)
        for p in 0..<n {
            let row = Int(perm[p])
            var h = high[p], l = low[p]
            if !x.isNull(row) {
                switch x.data {
                case let .int32(a): AverageAccumulator.addWide(&h, &l, Int64(a[row]))
                case let .int64(a): AverageAccumulator.addWide(&h, &l, a[row])
                default: break
                }
            }
            high[p + 1] = h; low[p + 1] = l
        }
    }

    /// The sum of positions lo..<hi as (high, low) words.
    func sum(_ lo: Int, _ hi: Int) -> (Int64, UInt64) {
        let (l, borrow) = low[hi].subtractingReportingOverflow(low[lo])
        return (high[hi] &- high[lo] &- (borrow ? 1 : 0), l)
    }
}
