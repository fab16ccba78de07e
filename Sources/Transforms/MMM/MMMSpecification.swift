/// What to fit: the model's structure and the sampler's settings (the arguments of `mmm(…)`).
public struct MMMSpecification: Sendable, Equatable {
    public var channelNames: [String]
    public var controlNames: [String]
    /// Fourier harmonics of the 52.18-period yearly cycle (0 = no seasonality).
    public var seasonality: Int
    public var trend: Bool
    public var saturation: SaturationCurve
    /// The carry-over transform (geometric by default).
    public var adstock: AdstockKind
    /// Adstock lag weights (PyMC-Marketing's `l_max`; the Weibull CDF kind has one more, as in PyMC-Marketing).
    public var adstockLagCount: Int
    public var seed: UInt64
    public var chains: Int
    /// Warm-up (tuning) iterations per chain.
    public var tune: Int
    /// Kept draws per chain.
    public var draws: Int
    public var targetAccept: Double
    public var maxTreeDepth: Int

    /// Period of the seasonal Fourier terms, in rows (weeks per year).
    public static let seasonalPeriod = 52.18

    public init(channelNames: [String], controlNames: [String] = [], seasonality: Int = 2, trend: Bool = true,
                saturation: SaturationCurve = .logistic, adstockLagCount: Int = GeometricAdstock.defaultLagCount,
                seed: UInt64 = 42, chains: Int = 4, tune: Int = 1000, draws: Int = 1000,
                targetAccept: Double = 0.8, maxTreeDepth: Int = 10, adstock: AdstockKind = .geometric) {
        self.channelNames = channelNames
        self.controlNames = controlNames
        self.seasonality = seasonality
        self.trend = trend
        self.saturation = saturation
        self.adstock = adstock
        self.adstockLagCount = adstockLagCount
        self.seed = seed
        self.chains = chains
        self.tune = tune
        self.draws = draws
        self.targetAccept = targetAccept
        self.maxTreeDepth = maxTreeDepth
    }
}
