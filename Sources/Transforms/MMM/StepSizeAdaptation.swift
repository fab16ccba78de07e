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

/// Running mean and covariance of the warm-up draws of one slow window (Welford), turned into the next metric
/// with Stan's regularisation `(n/(n+5))·Σ + 10⁻³·(5/(n+5))·I`.
struct WelfordCovariance {
    let dimension: Int
    var count = 0
    var mean: [Double]
    /// Row-major d×d sum of centred cross products.
    var m2: [Double]

    init(dimension: Int) {
        self.dimension = dimension
        mean = [Double](repeating: 0, count: dimension)
        m2 = [Double](repeating: 0, count: dimension * dimension)
    }

    mutating func add(_ x: [Double]) {
        count += 1
        let d = dimension
        var before = [Double](repeating: 0, count: d)
        for i in 0..<d {
            before[i] = x[i] - mean[i]
            mean[i] += before[i] / Double(count)
        }
        for i in 0..<d {
            let after = x[i] - mean[i]
            for j in 0..<d { m2[i * d + j] += after * before[j] }
        }
    }

    /// The regularised covariance estimate (row-major).
    func regularizedCovariance() -> [Double] {
        let n = Double(count), d = dimension
        var out = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                let c = 0.5 * (m2[i * d + j] + m2[j * d + i]) / max(n - 1, 1)
                out[i * d + j] = (n / (n + 5)) * c + (i == j ? 1e-3 * (5 / (n + 5)) : 0)
            }
        }
        return out
    }

    /// The metric for the next stage of warm-up. A window with enough draws (at least 2·d + 10) gives a dense
    /// metric from its covariance; a shorter one keeps the previous metric's correlations and takes only the new
    /// variances from the window (a covariance from fewer draws than ~2 per dimension is mostly noise).
    func metric(previous: KineticMetric) -> KineticMetric {
        let d = dimension
        let covariance = regularizedCovariance()
        if count >= 2 * d + 10, let dense = KineticMetric(covariance: covariance, dimension: d) { return dense }
        let variance = (0..<d).map { max(covariance[$0 * d + $0], 1e-10) }
        guard previous.isDense else { return KineticMetric(diagonal: variance) }
        let old = previous.inverseMass
        var scaled = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                let correlation = old[i * d + j] / (old[i * d + i] * old[j * d + j]).squareRoot()
                scaled[i * d + j] = correlation * (variance[i] * variance[j]).squareRoot()
            }
        }
        return KineticMetric(covariance: scaled, dimension: d) ?? KineticMetric(diagonal: variance)
    }
}
