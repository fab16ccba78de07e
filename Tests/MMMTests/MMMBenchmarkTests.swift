import XCTest
import Foundation
@testable import Transforms

/// Long-running studies, skipped unless their environment variable is set (run in release by the scripts in
/// `benchmarks/`): `MMM_RECOVERY_REPS=20` (benchmarks/mmm_recovery.sh) and `MMM_BENCH_DIR=dir`
/// (benchmarks/mmm_vs_pymc.sh).
final class MMMBenchmarkTests: XCTestCase {
    func testRecoveryRepetitions() throws {
        guard let text = ProcessInfo.processInfo.environment["MMM_RECOVERY_REPS"], let reps = Int(text) else {
            throw XCTSkip("set MMM_RECOVERY_REPS to run the recovery study")
        }
        var covered = 0, intervals = 0, within = 0, optimiserOK = 0, optimiserRuns = 0
        // Channels whose own 90% contribution interval is within ±10% of its mean (the posterior resolves 10%),
        // and how many of those are within 10% of the truth.
        var resolvable = 0, resolvableWithin = 0
        // What the posteriors themselves expect: Σ P(estimate within 10% of the truth) if the truth is a posterior
        // draw, and log P(every channel within 10%).
        var expectedWithin = 0.0, logAllWithin = 0.0
        var worst = 0.0
        // MMM_RECOVERY_SEED_BASE picks another set of simulations (default 1000: repetition r uses seed 1000 + r).
        let seedBase = ProcessInfo.processInfo.environment["MMM_RECOVERY_SEED_BASE"].flatMap { UInt64($0) } ?? 1000
        // MMM_RECOVERY_LIFT_SE=0.1 calibrates every fit with one holdout experiment per channel (mean weekly spend cut
        // to zero), whose measured lift is the true steady-state response plus noise of that relative standard error.
        let liftError = ProcessInfo.processInfo.environment["MMM_RECOVERY_LIFT_SE"].flatMap { Double($0) }
        let started = Date()
        for rep in 0..<reps {
            let channels = 2 + rep % 4, weeks = [104, 156, 208][rep % 3]
            let sim = try MMMSimulation(weeks: weeks, channels: channels, seed: seedBase + UInt64(rep))
            let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2, seed: UInt64(rep))
            var design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: sim.controls)
            if let liftError {
                var noise = SplitMix64(seed: 7000 + UInt64(rep))
                design = try design.calibrated(with: zip(sim.truth.channels, sim.spend).map { truth, spend in
                    let mean = spend.reduce(0, +) / Double(weeks)
                    let response = truth.weeklyResponse(spend: mean)
                    return MMMLiftTest(channel: truth.name, spend: mean, deltaSpend: -mean,
                                       lift: -response * (1 + liftError * noise.standardNormal()), standardError: liftError * response)
                })
            }
            let posterior = MMMFitter.fit(design)
            let returns = ChannelReturn.compute(posterior)
            var line = String(format: "rep %2d  %d ch × %3d wk  fit %5.1fs  r̂max %.3f  ess_min %4.0f  div %d |", rep, channels, weeks,
                              posterior.diagnostics.fitSeconds, posterior.diagnostics.maxRHat, posterior.diagnostics.minESSBulk,
                              posterior.diagnostics.divergences)
            for (estimate, truth) in zip(returns, sim.truth.channels) {
                let error = estimate.contribution / truth.contribution - 1
                worst = max(worst, abs(error))
                if abs(error) < 0.10 { within += 1 }
                intervals += 1
                let hit = estimate.roasLow <= truth.roas && truth.roas <= estimate.roasHigh
                if hit { covered += 1 }
                let width = (estimate.contributionHigh - estimate.contributionLow) / estimate.contribution
                expectedWithin += estimate.withinTenPercentProbability
                logAllWithin += Foundation.log(max(estimate.withinTenPercentProbability, 1e-300))
                if width <= 0.2 {
                    resolvable += 1
                    if abs(error) < 0.10 { resolvableWithin += 1 }
                }
                line += String(format: " %@ err %+.1f%% (90%% width %.0f%%, P(within 10%%) %.2f) roas %.3f [%.3f, %.3f] true %.3f%@", truth.name, 100 * error,
                               100 * width, estimate.withinTenPercentProbability, estimate.roas, estimate.roasLow, estimate.roasHigh, truth.roas, hit ? "" : " MISS")
            }
            if channels <= 3 {
                let budget = sim.spend.reduce(0) { $0 + $1.reduce(0, +) } / Double(weeks)
                let allocation = try MMMBudgetAllocation.optimize(posterior, budget: budget, lower: [Double](repeating: 0, count: channels),
                                                                  upper: [Double](repeating: budget, count: channels))
                let ratio = TrueOptimum.value(sim.truth.channels, allocation.optimalSpend) / TrueOptimum.grid(sim.truth.channels, budget: budget)
                optimiserRuns += 1
                if ratio >= 0.95 { optimiserOK += 1 }
                line += String(format: " | optimiser %.2f%% of true optimum", 100 * ratio)
            }
            print(line)
        }
        print(String(format: "SUMMARY reps=%d channels-within-10%%=%d/%d worst=%.1f%% roas-90%%-coverage=%d/%d (%.0f%%) optimiser-within-5%%=%d/%d total %.0fs",
                     reps, within, intervals, 100 * worst, covered, intervals, 100 * Double(covered) / Double(max(intervals, 1)),
                     optimiserOK, optimiserRuns, Date().timeIntervalSince(started)))
        print(String(format: "SUMMARY channels whose 90%% interval is within ±10%% of its mean: %d/%d, of which within 10%% of the truth: %d",
                     resolvable, intervals, resolvableWithin))
        print(String(format: "SUMMARY the posteriors' own expectation: %.1f/%d channels within 10%% of the truth; P(all %d within 10%%) = %.1e",
                     expectedWithin, intervals, intervals, Foundation.exp(logAllWithin)))
        XCTAssertGreaterThanOrEqual(Double(covered) / Double(max(intervals, 1)), 0.8)
    }

    func testFitTimeForPyMCComparison() throws {
        guard let directory = ProcessInfo.processInfo.environment["MMM_BENCH_DIR"] else {
            throw XCTSkip("set MMM_BENCH_DIR to run the fit-time benchmark")
        }
        // Default: 3 channels × 156 weeks, seed 1. MMM_BENCH_WEEKS / _CHANNELS / _SEED pick another simulated data
        // set (e.g. a recovery-study repetition: weeks, channels and seed 1000 + rep). MMM_BENCH_ADSTOCK=weibull_pdf |
        // weibull_cdf simulates and fits that carry-over instead (Tarn only: the PyMC-Marketing script fits geometric).
        let environment = ProcessInfo.processInfo.environment
        let adstock = try environment["MMM_BENCH_ADSTOCK"].map { name in
            guard let kind = AdstockKind(rawValue: name) else { throw MMMInputError("MMM_BENCH_ADSTOCK: unknown adstock '\(name)'") }
            return kind
        } ?? .geometric
        let weeks = environment["MMM_BENCH_WEEKS"].flatMap { Int($0) } ?? 156
        let channels = environment["MMM_BENCH_CHANNELS"].flatMap { Int($0) } ?? 3
        let seed = environment["MMM_BENCH_SEED"].flatMap { UInt64($0) } ?? 1
        let sim = try MMMSimulation(weeks: weeks, channels: channels, seed: seed, adstock: adstock)
        var csv = "week,revenue," + sim.channelNames.joined(separator: ",") + ",event_1,event_2\n"
        for t in sim.weeks.indices {
            let date = ValueFormattingShim.date(sim.weeks[t])
            csv += "\(date),\(sim.revenue[t])," + sim.spend.map { "\($0[t])" }.joined(separator: ",") + ",\(sim.controls[0][t]),\(sim.controls[1][t])\n"
        }
        try csv.write(toFile: directory + "/mmm_data.csv", atomically: true, encoding: .utf8)
        var truth = "channel,alpha,lambda,beta,contribution,roas\n"
        for c in sim.truth.channels { truth += "\(c.name),\(c.alpha),\(c.lambda),\(c.beta),\(c.contribution),\(c.roas)\n" }
        try truth.write(toFile: directory + "/mmm_truth.csv", atomically: true, encoding: .utf8)
        let spec = MMMSpecification(channelNames: sim.channelNames, controlNames: sim.controlNames, seasonality: 2, seed: 42,
                                    adstock: adstock)
        let design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: sim.controls)
        let started = Date(), cpuStarted = ProcessCPUTime.seconds()
        let posterior = MMMFitter.fit(design)
        let seconds = Date().timeIntervalSince(started), cpu = ProcessCPUTime.seconds() - cpuStarted
        let returns = ChannelReturn.compute(posterior)
        print(String(format: "TARN fit_seconds=%.2f cpu_seconds=%.2f adstock=\(adstock.rawValue) channels=%d weeks=%d seed=%d chains=4 tune=1000 draws=1000 max_rhat=%.3f min_ess_bulk=%.0f divergences=%d mean_tree_depth=%.2f gradient_evaluations=%d",
                     seconds, cpu, channels, weeks, Int(seed), posterior.diagnostics.maxRHat, posterior.diagnostics.minESSBulk, posterior.diagnostics.divergences,
                     posterior.diagnostics.meanTreeDepth, posterior.diagnostics.gradientEvaluations))
        for (r, t) in zip(returns, sim.truth.channels) {
            print(String(format: "TARN %@ roas %.3f [%.3f, %.3f] true %.3f contribution error %+.1f%%", r.channel, r.roas, r.roasLow,
                         r.roasHigh, t.roas, 100 * (r.contribution / t.contribution - 1)))
        }
    }
}

/// CPU time (user + system) of this process so far.
enum ProcessCPUTime {
    static func seconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
}

/// Date text for the CSV export (YYYY-MM-DD).
enum ValueFormattingShim {
    static func date(_ days: Int32) -> String {
        let d = Date(timeIntervalSince1970: Double(days) * 86_400)
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }
}
