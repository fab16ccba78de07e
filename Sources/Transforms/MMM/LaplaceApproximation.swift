import Foundation

/// The Gaussian approximation of the posterior at its mode: the Hessian of the log density by central finite
/// differences of the analytic gradient, and its inverse (the approximate posterior covariance).
public enum LaplaceApproximation {
    /// Diagonal of −H⁻¹ at `mode`, or nil when the Hessian is not negative definite.
    public static func posteriorVarianceDiagonal(at mode: [Double],
                                                 _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> [Double]? {
        guard let covariance = posteriorCovariance(at: mode, f) else { return nil }
        let d = mode.count
        return (0..<d).map { covariance[$0 * d + $0] }
    }

    /// −H⁻¹ at `mode` (row-major d×d), or nil when the Hessian is not negative definite.
    public static func posteriorCovariance(at mode: [Double],
                                           _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> [Double]? {
        let d = mode.count
        var hessian = [Double](repeating: 0, count: d * d)
        var gPlus = [Double](repeating: 0, count: d), gMinus = gPlus
        for j in 0..<d {
            let h = 1e-5 * max(1, abs(mode[j]))
            var x = mode
            x[j] = mode[j] + h
            _ = f(x, &gPlus)
            x[j] = mode[j] - h
            _ = f(x, &gMinus)
            for i in 0..<d { hessian[i * d + j] = (gPlus[i] - gMinus[i]) / (2 * h) }
        }
        // Negative Hessian, symmetrised; Cholesky; invert column by column.
        var a = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { a[i * d + j] = -0.5 * (hessian[i * d + j] + hessian[j * d + i]) } }
        guard let l = KineticMetric.choleskyFactor(a, d) else { return nil }
        // A⁻¹ = L⁻ᵀ L⁻¹: Z = L⁻¹ (lower triangular), then A⁻¹[i][j] = Σ_k Z[k][i] Z[k][j].
        var z = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for r in i..<d {
                var s = r == i ? 1.0 : 0.0
                for k in i..<r { s -= l[r * d + k] * z[k * d + i] }
                z[r * d + i] = s / l[r * d + r]
            }
        }
        var covariance = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = 0.0
                for k in max(i, j)..<d { s += z[k * d + i] * z[k * d + j] }
                covariance[i * d + j] = s
                covariance[j * d + i] = s
            }
        }
        for i in 0..<d where !(covariance[i * d + i].isFinite && covariance[i * d + i] > 0) { return nil }
        return covariance
    }
}
