import Foundation

/// The lag weights of PyMC-Marketing's Weibull adstocks (`weibull_adstock` in `pymc_marketing/mmm/transformers.py`,
/// the `WeibullPDFAdstock` / `WeibullCDFAdstock` components) with `normalize=True`, and their derivatives with respect
/// to log shape and log scale. One implementation for the SQL window function `weibull_adstock` and the model fit.
///
/// With shape k, scale λ and `lagCount` L, at t = 1…L:
/// - `pdf`: L weights, lag l = t − 1: the Weibull density p(t) = (k/λ)(t/λ)^(k−1)·e^(−(t/λ)^k), min–max rescaled
///   ((p − min p) / (max p − min p)) and then divided by their sum. The max cancels in the normalisation, so the weights
///   are (p_l − min p) / Σ_j (p_j − min p); they are computed from p / max p in log space (no underflow for small λ).
///   The smallest density gets weight 0. Since the Weibull density is unimodal (or decreasing), that is the first or
///   the last lag: the weights are continuous in (k, λ) and smooth except on the surface p(1) = p(L), where the zero
///   weight moves between the two ends (the derivative here is the one-sided one of the current minimum).
///   When every p is equal (L = 1) each weight is 1 / L (PyMC-Marketing gives 0/0 there).
/// - `cdf`: L + 1 weights, lags 0…L (PyMC-Marketing pads the survival function with a leading 1 before its cumulative
///   product): w_0 = 1, w_j = Π_{i=1..j} S(i) with S(t) = e^(−(t/λ)^k), divided by their sum. Smooth everywhere.
public enum WeibullAdstockWeights {
    public enum Kind: String, Sendable, CaseIterable {
        case pdf
        case cdf
    }

    /// How many lag weights `kind` has for `lagCount` (PyMC-Marketing's `l_max`).
    @inline(__always)
    public static func count(_ kind: Kind, lagCount: Int) -> Int {
        kind == .pdf ? max(lagCount, 1) : max(lagCount, 1) + 1
    }

    /// Writes the `count(kind, lagCount)` weights to `weights` and, when given, ∂w/∂log k and ∂w/∂log λ to `dLogShape`
    /// and `dLogScale` (each the same length). Allocation-free; shape and scale must be positive and finite.
    public static func compute(_ kind: Kind, shape k: Double, scale lambda: Double, lagCount: Int,
                               weights w: UnsafeMutablePointer<Double>,
                               dLogShape: UnsafeMutablePointer<Double>? = nil,
                               dLogScale: UnsafeMutablePointer<Double>? = nil) {
        let n = count(kind, lagCount: lagCount)
        let logLambda = Foundation.log(lambda)
        switch kind {
        case .pdf:
            // log p(t) = log k − log λ + (k − 1)·log z − z^k with log z = log t − log λ;
            // ∂ log p/∂ log k = 1 + k·log z·(1 − z^k), ∂ log p/∂ log λ = k·(z^k − 1).
            let logK = Foundation.log(k)
            var maxLog = -Double.infinity
            for l in 0..<n {
                let logZ = Foundation.log(Double(l + 1)) - logLambda
                let zk = Foundation.exp(k * logZ)
                let logP = logK - logLambda + (k - 1) * logZ - zk
                w[l] = logP
                dLogShape?[l] = 1 + k * logZ * (1 - zk)
                dLogScale?[l] = k * (zk - 1)
                if logP > maxLog { maxLog = logP }
            }
            guard maxLog.isFinite else { return uniform(n, w, dLogShape, dLogScale) }
            var m = 0
            for l in 0..<n {
                let q = Foundation.exp(w[l] - maxLog)         // p / max p, in (0, 1]
                w[l] = q
                if q < w[m] { m = l }
            }
            let qMin = w[m]
            var total = 0.0
            for l in 0..<n { total += w[l] - qMin }
            guard total > 0, total.isFinite else { return uniform(n, w, dLogShape, dLogScale) }
            let inverse = 1 / total
            // r_l = q_l − q_m, w_l = r_l / R; with dq_l = q_l·∂log p_l (the max is a constant factor that cancels):
            // dw_l = (dq_l − dq_m − w_l·Σ_j (dq_j − dq_m)) / R.
            if let dLogShape { chainMinMax(n, w, qMin: qMin, minimum: m, inverse: inverse, dLogShape) }
            if let dLogScale { chainMinMax(n, w, qMin: qMin, minimum: m, inverse: inverse, dLogScale) }
            for l in 0..<n { w[l] = (w[l] - qMin) * inverse }
        case .cdf:
            // log w_j = −C_j, C_j = Σ_{i≤j} z_i^k: ∂ log w_j/∂ log k = −Σ_{i≤j} k·z_i^k·log z_i, ∂ log w_j/∂ log λ = Σ_{i≤j} k·z_i^k.
            var cumulative = 0.0, dShape = 0.0, dScale = 0.0, total = 0.0
            for j in 0..<n {
                if j > 0 {
                    let logZ = Foundation.log(Double(j)) - logLambda
                    let zk = Foundation.exp(k * logZ)
                    cumulative += zk
                    dShape -= k * zk * logZ
                    dScale += k * zk
                }
                let v = Foundation.exp(-cumulative)
                w[j] = v
                dLogShape?[j] = dShape
                dLogScale?[j] = dScale
                total += v                                    // ≥ 1 (w_0 = 1)
            }
            let inverse = 1 / total
            for j in 0..<n { w[j] *= inverse }
            // dŵ_j = ŵ_j·(d log w_j − Σ_i ŵ_i·d log w_i); lags whose weight underflowed to 0 contribute nothing.
            if let dLogShape { chainNormalised(n, w, dLogShape) }
            if let dLogScale { chainNormalised(n, w, dLogScale) }
        }
    }

    /// PDF: `q` holds p / max p, `d` holds ∂ log p/∂θ on entry and ∂w/∂θ on return.
    @inline(__always)
    private static func chainMinMax(_ n: Int, _ q: UnsafeMutablePointer<Double>, qMin: Double, minimum m: Int, inverse: Double,
                                    _ d: UnsafeMutablePointer<Double>) {
        for l in 0..<n { d[l] = q[l] > 0 ? q[l] * d[l] : 0 }
        let dMin = d[m]
        var dTotal = 0.0
        for l in 0..<n { d[l] -= dMin; dTotal += d[l] }
        for l in 0..<n { d[l] = (d[l] - (q[l] - qMin) * inverse * dTotal) * inverse }
    }

    /// CDF: `w` holds the normalised weights, `d` holds ∂ log w/∂θ on entry and ∂ŵ/∂θ on return.
    @inline(__always)
    private static func chainNormalised(_ n: Int, _ w: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>) {
        var mean = 0.0
        for j in 0..<n where w[j] > 0 { mean += w[j] * d[j] }
        for j in 0..<n { d[j] = w[j] > 0 ? w[j] * (d[j] - mean) : 0 }
    }

    private static func uniform(_ n: Int, _ w: UnsafeMutablePointer<Double>, _ a: UnsafeMutablePointer<Double>?,
                                _ b: UnsafeMutablePointer<Double>?) {
        for l in 0..<n { w[l] = 1 / Double(n); a?[l] = 0; b?[l] = 0 }
    }

    /// The weights as an array (not for inner loops).
    public static func weights(_ kind: Kind, shape: Double, scale: Double, lagCount: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count(kind, lagCount: lagCount))
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            compute(kind, shape: shape, scale: scale, lagCount: lagCount, weights: base)
        }
        return out
    }
}
