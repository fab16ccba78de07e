import Foundation

/// Weekly marketing data generated from known parameters, after PyMC-Marketing's simulated example:
/// y = A·(intercept + trend + seasonality + 1.5·event₁ + 2.5·event₂ + Σ_c β_c·logistic(adstock(u_c); λ_c) + ε),
/// ε ~ Normal(0, noise), with spend_c = u_c · spendScale_c and u_c patterns: spiky (u > 0.9 ? u : u/2),
/// flighted (u > 0.8 ? u : 0) and pulsed campaigns (6 weeks on at 0.4–1, 6 weeks nearly off). Adstock is normalised
/// geometric (8 lags) by default, or PyMC-Marketing's normalised Weibull PDF / CDF adstock (8 lags) from known shape and
/// scale per channel (`adstock:`); the spend, baseline and noise draws are the same for every kind.
public struct MMMSimulation: Sendable {
    /// Days since 1970-01-01 of each week (Mondays, from 2021-01-04).
    public var weeks: [Int32]
    public var revenue: [Double]
    public var channelNames: [String]
    public var spend: [[Double]]
    public var controlNames: [String]
    public var controls: [[Double]]
    public var truth: MMMTruth

    public static let defaultChannelNames = ["tv", "search", "social", "display", "radio"]

    public init(weeks count: Int, channels: Int, seed: UInt64, noise: Double = 0.25, amplitude: Double = 1000,
                channelNames names: [String]? = nil, adstock: AdstockKind = .geometric,
                adstockShapes: [Double]? = nil, adstockScales: [Double]? = nil) throws {
        guard (8...5000).contains(count) else { throw MMMInputError("weeks: must be between 8 and 5000 (got \(count))") }
        guard (1...10).contains(channels) else { throw MMMInputError("channels: must be between 1 and 10 (got \(channels))") }
        guard noise >= 0, noise.isFinite else { throw MMMInputError("noise: must be a non-negative number") }
        let channelNames = names ?? (0..<channels).map { $0 < Self.defaultChannelNames.count ? Self.defaultChannelNames[$0] : "channel_\($0 + 1)" }
        guard channelNames.count == channels else { throw MMMInputError("channel_names: \(channelNames.count) names for \(channels) channels") }
        let weibull = try Self.weibullParameters(adstock, channels: channels, shapes: adstockShapes, scales: adstockScales)
        var rng = SplitMix64(seed: seed)
        let alphas = [0.4, 0.2, 0.6, 0.3, 0.5], lambdas = [4.0, 3.0, 2.0, 3.5, 2.5]
        let betas = [3.0, 2.0, 2.5, 1.5, 1.8], scales = [5000.0, 3000, 4000, 2000, 2500]
        var truthChannels: [MMMTruth.Channel] = []
        var spend: [[Double]] = []
        var mediaTotal = [Double](repeating: 0, count: count)
        for c in 0..<channels {
            var u = [Double](repeating: 0, count: count)
            for t in 0..<count {
                let draw = rng.unit()
                switch c % 3 {
                case 0: u[t] = draw > 0.9 ? draw : draw / 2
                case 1: u[t] = draw > 0.8 ? draw : 0
                default: u[t] = (t / 6 + c) % 2 == 0 ? 0.4 + 0.6 * draw : 0.05 * draw
                }
            }
            let k = c % 5
            var channel = MMMTruth.Channel(name: channelNames[c], alpha: alphas[k], lambda: lambdas[k],
                                           beta: betas[k] * amplitude, spendScale: scales[k] * (1 + Double(c / 5)),
                                           contribution: 0, totalSpend: 0)
            var adstockParameters = [channel.alpha]
            if let (shape, scale) = weibull?[c] {
                channel.alpha = Double.nan
                channel.adstockShape = shape
                channel.adstockScale = scale
                adstockParameters = [shape, scale]
            }
            let adstocked = adstock.apply(u, parameters: adstockParameters, lagCount: GeometricAdstock.defaultLagCount)
            var contribution = 0.0
            for t in 0..<count {
                let effect = channel.beta * SaturationCurve.logistic.value(adstocked[t], parameters: [channel.lambda])
                mediaTotal[t] += effect
                contribution += effect
            }
            let s = u.map { ($0 * channel.spendScale * 100).rounded() / 100 }
            var finished = channel
            finished.contribution = contribution
            finished.totalSpend = s.reduce(0, +)
            truthChannels.append(finished)
            spend.append(s)
        }
        let event1 = (0..<count).map { $0 == count / 4 ? 1.0 : 0.0 }
        let event2 = (0..<count).map { $0 == (3 * count) / 4 ? 1.0 : 0.0 }
        // Baseline exactly as PyMC-Marketing's example: intercept 2, trend (50·t/(n−1) + 10)^¼ − 1 (concave, rising by
        // about 1), seasonality ½·(−sin(2·2π·doy/365.5) + cos(2π·doy/365.5)) on the day of the year, noise Normal(0, 0.25).
        let start = Int32(ValueFormatting_days2021)
        weeks = (0..<count).map { start + Int32($0 * 7) }
        var revenue = [Double](repeating: 0, count: count)
        let intercept = 2.0
        for t in 0..<count {
            let trend = Foundation.pow(50 * Double(t) / Double(count - 1) + 10, 0.25) - 1
            let doy = Double(MMMSimulation.dayOfYear(daysSince1970: Int(weeks[t])))
            let seasonality = 0.5 * (-Foundation.sin(2 * 2 * Double.pi * doy / 365.5) + Foundation.cos(2 * Double.pi * doy / 365.5))
            let base = intercept + trend + seasonality + 1.5 * event1[t] + 2.5 * event2[t] + noise * rng.standardNormal()
            revenue[t] = ((amplitude * base + mediaTotal[t]) * 100).rounded() / 100
        }
        self.revenue = revenue
        self.channelNames = channelNames
        self.spend = spend
        controlNames = ["event_1", "event_2"]
        controls = [event1, event2]
        truth = MMMTruth(channels: truthChannels, amplitude: amplitude, intercept: intercept * amplitude, noise: noise * amplitude,
                         adstock: adstock)
    }

