/// The additive components of the model's prediction for one constrained parameter vector, in target units.
public struct MMMComponents: Sendable {
    public var intercept: Double
    public var trend: [Double]
    public var seasonality: [Double]
    /// One series per control.
    public var controls: [[Double]]
    /// One series per channel: y-scale · β · f(adstock(spend)).
    public var channels: [[Double]]

    /// The sum of all components (the model's mean prediction).
    public var total: [Double] {
        let n = trend.count
        var out = [Double](repeating: intercept, count: n)
        for t in 0..<n { out[t] += trend[t] + seasonality[t] }
        for series in controls + channels { for t in 0..<n { out[t] += series[t] } }
        return out
    }

    /// Evaluates the components on `design` for the constrained parameters `v`.
    public init(design: MMMDesign, parameters v: [Double]) {
        let spec = design.specification
        let layout = MMMParameterLayout(spec)
        let n = design.periodCount, scale = design.targetScale
        intercept = v[layout.intercept] * scale
        var row = 0
        var trend = [Double](repeating: 0, count: n)
        if spec.trend {
            let coef = v[layout.firstBase] * scale
            for t in 0..<n { trend[t] = coef * design.baseRegressors[0][t] }
            row = 1
        }
        var seasonality = [Double](repeating: 0, count: n)
        for _ in 0..<(2 * spec.seasonality) {
            let coef = v[layout.firstBase + row] * scale
            for t in 0..<n { seasonality[t] += coef * design.baseRegressors[row][t] }
            row += 1
        }
        var controls: [[Double]] = []
        for _ in spec.controlNames {
            let coef = v[layout.firstBase + row] * scale
            controls.append(design.baseRegressors[row].map { coef * $0 })
            row += 1
        }
        var channels: [[Double]] = []
        for c in 0..<layout.channelCount {
            let adstocked = spec.adstock.apply(design.scaledSpend[c], parameters: (0..<layout.adstockParameterCount).map { v[layout.adstock(c, $0)] },
                                               lagCount: spec.adstockLagCount)
            let p = (0..<layout.saturationParameterCount).map { v[layout.saturation(c, $0)] }
            let beta = v[layout.beta(c)] * scale
            channels.append(adstocked.map { beta * spec.saturation.value($0, parameters: p) })
        }
        self.trend = trend
        self.seasonality = seasonality
        self.controls = controls
        self.channels = channels
    }

    /// Steady-state weekly response of channel `c` to a constant weekly spend (normalised adstock keeps the level).
    public static func steadyStateResponse(design: MMMDesign, parameters v: [Double], channel c: Int, spend: Double) -> Double {
        let layout = MMMParameterLayout(design.specification)
        let p = (0..<layout.saturationParameterCount).map { v[layout.saturation(c, $0)] }
        return design.targetScale * v[layout.beta(c)]
            * design.specification.saturation.value(spend / design.spendScales[c], parameters: p)
    }
}
