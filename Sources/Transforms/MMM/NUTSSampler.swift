import Foundation

/// The No-U-Turn Sampler (Hoffman & Gelman 2014) with multinomial trajectory sampling (biased progressive
/// sampling between subtrees, as Stan does), a diagonal mass matrix adapted in Stan's windowed warm-up, and
/// step size tuned by dual averaging towards `targetAccept`.
public struct NUTSSampler: Sendable {
    public var tune: Int
    public var draws: Int
    public var targetAccept: Double
    public var maxTreeDepth: Int

    public init(tune: Int, draws: Int, targetAccept: Double = 0.8, maxTreeDepth: Int = 10) {
        self.tune = tune; self.draws = draws; self.targetAccept = targetAccept; self.maxTreeDepth = maxTreeDepth
    }

    /// One chain's output: `draws` rows of the unconstrained vector and sampler statistics.
    public struct ChainResult: Sendable {
        public var draws: [[Double]]
        public var divergences: Int
        public var meanTreeDepth: Double
        public var meanAcceptance: Double
        public var stepSize: Double
        public var gradientEvaluations: Int
    }

    /// Runs one chain from `start` with the initial inverse mass `inverseMass`: a row-major d×d covariance
    /// (dense metric) or its d-element diagonal.
    public func run(start: [Double], inverseMass: [Double], seed: UInt64,
                    logDensity: @escaping (_ x: [Double], _ gradient: inout [Double]) -> Double) -> ChainResult {
        let d = start.count
        let metric = inverseMass.count == d * d && d > 1
            ? (KineticMetric(covariance: inverseMass, dimension: d)
               ?? KineticMetric(diagonal: (0..<d).map { max(inverseMass[$0 * d + $0], 1e-10) }))
            : KineticMetric(diagonal: inverseMass)
        let chain = NUTSChain(start: start, metric: metric, seed: seed, maxTreeDepth: maxTreeDepth, logDensity: logDensity)
        return chain.sample(tune: tune, draws: draws, targetAccept: targetAccept)
    }
}

/// A point in phase space with its cached log density, gradient and velocity `M⁻¹p`.
struct PhasePoint {
    var q: [Double]
    var p: [Double]
    var gradient: [Double]
    var velocity: [Double]
    var logDensity: Double
}

/// The Euclidean metric of the kinetic energy `½ pᵀ M⁻¹ p`: the inverse mass `M⁻¹` is the (estimated) posterior
/// covariance, dense (with its Cholesky factor `M⁻¹ = L Lᵀ`) or diagonal.
struct KineticMetric {
    let dimension: Int
    /// Row-major d×d `M⁻¹` when dense; its diagonal otherwise.
    private(set) var inverseMass: [Double]
    /// Row-major lower-triangular Cholesky factor of a dense `M⁻¹`.
    private(set) var cholesky: [Double]
    private(set) var isDense: Bool

    init(diagonal: [Double]) {
        dimension = diagonal.count
        inverseMass = diagonal
        cholesky = []
        isDense = false
    }

    /// A dense metric, or nil when `covariance` (row-major d×d) is not positive definite.
    init?(covariance: [Double], dimension d: Int) {
        guard covariance.count == d * d, let l = KineticMetric.choleskyFactor(covariance, d) else { return nil }
        dimension = d
        inverseMass = covariance
        cholesky = l
        isDense = true
    }

    /// Lower-triangular L with L Lᵀ = a, or nil when a is not (numerically) positive definite.
    static func choleskyFactor(_ a: [Double], _ d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = a[i * d + j]
                for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        return l
    }

    /// v = M⁻¹ p.
    @inline(__always)
    func velocity(_ p: [Double], into v: inout [Double]) {
        let d = dimension
        inverseMass.withUnsafeBufferPointer { m in
            p.withUnsafeBufferPointer { pp in
                v.withUnsafeMutableBufferPointer { vv in
                    if isDense {
                        for i in 0..<d {
                            var s = 0.0
                            let row = i * d
                            for j in 0..<d { s += m[row + j] * pp[j] }
                            vv[i] = s
                        }
                    } else {
                        for i in 0..<d { vv[i] = m[i] * pp[i] }
                    }
                }
            }
        }
    }

