import Foundation

/// The fitted data on the model's scale: target divided by max |y|, each channel's spend divided by its
/// maximum, controls divided by their max |value|, a [0, 1] trend and Fourier seasonality columns.
public struct MMMDesign: Sendable {
    public let specification: MMMSpecification
    public let periodCount: Int
    /// Target in original units.
    public let target: [Double]
    /// Spend per channel in original units.
    public let spend: [[Double]]
    /// Control values in original units.
    public let controls: [[Double]]
    public let targetScale: Double
    public let spendScales: [Double]
    public let controlScales: [Double]
    /// y / targetScale.
    public let scaledTarget: [Double]
    /// spend[c] / spendScales[c].
    public let scaledSpend: [[Double]]
    /// Non-media regressors (excluding the intercept) as rows of length `periodCount`: trend, Fourier sin/cos
    /// pairs, then scaled controls — in the parameter layout's order.
    public let baseRegressors: [[Double]]
    /// Row offset used for time: row t of this data has time index `timeOffset + t` (0 when fitting).
    public let timeOffset: Int
    /// Trend denominator: the fitted data's last time index (so trend is 0…1 over the training rows).
    public let trendSpan: Double
    /// Experiments that calibrate the fit (`calibrated(with:)`); none by default.
    public internal(set) var liftTests: [MMMLiftTest] = []

    /// Builds the design of the training data. Throws `MMMInputError` naming the bad column.
    public init(specification: MMMSpecification, target: [Double], spend: [[Double]], controls: [[Double]]) throws {
        let n = target.count
        guard n >= 8 else { throw MMMInputError("at least 8 periods are needed to fit a model (got \(n))") }
        guard spend.count == specification.channelNames.count, !spend.isEmpty else {
            throw MMMInputError("channels: at least one channel is needed")
        }
        guard controls.count == specification.controlNames.count else { throw MMMInputError("controls: count mismatch") }
        if let bad = target.firstIndex(where: { !$0.isFinite }) { throw MMMInputError("target: row \(bad + 1) is not a finite number") }
        let ts = target.map(abs).max() ?? 0
        guard ts > 0 else { throw MMMInputError("target: every value is 0") }
        var spendScales: [Double] = []
        for (c, s) in spend.enumerated() {
            let name = specification.channelNames[c]
            if let bad = s.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw MMMInputError("channel '\(name)': row \(bad + 1) has a negative or non-finite spend (\(s[bad]))")
            }
            let m = s.max() ?? 0
            guard m > 0 else { throw MMMInputError("channel '\(name)': spend is 0 in every period") }
            spendScales.append(m)
        }
        var controlScales: [Double] = []
        for (j, z) in controls.enumerated() {
            if let bad = z.firstIndex(where: { !$0.isFinite }) {
                throw MMMInputError("control '\(specification.controlNames[j])': row \(bad + 1) is not a finite number")
            }
            let m = z.map(abs).max() ?? 0
            controlScales.append(m > 0 ? m : 1)
        }
        try self.init(specification: specification, target: target, spend: spend, controls: controls,
                      targetScale: ts, spendScales: spendScales, controlScales: controlScales, timeOffset: 0, trendSpan: Double(max(n - 1, 1)))
    }

    /// A design on the scales of an earlier fit (prediction on new rows continues its time index).
    public init(specification: MMMSpecification, target: [Double], spend: [[Double]], controls: [[Double]],
                targetScale: Double, spendScales: [Double], controlScales: [Double], timeOffset: Int, trendSpan: Double) throws {
        let n = spend.first?.count ?? 0
        self.specification = specification
        self.periodCount = n
        self.target = target.count == n ? target : [Double](repeating: 0, count: n)
        self.spend = spend
        self.controls = controls
        self.targetScale = targetScale
        self.spendScales = spendScales
        self.controlScales = controlScales
        self.timeOffset = timeOffset
        self.trendSpan = trendSpan
        scaledTarget = self.target.map { $0 / targetScale }
        scaledSpend = zip(spend, spendScales).map { s, m in s.map { $0 / m } }
        var rows: [[Double]] = []
        if specification.trend { rows.append((0..<n).map { Double(timeOffset + $0) / trendSpan }) }
        for k in 1...max(specification.seasonality, 1) where specification.seasonality > 0 {
            let w = 2 * Double.pi * Double(k) / MMMSpecification.seasonalPeriod
            rows.append((0..<n).map { Foundation.sin(w * Double(timeOffset + $0)) })
            rows.append((0..<n).map { Foundation.cos(w * Double(timeOffset + $0)) })
        }
        for (z, m) in zip(controls, controlScales) { rows.append(z.map { $0 / m }) }
        baseRegressors = rows
    }
}

/// Bad data or arguments for a model fit; the message names the column or argument.
public struct MMMInputError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
