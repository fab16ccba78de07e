import Foundation
import Storage

/// Window functions: appends one column per call to the input rows. Output rows keep their input order (SQL
/// promises none): each call's result is computed in its own (partition, order) order and scattered back, so the
/// input columns are never gathered into a sorted copy (for a 10M-row window over a string key that gather was a
/// quarter of the time).
///
/// Ranking (row_number, rank, dense_rank, percent_rank, cume_dist, ntile), offsets (lag, lead with
/// offset and default), values over the frame (first_value, last_value, nth_value), every aggregate over
/// ROWS / RANGE frames (sum/count/avg via prefix sums; others incrementally for growing frames, else per
/// frame), and marketing-mix adstocks:
/// - `geometric_adstock(x, alpha, max_lag)` = Σ_{l=0..L} alpha^l · x[t−l] over the ordered partition.
/// - `weibull_adstock(x, shape, scale, max_lag)`: PyMC-Marketing's PDF variant — weights
///   w_l = WeibullPDF(l+1; shape, scale) for l = 0..L−1, min–max rescaled as PyMC-Marketing does, then
///   normalised to sum 1 (its `normalize=True`); result Σ_l w_l · x[t−l].
/// NULL inputs count as 0 in the adstocks.
public final class WindowOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let calls: [WindowCall]
    public let statistics = OperatorStatistics()
    private var pending: [Batch] = []
    private var reservation: MemoryReservation?
    private var context: ExecutionContext?
    /// When the input spilled: one file per hash partition of the PARTITION BY keys, and the next one to compute.
    private var partitionFiles: [SpillFile] = []
    private var nextPartition = 0

    public init(child: PhysicalOperator, calls: [WindowCall]) {
        self.child = child
        self.calls = calls
    }

    public var outputTypes: [DataType] { child.outputTypes + calls.map(\.resultType) }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String {
        "Window [\(calls.map { "\($0.kind)(\($0.arguments.map(OperatorExpressions.describe).joined(separator: ", ")))" }.joined(separator: ", "))]"
    }

    public func open(_ context: ExecutionContext) throws {
        let start = OperatorClock.now()
        self.context = context
        // The input is held whole (input, keys, permutation, output copy) and accounted to memory_limit. Past it,
        // windows that all share one PARTITION BY spill: rows are routed by a hash of the partition keys to
        // spill files, then each file (whole partitions) is computed on its own. Others fail with out of memory.
        let reservation = MemoryReservation(context.memory, owner: "window")
        self.reservation = reservation
        try child.open(context)
        var parts: [Batch] = []
        var rows = 0
        let keys = spillKeys
        while let b = try child.next() {
            try context.progress.checkCancelled()
            guard b.count > 0 else { continue }
            rows += b.count
            if partitionFiles.isEmpty {
                if reservation.tryGrow(by: Self.cost(b)) { parts.append(b); continue }
                guard let keys else { throw reservation.outOfMemory() }
                partitionFiles = try (0 ..< Self.spillPartitions).map {
                    try context.spill.newFile(types: child.outputTypes, purpose: "window partition \($0)", rowsPerGroup: Batch.defaultSize)
                }
                for p in parts { try route(p, keys, context) }
                parts = []
                reservation.release()
            }
            if let keys { try route(b, keys, context) }
        }
        child.close()
        if partitionFiles.isEmpty {
            let input = parts.isEmpty ? Batch(columns: child.outputTypes.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0)
                : ColumnAssembly.concatenate(parts, types: child.outputTypes)
            parts = []
            pending = try windowed(input, context)
        } else {
            for file in partitionFiles { try file.finishWriting() }
            statistics.add("spilled_partitions", partitionFiles.count)
            statistics.add("spilled_rows", rows)
            statistics.add("spilled_bytes", partitionFiles.reduce(0) { $0 + $1.byteSize })
        }
        statistics.add(rows: rows, nanos: OperatorClock.since(start))
    }

    public func next() throws -> Batch? {
        while true {
            if let b = pending.popLast() { return b }
            guard nextPartition < partitionFiles.count, let context, let reservation else { return nil }
            // The next spilled file: whole partitions, computed like the in-memory input.
            let file = partitionFiles[nextPartition]
            nextPartition += 1
            reservation.release()
            let reader = try file.makeReader()
            var parts: [Batch] = []
            while let b = try reader.next() {
                try context.progress.checkCancelled()
                try reservation.grow(by: Self.cost(b))
                parts.append(b)
            }
            file.delete()
            if parts.isEmpty { continue }
            pending = try windowed(ColumnAssembly.concatenate(parts, types: child.outputTypes), context)
        }
    }

    public func close() {
        pending = []
        for file in partitionFiles { file.delete() }
        partitionFiles = []
        nextPartition = 0
        reservation?.release()
    }

    /// Spill files a window's input is split into when it does not fit.
    static let spillPartitions = 32

    /// Bytes a batch of input costs while windows are computed over it (input, concatenated copy, keys, output).
    static func cost(_ b: Batch) -> Int { b.estimatedBytes * 3 + b.count * 16 }

    /// The PARTITION BY every call shares (nil when the calls differ or one has none: then there is nothing to split by).
    private var spillKeys: [BoundExpression]? {
        guard let first = calls.first?.partitionBy, !first.isEmpty else { return nil }
        let text = first.map(OperatorExpressions.describe)
        return calls.allSatisfy({ $0.partitionBy.map(OperatorExpressions.describe) == text }) ? first : nil
    }

    /// Appends each row of `b` to the spill file of its partition keys' hash.
    private func route(_ b: Batch, _ keys: [BoundExpression], _ context: ExecutionContext) throws {
        let keyColumns = try OperatorExpressions.evaluate(keys, b, context)
        let hashes = KeyHashing.rows(keyColumns, count: b.count)
        var rowsOf = [[Int32]](repeating: [], count: partitionFiles.count)
        for i in 0 ..< b.count { rowsOf[Int(hashes[i] % UInt64(partitionFiles.count))].append(Int32(i)) }
        for (p, rows) in rowsOf.enumerated() where !rows.isEmpty {
            try partitionFiles[p].append(rows.count == b.count ? b : b.gather(rows))
        }
    }

    /// Every call computed over `input`; the rows in input order with one result column per call.
    private func windowed(_ input: Batch, _ context: ExecutionContext) throws -> [Batch] {
        var extra: [Column] = []
        for call in calls {
            try context.progress.checkCancelled()
            extra.append(try compute(call, input, context))
        }
        return ColumnAssembly.split(Batch(columns: input.columns + extra, count: input.count)).reversed()
    }

    // MARK: one call

    /// The call's result for every input row, in input order.
    private func compute(_ call: WindowCall, _ input: Batch, _ context: ExecutionContext) throws -> Column {
        let n = input.count
        let partitionColumns = try OperatorExpressions.evaluate(call.partitionBy, input, context)
        let orderColumns = try OperatorExpressions.evaluate(call.orderBy.map(\.expression), input, context)
        var layout = try WindowLayout(partitionColumns: partitionColumns, orderColumns: orderColumns, orderKeys: call.orderBy, count: n,
                                     progress: context.progress, threads: context.settings.threads)
        if orderColumns.count == 1 { layout.keyValidity = orderColumns[0].validity }
        let arguments = try OperatorExpressions.evaluate(call.arguments, input, context)
        let perm = layout.perm
        var column: Column
        switch call.kind {
        case .rowNumber, .rank, .denseRank, .ntile:
            var out = [Int64](repeating: 0, count: n)
            let buckets = Int64(constant(call, 0)?.int64Value ?? 1)
            if case .ntile = call.kind, buckets <= 0 { throw TarnError.execution("ntile argument must be positive") }
            var dense: Int64 = 0
            for p in 0..<n {
                let ps = Int(layout.partitionStart[p])
                if p == ps { dense = 0 }
                if Int(layout.peerStart[p]) == p { dense += 1 }
                let v: Int64
                switch call.kind {
                case .rowNumber: v = Int64(p - ps + 1)
                case .rank: v = Int64(Int(layout.peerStart[p]) - ps + 1)
                case .denseRank: v = dense
                default:
                    let size = Int64(layout.partitionEnd[p]) - Int64(ps), pos = Int64(p - ps)
                    let q = size / buckets, r = size % buckets
                    v = pos < r * (q + 1) ? pos / (q + 1) + 1 : (q == 0 ? pos + 1 : (pos - r * (q + 1)) / q + r + 1)
                }
                out[Int(perm[p])] = v
            }
            column = try AggregateResults.column(int64: out, valid: nil, type: call.resultType)
        case .percentRank, .cumeDist:
            var out = [Double](repeating: 0, count: n)
            for p in 0..<n {
                let ps = Int(layout.partitionStart[p]), size = Int(layout.partitionEnd[p]) - ps
                if case .percentRank = call.kind {
                    out[Int(perm[p])] = size <= 1 ? 0 : Double(Int(layout.peerStart[p]) - ps) / Double(size - 1)
                } else {
                    out[Int(perm[p])] = Double(Int(layout.peerEnd[p]) - ps) / Double(size)
                }
            }
            column = AggregateResults.column(double: out, valid: nil, type: call.resultType)
        case .lag, .lead:
            column = try offsetFunction(call, arguments, layout, n)
        case .firstValue, .lastValue, .nthValue:
            let frames = try layout.frames(call.frame, orderValues: orderColumns.count == 1 ? orderColumns[0] : nil,
                                           ascending: call.orderBy.first?.ascending ?? true)
            column = try valueFunction(call, arguments, layout, frames, n)
        case let .aggregate(kind):
            let frames = try layout.frames(call.frame, orderValues: orderColumns.count == 1 ? orderColumns[0] : nil,
                                           ascending: call.orderBy.first?.ascending ?? true)
            column = try WindowAggregation.compute(kind, call, arguments, layout, frames, n, context)
        case .geometricAdstock, .weibullAdstock:
            column = try adstock(call, arguments, layout, n)
        }
        return column
    }

    private func constant(_ call: WindowCall, _ index: Int) -> Value? {
        guard index < call.arguments.count, case let .constant(v, _) = call.arguments[index] else { return nil }
        return v
    }

    /// An adstock's `max_lag` (12 when absent). The binder casts adstock arguments to DOUBLE, so an integral double counts.
    private func lagArgument(_ call: WindowCall, _ index: Int, function: String) throws -> Int {
        guard index < call.arguments.count else { return 12 }
        guard let v = constant(call, index) else { throw TarnError.semantic("\(function) max_lag must be a constant") }
        if let i = v.int64Value, abs(i) <= 100_000 { return Int(i) }
        if let d = v.doubleValue, d == d.rounded(), abs(d) <= 100_000 { return Int(d) }
        throw TarnError.semantic("\(function) max_lag must be an integer between 0 and 100000 (got \(v))")
    }

    private func offsetFunction(_ call: WindowCall, _ args: [Column], _ layout: WindowLayout, _ n: Int) throws -> Column {
        guard let x = args.first else { throw TarnError.semantic("\(call.kind) needs an argument") }
        let offset = Int(constant(call, 1)?.int64Value ?? 1)
        let defaults: Column? = args.count > 2 ? args[2] : nil
        let perm = layout.perm
        var source = [Int32](repeating: -1, count: n)
        for p in 0..<n {
            let ps = Int(layout.partitionStart[p]), pe = Int(layout.partitionEnd[p])
            var step = 1
            if case .lag = call.kind { step = -1 }
            var target = -1
            if call.ignoreNulls {
                var q = p, remaining = offset
                while remaining > 0 {
                    q += step
                    if q < ps || q >= pe { break }
                    if !x.isNull(Int(perm[q])) { remaining -= 1 }
                }
                if remaining == 0 && q >= ps && q < pe { target = q }
                if offset == 0 { target = p }
            } else {
                let q = p + step * offset
                if q >= ps && q < pe { target = q }
            }
            source[Int(perm[p])] = target >= 0 ? perm[target] : -1
        }
        var out = ColumnAssembly.gatherOptional(x, source)
        if let defaults {
            var b = ColumnBuilder(type: call.resultType, capacity: n)
            for i in 0..<n { b.append(source[i] >= 0 ? out.value(at: i) : defaults.value(at: i)) }
            out = b.finish()
        }
        out.type = call.resultType
        return out
    }

    private func valueFunction(_ call: WindowCall, _ args: [Column], _ layout: WindowLayout, _ frames: (lo: [Int32], hi: [Int32]), _ n: Int) throws -> Column {
        guard let x = args.first else { throw TarnError.semantic("\(call.kind) needs an argument") }
        var nth = 1
        if case .nthValue = call.kind { nth = Int(constant(call, 1)?.int64Value ?? 1) }
        if nth < 1 { throw TarnError.execution("nth_value position must be positive") }
        let perm = layout.perm
        var source = [Int32](repeating: -1, count: n)
        for p in 0..<n {
            let lo = Int(frames.lo[p]), hi = Int(frames.hi[p])
            var target = -1
            if lo < hi {
                switch call.kind {
                case .lastValue:
                    var q = hi - 1
                    if call.ignoreNulls { while q >= lo && x.isNull(Int(perm[q])) { q -= 1 } }
                    if q >= lo { target = q }
                default:
                    var q = lo, seen = 0
                    while q < hi {
                        if !call.ignoreNulls || !x.isNull(Int(perm[q])) { seen += 1; if seen == nth { target = q; break } }
                        q += 1
                    }
                }
            }
            source[Int(perm[p])] = target >= 0 ? perm[target] : -1
        }
        var out = ColumnAssembly.gatherOptional(x, source)
        out.type = call.resultType
        return out
    }

    private func adstock(_ call: WindowCall, _ args: [Column], _ layout: WindowLayout, _ n: Int) throws -> Column {
        guard let xColumn = args.first else { throw TarnError.semantic("adstock needs an argument") }
        let x = AggregateResults.doubles(xColumn)
        let weights: [Double]
        if case .geometricAdstock = call.kind {
            guard let alpha = constant(call, 1)?.doubleValue else { throw TarnError.semantic("geometric_adstock alpha must be a constant") }
            let maxLag = try lagArgument(call, 2, function: "geometric_adstock")
            if maxLag < 0 { throw TarnError.execution("adstock max_lag must be non-negative") }
            var w = [Double](repeating: 1, count: maxLag + 1)
            for l in 1..<(maxLag + 1) { w[l] = w[l - 1] * alpha }
            weights = w
        } else {
            guard let shape = constant(call, 1)?.doubleValue, let scale = constant(call, 2)?.doubleValue, shape > 0, scale > 0 else {
                throw TarnError.semantic("weibull_adstock shape and scale must be positive constants")
            }
            let maxLag = try lagArgument(call, 3, function: "weibull_adstock")
            if maxLag < 1 { throw TarnError.execution("weibull_adstock max_lag must be at least 1") }
            weights = Self.weibullWeights(shape: shape, scale: scale, maxLag: maxLag)
        }
        let perm = layout.perm
        var out = [Double](repeating: 0, count: n)
        for p in 0..<n {
            let ps = Int(layout.partitionStart[p])
            var s = 0.0
            var l = 0
            while l < weights.count && p - l >= ps {
                let row = Int(perm[p - l])
                if !xColumn.isNull(row) { s += weights[l] * x[row] }
                l += 1
            }
            out[Int(perm[p])] = s
        }
        return AggregateResults.column(double: out, valid: nil, type: call.resultType)
    }

    /// PyMC-Marketing `weibull_adstock(type=PDF, normalize=True)` weights: Weibull PDF at t = 1…maxLag, min–max
    /// rescaled, then normalised to sum 1 (`WeibullAdstockWeights`, the same weights `mmm(…, adstock => 'weibull_pdf')` fits).
    static func weibullWeights(shape k: Double, scale lambda: Double, maxLag: Int) -> [Double] {
        WeibullAdstockWeights.weights(.pdf, shape: k, scale: lambda, lagCount: maxLag)
    }
}
