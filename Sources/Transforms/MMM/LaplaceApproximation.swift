import Foundation

/// The Gaussian approximation of the posterior at its mode: the Hessian of the log density by central finite
/// differences of the analytic gradient, and its inverse (the approximate posterior covariance).
public enum LaplaceApproximation {
    /// Diagonal of −H⁻¹ at `mode`, or nil when the Hessian is not negative definite.
    public static func posteriorVarianceDiagonal(at mode: [Double],
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
        // Negative Hessian, symmetrised; Cholesky; invert.
        var a = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { a[i * d + j] = -0.5 * (hessian[i * d + j] + hessian[j * d + i]) } }
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = a[i * d + j]
                for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        // diag(A⁻¹) = Σ_k (L⁻¹)_{k i}²; solve L·z = e_i.
        var diagonal = [Double](repeating: 0, count: d)
        for i in 0..<d {
            var z = [Double](repeating: 0, count: d)
            for r in i..<d {
                var s = r == i ? 1.0 : 0.0
                for k in i..<r { s -= l[r * d + k] * z[k] }
                z[r] = s / l[r * d + r]
            }
            diagonal[i] = z.reduce(0) { $0 + $1 * $1 }
        }
        return diagonal.allSatisfy { $0.isFinite && $0 > 0 } ? diagonal : nil
    }
}
