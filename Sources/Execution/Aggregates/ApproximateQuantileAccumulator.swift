import Storage

/// `approx_percentile(x, q)`: a KLL sketch per group (`KLLSketch`), so memory per group is bounded however many
/// rows it has; exact (the nearest-rank value at round(q·(n−1)), a value that occurs in the data, as Trino's) while a
/// group has at most `KLLSketch.k` values, and within about 1% of the asked rank beyond.
final class ApproximateQuantileAccumulator: GroupedAccumulator {
    let fraction: Double
    let resultType: DataType
    private var sketches: [KLLSketch] = []

    init(fraction: Double, resultType: DataType) {
        self.fraction = min(max(fraction, 0), 1)
        self.resultType = resultType
    }

    func resize(_ n: Int) { if sketches.count < n { sketches.appendGrowing(KLLSketch(), count: n - sketches.count) } }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        let x = AggregateResults.doubles(c)
        for i in 0..<x.count where !c.isNull(i) { sketches[Int(gids[i])].insert(x[i]) }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? ApproximateQuantileAccumulator else { return }
        for g in 0..<o.sketches.count where mapping[g] >= 0 && !o.sketches[g].isEmpty { sketches[Int(mapping[g])].merge(o.sketches[g]) }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        var out = [Double](repeating: 0, count: n)
        var valid = [UInt8](repeating: 1, count: n)
        for g in 0..<n {
            if let q = sketches[g].quantile(fraction) { out[g] = q } else { valid[g] = 0 }
        }
        return AggregateResults.column(double: out, valid: AggregateResults.validity(valid), type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { ApproximateQuantileAccumulator(fraction: fraction, resultType: resultType) }
}
