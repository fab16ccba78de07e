import Foundation
import Storage

/// Trino's statistical functions: `normal_cdf(mean, sd, v)`, `inverse_normal_cdf(mean, sd, p)`,
/// `beta_cdf(a, b, v)`, `inverse_beta_cdf(a, b, p)`, `wilson_interval_lower / _upper(successes, trials, z)` and
/// `width_bucket(x, bound1, bound2, n)`. Out-of-domain arguments are errors naming the function, as in Trino.
enum ProbabilityFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("normal_cdf", [Overload([.double, .double, .double], .double) { a, n, _ in
                try RowwiseKernels.doubles(a, n) { x, i in
                    let mean = x.double(0, i), sd = x.double(1, i), v = x.double(2, i)
                    guard sd > 0 else { throw TarnError(.execution, "normal_cdf: standard deviation must be > 0 (got \(sd))") }
                    return 0.5 * erfc(-(v - mean) / (sd * 2.0.squareRoot()))
                }
            }]),
            FunctionDefinition("inverse_normal_cdf", [Overload([.double, .double, .double], .double) { a, n, _ in
                try RowwiseKernels.doubles(a, n) { x, i in
                    let mean = x.double(0, i), sd = x.double(1, i), p = x.double(2, i)
                    guard sd > 0 else { throw TarnError(.execution, "inverse_normal_cdf: standard deviation must be > 0 (got \(sd))") }
                    guard p > 0, p < 1 else { throw TarnError(.execution, "inverse_normal_cdf: p must be between 0 and 1, exclusive (got \(p))") }
                    return mean + sd * standardNormalQuantile(p)
                }
            }]),
            FunctionDefinition("beta_cdf", [Overload([.double, .double, .double], .double) { a, n, _ in
                try RowwiseKernels.doubles(a, n) { x, i in
                    let (alpha, beta, v) = (x.double(0, i), x.double(1, i), x.double(2, i))
                    try checkShape(alpha, beta, "beta_cdf")
                    guard v >= 0, v <= 1 else { throw TarnError(.execution, "beta_cdf: value must be between 0 and 1 (got \(v))") }
                    return regularizedIncompleteBeta(alpha, beta, v)
                }
            }]),
            FunctionDefinition("inverse_beta_cdf", [Overload([.double, .double, .double], .double) { a, n, _ in
                try RowwiseKernels.doubles(a, n) { x, i in
                    let (alpha, beta, p) = (x.double(0, i), x.double(1, i), x.double(2, i))
                    try checkShape(alpha, beta, "inverse_beta_cdf")
                    guard p >= 0, p <= 1 else { throw TarnError(.execution, "inverse_beta_cdf: p must be between 0 and 1 (got \(p))") }
                    return inverseRegularizedIncompleteBeta(alpha, beta, p)
                }
            }]),
            wilson("wilson_interval_lower", sign: -1),
            wilson("wilson_interval_upper", sign: 1),
            FunctionDefinition("width_bucket", [Overload([.double, .double, .double, .bigint], .bigint) { a, n, _ in
                try RowwiseKernels.integers(a, n) { x, i in
                    try widthBucket(x.double(0, i), x.double(1, i), x.double(2, i), x.int(3, i))
                }
            }]),
        ]
    }

    private static func checkShape(_ a: Double, _ b: Double, _ function: String) throws {
        guard a > 0, b > 0, a.isFinite, b.isFinite else {
            throw TarnError(.execution, "\(function): a and b must be > 0 (got \(a), \(b))")
        }
    }

    /// Wilson score interval bound for a binomial proportion (`sign` -1: lower, +1: upper).
    private static func wilson(_ name: String, sign: Double) -> FunctionDefinition {
        FunctionDefinition(name, [Overload([.bigint, .bigint, .double], .double) { a, n, _ in
            try RowwiseKernels.doubles(a, n) { x, i in
                let successes = Double(x.int(0, i)), trials = Double(x.int(1, i)), z = x.double(2, i)
                guard successes >= 0 else { throw TarnError(.execution, "\(name): number of successes must be >= 0") }
                guard trials > 0 else { throw TarnError(.execution, "\(name): number of trials must be > 0") }
                guard successes <= trials else { throw TarnError(.execution, "\(name): number of successes must not exceed the number of trials") }
                guard z >= 0 else { throw TarnError(.execution, "\(name): z-score must be >= 0") }
                let p = successes / trials, z2 = z * z
                let center = p + z2 / (2 * trials)
                let spread = z * (p * (1 - p) / trials + z2 / (4 * trials * trials)).squareRoot()
                return (center + sign * spread) / (1 + z2 / trials)
            }
        }])
    }

    /// The bucket of `x` among `count` equal-width buckets from `bound1` to `bound2` (either order): 0 below the
    /// range, `count + 1` past it.
    static func widthBucket(_ x: Double, _ bound1: Double, _ bound2: Double, _ count: Int64) throws -> Int64 {
        guard count > 0 else { throw TarnError(.execution, "width_bucket: bucket count must be > 0 (got \(count))") }
        guard !x.isNaN else { throw TarnError(.execution, "width_bucket: operand must not be NaN") }
        guard bound1.isFinite, bound2.isFinite else { throw TarnError(.execution, "width_bucket: bounds must be finite") }
        guard bound1 != bound2 else { throw TarnError(.execution, "width_bucket: bounds cannot equal each other") }
        let buckets = Double(count)
        if bound1 < bound2 {
            if x < bound1 { return 0 }
            if x >= bound2 { return count + 1 }
            return Int64(buckets * (x - bound1) / (bound2 - bound1) + 1)
        }
        if x > bound1 { return 0 }
        if x <= bound2 { return count + 1 }
        return Int64(buckets * (bound1 - x) / (bound1 - bound2) + 1)
    }

    /// Φ⁻¹(p) by Acklam's rational approximation, refined with one Halley step on erfc (≈ 1e-15 relative).
    static func standardNormalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = horner(c, q) / (horner(d, q) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = horner(a, r) * q / (horner(b, r) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -horner(c, q) / (horner(d, q) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }

    /// c₀xⁿ⁻¹ + c₁xⁿ⁻² + … + cₙ₋₁.
    private static func horner(_ coefficients: [Double], _ x: Double) -> Double {
        coefficients.reduce(0) { $0 * x + $1 }
    }

    /// I_x(a, b) by the continued fraction of Numerical Recipes (Lentz's method), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.
    static func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logPowers - logBeta
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * betaContinuedFraction(a, b, x) / a }
        return 1 - exp(logFront) * betaContinuedFraction(b, a, 1 - x) / b
    }

    private static func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }

    /// The x with I_x(a, b) = p, by bisection (the function is monotone on [0, 1]).
    static func inverseRegularizedIncompleteBeta(_ a: Double, _ b: Double, _ p: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var lo = 0.0, hi = 1.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if regularizedIncompleteBeta(a, b, mid) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
