/// Limited-memory BFGS maximiser of a smooth function (two-loop recursion, backtracking Armijo line search).
/// Used to find the posterior mode (MAP) on the unconstrained scale.
public struct LBFGSOptimizer: Sendable {
    public var memory = 8
    public var maxIterations = 500
    public var gradientTolerance = 1e-6
    public var relativeTolerance = 1e-10

    public init() {}

    /// The result of one maximisation.
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        public var iterations: Int
        public var converged: Bool
    }

    /// Maximises `f` (which writes its gradient into the second argument) from `start`.
    public func maximize(from start: [Double], _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> Result {
        let d = start.count
        var x = start
        var g = [Double](repeating: 0, count: d)
        var fx = f(x, &g)
        if !fx.isFinite { return Result(point: x, value: fx, iterations: 0, converged: false) }
        // Minimise −f.
        var negG = g.map { -$0 }
        var sHistory: [[Double]] = [], yHistory: [[Double]] = [], rhoHistory: [Double] = []
        var iteration = 0
        var converged = false
        var newG = [Double](repeating: 0, count: d)
        while iteration < maxIterations {
            iteration += 1
            // Two-loop recursion: direction = −H·∇(−f).
            var q = negG
            var alphas = [Double](repeating: 0, count: sHistory.count)
            for i in stride(from: sHistory.count - 1, through: 0, by: -1) {
                let a = rhoHistory[i] * dot(sHistory[i], q)
                alphas[i] = a
                for k in 0..<d { q[k] -= a * yHistory[i][k] }
            }
            if let sLast = sHistory.last, let yLast = yHistory.last {
                let gamma = dot(sLast, yLast) / max(dot(yLast, yLast), 1e-300)
                for k in 0..<d { q[k] *= gamma }
            } else {
                let norm = dot(negG, negG).squareRoot()
                let scale = norm > 0 ? min(1, 1 / norm) : 1
                for k in 0..<d { q[k] *= scale }
            }
            for i in 0..<sHistory.count {
                let b = rhoHistory[i] * dot(yHistory[i], q)
                for k in 0..<d { q[k] += sHistory[i][k] * (alphas[i] - b) }
            }
            var direction = q.map { -$0 }
            var slope = dot(negG, direction)
            if !(slope < 0) {   // not a descent direction: restart with steepest descent
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                direction = negG.map { -$0 }
                slope = dot(negG, direction)
                if slope >= 0 { converged = true; break }
            }
            var step = 1.0
            var accepted = false
            var newX = x
            var newF = -Double.infinity
            for _ in 0..<60 {
                for k in 0..<d { newX[k] = x[k] + step * direction[k] }
                newF = f(newX, &newG)
                if newF.isFinite && -newF <= -fx + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            if !accepted { converged = true; break }
            let s = (0..<d).map { newX[$0] - x[$0] }
            let newNegG = newG.map { -$0 }
            let yv = (0..<d).map { newNegG[$0] - negG[$0] }
            let sy = dot(s, yv)
            if sy > 1e-12 {
                sHistory.append(s); yHistory.append(yv); rhoHistory.append(1 / sy)
                if sHistory.count > memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
            }
            let change = abs(newF - fx)
            x = newX; fx = newF; negG = newNegG
            let gradientNorm = negG.reduce(0) { max($0, abs($1)) }
            if gradientNorm < gradientTolerance || change < relativeTolerance * max(1, abs(fx)) { converged = true; break }
        }
        return Result(point: x, value: fx, iterations: iteration, converged: converged)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }
}
