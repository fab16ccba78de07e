/// DECIMAL(19…38) support in Storage: moving unscaled values between the Int64 (precision ≤ 18) and Int128
/// (precision 19…38) representations of the same scale.
extension Column {
    /// This DECIMAL column declared as `target` (a DECIMAL of the same scale): the unscaled values are copied into
    /// `target`'s representation. Nil when a value does not fit `target`'s precision (the caller reports it).
    public func withDecimalPrecision(_ target: DataType) -> Column? {
        guard case let .decimal(p, _) = target else { return nil }
        let bound = Int128.powerOfTen(p)
        switch data {
        case let .int64(values):
            if p <= DataType.maxInt64DecimalPrecision {
                for (i, v) in values.enumerated() where !isNull(i) && Int128(v).magnitude >= bound.magnitude { return nil }
                return Column(type: target, data: data, validity: validity)
            }
            return Column(type: target, data: .int128(values.map { Int128($0) }), validity: validity)
        case let .int128(values):
            if p > DataType.maxInt64DecimalPrecision {
                for (i, v) in values.enumerated() where !isNull(i) && v.magnitude >= bound.magnitude { return nil }
                return Column(type: target, data: data, validity: validity)
            }
            var out = [Int64](repeating: 0, count: values.count)
            for (i, v) in values.enumerated() where !isNull(i) {
                guard v.magnitude < bound.magnitude, let narrow = Int64(exactly: v) else { return nil }
                out[i] = narrow
            }
            return Column(type: target, data: .int64(out), validity: validity)
        default: return nil
        }
    }
}

extension Int128 {
    /// 10^n for 0 ≤ n ≤ 38 (clamped).
    public static func powerOfTen(_ n: Int) -> Int128 { decimalPowers[Swift.max(0, Swift.min(38, n))] }

    private static let decimalPowers: [Int128] = {
        var p: [Int128] = [1]
        for _ in 1...38 { p.append(p[p.count - 1] * 10) }
        return p
    }()
}
