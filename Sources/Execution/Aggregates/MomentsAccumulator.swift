import Foundation
import Storage

/// `skewness(x)` (Trino's: √n·M3 / M2^1.5, the population coefficient; NULL below 3 rows), `kurtosis(x)` (excess
/// kurtosis with the sample correction of Trino, DuckDB and Excel; NULL below 4 rows) and `geometric_mean(x)`
/// (exp of the mean of ln x; NaN once a value is negative). Running central moments per group by Pébay's
/// one-pass update, merged with his pairwise formulas, so workers' partial states combine exactly.
final class MomentsAccumulator: GroupedAccumulator {
    let kind: AggregateKind
    let resultType: DataType
    private var n: [Double] = []
    private var mean: [Double] = []
    private var m2: [Double] = []
    private var m3: [Double] = []
    private var m4: [Double] = []

    init(kind: AggregateKind, resultType: DataType) { self.kind = kind; self.resultType = resultType }

    func resize(_ count: Int) {
        guard n.count < count else { return }
        let k = count - n.count
        n.appendGrowing(0, count: k); mean.appendGrowing(0, count: k)
        m2.appendGrowing(0, count: k); m3.appendGrowing(0, count: k); m4.appendGrowing(0, count: k)
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        let x = AggregateResults.doubles(c)
        let validity = c.validity
        let logarithms = kind == .geometricMean
        for i in 0..<x.count {
            if let v = validity, v[i] == 0 { continue }
            let g = Int(gids[i])
            let value = logarithms ? log(x[i]) : x[i]
            let n1 = n[g]
            n[g] += 1
            let count = n[g]
            let delta = value - mean[g], deltaN = delta / count, deltaN2 = deltaN * deltaN, term = delta * deltaN * n1
            mean[g] += deltaN
            m4[g] += term * deltaN2 * (count * count - 3 * count + 3) + 6 * deltaN2 * m2[g] - 4 * deltaN * m3[g]
            m3[g] += term * deltaN * (count - 2) - 3 * deltaN * m2[g]
            m2[g] += term
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? MomentsAccumulator else { return }
        for g in 0..<o.n.count where o.n[g] > 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            let na = n[t], nb = o.n[g], total = na + nb
            let delta = o.mean[g] - mean[t], d2 = delta * delta, d3 = d2 * delta, d4 = d2 * d2
            m4[t] += o.m4[g] + d4 * na * nb * (na * na - na * nb + nb * nb) / (total * total * total)
                + 6 * d2 * (na * na * o.m2[g] + nb * nb * m2[t]) / (total * total) + 4 * delta * (na * o.m3[g] - nb * m3[t]) / total
            m3[t] += o.m3[g] + d3 * na * nb * (na - nb) / (total * total) + 3 * delta * (na * o.m2[g] - nb * m2[t]) / total
            m2[t] += o.m2[g] + d2 * na * nb / total
            mean[t] += delta * nb / total
            n[t] = total
        }
    }

    func finish(_ count: Int) throws -> Column {
        resize(count)
        var out = [Double](repeating: 0, count: count)
        var valid = [UInt8](repeating: 1, count: count)
        for g in 0..<count {
            let k = n[g]
            switch kind {
            case .skewness:
                if k < 3 { valid[g] = 0 } else { out[g] = k.squareRoot() * m3[g] / pow(m2[g], 1.5) }
            case .kurtosis:
                if k < 4 { valid[g] = 0; continue }
                let variance = m2[g] / (k - 1)
                out[g] = k * (k + 1) / ((k - 1) * (k - 2) * (k - 3)) * m4[g] / (variance * variance)
                    - 3 * (k - 1) * (k - 1) / ((k - 2) * (k - 3))
            default:
                if k < 1 { valid[g] = 0 } else { out[g] = exp(mean[g]) }
            }
        }
        return AggregateResults.column(double: out, valid: AggregateResults.validity(valid), type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { MomentsAccumulator(kind: kind, resultType: resultType) }
}
