import Foundation

/// The diminishing-returns curve applied to adstocked (and max-scaled) spend `u`.
///
/// - `logistic`: `f(u) = (1 − e^(−λu)) / (1 + e^(−λu))` (= tanh(λu/2)), one parameter λ > 0.
/// - `hill`: `f(u) = uˢ / (uˢ + κˢ)`, parameters κ > 0 (half-saturation point) and s > 0 (slope).
public enum SaturationCurve: String, Sendable, CaseIterable {
    case logistic
    case hill

    /// Names of the curve's parameters, in vector order.
    public var parameterNames: [String] {
        switch self {
        case .logistic: return ["lambda"]
        case .hill: return ["kappa", "slope"]
        }
    }

    public var parameterCount: Int { parameterNames.count }

    /// Gamma(shape, rate) priors of the parameters (PyMC-Marketing: λ ~ Gamma(3, 1)).
    public var priors: [(shape: Double, rate: Double)] {
        switch self {
        case .logistic: return [(3, 1)]
        case .hill: return [(2, 2), (3, 1.5)]
        }
    }

    /// f(u).
    @inline(__always)
    public func value(_ u: Double, _ p: UnsafeBufferPointer<Double>) -> Double {
        switch self {
        case .logistic:
            let e = Foundation.exp(-p[0] * u)
            return (1 - e) / (1 + e)
        case .hill:
            guard u > 0 else { return 0 }
            let r = Foundation.exp(p[1] * (Foundation.log(u) - Foundation.log(p[0])))
            return r.isInfinite ? 1 : r / (1 + r)
        }
    }

    /// f(u) with ∂f/∂u and ∂f/∂p[k] (written to `dParameters`).
    @inline(__always)
    public func valueAndDerivatives(_ u: Double, _ p: UnsafeBufferPointer<Double>,
                                    dParameters: UnsafeMutablePointer<Double>) -> (value: Double, dU: Double) {
        switch self {
        case .logistic:
            let lambda = p[0]
            let e = Foundation.exp(-lambda * u)
            let f = (1 - e) / (1 + e)
            let half = 0.5 * (1 - f * f)
            dParameters[0] = u * half
            return (f, lambda * half)
        case .hill:
            guard u > 0 else { dParameters[0] = 0; dParameters[1] = 0; return (0, 0) }
            let kappa = p[0], slope = p[1]
            let logRatio = Foundation.log(u) - Foundation.log(kappa)
            let r = Foundation.exp(slope * logRatio)
            if r.isInfinite { dParameters[0] = 0; dParameters[1] = 0; return (1, 0) }
            let f = r / (1 + r)
            let g = f * (1 - f)
            dParameters[0] = -g * slope / kappa
            dParameters[1] = g * logRatio
            return (f, g * slope / u)
        }
    }

    /// f(u) for a parameter array (not for inner loops).
    public func value(_ u: Double, parameters: [Double]) -> Double {
        parameters.withUnsafeBufferPointer { value(u, $0) }
    }
}
