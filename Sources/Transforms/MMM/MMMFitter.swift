import Foundation
import Dispatch

/// Fits the model: posterior mode by L-BFGS from several starts, a Laplace approximation for the initial mass
/// matrix, then `chains` NUTS chains run in parallel (`DispatchQueue.concurrentPerform`), each seeded from
/// the specification's seed so the fit is reproducible whatever the thread timing.
public enum MMMFitter {
    public static func fit(_ design: MMMDesign) -> MMMPosterior {
        let started = Date()
        let spec = design.specification
        let layout = MMMParameterLayout(spec)
        let target = MMMLogPosterior(design: design)
        // Optimiser and sampler work in effect coordinates (log effect at a reference spend instead of log β).
        let coordinates = target.effectCoordinates
        let f: (_ x: [Double], _ g: inout [Double]) -> Double = { x, g in target.logDensity(effect: x, gradient: &g) }
        // MAP from a few starts.
        var best: LBFGSOptimizer.Result?
        let starts = initialPoints(design, layout).map { coordinates.effect(from: $0) }
        for start in starts {
            let r = LBFGSOptimizer().maximize(from: start, f)
            if r.value.isFinite, r.value > (best?.value ?? -.infinity) { best = r }
        }
        let mapPoint = best?.point ?? starts[0]
        let mapValue = best?.value ?? -.infinity
        // The Laplace covariance at the mode is the initial (dense) inverse mass matrix; warm-up re-estimates it.
        let d = layout.count
        let covariance = LaplaceApproximation.posteriorCovariance(at: mapPoint, f)
        let variance = covariance.map { c in (0..<d).map { c[$0 * d + $0] } } ?? [Double](repeating: 0.01, count: d)
        let initialMetric = covariance ?? variance
        let chainCount = max(1, spec.chains)
        let sampler = NUTSSampler(tune: spec.tune, draws: spec.draws, targetAccept: spec.targetAccept, maxTreeDepth: spec.maxTreeDepth)
        let results = ChainResults(count: chainCount)
        DispatchQueue.concurrentPerform(iterations: chainCount) { chain in
            let density = MMMLogPosterior(design: design)
            var rng = SplitMix64(seed: spec.seed, stream: UInt64(chain) &+ 1)
            // Jittered start around the mode (PyMC's "jitter+adapt_diag" idea).
            let start = (0..<mapPoint.count).map { mapPoint[$0] + 0.5 * variance[$0].squareRoot() * max(-2, min(2, rng.standardNormal())) }
            let r = sampler.run(start: start, inverseMass: initialMetric, seed: rng.next()) { x, g in density.logDensity(effect: x, gradient: &g) }
            results.set(chain, r)
        }
        let chains = results.all()
        let draws = chains.flatMap { $0.draws.map { layout.constrained(coordinates.standard(from: $0)) } }
        let mode = layout.constrained(coordinates.standard(from: mapPoint))
        let posteriorDraws = draws.isEmpty ? [mode] : draws
        let provisional = MMMSamplerDiagnostics(
            method: "NUTS (multinomial, dense mass adapted in windowed warm-up, dual-averaging step size)",
            divergences: chains.reduce(0) { $0 + $1.divergences },
            meanTreeDepth: chains.reduce(0) { $0 + $1.meanTreeDepth } / Double(max(chains.count, 1)),
            meanAcceptance: chains.reduce(0) { $0 + $1.meanAcceptance } / Double(max(chains.count, 1)),
            stepSize: chains.reduce(0) { $0 + $1.stepSize } / Double(max(chains.count, 1)),
            gradientEvaluations: chains.reduce(target.evaluations) { $0 + $1.gradientEvaluations },
            mapLogPosterior: mapValue, fitSeconds: 0, maxRHat: .nan, minESSBulk: .nan)
        let perChain = draws.isEmpty ? 1 : spec.draws
        var posterior = MMMPosterior(design: design, draws: posteriorDraws, chainCount: draws.isEmpty ? 1 : chainCount,
                                     drawsPerChain: perChain, mode: mode, diagnostics: provisional)
        var diagnostics = provisional
        diagnostics.fitSeconds = Date().timeIntervalSince(started)
        diagnostics.maxRHat = posterior.summary.map(\.rHat).filter { !$0.isNaN }.max() ?? .nan
        diagnostics.minESSBulk = posterior.summary.map(\.essBulk).filter { !$0.isNaN }.min() ?? .nan
        posterior = MMMPosterior(design: design, draws: posterior.draws, chainCount: posterior.chainCount,
                                 drawsPerChain: posterior.drawsPerChain, mode: posterior.mode, diagnostics: diagnostics,
                                 summary: posterior.summary)
        return posterior
    }

    /// Starting points for the mode search: moderate carry-over and saturation, small positive effects.
    static func initialPoints(_ design: MMMDesign, _ layout: MMMParameterLayout) -> [[Double]] {
        let spec = design.specification
        let y = design.scaledTarget
        let meanY = y.reduce(0, +) / Double(max(y.count, 1))
        let sdY = (y.reduce(0) { $0 + ($1 - meanY) * ($1 - meanY) } / Double(max(y.count - 1, 1))).squareRoot()
        var points: [[Double]] = []
        for (alpha, curve) in [(0.3, 0), (0.6, 1), (0.15, 2)] {
            var v = [Double](repeating: 0, count: layout.count)
            for c in 0..<layout.channelCount {
                switch spec.adstock {
                case .geometric: v[layout.alpha(c)] = alpha
                case .weibullPDF, .weibullCDF:
                    // Comparable carry-over: PDF with shape 1 is geometric with α = e^(−1/scale); the CDF kind's
                    // first weight ratio is e^(−(1/scale)^shape).
                    let start = spec.adstock == .weibullPDF ? [(1.0, 0.8), (1.5, 2.5), (1.0, 0.5)][curve] : [(1.0, 1.0), (1.0, 3.0), (2.0, 1.0)][curve]
                    v[layout.adstock(c, 0)] = start.0
                    v[layout.adstock(c, 1)] = start.1
                }
                switch spec.saturation {
                case .logistic: v[layout.saturation(c, 0)] = [2.0, 4.0, 1.0][curve]
                case .hill:
                    v[layout.saturation(c, 0)] = [0.5, 0.3, 0.8][curve]
                    v[layout.saturation(c, 1)] = [2.0, 1.5, 3.0][curve]
                }
                v[layout.beta(c)] = 0.5 * meanY / Double(layout.channelCount)
            }
            v[layout.intercept] = 0.5 * meanY
            v[layout.sigma] = max(sdY, 1e-3)
            points.append(layout.unconstrained(v))
        }
        return points
    }
}

/// Per-chain results written from concurrent chains.
final class ChainResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [NUTSSampler.ChainResult?]
    init(count: Int) { results = [NUTSSampler.ChainResult?](repeating: nil, count: count) }
    func set(_ i: Int, _ r: NUTSSampler.ChainResult) { lock.lock(); results[i] = r; lock.unlock() }
    func all() -> [NUTSSampler.ChainResult] { lock.lock(); defer { lock.unlock() }; return results.compactMap { $0 } }
}
