/// Per-channel total contribution and return on ad spend (ROAS = contribution / spend; ROI = ROAS − 1) over the
/// fitted periods, with posterior means and 90% HDIs.
public struct ChannelReturn: Sendable {
    public var channel: String
    public var totalSpend: Double
    public var contribution: Double
    public var contributionLow: Double
    public var contributionHigh: Double
    public var roas: Double
    public var roasLow: Double
    public var roasHigh: Double
    /// Posterior probability that `contribution` (the posterior mean) is within ±10% of the channel's true total
    /// contribution: the share of draws C with |mean / C − 1| < 0.1. For a calibrated posterior this is the chance that
    /// the estimate meets a ±10% accuracy requirement; it says how finely the data resolve the channel.
    public var withinTenPercentProbability: Double

    /// Computes every channel's returns from (at most `drawLimit`) posterior draws.
    public static func compute(_ posterior: MMMPosterior, drawLimit: Int = 2000) -> [ChannelReturn] {
        let design = posterior.design
        let draws = posterior.thinnedDraws(limit: drawLimit)
        let channelCount = design.specification.channelNames.count
        var totals = [[Double]](repeating: [], count: channelCount)
        for v in draws {
            let components = MMMComponents(design: design, parameters: v)
            for c in 0..<channelCount { totals[c].append(components.channels[c].reduce(0, +)) }
        }
        return (0..<channelCount).map { c in
            let spend = design.spend[c].reduce(0, +)
            let contribution = totals[c].reduce(0, +) / Double(max(totals[c].count, 1))
            let interval = ConvergenceDiagnostics.hdi(totals[c], probability: 0.9)
            let roasDraws = totals[c].map { spend > 0 ? $0 / spend : 0 }
            let roasInterval = ConvergenceDiagnostics.hdi(roasDraws, probability: 0.9)
            let close = totals[c].filter { $0 > 0 && abs(contribution / $0 - 1) < 0.1 }.count
            return ChannelReturn(channel: design.specification.channelNames[c], totalSpend: spend, contribution: contribution,
                                 contributionLow: interval.low, contributionHigh: interval.high,
                                 roas: spend > 0 ? contribution / spend : 0, roasLow: roasInterval.low, roasHigh: roasInterval.high,
                                 withinTenPercentProbability: Double(close) / Double(max(totals[c].count, 1)))
        }
    }
}
