import Foundation
import Execution

/// The model's log posterior density on the unconstrained scale, with its analytic gradient.
///
/// Model (all on the scaled data of `MMMDesign`):
/// `y[t] ~ Normal(μ[t], σ)`, `μ[t] = intercept + Σ_j γ_j·z_j[t] + Σ_c β_c · f(adstock(x_c; α_c)[t]; θ_c)`
/// with priors α_c ~ Beta(1, 3) (geometric adstock) or Gamma priors on the Weibull adstock's shape and scale
/// (`AdstockKind.priors`), saturation parameters ~ Gamma (λ ~ Gamma(3, 1)), β_c ~ HalfNormal(2),
/// intercept ~ Normal(0, 2), trend ~ Normal(0, 1), Fourier ~ Normal(0, 1), controls ~ Normal(0, 2),
/// σ ~ HalfNormal(2). The log-Jacobians of the logit / log transforms are included. Lift tests of the design
/// (`MMMLiftTest`) add `lift ~ Normal(β_c·(f(u₀ + Δu) − f(u₀)), se)` per test.
///
/// Holds scratch buffers: one instance per thread.
public final class MMMLogPosterior {
    public let layout: MMMParameterLayout
    public let saturation: SaturationCurve
    public let adstock: AdstockKind
    public let periodCount: Int
    let lagCount: Int
    let channelCount: Int
    /// Adstock parameters per channel (1 geometric, 2 Weibull).
    let adstockCount: Int
    let baseCount: Int
    let saturationCount: Int
    let baseSd: [Double]
    /// HalfNormal scale of each channel's β (on the scaled target).
    let betaSd: [Double]
    /// Gamma(shape, rate) priors of the saturation parameters.
    let priorShape: [Double]
    let priorRate: [Double]
    /// Gamma(shape, rate) priors of the Weibull adstock parameters (empty for geometric).
    let adstockPriorShape: [Double]
    let adstockPriorRate: [Double]
    let y: UnsafeMutableBufferPointer<Double>
    let x: UnsafeMutableBufferPointer<Double>
    let base: UnsafeMutableBufferPointer<Double>
    let mu: UnsafeMutableBufferPointer<Double>
    let adstocked: UnsafeMutableBufferPointer<Double>
    /// ∂a/∂(adstock parameter k) of channel c at `(c · adstockCount + k) · n` (α for geometric; log shape, log scale for Weibull).
    let dAdstocked: UnsafeMutableBufferPointer<Double>
    /// ∂f/∂u per period of the channel being evaluated (scratch to chain each adstock parameter's derivative).
    let slope: UnsafeMutableBufferPointer<Double>
    /// Weibull lag weights and their two derivatives (3 · weight count).
    let weightScratch: UnsafeMutableBufferPointer<Double>
    let saturated: UnsafeMutableBufferPointer<Double>
    let dSaturatedDu: UnsafeMutableBufferPointer<Double>
    let dSaturatedDp: UnsafeMutableBufferPointer<Double>
    let constrainedSat: UnsafeMutableBufferPointer<Double>
    /// The sampler's coordinates (log effect at a reference spend instead of log β).
    public let effectCoordinates: MMMEffectParameterisation
    let standardScratch: UnsafeMutableBufferPointer<Double>
    /// Lift tests, grouped by channel (tests of channel c are `liftStart[c]..<liftStart[c + 1]`), on the model's
    /// scales: spend before and after, lift, and 1 / se².
    let liftStart: [Int]
    let liftSpend: [Double]
    let liftSpendAfter: [Double]
    let liftObserved: [Double]
    let liftInverseVariance: [Double]
    /// ∂f/∂p at the spend before (first half) and after (second half) a test.
    let liftScratch: UnsafeMutableBufferPointer<Double>
    /// Gradient evaluations so far (for reporting).
    public private(set) var evaluations = 0

