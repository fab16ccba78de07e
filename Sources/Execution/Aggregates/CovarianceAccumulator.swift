import Storage

/// `covar_samp`, `covar_pop`, `corr`, `regr_slope`, `regr_intercept`: running means and co-moments per group (Welford), merged with
/// Chan et al.'s pairwise formula. Rows where either argument is NULL are ignored; too few rows give NULL.
final class CovarianceAccumulator: GroupedAccumulator {
    let kind: AggregateKind
    let resultType: DataType
    private var n: [Double] = []
    private var meanX: [Double] = []
    private var meanY: [Double] = []
    private var cxy: [Double] = []
    private var m2x: [Double] = []
    private var m2y: [Double] = []

    init(kind: AggregateKind, resultType: DataType) { self.kind = kind; self.resultType = resultType }

    func resize(_ count: Int) {
        guard n.count < count else { return }
        let k = count - n.count
        for i in 0..<6 {
            switch i {
            case 0: n.appendGrowing(0, count: k)
            case 1: meanX.appendGrowing(0, count: k)
            case 2: meanY.appendGrowing(0, count: k)
            case 3: cxy.appendGrowing(0, count: k)
            case 4: m2x.appendGrowing(0, count: k)
            default: m2y.appendGrowing(0, count: k)
            }
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        guard arguments.count >= 2 else { throw TarnError(.internal, "\(kind.rawValue) needs two arguments") }
        let x = AggregateResults.doubles(arguments[0]), y = AggregateResults.doubles(arguments[1])
        let vx = arguments[0].validity, vy = arguments[1].validity
        for i in 0..<min(x.count, y.count) {
            if let v = vx, v[i] == 0 { continue }
            if let v = vy, v[i] == 0 { continue }
            let g = Int(gids[i])
            n[g] += 1
            let dx = x[i] - meanX[g]
            meanX[g] += dx / n[g]
            let dy = y[i] - meanY[g]
            meanY[g] += dy / n[g]
            cxy[g] += dx * (y[i] - meanY[g])
            m2x[g] += dx * (x[i] - meanX[g])
            m2y[g] += dy * (y[i] - meanY[g])
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? CovarianceAccumulator else { return }
        for g in 0..<o.n.count where o.n[g] > 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            let na = n[t], nb = o.n[g], total = na + nb
            let dx = o.meanX[g] - meanX[t], dy = o.meanY[g] - meanY[t]
            cxy[t] += o.cxy[g] + dx * dy * na * nb / total
            m2x[t] += o.m2x[g] + dx * dx * na * nb / total
            m2y[t] += o.m2y[g] + dy * dy * na * nb / total
            meanX[t] += dx * nb / total
            meanY[t] += dy * nb / total
            n[t] = total
        }
    }

    func finish(_ count: Int) throws -> Column {
        resize(count)
        var out = [Double](repeating: 0, count: count)
        var valid = [UInt8](repeating: 1, count: count)
        for g in 0..<count {
            switch kind {
            case .covarPop:
                if n[g] < 1 { valid[g] = 0 } else { out[g] = cxy[g] / n[g] }
            case .covarSamp:
                if n[g] < 2 { valid[g] = 0 } else { out[g] = cxy[g] / (n[g] - 1) }
            case .regrSlope, .regrIntercept:
                // regr_*(y, x): the first argument is y, the second x (m2y here holds the second's M2).
                guard n[g] >= 1, m2y[g] != 0 else { valid[g] = 0; continue }
                let slope = cxy[g] / m2y[g]
                out[g] = kind == .regrSlope ? slope : meanX[g] - slope * meanY[g]
            default:
                let denominator = (m2x[g] * m2y[g]).squareRoot()
                if n[g] < 2 || denominator == 0 { valid[g] = 0 } else { out[g] = cxy[g] / denominator }
            }
        }
        return AggregateResults.column(double: out, valid: AggregateResults.validity(valid), type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { CovarianceAccumulator(kind: kind, resultType: resultType) }
}

/// `max_by(x, y)` / `min_by(x, y)`: keeps, per group, the `x` of the row whose `y` is largest (smallest).
/// Rows with a NULL `y` are ignored; ties keep the first row seen.
final class ArgExtremeAccumulator: GroupedAccumulator {
    let isMax: Bool
    let resultType: DataType
    private var best: [Value] = []
    private var values: [Value] = []

    init(isMax: Bool, resultType: DataType) { self.isMax = isMax; self.resultType = resultType }

    func resize(_ count: Int) {
        guard best.count < count else { return }
        best.appendGrowing(.null, count: count - best.count)
        values.appendGrowing(.null, count: count - values.count)
    }

    private func better(_ a: Value, than b: Value) -> Bool {
        if b.isNull { return true }
        let c = ValueOrdering.compare(a, b)
        return isMax ? c > 0 : c < 0
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        guard arguments.count >= 2 else { throw TarnError(.internal, "\(isMax ? "max_by" : "min_by") needs two arguments") }
        let x = arguments[0], y = arguments[1]
        for i in 0..<y.count where !y.isNull(i) {
            let g = Int(gids[i])
            let key = y.value(at: i)
            if better(key, than: best[g]) { best[g] = key; values[g] = x.value(at: i) }
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? ArgExtremeAccumulator else { return }
        for g in 0..<o.best.count where !o.best[g].isNull {
            let t = Int(mapping[g])
            if t < 0 { continue }
            if better(o.best[g], than: best[t]) { best[t] = o.best[g]; values[t] = o.values[g] }
        }
    }

    func finish(_ count: Int) throws -> Column {
        resize(count)
        var b = ColumnBuilder(type: resultType, capacity: count)
        for g in 0..<count { b.append(values[g]) }
        return b.finish()
    }

    func makeEmpty() -> GroupedAccumulator { ArgExtremeAccumulator(isMax: isMax, resultType: resultType) }
}

/// Total order of two non-NULL values of the same type (numbers compare numerically, strings byte-wise).
enum ValueOrdering {
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case let (.varchar(x), .varchar(y)): return x == y ? 0 : (Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : 1)
        case let (.boolean(x), .boolean(y)): return x == y ? 0 : (!x ? -1 : 1)
        default:
            if let x = a.int64Value, let y = b.int64Value, a.doubleValue == nil || b.doubleValue == nil || isInteger(a) && isInteger(b) {
                return x == y ? 0 : (x < y ? -1 : 1)
            }
            let x = a.doubleValue ?? 0, y = b.doubleValue ?? 0
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }

    private static func isInteger(_ v: Value) -> Bool {
        switch v {
        case .integer, .bigint, .date, .timestamp, .timestampTZ: return true
        default: return false
        }
    }
}
