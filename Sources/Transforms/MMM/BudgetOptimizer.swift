/// Maximises a smooth total return Σ_c R_c(b_c) over spend allocations with Σ b_c = budget and
/// lower_c ≤ b_c ≤ upper_c: projected gradient ascent (Euclidean projection onto the capped simplex by bisection)
/// with backtracking, from several starting allocations; the best end point wins.
public struct BudgetOptimizer: Sendable {
    public var maxIterations = 2000
    public init() {}

    /// The best allocation found and its return.
    public struct Allocation: Sendable {
        public var spend: [Double]
        public var expectedReturn: Double
    }

    public func maximize(budget: Double, lower: [Double], upper: [Double], starts: [[Double]],
                         _ f: ([Double]) -> (value: Double, gradient: [Double])) throws -> Allocation {
        let n = lower.count
        guard n > 0, upper.count == n else { throw MMMInputError("bounds: one lower and one upper bound per channel are needed") }
        for c in 0..<n where lower[c] > upper[c] {
            throw MMMInputError("bounds: channel \(c + 1) has a lower bound (\(lower[c])) above its upper bound (\(upper[c]))")
        }
        let low = lower.reduce(0, +), high = upper.reduce(0, +)
        guard budget >= low - 1e-9 * max(1, budget), budget <= high + 1e-9 * max(1, budget) else {
            throw MMMInputError("budget: \(budget) cannot be split within the bounds (they allow \(low) to \(high))")
        }
        var best: Allocation?
        for start in starts + [[Double](repeating: budget / Double(n), count: n)] where start.count == n {
            var x = project(start, budget: budget, lower: lower, upper: upper)
            var (fx, g) = f(x)
            var step = budget / max(1e-12, g.map(abs).max() ?? 1) * 0.1
            for _ in 0..<maxIterations {
                var improved = false
                for _ in 0..<40 {
                    let candidate = project((0..<n).map { x[$0] + step * g[$0] }, budget: budget, lower: lower, upper: upper)
                    let (fc, gc) = f(candidate)
                    if fc > fx {
                        let moved = zip(candidate, x).reduce(0) { max($0, abs($1.0 - $1.1)) }
                        x = candidate; fx = fc; g = gc
                        improved = moved > 1e-10 * max(budget, 1)
                        step *= 1.5
                        break
                    }
                    step *= 0.5
                }
                if !improved { break }
            }
            if fx > (best?.expectedReturn ?? -.infinity) { best = Allocation(spend: x, expectedReturn: fx) }
        }
        guard let best else { throw MMMInputError("budget: no feasible allocation found") }
        return best
    }

    /// Euclidean projection of `z` onto {Σ b = budget, lower ≤ b ≤ upper}: b = clamp(z − τ) with τ found by bisection.
    public func project(_ z: [Double], budget: Double, lower: [Double], upper: [Double]) -> [Double] {
        func total(_ tau: Double) -> Double {
            var s = 0.0
            for i in 0..<z.count { s += min(max(z[i] - tau, lower[i]), upper[i]) }
            return s
        }
        let spread = (z.map(abs).max() ?? 0) + (upper.map(abs).max() ?? 0) + (lower.map(abs).max() ?? 0) + abs(budget) + 1
        var lo = -spread, hi = spread    // total(lo) ≥ budget ≥ total(hi)
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if total(mid) > budget { lo = mid } else { hi = mid }
        }
        let tau = 0.5 * (lo + hi)
        return (0..<z.count).map { min(max(z[$0] - tau, lower[$0]), upper[$0]) }
    }
}
