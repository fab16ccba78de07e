import Foundation

/// Nesterov dual averaging of the log step size towards a target acceptance statistic
/// (Hoffman & Gelman 2014, §3.2; γ = 0.05, t₀ = 10, κ = 0.75).
struct DualAveraging {
    let target: Double
    let mu: Double
    var hBar = 0.0
    var logStepBar = 0.0
    var iteration = 0.0

    init(initialStepSize: Double, target: Double) {
        self.target = target
        mu = Foundation.log(10 * initialStepSize)
    }

    mutating func update(acceptance: Double) -> Double {
        iteration += 1
        let eta = 1 / (iteration + 10)
        hBar = (1 - eta) * hBar + eta * (target - acceptance)
        let logStep = mu - iteration.squareRoot() / 0.05 * hBar
        let weight = Foundation.pow(iteration, -0.75)
        logStepBar = weight * logStep + (1 - weight) * logStepBar
        return Foundation.exp(logStep)
    }

    var finalStepSize: Double { Foundation.exp(logStepBar) }
}

/// Stan's windowed warm-up: a fast initial buffer, slow windows doubling in length (where the mass matrix is
/// estimated), and a fast terminal buffer.
struct WarmupSchedule {
    let windowEnds: Set<Int>
    let slowStart: Int
    let slowEnd: Int

    init(tune: Int) {
        var initial = 75, terminal = 50, base = 25
        if tune < 150 {
            initial = Int(Double(tune) * 0.15); terminal = Int(Double(tune) * 0.1); base = tune - initial - terminal
        }
        slowStart = initial
        slowEnd = tune - terminal
        var ends: Set<Int> = []
        var start = initial, size = base
        while size > 0 && start + size <= slowEnd {
            var end = start + size
            if end + 2 * size > slowEnd { end = slowEnd }
            ends.insert(end - 1)
            start = end
            size *= 2
        }
        windowEnds = ends
    }

    func isInSlowWindow(_ i: Int) -> Bool { i >= slowStart && i < slowEnd }
    func isSlowWindowEnd(_ i: Int) -> Bool { windowEnds.contains(i) }
}

/// Running mean and variance per coordinate (Welford), regularised as Stan does for the mass matrix.
struct WelfordVariance {
    var count = 0
    var mean: [Double]
    var m2: [Double]

    init(dimension: Int) {
        mean = [Double](repeating: 0, count: dimension)
        m2 = [Double](repeating: 0, count: dimension)
    }

    mutating func add(_ x: [Double]) {
        count += 1
        for i in 0..<x.count {
            let delta = x[i] - mean[i]
            mean[i] += delta / Double(count)
            m2[i] += delta * (x[i] - mean[i])
        }
    }

    func regularizedVariance() -> [Double] {
        let n = Double(count)
        return m2.map { v in
            let variance = v / max(n - 1, 1)
            return max((n / (n + 5)) * variance + 1e-3 * (5 / (n + 5)), 1e-10)
        }
    }
}
