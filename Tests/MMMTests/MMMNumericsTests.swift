import XCTest
import Execution
@testable import Transforms

/// Building blocks: adstock, saturation, the log-posterior gradient, diagnostics, the budget optimiser.
final class MMMNumericsTests: XCTestCase {
    func testNormalisedAdstockKeepsLevelAndHasCorrectDerivative() {
        let x = [Double](repeating: 2, count: 20)
        XCTAssertEqual(GeometricAdstock.apply(x, alpha: 0.5).last ?? 0, 2, accuracy: 1e-12)
        let spiky = (0..<30).map { $0 % 7 == 0 ? 1.0 : 0.1 }
        var out = [Double](repeating: 0, count: 30), d = out
        spiky.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in d.withUnsafeMutableBufferPointer { dd in
                GeometricAdstock.apply(xs, alpha: 0.4, lagCount: 8, into: o, derivative: dd)
            } }
        }
        let up = GeometricAdstock.apply(spiky, alpha: 0.4 + 1e-6), down = GeometricAdstock.apply(spiky, alpha: 0.4 - 1e-6)
        for t in 0..<30 { XCTAssertEqual(d[t], (up[t] - down[t]) / 2e-6, accuracy: 1e-6) }
    }

    /// The O(1) recursion agrees with the direct truncated sum Σ_{l<L} αˡ x[t−l] / Σ αˡ, including after the window
    /// is full (where the recursion subtracts the dropped lag) and for α near 0 and 1.
    func testAdstockRecursionMatchesDirectSum() {
        var rng = SplitMix64(seed: 11)
        let x = (0..<200).map { _ in rng.unit() > 0.7 ? rng.unit() : 0 }
        for alpha in [0.0, 0.05, 0.4, 0.9, 0.999] {
            for lags in [1, 3, 8, 13] {
                let fast = GeometricAdstock.apply(x, alpha: alpha, lagCount: lags)
                let total = (0..<lags).reduce(0.0) { $0 + pow(alpha, Double($1)) }
                for t in x.indices {
                    let direct = (0...min(lags - 1, t)).reduce(0.0) { $0 + pow(alpha, Double($1)) * x[t - $1] } / total
                    XCTAssertEqual(fast[t], direct, accuracy: 1e-12, "alpha \(alpha) lags \(lags) t \(t)")
                }
            }
        }
    }

    /// The sampler's coordinates: log effect at the reference spend ↔ log β round trip, and the chained gradient
    /// against central finite differences of the density in those coordinates (both saturation curves, every adstock).
    func testEffectCoordinatesRoundTripAndGradient() throws {
        let sim = try MMMSimulation(weeks: 60, channels: 3, seed: 3)
        for adstock in AdstockKind.allCases { for saturation in SaturationCurve.allCases {
            let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2, saturation: saturation,
                                        adstock: adstock)
            let design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: sim.controls)
            let density = MMMLogPosterior(design: design)
            let coordinates = density.effectCoordinates
            var theta = MMMFitter.initialPoints(design, MMMParameterLayout(spec))[0]
            for i in theta.indices { theta[i] += 0.2 * sin(Double(i) + 1) }
            let effect = coordinates.effect(from: theta)
            for (a, b) in zip(coordinates.standard(from: effect), theta) { XCTAssertEqual(a, b, accuracy: 1e-12) }
            // Same density (unit Jacobian), different coordinates.
            var g = [Double](repeating: 0, count: theta.count)
            XCTAssertEqual(density.logDensity(effect: effect, gradient: &g), density.logDensity(theta), accuracy: 1e-9)
            for i in effect.indices {
                var a = effect, b = effect, scratch = g
                a[i] += 1e-6; b[i] -= 1e-6
                let numeric = (density.logDensity(effect: a, gradient: &scratch) - density.logDensity(effect: b, gradient: &scratch)) / 2e-6
                XCTAssertEqual(g[i], numeric, accuracy: 1e-4 * max(1, abs(numeric)), "\(adstock) \(saturation) coordinate \(i)")
            }
        } }
    }

    /// Momenta drawn for a dense metric have covariance M = (M⁻¹)⁻¹, and the metric's velocity is M⁻¹p.
    func testDenseMetricMomentumCovariance() throws {
        let inverseMass = [4.0, 1.2, 0.0, 1.2, 1.0, 0.3, 0.0, 0.3, 0.5]    // a covariance, row-major 3×3
        let metric = try XCTUnwrap(KineticMetric(covariance: inverseMass, dimension: 3))
        var rng = SplitMix64(seed: 5)
        var p = [Double](repeating: 0, count: 3), v = p
        var sum = [Double](repeating: 0, count: 9)
        let n = 200_000
        for _ in 0..<n {
            metric.drawMomentum(&rng, into: &p)
            for i in 0..<3 { for j in 0..<3 { sum[i * 3 + j] += p[i] * p[j] } }
        }
        // M⁻¹ · E[p pᵀ] ≈ I.
        for i in 0..<3 {
            for j in 0..<3 {
                let product = (0..<3).reduce(0.0) { $0 + inverseMass[i * 3 + $1] * sum[$1 * 3 + j] / Double(n) }
                XCTAssertEqual(product, i == j ? 1 : 0, accuracy: 0.03)
            }
        }
        metric.velocity([1, 2, 3], into: &v)
        for (a, b) in zip(v, [6.4, 4.1, 2.1]) { XCTAssertEqual(a, b, accuracy: 1e-12, "M⁻¹·(1, 2, 3)") }
        XCTAssertNil(KineticMetric(covariance: [1, 2, 2, 1], dimension: 2), "not positive definite")
    }

    /// The simulator's baseline follows PyMC-Marketing's example on the calendar day of the year.
    func testSimulatorDayOfYear() {
        // 2021-01-04, 2021-03-01, 2020-02-29, 2020-03-01, 2020-12-31, 2021-12-31, 2024-01-01.
        let days = [18631, 18687, 18321, 18322, 18627, 18992, 19723], expected = [4, 60, 60, 61, 366, 365, 1]
        XCTAssertEqual(days.map { MMMSimulation.dayOfYear(daysSince1970: $0) }, expected)
    }

    func testSaturationCurves() {
        XCTAssertEqual(SaturationCurve.logistic.value(0, parameters: [3]), 0)
        XCTAssertEqual(SaturationCurve.logistic.value(1, parameters: [2]), (1 - exp(-2)) / (1 + exp(-2)), accuracy: 1e-12)
        XCTAssertEqual(SaturationCurve.hill.value(0.5, parameters: [0.5, 2]), 0.5, accuracy: 1e-12)
    }

    /// The analytic gradient against central finite differences, for every adstock kind (geometric α; Weibull PDF and
    /// CDF shape and scale, whose lag-weight derivatives are chained through the normalisation) and both saturation curves.
    func testLogPosteriorGradientMatchesFiniteDifferences() throws {
        let sim = try MMMSimulation(weeks: 60, channels: 3, seed: 3)
        for adstock in AdstockKind.allCases { for saturation in SaturationCurve.allCases {
            let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2, saturation: saturation,
                                        adstock: adstock)
            // Lift tests on two channels (one a holdout to zero spend), so their term's gradient is checked too.
            let design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: sim.controls).calibrated(with: [
                MMMLiftTest(channel: sim.channelNames[0], spend: 2000, deltaSpend: 1500, lift: 600, standardError: 80),
                MMMLiftTest(channel: sim.channelNames[2], spend: 1000, deltaSpend: -1000, lift: -500, standardError: 120),
                MMMLiftTest(channel: sim.channelNames[0], spend: 500, deltaSpend: 500, lift: 300, standardError: 60),
            ])
            let density = MMMLogPosterior(design: design)
            var theta = MMMFitter.initialPoints(design, MMMParameterLayout(spec))[0]
            for i in theta.indices { theta[i] += 0.2 * sin(Double(i) + 1) }
            var gradient = [Double](repeating: 0, count: theta.count)
            let value = density.logDensity(theta, gradient: &gradient)
            XCTAssertTrue(value.isFinite)
            let uncalibrated = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: sim.controls)
            XCTAssertLessThan(value, MMMLogPosterior(design: uncalibrated).logDensity(theta) - 1, "the lift tests add their likelihood")
            for i in theta.indices {
                var a = theta, b = theta
                a[i] += 1e-6; b[i] -= 1e-6
                let numeric = (density.logDensity(a) - density.logDensity(b)) / 2e-6
                XCTAssertEqual(gradient[i], numeric, accuracy: 1e-4 * max(1, abs(numeric)), "\(adstock) \(saturation) parameter \(i)")
            }
        } }
    }

    /// PyMC-Marketing's `weibull_adstock(normalize=True)` weights, computed here independently from the closed-form
    /// Weibull pdf and cdf the way its code does (pdf at t = 1…L, min–max rescaled, normalised; CDF: 1 − cdf at t = 1…L,
    /// a leading 1, cumulative product, normalised), and a few values by hand.
    func testWeibullWeightsMatchPyMCMarketingFormula() {
        func pymcPDF(_ k: Double, _ lambda: Double, _ lags: Int) -> [Double] {
            let p = (1...lags).map { t -> Double in (k / lambda) * pow(Double(t) / lambda, k - 1) * exp(-pow(Double(t) / lambda, k)) }
            let lo = p.min() ?? 0, hi = p.max() ?? 1
            let scaled = p.map { ($0 - lo) / (hi - lo) }
            let total = scaled.reduce(0, +)
            return scaled.map { $0 / total }
        }
        func pymcCDF(_ k: Double, _ lambda: Double, _ lags: Int) -> [Double] {
            let survival = (1...lags).map { t in 1 - (1 - exp(-pow(Double(t) / lambda, k))) }
            var product = 1.0
            let w = [1.0] + survival.map { product *= $0; return product }
            let total = w.reduce(0, +)
            return w.map { $0 / total }
        }
        for (k, lambda) in [(2.0, 3.0), (0.7, 2.0), (1.0, 1.0), (3.0, 2.0), (5.0, 6.0), (1.5, 0.4)] {
            for lags in [2, 4, 8, 13] {
                let pdf = WeibullAdstockWeights.weights(.pdf, shape: k, scale: lambda, lagCount: lags)
                let cdf = WeibullAdstockWeights.weights(.cdf, shape: k, scale: lambda, lagCount: lags)
                XCTAssertEqual(pdf.count, lags)
                XCTAssertEqual(cdf.count, lags + 1, "PyMC-Marketing's CDF kind has l_max + 1 weights")
                for (a, b) in zip(pdf, pymcPDF(k, lambda, lags)) { XCTAssertEqual(a, b, accuracy: 1e-12, "pdf k \(k) λ \(lambda) L \(lags)") }
                for (a, b) in zip(cdf, pymcCDF(k, lambda, lags)) { XCTAssertEqual(a, b, accuracy: 1e-12, "cdf k \(k) λ \(lambda) L \(lags)") }
                XCTAssertEqual(pdf.reduce(0, +), 1, accuracy: 1e-12)
                XCTAssertEqual(cdf.reduce(0, +), 1, accuracy: 1e-12)
            }
        }
        // By hand. CDF, k = 1, λ = 1: S(t) = e^(−t), weights ∝ 1, e^−1, e^−3, e^−6.
        let byHand: [Double] = [1, exp(-1.0), exp(-3.0), exp(-6.0)]
        let handTotal = byHand.reduce(0, +)
        for (a, b) in zip(WeibullAdstockWeights.weights(.cdf, shape: 1, scale: 1, lagCount: 3), byHand) {
            XCTAssertEqual(a, b / handTotal, accuracy: 1e-15)
        }
        XCTAssertEqual(WeibullAdstockWeights.weights(.cdf, shape: 1, scale: 1, lagCount: 3)[0], 0.704153319352481, accuracy: 1e-14)
        // PDF, k = 2, λ = 3, L = 4: p(t) = (2t/9)·e^(−t²/9); the smallest (t = 4) gets weight 0.
        let pdf = WeibullAdstockWeights.weights(.pdf, shape: 2, scale: 3, lagCount: 4)
        for (a, b) in zip(pdf, [0.17465457583932614, 0.4840088268407445, 0.3413365973199295, 0]) { XCTAssertEqual(a, b, accuracy: 1e-14) }
        // Small scales underflow the density in linear space (p(1) ≈ e^−1000 for λ = 0.1, k = 3); in log space the
        // weights are still PyMC-Marketing's limit: all weight on lag 0.
        let tiny = WeibullAdstockWeights.weights(.pdf, shape: 3, scale: 0.1, lagCount: 8)
        XCTAssertEqual(tiny[0], 1, accuracy: 1e-12)
        // One lag: the adstock is the identity (PyMC-Marketing's min–max gives 0/0 there).
        XCTAssertEqual(WeibullAdstockWeights.weights(.pdf, shape: 2, scale: 3, lagCount: 1), [1])
        // A constant spend keeps its level once the window is full (what steady-state curves and lift tests assume).
        for kind in WeibullAdstockWeights.Kind.allCases {
            let level = WeibullAdstock.apply([Double](repeating: 2, count: 20), kind: kind, shape: 1.7, scale: 2.5, lagCount: 8)
            XCTAssertEqual(level.last ?? 0, 2, accuracy: 1e-12)
        }
    }

    /// ∂w/∂log k and ∂w/∂log λ of both kinds against central finite differences, on both sides of the PDF's switch of
    /// its zero weight between the first and the last lag, and through the adstocked series.
    func testWeibullWeightDerivativesMatchFiniteDifferences() {
        for kind in WeibullAdstockWeights.Kind.allCases {
            for (k, lambda) in [(2.0, 3.0), (0.7, 2.0), (1.0, 1.0), (3.0, 2.0), (1.5, 0.4), (4.0, 5.0), (2.5, 7.5)] {
                let lags = 8, m = WeibullAdstockWeights.count(kind, lagCount: lags)
                var w = [Double](repeating: 0, count: m), ds = w, dl = w
                w.withUnsafeMutableBufferPointer { wp in ds.withUnsafeMutableBufferPointer { sp in dl.withUnsafeMutableBufferPointer { lp in
                    WeibullAdstockWeights.compute(kind, shape: k, scale: lambda, lagCount: lags, weights: wp.baseAddress!,
                                                  dLogShape: sp.baseAddress!, dLogScale: lp.baseAddress!)
                } } }
                let h = 1e-6
                let kUp = WeibullAdstockWeights.weights(kind, shape: k * exp(h), scale: lambda, lagCount: lags)
                let kDown = WeibullAdstockWeights.weights(kind, shape: k * exp(-h), scale: lambda, lagCount: lags)
                let lUp = WeibullAdstockWeights.weights(kind, shape: k, scale: lambda * exp(h), lagCount: lags)
                let lDown = WeibullAdstockWeights.weights(kind, shape: k, scale: lambda * exp(-h), lagCount: lags)
                for l in 0..<m {
                    XCTAssertEqual(ds[l], (kUp[l] - kDown[l]) / (2 * h), accuracy: 1e-7, "\(kind) k \(k) λ \(lambda) lag \(l) ∂/∂log k")
                    XCTAssertEqual(dl[l], (lUp[l] - lDown[l]) / (2 * h), accuracy: 1e-7, "\(kind) k \(k) λ \(lambda) lag \(l) ∂/∂log λ")
                }
                // Through the series.
                var rng = SplitMix64(seed: 4)
                let x = (0..<40).map { _ in rng.unit() > 0.6 ? rng.unit() : 0 }
                var a = [Double](repeating: 0, count: x.count), da = a, db = a
                var scratch = [Double](repeating: 0, count: 3 * m)
                x.withUnsafeBufferPointer { xs in a.withUnsafeMutableBufferPointer { ap in da.withUnsafeMutableBufferPointer { dap in
                    db.withUnsafeMutableBufferPointer { dbp in scratch.withUnsafeMutableBufferPointer { sp in
                        WeibullAdstock.apply(xs, kind: kind, shape: k, scale: lambda, lagCount: lags, scratch: sp.baseAddress!,
                                             into: ap, dLogShape: dap, dLogScale: dbp)
                    } }
                } } }
                XCTAssertEqual(a, WeibullAdstock.apply(x, kind: kind, shape: k, scale: lambda, lagCount: lags))
                let up = WeibullAdstock.apply(x, kind: kind, shape: k * exp(h), scale: lambda, lagCount: lags)
                let down = WeibullAdstock.apply(x, kind: kind, shape: k * exp(-h), scale: lambda, lagCount: lags)
                for t in x.indices { XCTAssertEqual(da[t], (up[t] - down[t]) / (2 * h), accuracy: 1e-7) }
            }
        }
    }

    func testDiagnosticsOnIndependentAndStuckChains() {
        var rng = SplitMix64(seed: 9)
        let good = (0..<4).map { _ in (0..<500).map { _ in rng.standardNormal() } }
        XCTAssertEqual(ConvergenceDiagnostics.splitRHat(good), 1, accuracy: 0.02)
        XCTAssertGreaterThan(ConvergenceDiagnostics.bulkESS(good), 1200)
        let stuck = good.enumerated().map { i, c in c.map { $0 + Double(i) * 3 } }
        XCTAssertGreaterThan(ConvergenceDiagnostics.splitRHat(stuck), 1.5)
        // AR(1) with ρ = 0.9 has ESS ≈ N·(1−ρ)/(1+ρ) ≈ 105 for 2000 draws.
        let correlated = (0..<4).map { _ -> [Double] in
            var x = 0.0
            return (0..<500).map { _ in x = 0.9 * x + (1 - 0.81).squareRoot() * rng.standardNormal(); return x }
        }
        let ess = ConvergenceDiagnostics.bulkESS(correlated)
        XCTAssertGreaterThan(ess, 50); XCTAssertLessThan(ess, 250)
        let interval = ConvergenceDiagnostics.hdi(good.flatMap { $0 }, probability: 0.9)
        XCTAssertEqual(interval.low, -1.645, accuracy: 0.15); XCTAssertEqual(interval.high, 1.645, accuracy: 0.15)
    }

    func testConvergenceVerdictNamesEachFailedRule() {
        var rng = SplitMix64(seed: 9)
        let good = (0..<4).map { _ in (0..<500).map { _ in rng.standardNormal() } }
        let stuck = good.enumerated().map { i, c in c.map { $0 + Double(i) * 3 } }
        func verdict(_ chains: [[Double]], divergences: Int = 0) -> String {
            ConvergenceDiagnostics.verdict(maxRHat: ConvergenceDiagnostics.splitRHat(chains), minESSBulk: ConvergenceDiagnostics.bulkESS(chains),
                                           divergences: divergences, chains: chains.count)
        }
        XCTAssertEqual(verdict(good), "ok")
        let bad = verdict(stuck, divergences: 3)
        XCTAssertTrue(bad.contains("max R-hat") && bad.contains("> 1.01"), bad)
        XCTAssertTrue(bad.contains("min bulk ESS") && bad.contains("< 400"), bad)
        XCTAssertTrue(bad.hasSuffix("3 divergent transitions"), bad)
        XCTAssertEqual(verdict(good, divergences: 1), "1 divergent transition")
        XCTAssertEqual(ConvergenceDiagnostics.verdict(maxRHat: .nan, minESSBulk: nil, divergences: 0, chains: 1), "ok")
    }

    func testBudgetOptimizerFindsGridOptimumOfConcaveCurves() throws {
        let sim = try MMMSimulation(weeks: 52, channels: 3, seed: 1)
        let truth = sim.truth.channels
        let budget = 6000.0
        let result = try BudgetOptimizer().maximize(budget: budget, lower: [0, 0, 0], upper: [budget, budget, budget], starts: []) { x in
            let values = (0..<3).map { truth[$0].weeklyResponse(spend: x[$0]) }
            let gradient = (0..<3).map { c in (truth[c].weeklyResponse(spend: x[c] + 1e-3) - truth[c].weeklyResponse(spend: max(x[c] - 1e-3, 0))) / (x[c] + 1e-3 - max(x[c] - 1e-3, 0)) }
            return (values.reduce(0, +), gradient)
        }
        let best = TrueOptimum.grid(truth, budget: budget)
        XCTAssertEqual(result.spend.reduce(0, +), budget, accuracy: 1e-6)
        XCTAssertGreaterThanOrEqual(result.expectedReturn, best * 0.9999)
    }
}

/// Exhaustive search of the true optimum allocation with the true parameters (2 or 3 channels).
enum TrueOptimum {
    static func grid(_ truth: [MMMTruth.Channel], budget: Double, steps: Int = 400) -> Double {
        var best = -Double.infinity
        let step = budget / Double(steps)
        if truth.count == 2 {
            for i in 0...steps {
                let a = Double(i) * step
                best = max(best, truth[0].weeklyResponse(spend: a) + truth[1].weeklyResponse(spend: budget - a))
            }
        } else {
            for i in 0...steps {
                for j in 0...(steps - i) {
                    let a = Double(i) * step, b = Double(j) * step
                    best = max(best, truth[0].weeklyResponse(spend: a) + truth[1].weeklyResponse(spend: b)
                                + truth[2].weeklyResponse(spend: max(budget - a - b, 0)))
                }
            }
        }
        return best
    }

    static func value(_ truth: [MMMTruth.Channel], _ spend: [Double]) -> Double {
        zip(truth, spend).reduce(0) { $0 + $1.0.weeklyResponse(spend: $1.1) }
    }
}
