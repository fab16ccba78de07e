import Storage

/// `stddev_samp`, `stddev_pop`, `var_samp`, `var_pop`: Welford's running mean and M2 per group,
/// merged with Chan et al.'s parallel formula. Too few rows give NULL.
final class VarianceAccumulator: GroupedAccumulator {
    let kind: AggregateKind
    let resultType: DataType
    private var counts: [Double] = []
    private var means: [Double] = []
    private var m2: [Double] = []

    init(kind: AggregateKind, resultType: DataType) { self.kind = kind; self.resultType = resultType }

    func resize(_ n: Int) {
        if counts.count < n {
            let k = n - counts.count
            counts.appendGrowing(0, count: k)
            means.appendGrowing(0, count: k)
            m2.appendGrowing(0, count: k)
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        let x = AggregateResults.doubles(c)
        let validity = c.validity
        for i in 0..<x.count {
            if let v = validity, v[i] == 0 { continue }
            let g = Int(gids[i])
            counts[g] += 1
            let d = x[i] - means[g]
            means[g] += d / counts[g]
            m2[g] += d * (x[i] - means[g])
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? VarianceAccumulator else { return }
        for g in 0..<o.counts.count where o.counts[g] > 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            let na = counts[t], nb = o.counts[g], n = na + nb
            let d = o.means[g] - means[t]
            means[t] += d * nb / n
            m2[t] += o.m2[g] + d * d * na * nb / n
            counts[t] = n
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        var out = [Double](repeating: 0, count: n)
        var valid = [UInt8](repeating: 1, count: n)
        let sample = kind == .stddevSamp || kind == .varianceSamp
        for g in 0..<n {
            let c = counts[g]
            if c == 0 || (sample && c < 2) { valid[g] = 0; continue }
            let variance = max(0, m2[g] / (sample ? c - 1 : c))
            out[g] = (kind == .stddevSamp || kind == .stddevPop) ? variance.squareRoot() : variance
        }
        return AggregateResults.column(double: out, valid: AggregateResults.validity(valid), type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { VarianceAccumulator(kind: kind, resultType: resultType) }
}

/// `bool_and` / `bool_or` over non-NULL booleans.
final class BooleanAccumulator: GroupedAccumulator {
    let isAnd: Bool
    /// 2 = no value yet, else 0/1.
    private var state: [UInt8] = []

    init(isAnd: Bool) { self.isAnd = isAnd }

    func resize(_ n: Int) { if state.count < n { state.appendGrowing(2, count: n - state.count) } }

    private func combine(_ g: Int, _ b: UInt8) {
        let s = state[g]
        state[g] = s == 2 ? b : (isAnd ? (s & b) : (s | b))
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        guard case let .bool(values) = c.data else { return }
        for i in 0..<values.count where !c.isNull(i) { combine(Int(gids[i]), values[i] ? 1 : 0) }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? BooleanAccumulator else { return }
        for g in 0..<o.state.count where mapping[g] >= 0 && o.state[g] != 2 { combine(Int(mapping[g]), o.state[g]) }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        let s = Array(state.prefix(n))
        return Column(type: .boolean, data: .bool(s.map { $0 == 1 }), validity: AggregateResults.validity(s.map { $0 == 2 ? 0 : 1 }))
    }

    func makeEmpty() -> GroupedAccumulator { BooleanAccumulator(isAnd: isAnd) }
}
