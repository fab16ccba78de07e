import Foundation
import Storage
import Transforms

/// A fitted model as kept in the catalog: specification, fitted data (so outputs can be recomputed), period
/// labels, posterior draws (binary, base64) and diagnostics. Encoded as JSON in `tarn_mmm_models.state`.
struct StoredMMMModel: Codable {
    var channels: [String]
    var controls: [String]
    var seasonality: Int
    var trend: Bool
    var saturation: String
    /// The adstock kind's name (absent in models stored before Weibull adstock existed: geometric).
    var adstock: String?
    var adstockLagCount: Int
    var seed: UInt64
    var chains: Int
    var tune: Int
    var draws: Int
    var targetAccept: Double
    var periodColumn: String
    var periodType: String
    var periods: [String]
    var target: [Double]
    var spend: [[Double]]
    var controlValues: [[Double]]
    /// The experiments the fit was calibrated with (absent in models stored before lift tests existed).
    var liftTests: [MMMLiftTest]?
    var drawsBase64: String
    var drawCount: Int
    var parameterCount: Int
    var chainCount: Int
    var drawsPerChain: Int
    var mode: [Double]
    var summary: [StoredSummary]
    var method: String
    var divergences: Int
    var meanTreeDepth: Double
    var meanAcceptance: Double
    var stepSize: Double
    var gradientEvaluations: Int
    var mapLogPosterior: Double
    var fitSeconds: Double

    struct StoredSummary: Codable {
        var name: String, mean: Double, sd: Double, hdiLow: Double, hdiHigh: Double, rHat: Double?, essBulk: Double?
    }

    init(posterior p: MMMPosterior, periodColumn: String, periodType: DataType, periods: [Value]) {
        let s = p.design.specification
        channels = s.channelNames; controls = s.controlNames; seasonality = s.seasonality; trend = s.trend
        saturation = s.saturation.rawValue; adstock = s.adstock.rawValue; adstockLagCount = s.adstockLagCount; seed = s.seed; chains = s.chains
        tune = s.tune; draws = s.draws; targetAccept = s.targetAccept
        self.periodColumn = periodColumn
        self.periodType = periodType.description
        self.periods = periods.map(\.description)
        target = p.design.target; spend = p.design.spend; controlValues = p.design.controls
        liftTests = p.design.liftTests.isEmpty ? nil : p.design.liftTests
        let flat = p.draws.flatMap { $0 }
        drawsBase64 = flat.withUnsafeBufferPointer { Data(buffer: $0) }.base64EncodedString()
        drawCount = p.draws.count; parameterCount = p.layout.count
        chainCount = p.chainCount; drawsPerChain = p.drawsPerChain; mode = p.mode
        summary = p.summary.map {
            StoredSummary(name: $0.name, mean: $0.mean, sd: $0.sd, hdiLow: $0.hdiLow, hdiHigh: $0.hdiHigh,
                          rHat: $0.rHat.isFinite ? $0.rHat : nil, essBulk: $0.essBulk.isFinite ? $0.essBulk : nil)
        }
        let d = p.diagnostics
        method = d.method; divergences = d.divergences; meanTreeDepth = d.meanTreeDepth; meanAcceptance = d.meanAcceptance
        stepSize = d.stepSize; gradientEvaluations = d.gradientEvaluations
        mapLogPosterior = d.mapLogPosterior.isFinite ? d.mapLogPosterior : 0; fitSeconds = d.fitSeconds
    }

    var specification: MMMSpecification {
        MMMSpecification(channelNames: channels, controlNames: controls, seasonality: seasonality, trend: trend,
                         saturation: SaturationCurve(rawValue: saturation) ?? .logistic, adstockLagCount: adstockLagCount,
                         seed: seed, chains: chains, tune: tune, draws: draws, targetAccept: targetAccept,
                         adstock: AdstockKind(rawValue: adstock ?? AdstockKind.geometric.rawValue) ?? .geometric)
    }

    /// The period labels as typed values (the type of the fitted `date` column).
    var periodValues: (type: DataType, values: [Value]) {
        let type = DataType.parse(periodType) ?? .varchar
        let values: [Value] = periods.map { text in
            switch type {
            case .date: return ValueFormatting.parseDate(Substring(text)).map { Value.date($0) } ?? .varchar(text)
            case .timestamp: return ValueFormatting.parseTimestamp(Substring(text)).map { Value.timestamp($0) } ?? .varchar(text)
            case .integer: return Int32(text).map { Value.integer($0) } ?? .null
            case .bigint: return Int64(text).map { Value.bigint($0) } ?? .null
            case .double: return Double(text).map { Value.double($0) } ?? .null
            default: return .varchar(text)
            }
        }
        let typeIsKept = values.allSatisfy { v in v.isNull || v.dataType == type || type == .varchar }
        return typeIsKept ? (type, values) : (.varchar, periods.map { .varchar($0) })
    }

    func posterior() throws -> MMMPosterior {
        if let adstock, AdstockKind(rawValue: adstock) == nil {
            throw TarnError.corruption("model state is damaged: unknown adstock '\(adstock)'")
        }
        let spec = specification
        guard parameterCount == MMMParameterLayout(spec).count else {
            throw TarnError.corruption("model state is damaged: \(parameterCount) parameters stored, the model has \(MMMParameterLayout(spec).count)")
        }
        let design = try MMMDesign(specification: spec, target: target, spend: spend, controls: controlValues)
            .calibrated(with: liftTests ?? [])
        guard let data = Data(base64Encoded: drawsBase64), data.count == drawCount * parameterCount * 8 else {
            throw TarnError.corruption("model state is damaged: posterior draws do not decode")
        }
        let flat: [Double] = data.withUnsafeBytes { raw in Array(raw.bindMemory(to: Double.self)) }
        let rows = (0..<drawCount).map { Array(flat[($0 * parameterCount)..<(($0 + 1) * parameterCount)]) }
        let diagnostics = MMMSamplerDiagnostics(
            method: method, divergences: divergences, meanTreeDepth: meanTreeDepth, meanAcceptance: meanAcceptance,
            stepSize: stepSize, gradientEvaluations: gradientEvaluations, mapLogPosterior: mapLogPosterior, fitSeconds: fitSeconds,
            maxRHat: summary.compactMap(\.rHat).max() ?? .nan, minESSBulk: summary.compactMap(\.essBulk).min() ?? .nan)
        let rowsSummary = summary.map {
            MMMParameterSummary(name: $0.name, mean: $0.mean, sd: $0.sd, hdiLow: $0.hdiLow, hdiHigh: $0.hdiHigh,
                                rHat: $0.rHat ?? .nan, essBulk: $0.essBulk ?? .nan)
        }
        return MMMPosterior(design: design, draws: rows, chainCount: chainCount, drawsPerChain: drawsPerChain, mode: mode,
                            diagnostics: diagnostics, summary: rowsSummary)
    }
}
