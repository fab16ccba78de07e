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

    func testSaturationCurves() {
        XCTAssertEqual(SaturationCurve.logistic.value(0, parameters: [3]), 0)
        XCTAssertEqual(SaturationCurve.logistic.value(1, parameters: [2]), (1 - exp(-2)) / (1 + exp(-2)), accuracy: 1e-12)
        XCTAssertEqual(SaturationCurve.hill.value(0.5, parameters: [0.5, 2]), 0.5, accuracy: 1e-12)
    }

    func testLogPosteriorGradientMatchesFiniteDifferences() throws {
        let sim = try MMMSimulation(weeks: 60, channels: 3, seed: 3)
        for saturation in SaturationCurve.allCases {
            let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2, saturation: saturation)
            let design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: sim.controls)
            let density = MMMLogPosterior(design: design)
            var theta = MMMFitter.initialPoints(design, MMMParameterLayout(spec))[0]
            for i in theta.indices { theta[i] += 0.2 * sin(Double(i) + 1) }
            var gradient = [Double](repeating: 0, count: theta.count)
            let value = density.logDensity(theta, gradient: &gradient)
            XCTAssertTrue(value.isFinite)
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