    /// A momentum p ~ Normal(0, M): p = L⁻ᵀ z for dense metrics, z / √diag otherwise.
    func drawMomentum(_ rng: inout SplitMix64, into p: inout [Double]) {
        let d = dimension
        for i in 0..<d { p[i] = rng.standardNormal() }
        if isDense {
            // Solve Lᵀ p = z by back substitution.
            for i in stride(from: d - 1, through: 0, by: -1) {
                var s = p[i]
                for k in (i + 1)..<max(i + 1, d) { s -= cholesky[k * d + i] * p[k] }
                p[i] = s / cholesky[i * d + i]
            }
        } else {
            for i in 0..<d { p[i] /= inverseMass[i].squareRoot() }
        }
    }
}

/// The state of one NUTS chain (not shared between threads).
final class NUTSChain {
    let dimension: Int
    var metric: KineticMetric
    var rng: SplitMix64
    let maxTreeDepth: Int
    let logDensity: (_ x: [Double], _ gradient: inout [Double]) -> Double
    var current: PhasePoint
    var gradientEvaluations = 0

    init(start: [Double], metric: KineticMetric, seed: UInt64, maxTreeDepth: Int,
         logDensity: @escaping (_ x: [Double], _ gradient: inout [Double]) -> Double) {
        dimension = start.count
        self.metric = metric
        rng = SplitMix64(seed: seed)
        self.maxTreeDepth = maxTreeDepth
        self.logDensity = logDensity
        var g = [Double](repeating: 0, count: start.count)
        let lp = logDensity(start, &g)
        let zero = [Double](repeating: 0, count: start.count)
        current = PhasePoint(q: start, p: zero, gradient: g, velocity: zero, logDensity: lp)
    }

    @inline(__always)
    func kinetic(_ s: PhasePoint) -> Double {
        var k = 0.0
        for i in 0..<dimension { k += s.p[i] * s.velocity[i] }
        return 0.5 * k
    }

    func leapfrog(_ s: PhasePoint, _ eps: Double) -> PhasePoint {
        var n = s
        let half = 0.5 * eps
        for i in 0..<dimension { n.p[i] += half * n.gradient[i] }
        metric.velocity(n.p, into: &n.velocity)
        for i in 0..<dimension { n.q[i] += eps * n.velocity[i] }
        n.logDensity = logDensity(n.q, &n.gradient)
        gradientEvaluations += 1
        for i in 0..<dimension { n.p[i] += half * n.gradient[i] }
        metric.velocity(n.p, into: &n.velocity)
        return n
    }

    /// `current` with a fresh momentum (and its velocity).
    func withFreshMomentum() -> PhasePoint {
        var s = current
        metric.drawMomentum(&rng, into: &s.p)
        metric.velocity(s.p, into: &s.velocity)
        return s
    }

    func isTurning(_ left: PhasePoint, _ right: PhasePoint) -> Bool {
        var a = 0.0, b = 0.0
        for i in 0..<dimension {
            let dq = right.q[i] - left.q[i]
            a += dq * left.velocity[i]
            b += dq * right.velocity[i]
        }
        return a < 0 || b < 0
    }

    struct Tree {
        var left: PhasePoint
        var right: PhasePoint
        var proposal: PhasePoint
        var logWeight: Double
        var sumAccept: Double
        var steps: Int
        var diverging: Bool
        var turning: Bool
    }

    func buildTree(from start: PhasePoint, direction: Double, depth: Int, eps: Double, initialEnergy: Double) -> Tree {
        if depth == 0 {
            let next = leapfrog(start, direction * eps)
            let energy = -next.logDensity + kinetic(next)
            let error = energy - initialEnergy
            let diverging = !(error <= 1000)
            let accept = diverging ? 0 : min(1, Foundation.exp(-error))
            return Tree(left: next, right: next, proposal: next, logWeight: diverging ? -.infinity : -error,
                        sumAccept: accept, steps: 1, diverging: diverging, turning: false)
        }
        var tree = buildTree(from: start, direction: direction, depth: depth - 1, eps: eps, initialEnergy: initialEnergy)
        if tree.diverging || tree.turning { return tree }
        let second = buildTree(from: direction > 0 ? tree.right : tree.left, direction: direction, depth: depth - 1,
                               eps: eps, initialEnergy: initialEnergy)
        tree.sumAccept += second.sumAccept
        tree.steps += second.steps
        if second.diverging || second.turning {
            tree.diverging = second.diverging
            tree.turning = true
            return tree
        }
        let combined = logAddExp(tree.logWeight, second.logWeight)
        if Foundation.log(rng.unit()) < second.logWeight - combined { tree.proposal = second.proposal }
        tree.logWeight = combined
        if direction > 0 { tree.right = second.right } else { tree.left = second.left }
        tree.turning = isTurning(tree.left, tree.right)
        return tree
    }

