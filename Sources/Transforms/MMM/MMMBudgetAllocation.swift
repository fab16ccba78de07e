/// The spend split across a fitted model's channels that maximises the expected (posterior-mean) steady-state
/// weekly return for a weekly budget, within per-channel bounds.
public struct MMMBudgetAllocation: Sendable {
    public var channels: [String]
    /// The historical spend mix scaled to the budget (and projected into the bounds): the baseline to beat.
    public var currentSpend: [Double]
    public var optimalSpend: [Double]
    /// Expected weekly return of each channel at the current spend scaled to the budget, and at the optimum.
    public var currentReturn: [Double]
    public var optimalReturn: [Double]

    public static func optimize(_ posterior: MMMPosterior, budget: Double, lower: [Double], upper: [Double],
                                drawLimit: Int = 400) throws -> MMMBudgetAllocation {
        let design = posterior.design
        let spec = design.specification
        let layout = posterior.layout
        let draws = posterior.thinnedDraws(limit: drawLimit)
        let n = spec.channelNames.count
        guard budget.isFinite, budget > 0 else { throw MMMInputError("budget: must be a positive number (got \(budget))") }
        // Per draw and channel: (y-scale·β, 1/spend-scale, saturation parameters).
        let P = layout.saturationParameterCount
        var coefficient = [Double](), inverseScale = [Double](), parameters = [Double]()
        for v in draws {
            for c in 0..<n {
                coefficient.append(design.targetScale * v[layout.beta(c)])
                inverseScale.append(1 / design.spendScales[c])
                for k in 0..<P { parameters.append(v[layout.saturation(c, k)]) }
            }
        }
        let drawCount = draws.count
        func perChannel(_ spend: [Double]) -> (values: [Double], gradient: [Double]) {
            var values = [Double](repeating: 0, count: n), gradient = [Double](repeating: 0, count: n)
            var scratch: (Double, Double) = (0, 0)
            parameters.withUnsafeBufferPointer { pp in
                for d in 0..<drawCount {
                    for c in 0..<n {
                        let i = d * n + c
                        let p = UnsafeBufferPointer(rebasing: pp[(i * P)..<((i + 1) * P)])
                        let r = withUnsafeMutablePointer(to: &scratch) { ptr in
                            ptr.withMemoryRebound(to: Double.self, capacity: 2) {
                                spec.saturation.valueAndDerivatives(spend[c] * inverseScale[i], p, dParameters: $0)
                            }
                        }
                        values[c] += coefficient[i] * r.value
                        gradient[c] += coefficient[i] * r.dU * inverseScale[i]
                    }
                }
            }
            let w = 1 / Double(max(drawCount, 1))
            return (values.map { $0 * w }, gradient.map { $0 * w })
        }
        let current = design.spend.map { $0.reduce(0, +) / Double(max(design.periodCount, 1)) }
        let currentTotal = current.reduce(0, +)
        let scaledCurrent = current.map { currentTotal > 0 ? $0 / currentTotal * budget : budget / Double(n) }
        let optimizer = BudgetOptimizer()
        var starts = [scaledCurrent]
        for c in 0..<n {
            var s = [Double](repeating: 0, count: n)
            s[c] = budget
            starts.append(s)
        }
        let best = try optimizer.maximize(budget: budget, lower: lower, upper: upper, starts: starts) { x in
            let r = perChannel(x)
            return (r.values.reduce(0, +), r.gradient)
        }
        let projectedCurrent = optimizer.project(scaledCurrent, budget: budget, lower: lower, upper: upper)
        return MMMBudgetAllocation(channels: spec.channelNames, currentSpend: projectedCurrent, optimalSpend: best.spend,
                                   currentReturn: perChannel(projectedCurrent).values, optimalReturn: perChannel(best.spend).values)
    }
}
