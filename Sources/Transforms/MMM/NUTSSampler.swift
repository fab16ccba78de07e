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

    /// Runs one chain from `start` with the initial inverse mass (diagonal) `inverseMass`.
    public func run(start: [Double], inverseMass: [Double], seed: UInt64,
                    logDensity: @escaping (_ x: [Double], _ gradient: inout [Double]) -> Double) -> ChainResult {
        let chain = NUTSChain(start: start, inverseMass: inverseMass, seed: seed, maxTreeDepth: maxTreeDepth, logDensity: logDensity)
        return chain.sample(tune: tune, draws: draws, targetAccept: targetAccept)
    }
}

/// A point in phase space with its cached log density and gradient.
struct PhasePoint {
    var q: [Double]
    var p: [Double]
    var gradient: [Double]
    var logDensity: Double
}

/// The state of one NUTS chain (not shared between threads).
final class NUTSChain {
    let dimension: Int
    var inverseMass: [Double]
    var rng: SplitMix64
    let maxTreeDepth: Int
    let logDensity: (_ x: [Double], _ gradient: inout [Double]) -> Double
    var current: PhasePoint
    var gradientEvaluations = 0

    init(start: [Double], inverseMass: [Double], seed: UInt64, maxTreeDepth: Int,
         logDensity: @escaping (_ x: [Double], _ gradient: inout [Double]) -> Double) {
        dimension = start.count
        self.inverseMass = inverseMass
        rng = SplitMix64(seed: seed)
        self.maxTreeDepth = maxTreeDepth
        self.logDensity = logDensity
        var g = [Double](repeating: 0, count: start.count)
        let lp = logDensity(start, &g)
        current = PhasePoint(q: start, p: [Double](repeating: 0, count: start.count), gradient: g, logDensity: lp)
    }

    func kinetic(_ p: [Double]) -> Double {
        var k = 0.0
        for i in 0..<dimension { k += p[i] * p[i] * inverseMass[i] }
        return 0.5 * k
    }

    func leapfrog(_ s: PhasePoint, _ eps: Double) -> PhasePoint {
        var n = s
        for i in 0..<dimension { n.p[i] += 0.5 * eps * n.gradient[i] }
        for i in 0..<dimension { n.q[i] += eps * inverseMass[i] * n.p[i] }
        n.logDensity = logDensity(n.q, &n.gradient)
        gradientEvaluations += 1
        for i in 0..<dimension { n.p[i] += 0.5 * eps * n.gradient[i] }
        return n
    }

    func drawMomentum() -> [Double] {
        (0..<dimension).map { rng.standardNormal() / inverseMass[$0].squareRoot() }
    }

    func isTurning(_ left: PhasePoint, _ right: PhasePoint) -> Bool {
        var a = 0.0, b = 0.0
        for i in 0..<dimension {
            let dq = right.q[i] - left.q[i]
            a += dq * inverseMass[i] * left.p[i]
            b += dq * inverseMass[i] * right.p[i]
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
            let energy = -next.logDensity + kinetic(next.p)
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
        var start = current
        start.p = drawMomentum()
        let initialEnergy = -start.logDensity + kinetic(start.p)
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
            var s = current
            s.p = drawMomentum()
            let h0 = -s.logDensity + kinetic(s.p)
            let n = leapfrog(s, e)
            let h = -n.logDensity + kinetic(n.p)
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
        var welford = WelfordVariance(dimension: dimension)
        for iteration in 0..<tune {
            let r = transition(eps: eps)
            eps = adaptation.update(acceptance: r.accept)
            if windows.isInSlowWindow(iteration) { welford.add(current.q) }
            if windows.isSlowWindowEnd(iteration), welford.count > 2 {
                inverseMass = welford.regularizedVariance()
                welford = WelfordVariance(dimension: dimension)
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
