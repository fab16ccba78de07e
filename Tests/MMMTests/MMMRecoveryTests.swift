import XCTest
@testable import Transforms

/// Parameter recovery on simulated data with known truth (a short version of benchmarks/mmm_recovery.sh).
final class MMMRecoveryTests: XCTestCase {
    /// Three seeded repetitions, 2 channels × 208 weeks, shortened sampling (debug builds are slow), two Fourier
    /// harmonics as the simulated seasonality (PyMC-Marketing's example) has:
    /// contributions within 10% of the truth, 90% ROAS intervals covering the truth, and the optimiser's
    /// allocation within 5% of the true optimum's return.
    func testRecoveryOnSimulatedData() throws {
        var covered = 0, intervals = 0, resolved = 0
        for rep in 0..<3 {
            let sim = try MMMSimulation(weeks: 208, channels: 2, seed: UInt64(100 + rep))
            let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2,
                                        seed: UInt64(rep + 1), chains: 4, tune: 250, draws: 250)
            let design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: sim.controls)
            let posterior = MMMFitter.fit(design)
            XCTAssertLessThan(posterior.diagnostics.maxRHat, 1.1, "rep \(rep)")
            let returns = ChannelReturn.compute(posterior)
            for (estimate, truth) in zip(returns, sim.truth.channels) {
                let error = abs(estimate.contribution / truth.contribution - 1)
                XCTAssertLessThan(error, 0.10, "rep \(rep) \(truth.name): contribution \(estimate.contribution) vs true \(truth.contribution)")
                // Every draw inside the 90% HDI is within ±10% of the mean when the HDI lies inside
                // [mean / 1.1, mean / 0.9], so the posterior's own P(within 10%) is then at least about 0.9.
                if estimate.contributionLow >= estimate.contribution / 1.1 && estimate.contributionHigh <= estimate.contribution / 0.9 {
                    XCTAssertGreaterThanOrEqual(estimate.withinTenPercentProbability, 0.89, "rep \(rep) \(truth.name)")
                    resolved += 1
                }
                XCTAssertLessThanOrEqual(estimate.withinTenPercentProbability, 1)
                intervals += 1
                if estimate.roasLow <= truth.roas && truth.roas <= estimate.roasHigh { covered += 1 }
            }
            let budget = sim.spend.reduce(0) { $0 + $1.reduce(0, +) } / Double(sim.weeks.count)
            let allocation = try MMMBudgetAllocation.optimize(posterior, budget: budget, lower: [0, 0], upper: [budget, budget])
            let achieved = TrueOptimum.value(sim.truth.channels, allocation.optimalSpend)
            let optimum = TrueOptimum.grid(sim.truth.channels, budget: budget, steps: 2000)
            XCTAssertGreaterThanOrEqual(achieved, 0.95 * optimum, "rep \(rep): allocation \(allocation.optimalSpend)")
        }
        XCTAssertGreaterThanOrEqual(Double(covered) / Double(intervals), 0.8, "ROAS interval coverage \(covered)/\(intervals)")
        XCTAssertGreaterThan(resolved, 0, "no channel's HDI was inside ±10%: the within-10% probability went unchecked")
    }

    func testFitIsReproducibleForASeed() throws {
        let sim = try MMMSimulation(weeks: 52, channels: 2, seed: 5)
        let spec = MMMSpecification(channelNames: sim.channelNames, seasonality: 1, seed: 7, chains: 2, tune: 60, draws: 40)
        let design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: [])
        let a = MMMFitter.fit(design), b = MMMFitter.fit(design)
        XCTAssertEqual(a.draws, b.draws)
    }
}
