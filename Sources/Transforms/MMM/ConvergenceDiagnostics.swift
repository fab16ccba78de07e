import Foundation

/// Convergence diagnostics of MCMC draws (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, as ArviZ computes
/// them): rank-normalised split R-hat (the max of the bulk and folded-tail versions) and bulk effective sample size.
public enum ConvergenceDiagnostics {
    /// The convergence check of a fit, by the usual rules (Vehtari et al. 2021, ArviZ, Stan): every R-hat ≤ 1.01,
    /// bulk ESS ≥ 100 per chain, no divergent transition. "ok", or the failed rules joined by "; ". A nil or NaN
    /// R-hat or ESS (a single chain, or too few draws) is not checked.
    public static func verdict(maxRHat: Double?, minESSBulk: Double?, divergences: Int, chains: Int) -> String {
        var problems: [String] = []
        if let r = maxRHat, !r.isNaN, !(r <= 1.01) { problems.append(String(format: "max R-hat %.3f > 1.01", r)) }
        let needed = 100 * Double(max(chains, 1))
        if let e = minESSBulk, !e.isNaN, !(e >= needed) { problems.append(String(format: "min bulk ESS %.0f < %.0f", e, needed)) }
        if divergences > 0 { problems.append("\(divergences) divergent transition\(divergences == 1 ? "" : "s")") }
        return problems.isEmpty ? "ok" : problems.joined(separator: "; ")
    }

    /// Split R-hat of `chains` (each a series of one parameter's draws).
    public static func splitRHat(_ chains: [[Double]]) -> Double {
        let split = splitChains(chains)
        guard split.count >= 2, (split.first?.count ?? 0) >= 2 else { return .nan }
        let bulk = rawRHat(rankNormalize(split))
        let median = quantile(split.flatMap { $0 }.sorted(), 0.5)
        let folded = split.map { $0.map { abs($0 - median) } }
        let tail = rawRHat(rankNormalize(folded))
        return max(bulk, tail)
    }

    /// Bulk effective sample size (rank-normalised, split chains).
    public static func bulkESS(_ chains: [[Double]]) -> Double {
        let split = splitChains(chains)
        guard split.count >= 1, (split.first?.count ?? 0) >= 4 else { return .nan }
        return effectiveSampleSize(rankNormalize(split))
    }

    static func splitChains(_ chains: [[Double]]) -> [[Double]] {
        var out: [[Double]] = []
        for c in chains {
            let half = c.count / 2
            guard half > 0 else { continue }
            out.append(Array(c[0..<half]))
            out.append(Array(c[(c.count - half)...]))
        }
        return out
    }

    /// Replaces draws by normal scores of their fractional ranks over all chains (ties get average ranks).
    static func rankNormalize(_ chains: [[Double]]) -> [[Double]] {
        let all = chains.flatMap { $0 }
        let s = Double(all.count)
        let order = all.indices.sorted { all[$0] < all[$1] }
        var ranks = [Double](repeating: 0, count: all.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && all[order[j + 1]] == all[order[i]] { j += 1 }
            let r = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = r }
            i = j + 1
        }
        var out: [[Double]] = []
        var offset = 0
        for c in chains {
            out.append((0..<c.count).map { inverseNormalCDF((ranks[offset + $0] - 0.375) / (s + 0.25)) })
            offset += c.count
        }
        return out
    }

    static func rawRHat(_ chains: [[Double]]) -> Double {
        let m = Double(chains.count), n = Double(chains[0].count)
        let means = chains.map { $0.reduce(0, +) / n }
        let grand = means.reduce(0, +) / m
        let between = n / (m - 1) * means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
        var within = 0.0
        for (c, mean) in zip(chains, means) { within += c.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) }
        within /= m
        guard within > 0 else { return .nan }
        let varianceEstimate = (n - 1) / n * within + between / n
        return (varianceEstimate / within).squareRoot()
    }

    /// ESS with Geyer's initial positive monotone sequence over the chains' averaged autocorrelations.
    static func effectiveSampleSize(_ chains: [[Double]]) -> Double {
        let m = chains.count, n = chains[0].count
        let means = chains.map { $0.reduce(0, +) / Double(n) }
        let centered = zip(chains, means).map { c, mean in c.map { $0 - mean } }
        func meanAutocovariance(_ lag: Int) -> Double {
            var total = 0.0
            for c in centered {
                var s = 0.0
                var t = 0
                while t + lag < n { s += c[t] * c[t + lag]; t += 1 }
                total += s / Double(n)
            }
            return total / Double(m)
        }
        let acov0 = meanAutocovariance(0)
        let meanVariance = acov0 * Double(n) / Double(n - 1)
        var varPlus = meanVariance * Double(n - 1) / Double(n)
        if m > 1 {
            let grand = means.reduce(0, +) / Double(m)
            varPlus += means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(m - 1)
        }
        guard varPlus > 0 else { return Double(m * n) }
        func rho(_ lag: Int) -> Double { 1 - (meanVariance - meanAutocovariance(lag)) / varPlus }
        var rhos: [Double] = [1, rho(1)]
        var t = 1
        var previousPair = Double.infinity
        while t < n - 3 {
            let even = rho(t + 1), odd = rho(t + 2)
            var pair = even + odd
            if pair < 0 { break }
            if pair > previousPair { pair = previousPair }   // monotone
            previousPair = pair
            rhos.append(pair / 2); rhos.append(pair / 2)
            t += 2
        }
        let tau = -1 + 2 * rhos.reduce(0, +)
        let ess = Double(m * n) / max(tau, 1 / Foundation.log10(Double(m * n)))
        return ess
    }

    /// The `p` quantile of sorted values (linear interpolation).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The narrowest interval holding `probability` of the draws (highest density interval).
    public static func hdi(_ values: [Double], probability: Double = 0.9) -> (low: Double, high: Double) {
        let s = values.sorted()
        guard !s.isEmpty else { return (.nan, .nan) }
        let width = max(1, Int((probability * Double(s.count)).rounded(.down)))
        guard width < s.count else { return (s[0], s[s.count - 1]) }
        var best = 0
        var bestWidth = Double.infinity
        for i in 0..<(s.count - width) where s[i + width] - s[i] < bestWidth {
            bestWidth = s[i + width] - s[i]
            best = i
        }
        return (s[best], s[best + width])
    }

    /// Φ⁻¹(p) (Acklam's rational approximation, relative error < 1.2e-9).
    public static func inverseNormalCDF(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let pl = 0.02425
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p < pl {
            let q = (-2 * Foundation.log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - pl {
            let q = (-2 * Foundation.log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
