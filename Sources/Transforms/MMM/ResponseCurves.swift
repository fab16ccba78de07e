/// One point of a channel's response curve: steady-state weekly contribution at a constant weekly spend.
public struct ResponseCurvePoint: Sendable {
    public var channel: String
    public var spend: Double
    public var response: Double
    public var responseLow: Double
    public var responseHigh: Double
    /// d(mean response)/d(spend), by central difference.
    public var marginalReturn: Double

    /// `points` spends per channel from 0 to `maxSpendFactor` × the channel's largest historical weekly spend.
    public static func compute(_ posterior: MMMPosterior, points: Int, maxSpendFactor: Double = 1.5, drawLimit: Int = 1000) -> [ResponseCurvePoint] {
        let design = posterior.design
        let draws = posterior.thinnedDraws(limit: drawLimit)
        var out: [ResponseCurvePoint] = []
        for (c, name) in design.specification.channelNames.enumerated() {
            let top = design.spendScales[c] * maxSpendFactor
            let count = max(points, 2)
            for i in 0..<count {
                let spend = top * Double(i) / Double(count - 1)
                let values = draws.map { MMMComponents.steadyStateResponse(design: design, parameters: $0, channel: c, spend: spend) }
                let mean = values.reduce(0, +) / Double(max(values.count, 1))
                let h = max(top * 1e-4, 1e-9)
                let up = draws.reduce(0) { $0 + MMMComponents.steadyStateResponse(design: design, parameters: $1, channel: c, spend: spend + h) }
                let down = draws.reduce(0) { $0 + MMMComponents.steadyStateResponse(design: design, parameters: $1, channel: c, spend: max(spend - h, 0)) }
                let marginal = (up - down) / Double(max(draws.count, 1)) / (spend + h - max(spend - h, 0))
                let interval = ConvergenceDiagnostics.hdi(values, probability: 0.9)
                out.append(ResponseCurvePoint(channel: name, spend: spend, response: mean, responseLow: interval.low,
                                              responseHigh: interval.high, marginalReturn: marginal))
            }
        }
        return out
    }
}
