/// A fitted model: its data (`design`), posterior draws of the constrained parameters, per-parameter summaries and
/// the sampler's diagnostics. Everything the output functions (contributions, ROI, curves, optimiser) need.
public struct MMMPosterior: Sendable {
    public let design: MMMDesign
    public let layout: MMMParameterLayout
    public let parameterNames: [String]
    /// Constrained parameter vectors, chain after chain (`chainCount × drawsPerChain` rows).
    public let draws: [[Double]]
    public let chainCount: Int
    public let drawsPerChain: Int
    /// The posterior mode (MAP), constrained.
    public let mode: [Double]
    public let summary: [MMMParameterSummary]
    public let diagnostics: MMMSamplerDiagnostics

    /// A posterior with a summary already computed (e.g. loaded from the catalog).
    public init(design: MMMDesign, draws: [[Double]], chainCount: Int, drawsPerChain: Int, mode: [Double],
                diagnostics: MMMSamplerDiagnostics, summary: [MMMParameterSummary]) {
        self.design = design
        layout = MMMParameterLayout(design.specification)
        parameterNames = layout.names(design.specification)
        self.draws = draws
        self.chainCount = chainCount
        self.drawsPerChain = drawsPerChain
        self.mode = mode
        self.diagnostics = diagnostics
        self.summary = summary
    }

    /// A posterior whose summary (mean, sd, HDI, R-hat, ESS) is computed from the draws.
    public init(design: MMMDesign, draws: [[Double]], chainCount: Int, drawsPerChain: Int, mode: [Double],
                diagnostics: MMMSamplerDiagnostics) {
        let names = MMMParameterLayout(design.specification).names(design.specification)
        let summary = names.enumerated().map { i, name in
            let values = draws.map { $0[i] }
            let chains = (0..<chainCount).map { c in Array(values[(c * drawsPerChain)..<((c + 1) * drawsPerChain)]) }
            return MMMParameterSummary(name: name, values: values, chains: chains)
        }
        self.init(design: design, draws: draws, chainCount: chainCount, drawsPerChain: drawsPerChain, mode: mode,
                  diagnostics: diagnostics, summary: summary)
    }

    /// Posterior mean of the constrained parameters.
    public var mean: [Double] {
        guard let first = draws.first else { return mode }
        var m = [Double](repeating: 0, count: first.count)
        for d in draws { for i in 0..<m.count { m[i] += d[i] } }
        return m.map { $0 / Double(draws.count) }
    }

    /// At most `limit` draws, evenly thinned (for derived quantities that are costly per draw).
    public func thinnedDraws(limit: Int) -> [[Double]] {
        guard draws.count > limit, limit > 0 else { return draws }
        let step = Double(draws.count) / Double(limit)
        return (0..<limit).map { draws[Int(Double($0) * step)] }
    }
}

/// One parameter's posterior summary: mean, sd, 90% HDI, split R-hat, bulk ESS.
public struct MMMParameterSummary: Sendable {
    public var name: String
    public var mean: Double
    public var sd: Double
    public var hdiLow: Double
    public var hdiHigh: Double
    public var rHat: Double
    public var essBulk: Double

    public init(name: String, mean: Double, sd: Double, hdiLow: Double, hdiHigh: Double, rHat: Double, essBulk: Double) {
        self.name = name; self.mean = mean; self.sd = sd; self.hdiLow = hdiLow; self.hdiHigh = hdiHigh
        self.rHat = rHat; self.essBulk = essBulk
    }

    init(name: String, values: [Double], chains: [[Double]]) {
        let n = Double(max(values.count, 1))
        let m = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / max(n - 1, 1)
        let interval = ConvergenceDiagnostics.hdi(values, probability: 0.9)
        self.init(name: name, mean: m, sd: variance.squareRoot(), hdiLow: interval.low, hdiHigh: interval.high,
                  rHat: ConvergenceDiagnostics.splitRHat(chains), essBulk: ConvergenceDiagnostics.bulkESS(chains))
    }
}

/// How the sampler went: the method actually used, divergences, step size, tree depth, timings.
public struct MMMSamplerDiagnostics: Sendable {
    public var method: String
    public var divergences: Int
    public var meanTreeDepth: Double
    public var meanAcceptance: Double
    public var stepSize: Double
    public var gradientEvaluations: Int
    public var mapLogPosterior: Double
    public var fitSeconds: Double
    public var maxRHat: Double
    public var minESSBulk: Double

    public init(method: String, divergences: Int, meanTreeDepth: Double, meanAcceptance: Double, stepSize: Double,
                gradientEvaluations: Int, mapLogPosterior: Double, fitSeconds: Double, maxRHat: Double, minESSBulk: Double) {
        self.method = method; self.divergences = divergences; self.meanTreeDepth = meanTreeDepth
        self.meanAcceptance = meanAcceptance; self.stepSize = stepSize; self.gradientEvaluations = gradientEvaluations
        self.mapLogPosterior = mapLogPosterior; self.fitSeconds = fitSeconds; self.maxRHat = maxRHat; self.minESSBulk = minESSBulk
    }
}
