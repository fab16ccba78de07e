import XCTest
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
    /// against central finite differences of the density in those coordinates (both saturation curves).
    func testEffectCoordinatesRoundTripAndGradient() throws {
        let sim = try MMMSimulation(weeks: 60, channels: 3, seed: 3)
        for saturation in SaturationCurve.allCases {
            let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2, saturation: saturation)
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
                XCTAssertEqual(g[i], numeric, accuracy: 1e-4 * max(1, abs(numeric)), "\(saturation) coordinate \(i)")
            }
        }
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

    func testLogPosteriorGradientMatchesFiniteDifferences() throws {
        let sim = try MMMSimulation(weeks: 60, channels: 3, seed: 3)
        for saturation in SaturationCurve.allCases {
            let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2, saturation: saturation)
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
                XCTAssertEqual(gradient[i], numeric, accuracy: 1e-4 * max(1, abs(numeric)), "\(saturation) parameter \(i)")
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
