import Foundation

/// Where each parameter sits in the unconstrained vector θ the optimiser and sampler work on, and how it maps
/// to its constrained value: adstock α = logistic(θ) (geometric) or Weibull shape and scale = exp(θ), saturation
/// parameters, channel β and σ = exp(θ), intercept, trend, Fourier and control coefficients unchanged.
/// Order: every channel's adstock parameters, every channel's saturation parameters, every channel's β, intercept,
/// base regressors, σ.
public struct MMMParameterLayout: Sendable, Equatable {
    public let channelCount: Int
    public let adstockKind: AdstockKind
    public let adstockParameterCount: Int
    public let saturationParameterCount: Int
    public let baseCount: Int
    public let hasTrend: Bool
    public let seasonality: Int
    public let controlCount: Int

    public init(_ spec: MMMSpecification) {
        channelCount = spec.channelNames.count
        adstockKind = spec.adstock
        adstockParameterCount = spec.adstock.parameterCount
        saturationParameterCount = spec.saturation.parameterCount
        hasTrend = spec.trend
        seasonality = spec.seasonality
        controlCount = spec.controlNames.count
        baseCount = (spec.trend ? 1 : 0) + 2 * spec.seasonality + spec.controlNames.count
    }

    /// Channel c's adstock parameter k (`adstock.parameterNames` order).
    public func adstock(_ c: Int, _ k: Int) -> Int { c * adstockParameterCount + k }
    /// Channel c's first adstock parameter: geometric α.
    public func alpha(_ c: Int) -> Int { adstock(c, 0) }
    public func saturation(_ c: Int, _ k: Int) -> Int { channelCount * adstockParameterCount + c * saturationParameterCount + k }
    public func beta(_ c: Int) -> Int { channelCount * (adstockParameterCount + saturationParameterCount) + c }
    public var intercept: Int { channelCount * (adstockParameterCount + 1 + saturationParameterCount) }
    /// Index of the first base regressor coefficient (trend, Fourier, controls, in `MMMDesign.baseRegressors` order).
    public var firstBase: Int { intercept + 1 }
    public var sigma: Int { firstBase + baseCount }
    public var count: Int { sigma + 1 }

    /// Parameter names as reported by `mmm_summary` (constrained scale).
    public func names(_ spec: MMMSpecification) -> [String] {
        var out = [String](repeating: "", count: count)
        for (c, ch) in spec.channelNames.enumerated() {
            for (k, p) in spec.adstock.parameterNames.enumerated() { out[adstock(c, k)] = "adstock_\(p)[\(ch)]" }
            for (k, p) in spec.saturation.parameterNames.enumerated() { out[saturation(c, k)] = "saturation_\(p)[\(ch)]" }
            out[beta(c)] = "channel_beta[\(ch)]"
        }
        out[intercept] = "intercept"
        var i = firstBase
        if spec.trend { out[i] = "trend"; i += 1 }
        for k in 0..<spec.seasonality {
            out[i] = "fourier_sin[\(k + 1)]"; out[i + 1] = "fourier_cos[\(k + 1)]"; i += 2
        }
        for name in spec.controlNames { out[i] = "control[\(name)]"; i += 1 }
        out[sigma] = "sigma"
        return out
    }

    /// The constrained parameter vector for an unconstrained θ.
    public func constrained(_ theta: [Double]) -> [Double] {
        var out = theta
        for c in 0..<channelCount {
            if adstockKind == .geometric {
                out[alpha(c)] = 1 / (1 + Foundation.exp(-theta[alpha(c)]))
            } else {
                for k in 0..<adstockParameterCount { out[adstock(c, k)] = Foundation.exp(theta[adstock(c, k)]) }
            }
            for k in 0..<saturationParameterCount { out[saturation(c, k)] = Foundation.exp(theta[saturation(c, k)]) }
            out[beta(c)] = Foundation.exp(theta[beta(c)])
        }
        out[sigma] = Foundation.exp(theta[sigma])
        return out
    }

    /// The unconstrained θ for a constrained vector (inverse of `constrained`).
    public func unconstrained(_ values: [Double]) -> [Double] {
        var out = values
        for c in 0..<channelCount {
            if adstockKind == .geometric {
                let a = min(max(values[alpha(c)], 1e-9), 1 - 1e-9)
                out[alpha(c)] = Foundation.log(a / (1 - a))
            } else {
                for k in 0..<adstockParameterCount { out[adstock(c, k)] = Foundation.log(max(values[adstock(c, k)], 1e-12)) }
            }
            for k in 0..<saturationParameterCount { out[saturation(c, k)] = Foundation.log(max(values[saturation(c, k)], 1e-12)) }
            out[beta(c)] = Foundation.log(max(values[beta(c)], 1e-12))
        }
        out[sigma] = Foundation.log(max(values[sigma], 1e-12))
        return out
    }
}
