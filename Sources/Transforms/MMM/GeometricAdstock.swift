/// Normalised geometric adstock, as PyMC-Marketing's `geometric_adstock(normalize=True)`:
/// `a[t] = Σ_{l<L} αˡ · x[t−l] / Σ_{l<L} αˡ`, with `L` lag weights (PyMC-Marketing's `l_max`).
///
/// Normalising keeps the adstocked series on the spend scale: a constant weekly spend `b` has steady state `b`.
public enum GeometricAdstock {
    /// PyMC-Marketing's default `l_max`.
    public static let defaultLagCount = 8

    /// Writes the adstocked series into `out` and, when given, `∂a[t]/∂α` into `derivative`.
    ///
    /// O(1) per period, allocation-free: the truncated sum `S[t] = Σ_{l<L} αˡ x[t−l]` follows
    /// `S[t] = x[t] + α·S[t−1] − αᴸ·x[t−L]` and its derivative `D[t] = S[t−1] + α·D[t−1] − L·αᴸ⁻¹·x[t−L]`
    /// (rounding errors are damped by α < 1 at every step).
    public static func apply(_ x: UnsafeBufferPointer<Double>, alpha: Double, lagCount: Int,
                             into out: UnsafeMutableBufferPointer<Double>,
                             derivative: UnsafeMutableBufferPointer<Double>? = nil) {
        let lags = max(1, lagCount)
        var total = 0.0, dTotal = 0.0, power = 1.0, previousPower = 0.0   // αˡ and αˡ⁻¹ while summing
        for l in 0..<lags {
            total += power
            dTotal += Double(l) * previousPower
            previousPower = power
            power *= alpha
        }
        let alphaL = power                                  // αᴸ
        let dAlphaL = Double(lags) * previousPower          // L·αᴸ⁻¹
        let inverseTotal = 1 / total
        let n = x.count
        var s = 0.0, d = 0.0
        if let derivative {
            for t in 0..<n {
                let dropped = t >= lags ? x[t - lags] : 0
                d = s + alpha * d - dAlphaL * dropped
                s = x[t] + alpha * s - alphaL * dropped
                let a = s * inverseTotal
                out[t] = a
                derivative[t] = (d - a * dTotal) * inverseTotal
            }
        } else {
            for t in 0..<n {
                let dropped = t >= lags ? x[t - lags] : 0
                s = x[t] + alpha * s - alphaL * dropped
                out[t] = s * inverseTotal
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