    /// One NUTS transition; returns (accept statistic, tree depth, diverged).
    func transition(eps: Double) -> (accept: Double, depth: Int, diverged: Bool) {
        let start = withFreshMomentum()
        let initialEnergy = -start.logDensity + kinetic(start)
        var left = start, right = start, proposal = start
        var logWeight = 0.0, sumAccept = 0.0, steps = 0
        var diverged = false
        var depth = 0
        while depth < maxTreeDepth {
            let direction: Double = rng.unit() < 0.5 ? -1 : 1
            let sub = buildTree(from: direction > 0 ? right : left, direction: direction, depth: depth, eps: eps, initialEnergy: initialEnergy)
            depth += 1
            sumAccept += sub.sumAccept
            steps += sub.steps
            if sub.diverging { diverged = true; break }
            if sub.turning { break }
            if Foundation.log(rng.unit()) < sub.logWeight - logWeight { proposal = sub.proposal }
            logWeight = logAddExp(logWeight, sub.logWeight)
            if direction > 0 { right = sub.right } else { left = sub.left }
            if isTurning(left, right) { break }
        }
        current = proposal
        return (steps > 0 ? sumAccept / Double(steps) : 0, depth, diverged)
    }

    /// A step size for which one leapfrog step's acceptance crosses 1/2 (Hoffman & Gelman's heuristic).
    func reasonableStepSize(_ initial: Double) -> Double {
        var eps = initial
        func logAccept(_ e: Double) -> Double {
            let s = withFreshMomentum()
            let h0 = -s.logDensity + kinetic(s)
            let n = leapfrog(s, e)
            let h = -n.logDensity + kinetic(n)
            let a = h0 - h
            return a.isNaN ? -.infinity : a
        }
        var a = logAccept(eps)
        let direction: Double = a > Foundation.log(0.5) ? 1 : -1
        for _ in 0..<60 {
            if !(direction * a > direction * Foundation.log(0.5)) { break }
            eps *= Foundation.pow(2, direction)
            if eps < 1e-8 || eps > 1e3 { break }
            a = logAccept(eps)
        }
        return min(max(eps, 1e-8), 1e3)
    }

    func sample(tune: Int, draws: Int, targetAccept: Double) -> NUTSSampler.ChainResult {
        var eps = reasonableStepSize(0.5)
        var adaptation = DualAveraging(initialStepSize: eps, target: targetAccept)
        let windows = WarmupSchedule(tune: tune)
        var window = WelfordCovariance(dimension: dimension)
        for iteration in 0..<tune {
            let r = transition(eps: eps)
            eps = adaptation.update(acceptance: r.accept)
            if windows.isInSlowWindow(iteration) { window.add(current.q) }
            if windows.isSlowWindowEnd(iteration), window.count > 2 {
                metric = window.metric(previous: metric)
                let q = current.q
                var g = [Double](repeating: 0, count: dimension)
                let lp = logDensity(q, &g)
                current = PhasePoint(q: q, p: current.p, gradient: g, velocity: current.velocity, logDensity: lp)
                window = WelfordCovariance(dimension: dimension)
                eps = reasonableStepSize(eps)
                adaptation = DualAveraging(initialStepSize: eps, target: targetAccept)
            }
        }
        if tune > 0 { eps = adaptation.finalStepSize }
        var out: [[Double]] = []
        out.reserveCapacity(draws)
        var divergences = 0, depthSum = 0
        var acceptSum = 0.0
        for _ in 0..<draws {
            let r = transition(eps: eps)
            if r.diverged { divergences += 1 }
            depthSum += r.depth
            acceptSum += r.accept
            out.append(current.q)
        }
        let d = Double(max(draws, 1))
        return NUTSSampler.ChainResult(draws: out, divergences: divergences, meanTreeDepth: Double(depthSum) / d,
                                       meanAcceptance: acceptSum / d, stepSize: eps, gradientEvaluations: gradientEvaluations)
    }
}

/// log(eᵃ + eᵇ) without overflow.
@inline(__always)
func logAddExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    let m = max(a, b)
    return m + Foundation.log(Foundation.exp(a - m) + Foundation.exp(b - m))
}