    /// Default true Weibull (shape, scale) per channel pattern (cycling every 5 channels, like α for geometric).
    public static let defaultWeibullPDF: [(shape: Double, scale: Double)] = [(1.5, 2.0), (2.0, 3.0), (3.0, 4.0), (1.0, 1.5), (2.5, 2.5)]
    public static let defaultWeibullCDF: [(shape: Double, scale: Double)] = [(1.0, 2.0), (1.5, 4.0), (2.0, 3.0), (0.8, 1.0), (1.2, 2.5)]

    /// The true (shape, scale) per channel for a Weibull simulation (nil for geometric); validates given values.
    static func weibullParameters(_ adstock: AdstockKind, channels: Int, shapes: [Double]?, scales: [Double]?) throws -> [(Double, Double)]? {
        guard adstock != .geometric else {
            if shapes != nil || scales != nil {
                throw MMMInputError("adstock_shape and adstock_scale need adstock => 'weibull_pdf' or 'weibull_cdf'")
            }
            return nil
        }
        let defaults = adstock == .weibullPDF ? defaultWeibullPDF : defaultWeibullCDF
        for (name, values) in [("adstock_shape", shapes), ("adstock_scale", scales)] {
            guard let values else { continue }
            guard values.count == channels else { throw MMMInputError("\(name): \(values.count) values for \(channels) channels") }
            if let bad = values.first(where: { !($0 > 0 && $0.isFinite) }) {
                throw MMMInputError("\(name): every value must be a positive number (got \(bad))")
            }
        }
        return (0..<channels).map { c in (shapes?[c] ?? defaults[c % 5].shape, scales?[c] ?? defaults[c % 5].scale) }
    }

    /// Day of the year (1…366) of a date given in days since 1970-01-01 (proleptic Gregorian calendar).
    static func dayOfYear(daysSince1970 days: Int) -> Int {
        // Civil-from-days (Howard Hinnant's algorithm), then the ordinal day.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doyFromMarch = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doyFromMarch + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        // Days before March 1 of this year: 59 or 60; doyFromMarch counts from March 1.
        let beforeMarch = leap ? 60 : 59
        return month <= 2 ? doyFromMarch - 306 + 1 : doyFromMarch + beforeMarch + 1
    }
}

/// 2021-01-04 (a Monday) in days since 1970-01-01.
let ValueFormatting_days2021 = 18631

/// The parameters a simulation was generated from, and the quantities a fit should recover.
public struct MMMTruth: Sendable {
    /// One channel's true parameters: α (geometric adstock; NaN for Weibull), λ (logistic, on spend / spendScale),
    /// β (target units), and the Weibull adstock's shape and scale (nil for geometric).
    public struct Channel: Sendable {
        public var name: String
        public var alpha: Double
        public var adstockShape: Double? = nil
        public var adstockScale: Double? = nil
        public var lambda: Double
        public var beta: Double
        public var spendScale: Double
        /// True total contribution over the simulated weeks.
        public var contribution: Double
        public var totalSpend: Double
        public var roas: Double { totalSpend > 0 ? contribution / totalSpend : 0 }

        /// True steady-state weekly return of a constant weekly spend.
        public func weeklyResponse(spend: Double) -> Double {
            beta * SaturationCurve.logistic.value(spend / spendScale, parameters: [lambda])
        }
    }
    public var channels: [Channel]
    public var amplitude: Double
    public var intercept: Double
    public var noise: Double
    /// The carry-over the data were simulated with.
    public var adstock: AdstockKind = .geometric
}
