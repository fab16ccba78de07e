import Execution

/// Normalised Weibull adstock, as PyMC-Marketing's `weibull_adstock(normalize=True)`: `a[t] = Σ_l w_l · x[t−l]` with the
/// lag weights of `WeibullAdstockWeights` (L for the PDF kind, L + 1 for the CDF kind; they sum to 1, so a constant
/// spend b has steady state b). O(weights) per period, allocation-free given the caller's scratch.
public enum WeibullAdstock {
    /// Writes the adstocked series into `out` and, when `dLogShape` / `dLogScale` are given, ∂a[t]/∂log k and
    /// ∂a[t]/∂log λ into them. `scratch` holds at least 3 · `WeibullAdstockWeights.count(kind, lagCount:)` values.
    public static func apply(_ x: UnsafeBufferPointer<Double>, kind: WeibullAdstockWeights.Kind, shape: Double, scale: Double,
                             lagCount: Int, scratch: UnsafeMutablePointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                             dLogShape: UnsafeMutableBufferPointer<Double>? = nil,
                             dLogScale: UnsafeMutableBufferPointer<Double>? = nil) {
        let m = WeibullAdstockWeights.count(kind, lagCount: lagCount)
        let w = scratch, ws = scratch + m, wl = scratch + 2 * m
        let derivatives = dLogShape != nil && dLogScale != nil
        WeibullAdstockWeights.compute(kind, shape: shape, scale: scale, lagCount: lagCount, weights: w,
                                      dLogShape: derivatives ? ws : nil, dLogScale: derivatives ? wl : nil)
        let n = x.count
        if derivatives, let dLogShape, let dLogScale {
            for t in 0..<n {
                var a = 0.0, da = 0.0, db = 0.0
                for l in 0..<min(m, t + 1) {
                    let v = x[t - l]
                    a += w[l] * v
                    da += ws[l] * v
                    db += wl[l] * v
                }
                out[t] = a
                dLogShape[t] = da
                dLogScale[t] = db
            }
        } else {
            for t in 0..<n {
                var a = 0.0
                for l in 0..<min(m, t + 1) { a += w[l] * x[t - l] }
                out[t] = a
            }
        }
    }

    /// Convenience over arrays.
    public static func apply(_ x: [Double], kind: WeibullAdstockWeights.Kind, shape: Double, scale: Double, lagCount: Int) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        var scratch = [Double](repeating: 0, count: 3 * WeibullAdstockWeights.count(kind, lagCount: lagCount))
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { s in
                    guard let base = s.baseAddress else { return }
                    apply(xs, kind: kind, shape: shape, scale: scale, lagCount: lagCount, scratch: base, into: o)
                }
            }
        }
        return out
    }
}
