/// Normalised geometric adstock, as PyMC-Marketing's `geometric_adstock(normalize=True)`:
/// `a[t] = Σ_{l<L} αˡ · x[t−l] / Σ_{l<L} αˡ`, with `L` lag weights (PyMC-Marketing's `l_max`).
///
/// Normalising keeps the adstocked series on the spend scale: a constant weekly spend `b` has steady state `b`.
public enum GeometricAdstock {
    /// PyMC-Marketing's default `l_max`.
    public static let defaultLagCount = 8

    /// Writes the adstocked series into `out` and, when given, `∂a[t]/∂α` into `derivative`.
    public static func apply(_ x: UnsafeBufferPointer<Double>, alpha: Double, lagCount: Int,
                             into out: UnsafeMutableBufferPointer<Double>,
                             derivative: UnsafeMutableBufferPointer<Double>? = nil) {
        let lags = max(1, lagCount)
        var weights = [Double](repeating: 1, count: lags)
        var dWeights = [Double](repeating: 0, count: lags)
        var power = 1.0
        for l in 1..<max(lags, 1) where l < lags {
            dWeights[l] = Double(l) * power     // l · α^(l−1)
            power *= alpha
            weights[l] = power
        }
        var total = 0.0, dTotal = 0.0
        for l in 0..<lags { total += weights[l]; dTotal += dWeights[l] }
        let n = x.count
        weights.withUnsafeBufferPointer { w in
            dWeights.withUnsafeBufferPointer { dw in
                for t in 0..<n {
                    var s = 0.0, ds = 0.0
                    let maxL = min(lags - 1, t)
                    var l = 0
                    while l <= maxL {
                        let xv = x[t - l]
                        s += w[l] * xv
                        ds += dw[l] * xv
                        l += 1
                    }
                    let a = s / total
                    out[t] = a
                    if let derivative { derivative[t] = (ds - a * dTotal) / total }
                }
            }
        }
    }

    /// Convenience over arrays.
    public static func apply(_ x: [Double], alpha: Double, lagCount: Int = defaultLagCount) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in apply(xs, alpha: alpha, lagCount: lagCount, into: o) }
        }
        return out
    }
}
