import Foundation

/// The coordinates the optimiser and the sampler work in: the unconstrained vector of `MMMParameterLayout`, except
/// that each channel's log β is replaced by the log of its effect at a reference spend,
/// `m_c = β_c · f(u_c; θ_c)` with `u_c = Σ x² / Σ x` of the channel's scaled spend (its spend-weighted level).
///
/// The data pin down the effect of typical spend far better than β and the curve parameters separately: in the
/// standard coordinates β and λ lie on a curved ridge (β ∝ 1/λ while spend is in the near-linear part of the
/// curve, β constant once it saturates) that no mass matrix can straighten. With `log m` instead of `log β` the
/// ridge is close to axis-aligned. The map `(log m, log θ) → (log β = log m − log f(u; θ), log θ)` has unit
/// Jacobian determinant, so the density is unchanged and the priors stay on β and θ.
public struct MMMEffectParameterisation: Sendable {
    public let layout: MMMParameterLayout
    public let saturation: SaturationCurve
    /// u_c per channel (on the scaled spend, > 0).
    public let referenceSpend: [Double]

    public init(design: MMMDesign) {
        layout = MMMParameterLayout(design.specification)
        saturation = design.specification.saturation
        referenceSpend = design.scaledSpend.map { x in
            let sum = x.reduce(0, +), squares = x.reduce(0) { $0 + $1 * $1 }
            return sum > 0 ? squares / sum : 1
        }
    }

    /// log f(u_c; θ_c) and its derivatives with respect to the log curve parameters (written to `dLog`).
    @inline(__always)
    func logCurveAtReference(_ c: Int, _ theta: UnsafeBufferPointer<Double>, dLog: UnsafeMutablePointer<Double>) -> Double {
        let count = layout.saturationParameterCount
        var parameters: (Double, Double) = (0, 0), derivatives: (Double, Double) = (0, 0)
        return withUnsafeMutablePointer(to: &parameters) { pp in
            pp.withMemoryRebound(to: Double.self, capacity: 2) { p in
                for k in 0..<count { p[k] = Foundation.exp(theta[layout.saturation(c, k)]) }
                return withUnsafeMutablePointer(to: &derivatives) { dp in
                    dp.withMemoryRebound(to: Double.self, capacity: 2) { d in
                        let r = saturation.valueAndDerivatives(referenceSpend[c], UnsafeBufferPointer(start: p, count: count),
                                                               dParameters: d)
                        let f = max(r.value, 1e-300)
                        for k in 0..<count { dLog[k] = d[k] * p[k] / f }   // ∂ log f / ∂ log p_k
                        return Foundation.log(f)
                    }
                }
            }
        }
    }

    /// Standard coordinates for effect coordinates `effect` (written to `standard`).
    func standard(from effect: UnsafeBufferPointer<Double>, into standard: UnsafeMutableBufferPointer<Double>) {
        var scratch: (Double, Double) = (0, 0)
        for i in 0..<effect.count { standard[i] = effect[i] }
        withUnsafeMutablePointer(to: &scratch) { sp in
            sp.withMemoryRebound(to: Double.self, capacity: 2) { d in
                for c in 0..<layout.channelCount {
                    standard[layout.beta(c)] = effect[layout.beta(c)] - logCurveAtReference(c, effect, dLog: d)
                }
            }
        }
    }

    /// Standard coordinates for effect coordinates (arrays).
    public func standard(from effect: [Double]) -> [Double] {
        var out = effect
        effect.withUnsafeBufferPointer { e in out.withUnsafeMutableBufferPointer { standard(from: e, into: $0) } }
        return out
    }

    /// Effect coordinates for standard coordinates (the inverse map).
    public func effect(from standard: [Double]) -> [Double] {
        var out = standard
        var scratch: (Double, Double) = (0, 0)
        standard.withUnsafeBufferPointer { s in
            withUnsafeMutablePointer(to: &scratch) { sp in
                sp.withMemoryRebound(to: Double.self, capacity: 2) { d in
                    for c in 0..<layout.channelCount {
                        out[layout.beta(c)] = s[layout.beta(c)] + logCurveAtReference(c, s, dLog: d)
                    }
                }
            }
        }
        return out
    }

    /// Turns a gradient with respect to standard coordinates into one with respect to effect coordinates at `effect`:
    /// ∂/∂log θ_k gains −(∂ log f/∂ log θ_k)·∂/∂log β; ∂/∂log m equals ∂/∂log β.
    func chainGradient(at effect: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) {
        var scratch: (Double, Double) = (0, 0)
        withUnsafeMutablePointer(to: &scratch) { sp in
            sp.withMemoryRebound(to: Double.self, capacity: 2) { d in
                for c in 0..<layout.channelCount {
                    _ = logCurveAtReference(c, effect, dLog: d)
                    let gBeta = gradient[layout.beta(c)]
                    for k in 0..<layout.saturationParameterCount { gradient[layout.saturation(c, k)] -= d[k] * gBeta }
                }
            }
        }
    }
}