    public init(design: MMMDesign) {
        let spec = design.specification
        layout = MMMParameterLayout(spec)
        saturation = spec.saturation
        adstock = spec.adstock
        periodCount = design.periodCount
        lagCount = spec.adstockLagCount
        channelCount = spec.channelNames.count
        adstockCount = spec.adstock.parameterCount
        baseCount = layout.baseCount
        saturationCount = spec.saturation.parameterCount
        var sds: [Double] = []
        if spec.trend { sds.append(1) }
        for _ in 0..<(2 * spec.seasonality) { sds.append(1) }
        for _ in spec.controlNames { sds.append(2) }
        baseSd = sds
        betaSd = MMMLogPosterior.channelBetaScales(design)
        priorShape = spec.saturation.priors.map(\.shape)
        priorRate = spec.saturation.priors.map(\.rate)
        adstockPriorShape = spec.adstock.priors.map(\.shape)
        adstockPriorRate = spec.adstock.priors.map(\.rate)
        let n = periodCount
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
            b.initialize(repeating: 0)
            return b
        }
        y = buffer(n); x = buffer(channelCount * n); base = buffer(baseCount * n); mu = buffer(n)
        adstocked = buffer(channelCount * n); dAdstocked = buffer(channelCount * adstockCount * n)
        slope = buffer(n)
        let lags = spec.adstockLagCount
        weightScratch = buffer(3 * (spec.adstock.weibullKind.map { WeibullAdstockWeights.count($0, lagCount: lags) } ?? 0))
        saturated = buffer(channelCount * n); dSaturatedDu = buffer(channelCount * adstockCount * n)
        dSaturatedDp = buffer(channelCount * saturationCount * n)
        constrainedSat = buffer(saturationCount)
        effectCoordinates = MMMEffectParameterisation(design: design)
        standardScratch = buffer(layout.count)
        liftScratch = buffer(2 * saturationCount)
        let tests = design.liftTests.map { (channel: design.channelIndex(of: $0), test: $0) }.sorted { $0.channel < $1.channel }
        liftStart = (0...channelCount).map { c in tests.firstIndex { $0.channel >= c } ?? tests.count }
        liftSpend = tests.map { $0.test.spend / design.spendScales[$0.channel] }
        liftSpendAfter = tests.map { ($0.test.spend + $0.test.deltaSpend) / design.spendScales[$0.channel] }
        liftObserved = tests.map { $0.test.lift / design.targetScale }
        liftInverseVariance = tests.map { let se = $0.test.standardError / design.targetScale; return 1 / (se * se) }
        for t in 0..<n { y[t] = design.scaledTarget[t] }
        for c in 0..<channelCount { for t in 0..<n { x[c * n + t] = design.scaledSpend[c][t] } }
        for j in 0..<baseCount { for t in 0..<n { base[j * n + t] = design.baseRegressors[j][t] } }
    }

    /// HalfNormal scale of each channel's β: PyMC-Marketing's default HalfNormal(2).
    static func channelBetaScales(_ design: MMMDesign) -> [Double] {
        [Double](repeating: 2, count: design.specification.channelNames.count)
    }

    deinit {
        for b in [y, x, base, mu, adstocked, dAdstocked, slope, weightScratch, saturated, dSaturatedDu, dSaturatedDp, constrainedSat, standardScratch, liftScratch] {
            b.deallocate()
        }
    }

    /// Log density at θ (array convenience).
    public func logDensity(_ theta: [Double]) -> Double {
        var g = [Double](repeating: 0, count: theta.count)
        return logDensity(theta, gradient: &g)
    }

    /// Log density at θ; writes ∂/∂θ into `gradient` (same length as θ). Returns −∞ for non-finite states.
    public func logDensity(_ theta: [Double], gradient: inout [Double]) -> Double {
        theta.withUnsafeBufferPointer { th in
            gradient.withUnsafeMutableBufferPointer { g in evaluate(th, g) }
        }
    }

    /// Log density at effect coordinates θ' (`MMMEffectParameterisation`); writes ∂/∂θ' into `gradient`.
    public func logDensity(effect theta: [Double], gradient: inout [Double]) -> Double {
        theta.withUnsafeBufferPointer { th in
            gradient.withUnsafeMutableBufferPointer { g in
                effectCoordinates.standard(from: th, into: standardScratch)
                let value = evaluate(UnsafeBufferPointer(standardScratch), g)
                if value.isFinite { effectCoordinates.chainGradient(at: th, g) }
                return value
            }
        }
    }

    func evaluate(_ theta: UnsafeBufferPointer<Double>, _ grad: UnsafeMutableBufferPointer<Double>) -> Double {
        evaluations += 1
        let n = periodCount, L = layout, P = saturationCount
        let mu = self.mu.baseAddress!, y = self.y.baseAddress!
        for i in 0..<grad.count { grad[i] = 0 }
        var logPrior = 0.0
        // Base terms.
        let intercept = theta[L.intercept]
        for t in 0..<n { mu[t] = intercept }
        logPrior -= intercept * intercept / 8
        grad[L.intercept] -= intercept / 4
        for j in 0..<baseCount {
            let coef = theta[L.firstBase + j]
            let row = base.baseAddress! + j * n
            for t in 0..<n { mu[t] += coef * row[t] }
            let v = baseSd[j] * baseSd[j]
            logPrior -= coef * coef / (2 * v)
            grad[L.firstBase + j] -= coef / v
        }
        // Channels: adstock → saturation → β. Per channel and period the first pass keeps f, ∂f/∂(adstock parameters)
        // (α; or log shape and log scale) and ∂f/∂p.
        let A = adstockCount
        for c in 0..<channelCount {
            var alpha = 0.0, shape = 0.0, scale = 0.0
            if adstock != .geometric {
                // Gamma priors on shape and scale, on their logs (log-Jacobian included): a·q − b·e^q.
                let qk = theta[L.adstock(c, 0)], ql = theta[L.adstock(c, 1)]
                shape = Foundation.exp(qk); scale = Foundation.exp(ql)
                logPrior += adstockPriorShape[0] * qk - adstockPriorRate[0] * shape
                logPrior += adstockPriorShape[1] * ql - adstockPriorRate[1] * scale
                grad[L.adstock(c, 0)] += adstockPriorShape[0] - adstockPriorRate[0] * shape
                grad[L.adstock(c, 1)] += adstockPriorShape[1] - adstockPriorRate[1] * scale
            } else {
                let alphaRaw = theta[L.alpha(c)]
                alpha = 1 / (1 + Foundation.exp(-alphaRaw))
                logPrior += Foundation.log(max(alpha, 1e-300)) + 3 * Foundation.log(max(1 - alpha, 1e-300))
                grad[L.alpha(c)] += 1 - 4 * alpha
            }
            for k in 0..<P {
                let q = theta[L.saturation(c, k)]
                let value = Foundation.exp(q)
                constrainedSat[k] = value
                logPrior += priorShape[k] * q - priorRate[k] * value
                grad[L.saturation(c, k)] += priorShape[k] - priorRate[k] * value
            }
            let qb = theta[L.beta(c)]
            let beta = Foundation.exp(qb)
            let betaVariance = betaSd[c] * betaSd[c]
            logPrior += qb - beta * beta / (2 * betaVariance)
            grad[L.beta(c)] += 1 - beta * beta / betaVariance
            if liftStart[c] < liftStart[c + 1] { logPrior += liftLikelihood(channel: c, beta: beta, theta, grad) }
            let a = UnsafeMutableBufferPointer(rebasing: adstocked[(c * n)..<((c + 1) * n)])
            let da = UnsafeMutableBufferPointer(rebasing: dAdstocked[(c * A * n)..<((c * A + 1) * n)])
            let spend = UnsafeBufferPointer(rebasing: x[(c * n)..<((c + 1) * n)])
            if let weibull = adstock.weibullKind {
                let db = UnsafeMutableBufferPointer(rebasing: dAdstocked[((c * A + 1) * n)..<((c * A + 2) * n)])
                WeibullAdstock.apply(spend, kind: weibull, shape: shape, scale: scale, lagCount: lagCount,
                                     scratch: weightScratch.baseAddress!, into: a, dLogShape: da, dLogScale: db)
            } else {
                GeometricAdstock.apply(spend, alpha: alpha, lagCount: lagCount, into: a, derivative: da)
            }
            let s = saturated.baseAddress! + c * n
            let dAlpha = dSaturatedDu.baseAddress! + c * A * n  // ∂f/∂u · ∂a/∂(adstock parameter k) at dAlpha + k·n
            let dsp = dSaturatedDp.baseAddress! + c * P * n
            // ∂f/∂u per period into `slope`, then chained with each adstock parameter's ∂a/∂(parameter).
            let slope = self.slope.baseAddress!
            switch saturation {
            case .logistic:
                let lambda = constrainedSat[0]
                for t in 0..<n {
                    let u = a[t]
                    let e = Foundation.exp(-lambda * u)
                    let f = (1 - e) / (1 + e)
                    let half = 0.5 * (1 - f * f)
                    s[t] = f
                    slope[t] = lambda * half
                    dsp[t] = u * half
                    mu[t] += beta * f
                }
            case .hill:
                let sp = UnsafeBufferPointer(constrainedSat)
                var dp: (Double, Double) = (0, 0)
                withUnsafeMutablePointer(to: &dp) { ptr in
                    ptr.withMemoryRebound(to: Double.self, capacity: 2) { dParameters in
                        for t in 0..<n {
                            let r = saturation.valueAndDerivatives(a[t], sp, dParameters: dParameters)
                            s[t] = r.value
                            slope[t] = r.dU
                            dsp[t] = dParameters[0]
                            dsp[n + t] = dParameters[1]
                            mu[t] += beta * r.value
                        }
                    }
                }
            }
            chainAdstockDerivatives(c, n, slope, dAlpha)
        }
        // Likelihood; mu becomes the weight w[t] = (y[t] − μ[t]) / σ².
        let qs = theta[L.sigma]
        let sigma = Foundation.exp(qs)
        let inverseVariance = 1 / (sigma * sigma)
        var sumSquares = 0.0, sw = 0.0
        for t in 0..<n {
            let r = y[t] - mu[t]
            let w = r * inverseVariance
            mu[t] = w
            sumSquares += r * r
            sw += w
        }
        let logLikelihood = -Double(n) * qs - 0.5 * sumSquares * inverseVariance
        logPrior += qs - sigma * sigma / 8
        grad[L.sigma] += 1 - sigma * sigma / 4 - Double(n) + sumSquares * inverseVariance
        let w = mu
        grad[L.intercept] += sw
        for j in 0..<baseCount {
            let row = base.baseAddress! + j * n
            var acc = 0.0
            for t in 0..<n { acc += w[t] * row[t] }
            grad[L.firstBase + j] += acc
        }
        for c in 0..<channelCount {
            let beta = Foundation.exp(theta[L.beta(c)])
            let s = saturated.baseAddress! + c * n
            let dAlpha = dSaturatedDu.baseAddress! + c * A * n
            let dsp = dSaturatedDp.baseAddress! + c * P * n
            var gBeta = 0.0, gAlpha = 0.0, gP0 = 0.0, gP1 = 0.0, gA1 = 0.0
            for t in 0..<n {
                let wt = w[t]
                gBeta += wt * s[t]
                gAlpha += wt * dAlpha[t]
                gP0 += wt * dsp[t]
            }
            if P > 1 { for t in 0..<n { gP1 += w[t] * dsp[n + t] } }
            if A > 1 { for t in 0..<n { gA1 += w[t] * dAlpha[n + t] } }
            grad[L.beta(c)] += beta * gBeta                        // ∂β/∂q = β
            if A > 1 {                                              // Weibull: derivatives are already w.r.t. log shape, log scale
                grad[L.adstock(c, 0)] += beta * gAlpha
                grad[L.adstock(c, 1)] += beta * gA1
            } else {
                let alpha = 1 / (1 + Foundation.exp(-theta[L.alpha(c)]))
                grad[L.alpha(c)] += beta * gAlpha * alpha * (1 - alpha) // ∂α/∂θ = α(1−α)
            }
            grad[L.saturation(c, 0)] += beta * gP0 * Foundation.exp(theta[L.saturation(c, 0)])
            if P > 1 { grad[L.saturation(c, 1)] += beta * gP1 * Foundation.exp(theta[L.saturation(c, 1)]) }
        }
        let total = logLikelihood + logPrior
        if !total.isFinite { return -.infinity }
        for i in 0..<grad.count where !grad[i].isFinite { return -.infinity }
        return total
    }

    /// Weibull adstock: `out[k·n + t] = slope[t] · ∂a[t]/∂(adstock parameter k)` for channel c.
    @inline(__always)
    private func chainAdstockDerivatives(_ c: Int, _ n: Int, _ slope: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        let da = dAdstocked.baseAddress! + c * adstockCount * n
        for k in 0..<adstockCount {
            let row = da + k * n, target = out + k * n
            for t in 0..<n { target[t] = slope[t] * row[t] }
        }
    }

    /// Log likelihood of channel c's lift tests at the channel's current β and saturation parameters
    /// (`constrainedSat`); adds its gradient (log β and log saturation parameters; adstock plays no part).
    private func liftLikelihood(channel c: Int, beta: Double, _ theta: UnsafeBufferPointer<Double>,
                                _ grad: UnsafeMutableBufferPointer<Double>) -> Double {
        let P = saturationCount, L = layout
        let parameters = UnsafeBufferPointer(constrainedSat)
        let before = liftScratch.baseAddress!, after = liftScratch.baseAddress! + P
        var total = 0.0
        for i in liftStart[c]..<liftStart[c + 1] {
            let f0 = saturation.valueAndDerivatives(liftSpend[i], parameters, dParameters: before).value
            let f1 = saturation.valueAndDerivatives(liftSpendAfter[i], parameters, dParameters: after).value
            let predicted = beta * (f1 - f0)
            let residual = liftObserved[i] - predicted
            total -= 0.5 * residual * residual * liftInverseVariance[i]
            let weight = residual * liftInverseVariance[i]
            grad[L.beta(c)] += weight * predicted                       // ∂predicted/∂log β = predicted
            for k in 0..<P {                                             // ∂p/∂log p = p
                grad[L.saturation(c, k)] += weight * beta * (after[k] - before[k]) * parameters[k]
            }
        }
        return total
    }
}
