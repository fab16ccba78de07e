/// Predicted target for future periods of a fitted model: the future spend is appended to the fitted history so
/// adstock carries over, time (trend, seasonality) continues after the last fitted period.
public struct MMMPrediction: Sendable {
    public var mean: [Double]
    public var low: [Double]
    public var high: [Double]
    /// Posterior-mean contribution of each channel per future period.
    public var channelMeans: [[Double]]

    public static func predict(_ posterior: MMMPosterior, spend futureSpend: [[Double]], controls futureControls: [[Double]],
                               drawLimit: Int = 1000) throws -> MMMPrediction {
        let fitted = posterior.design
        let spec = fitted.specification
        let m = futureSpend.first?.count ?? 0
        guard futureSpend.count == spec.channelNames.count else { throw MMMInputError("channels: one spend column per channel is needed") }
        guard futureControls.count == spec.controlNames.count else { throw MMMInputError("controls: one column per control is needed") }
        for (c, s) in futureSpend.enumerated() {
            if let bad = s.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw MMMInputError("channel '\(spec.channelNames[c])': future row \(bad + 1) has a negative or non-finite spend")
            }
        }
        let spend = zip(fitted.spend, futureSpend).map { $0 + $1 }
        let controls = zip(fitted.controls, futureControls).map { $0 + $1 }
        let design = try MMMDesign(specification: spec, target: [], spend: spend, controls: controls,
                                   targetScale: fitted.targetScale, spendScales: fitted.spendScales,
                                   controlScales: fitted.controlScales, timeOffset: 0, trendSpan: fitted.trendSpan)
        let n = fitted.periodCount
        let draws = posterior.thinnedDraws(limit: drawLimit)
        var perPeriod = [[Double]](repeating: [], count: m)
        var channelSums = [[Double]](repeating: [Double](repeating: 0, count: m), count: spec.channelNames.count)
        for v in draws {
            let components = MMMComponents(design: design, parameters: v)
            let total = components.total
            for t in 0..<m { perPeriod[t].append(total[n + t]) }
            for c in 0..<spec.channelNames.count { for t in 0..<m { channelSums[c][t] += components.channels[c][n + t] } }
        }
        let count = Double(max(draws.count, 1))
        var mean: [Double] = [], low: [Double] = [], high: [Double] = []
        for values in perPeriod {
            mean.append(values.reduce(0, +) / count)
            let interval = ConvergenceDiagnostics.hdi(values, probability: 0.9)
            low.append(interval.low); high.append(interval.high)
        }
        return MMMPrediction(mean: mean, low: low, high: high, channelMeans: channelSums.map { $0.map { $0 / count } })
    }
}
