import Foundation
import Storage

/// The weekly sales (revenue) feed of the generated campaigns, driven by what each channel really spent.
///
/// Each channel's weekly spend is summed from the generated rows (every row's true cost, including rows the dirty
/// landing later garbles, since that money was spent). Revenue per week is a baseline — intercept, a linear trend and
/// yearly seasonality of two Fourier orders, the terms `mmm()` models — plus each channel's media effect
/// `β_c · logistic(adstock(spend_c / max spend_c; α_c); λ_c)`, plus Normal noise. β_c is set so that the channel's
/// total effect over the weeks is exactly `trueROAS × total spend`, so the truth a fit should recover is known.
public struct CampaignSalesFeed: Sendable {
    /// What one channel truly spent and returned.
    public struct ChannelTruth: Sendable {
        public var channel: CampaignChannel
        /// Total spend over the feed's weeks (all generated rows).
        public var spend: Double
        /// Total revenue the channel's spend caused over the weeks.
        public var contribution: Double
        /// The saturation's ceiling in revenue per week.
        public var beta: Double
        public var roas: Double { spend > 0 ? contribution / spend : 0 }
    }

    /// Monday of each week, days since 1970-01-01.
    public let weeks: [Int32]
    public let revenue: [Double]
    /// Spend per channel per week (`weeklySpend[c][w]`), in the generator's channel order.
    public let weeklySpend: [[Double]]
    public let channels: [ChannelTruth]
    /// Baseline revenue per week (no media).
    public let baseline: [Double]

    /// Sums the spend of `rows` generated rows per channel and week, then simulates revenue with Normal noise of
    /// standard deviation `noise` × the mean baseline. Media makes up about a third of revenue.
    public init(generator: CampaignGenerator, rows: Int, noise: Double = 0.03) {
        let options = generator.options
        let channelList = options.channels.isEmpty ? CampaignChannel.standard : options.channels
        let firstWeek = Self.monday(of: options.firstDate)
        let lastWeek = Self.monday(of: options.firstDate + Int32(max(1, options.days) - 1))
        let weekCount = Int(lastWeek - firstWeek) / 7 + 1
        var spend = [[Double]](repeating: [Double](repeating: 0, count: weekCount), count: channelList.count)
        for batch in generator.batches(totalRows: rows) {
            guard case let .int32(dates) = batch.columns[CampaignGenerator.ColumnIndex.date].data,
                  case let .double(costs) = batch.columns[CampaignGenerator.ColumnIndex.spend].data,
                  case let .dictionary(codes, _) = batch.columns[CampaignGenerator.ColumnIndex.channel].data else { continue }
            for i in 0..<batch.count {
                let week = Int(Self.monday(of: dates[i]) - firstWeek) / 7
                guard week >= 0, week < weekCount else { continue }
                spend[Int(codes[i])][week] += costs[i]
            }
        }

        var rng = SplitMix64(seed: options.seed, stream: .max - 1)
        var media = [Double](repeating: 0, count: weekCount)
        var truths: [ChannelTruth] = []
        for (c, channel) in channelList.enumerated() {
            let total = spend[c].reduce(0, +)
            let peak = spend[c].max() ?? 0
            guard total > 0, peak > 0 else {
                truths.append(ChannelTruth(channel: channel, spend: 0, contribution: 0, beta: 0)); continue
            }
            let adstocked = AdstockKind.geometric.apply(spend[c].map { $0 / peak }, parameters: [channel.adstockAlpha],
                                                       lagCount: GeometricAdstock.defaultLagCount)
            let shape = adstocked.map { SaturationCurve.logistic.value($0, parameters: [channel.saturationLambda]) }
            let shapeTotal = shape.reduce(0, +)
            let beta = shapeTotal > 0 ? channel.trueROAS * total / shapeTotal : 0
            var contribution = 0.0
            for w in 0..<weekCount {
                media[w] += beta * shape[w]
                contribution += beta * shape[w]
            }
            truths.append(ChannelTruth(channel: channel, spend: total, contribution: contribution, beta: beta))
        }

        let meanMedia = media.reduce(0, +) / Double(max(weekCount, 1))
        let level = max(2 * meanMedia, 1_000)
        let span = Double(max(weekCount - 1, 1))
        var baseline = [Double](repeating: 0, count: weekCount)
        var revenue = [Double](repeating: 0, count: weekCount)
        for w in 0..<weekCount {
            let t = Double(w)
            let year = 2 * Double.pi * t / MMMSpecification.seasonalPeriod
            let shape = 1 + 0.15 * t / span + 0.08 * Foundation.sin(year) + 0.05 * Foundation.cos(year)
                + 0.03 * Foundation.sin(2 * year) + 0.02 * Foundation.cos(2 * year)
            baseline[w] = level * shape
            revenue[w] = ((baseline[w] + media[w] + noise * level * rng.standardNormal()) * 100).rounded() / 100
        }
        weeks = (0..<weekCount).map { firstWeek + Int32($0 * 7) }
        self.revenue = revenue
        self.weeklySpend = spend
        self.channels = truths
        self.baseline = baseline
    }

    /// Writes the feed as `directory/weekly_sales.csv` (`week,revenue`, one row per week) and returns its path.
    @discardableResult
    public func writeCSV(to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("weekly_sales.csv")
        var text = "week,revenue\n"
        for (week, value) in zip(weeks, revenue) {
            text += ValueFormatting.format(date: week) + "," + String(format: "%.2f", value) + "\n"
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw TarnError.io("cannot write the sales feed \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// The Monday on or before a day (days since 1970-01-01, a Thursday).
    static func monday(of day: Int32) -> Int32 {
        day - Int32((Int(day) + 3).positiveModulo(7))
    }
}

private extension Int {
    func positiveModulo(_ m: Int) -> Int { ((self % m) + m) % m }
}
