import Execution

/// The carry-over transform inside the fit (`mmm(…, adstock => …)`), each normalised so a constant spend has steady
/// state equal to that spend (response curves, the optimiser and lift tests rely on it):
///
/// - `geometric`: PyMC-Marketing's `GeometricAdstock(normalize=True)`, one parameter α ∈ (0, 1) (`GeometricAdstock`).
/// - `weibullPDF`, `weibullCDF`: PyMC-Marketing's `WeibullPDFAdstock` / `WeibullCDFAdstock(normalize=True)`, parameters
///   shape k > 0 and scale λ > 0 (`WeibullAdstock`, weights from `WeibullAdstockWeights`).
public enum AdstockKind: String, Sendable, CaseIterable {
    case geometric
    case weibullPDF = "weibull_pdf"
    case weibullCDF = "weibull_cdf"

    /// Names of the parameters, in vector order (reported as `adstock_<name>[channel]`).
    public var parameterNames: [String] {
        switch self {
        case .geometric: return ["alpha"]
        case .weibullPDF, .weibullCDF: return ["shape", "scale"]
        }
    }

    public var parameterCount: Int { parameterNames.count }

    /// Gamma(shape, rate) priors of the Weibull parameters (shape k, then scale λ): PyMC-Marketing's defaults,
    /// `WeibullPDFAdstock`: k ~ Gamma(μ = 3, σ = 1), λ ~ Gamma(μ = 2, σ = 1); `WeibullCDFAdstock`: k, λ ~ Gamma(μ = 2, σ = 2.5)
    /// (Gamma(μ, σ) = Gamma(shape μ²/σ², rate μ/σ²)). Empty for geometric (α ~ Beta(1, 3), in `MMMLogPosterior`).
    public var priors: [(shape: Double, rate: Double)] {
        switch self {
        case .geometric: return []
        case .weibullPDF: return [(9, 3), (4, 2)]
        case .weibullCDF: return [(0.64, 0.32), (0.64, 0.32)]
        }
    }

    /// The Weibull weights' kind (nil for geometric).
    public var weibullKind: WeibullAdstockWeights.Kind? {
        switch self {
        case .geometric: return nil
        case .weibullPDF: return .pdf
        case .weibullCDF: return .cdf
        }
    }

    /// The adstocked series for constrained parameters (`parameterCount` of them), not for inner loops.
    public func apply(_ x: [Double], parameters p: [Double], lagCount: Int) -> [Double] {
        guard let kind = weibullKind else { return GeometricAdstock.apply(x, alpha: p[0], lagCount: lagCount) }
        return WeibullAdstock.apply(x, kind: kind, shape: p[0], scale: p[1], lagCount: lagCount)
    }
}
