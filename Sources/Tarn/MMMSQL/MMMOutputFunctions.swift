import Foundation
import Storage
import Execution
import Planner
import Transforms

/// The read side of fitted models: `mmm_summary`, `mmm_contributions`, `mmm_roi`, `mmm_response_curves`,
/// `mmm_optimize`, `mmm_predict` (each `('name', version => n)`, latest version by default) and `tarn_models()`.
enum MMMOutputFunctions {
    static let summaryFields: [Field] = [
        Field(name: "parameter", type: .varchar), Field(name: "mean", type: .double), Field(name: "sd", type: .double),
        Field(name: "hdi_5%", type: .double), Field(name: "hdi_95%", type: .double), Field(name: "r_hat", type: .double),
        Field(name: "ess_bulk", type: .double),
    ]

    static func summaryRow(_ s: MMMParameterSummary) -> [Value] {
        [.varchar(s.name), number(s.mean), number(s.sd), number(s.hdiLow), number(s.hdiHigh), number(s.rHat), number(s.essBulk)]
    }

    static func number(_ d: Double) -> Value { d.isFinite ? .double(d) : .null }

    static func definitions(database: Database) -> [TableFunctionDefinition] {
        let lake = database.lake
        return [
            output("mmm_summary", lake, summaryFields, extra: []) { model, _, _ in
                model.posterior.summary.map(summaryRow)
            },
            contributions(lake),
            roi(lake),
            responseCurves(lake),
            optimize(lake),
            predict(lake),
            models(lake),
        ]
    }

    /// A loaded model with its period labels.
    struct LoadedModel {
        var name: String
        var version: Int64
        var state: StoredMMMModel
        var posterior: MMMPosterior
    }

    /// A model output function: resolves the model at execution time and turns it into rows.
    static func output(_ name: String, _ lake: Lake, _ fields: [Field], extra: Set<String>,
                       _ rows: @escaping @Sendable (LoadedModel, MMMArguments, ExecutionContext) throws -> [[Value]]) -> TableFunctionDefinition {
        TableFunctionDefinition(name: name) { call in
            let args = MMMArguments(call: call)
            try args.rejectUnknown(extra.union(["model", "version"]))
            let modelName = try args.requiredString("model", position: 0)
            let version = try args.value("version").map { _ in Int64(try args.int("version", default: 1, range: 1...Int.max)) }
            let columns = fields
            return (columns, OperatorFactory {
                DeferredRowsOperator(types: columns.map(\.type), label: "\(name) model=\(modelName)") { context in
                    let (v, state) = try MMMModelCatalog(catalog: lake.catalog).load(modelName, version: version)
                    let posterior = try state.posterior()
                    let loaded = LoadedModel(name: modelName, version: v, state: state, posterior: posterior)
                    do { return makeBatch(columns, try rows(loaded, args, context)) } catch let e as MMMInputError {
                        throw TarnError.semantic("\(name)(): \(e.message)")
                    }
                }
            })
        }
    }

    static func contributions(_ lake: Lake) -> TableFunctionDefinition {
        let valueFields = [Field(name: "component", type: .varchar), Field(name: "kind", type: .varchar),
                           Field(name: "contribution", type: .double), Field(name: "contribution_low", type: .double),
                           Field(name: "contribution_high", type: .double)]
        // The period column's type is only known once the model is read, so resolve it at bind time.
        return TableFunctionDefinition(name: "mmm_contributions") { call in
            let args = MMMArguments(call: call)
            try args.rejectUnknown(["model", "version"])
            let modelName = try args.requiredString("model", position: 0)
            let version = try args.value("version").map { _ in Int64(try args.int("version", default: 1, range: 1...Int.max)) }
            let (_, probe) = try MMMModelCatalog(catalog: lake.catalog).load(modelName, version: version)
            let periodType = probe.periodValues.type
            let fields = [Field(name: probe.periodColumn, type: periodType)] + valueFields
            return (fields, OperatorFactory {
                DeferredRowsOperator(types: fields.map(\.type), label: "mmm_contributions model=\(modelName)") { _ in
                    let (_, state) = try MMMModelCatalog(catalog: lake.catalog).load(modelName, version: version)
                    let posterior = try state.posterior()
                    return makeBatch(fields, contributionRows(posterior, periods: state.periodValues.values))
                }
            })
        }
    }

    static func contributionRows(_ posterior: MMMPosterior, periods: [Value]) -> [[Value]] {
        let spec = posterior.design.specification
        let n = posterior.design.periodCount
        var names: [(String, String)] = spec.channelNames.map { ($0, "channel") } + [("intercept", "baseline")]
        if spec.trend { names.append(("trend", "baseline")) }
        if spec.seasonality > 0 { names.append(("seasonality", "baseline")) }
        names += spec.controlNames.map { ($0, "control") }
        names.append(("baseline", "total_baseline"))
        names.append(("fitted", "total"))
        var samples = [[[Double]]](repeating: [[Double]](repeating: [], count: n), count: names.count)
        for v in posterior.thinnedDraws(limit: 500) {
            let c = MMMComponents(design: posterior.design, parameters: v)
            var series: [[Double]] = c.channels + [[Double](repeating: c.intercept, count: n)]
            if spec.trend { series.append(c.trend) }
            if spec.seasonality > 0 { series.append(c.seasonality) }
            series += c.controls
            let baseline = (0..<n).map { t in c.intercept + c.trend[t] + c.seasonality[t] + c.controls.reduce(0) { $0 + $1[t] } }
            series.append(baseline)
            series.append(c.total)
            for k in series.indices { for t in 0..<n { samples[k][t].append(series[k][t]) } }
        }
        var rows: [[Value]] = []
        for t in 0..<n {
            for (k, (name, kind)) in names.enumerated() {
                let values = samples[k][t]
                let mean = values.reduce(0, +) / Double(max(values.count, 1))
                let interval = ConvergenceDiagnostics.hdi(values, probability: 0.9)
                rows.append([t < periods.count ? periods[t] : .null, .varchar(name), .varchar(kind), number(mean),
                             number(interval.low), number(interval.high)])
            }
        }
        return rows
    }

    static func roi(_ lake: Lake) -> TableFunctionDefinition {
        let fields = [Field(name: "channel", type: .varchar), Field(name: "spend", type: .double),
                      Field(name: "contribution", type: .double), Field(name: "contribution_low", type: .double),
                      Field(name: "contribution_high", type: .double), Field(name: "roas", type: .double),
                      Field(name: "roas_low", type: .double), Field(name: "roas_high", type: .double),
                      Field(name: "roi", type: .double), Field(name: "roi_low", type: .double), Field(name: "roi_high", type: .double)]
        return output("mmm_roi", lake, fields, extra: []) { model, _, _ in
            ChannelReturn.compute(model.posterior).map { r in
                [.varchar(r.channel), number(r.totalSpend), number(r.contribution), number(r.contributionLow),
                 number(r.contributionHigh), number(r.roas), number(r.roasLow), number(r.roasHigh),
                 number(r.roas - 1), number(r.roasLow - 1), number(r.roasHigh - 1)]
            }
        }
    }

    static func responseCurves(_ lake: Lake) -> TableFunctionDefinition {
        let fields = [Field(name: "channel", type: .varchar), Field(name: "spend", type: .double),
                      Field(name: "response", type: .double), Field(name: "response_low", type: .double),
                      Field(name: "response_high", type: .double), Field(name: "marginal_roas", type: .double)]
        return output("mmm_response_curves", lake, fields, extra: ["points", "max_spend_factor"]) { model, args, _ in
            let points = try args.int("points", default: 50, range: 2...10_000)
            let factor = try args.double("max_spend_factor") ?? 1.5
            guard factor > 0 else { throw args.bad("max_spend_factor", "must be positive") }
            return ResponseCurvePoint.compute(model.posterior, points: points, maxSpendFactor: factor).map { p in
                [.varchar(p.channel), number(p.spend), number(p.response), number(p.responseLow), number(p.responseHigh),
                 number(p.marginalReturn)]
            }
        }
    }

    static func optimize(_ lake: Lake) -> TableFunctionDefinition {
        let fields = [Field(name: "channel", type: .varchar), Field(name: "current_spend", type: .double),
                      Field(name: "current_share", type: .double), Field(name: "optimal_spend", type: .double),
                      Field(name: "optimal_share", type: .double), Field(name: "current_return", type: .double),
                      Field(name: "optimal_return", type: .double), Field(name: "uplift", type: .double)]
        return output("mmm_optimize", lake, fields, extra: ["budget", "weeks", "min_share", "max_share", "lower", "upper"]) { model, args, _ in
            let spec = model.posterior.design.specification
            let n = spec.channelNames.count
            guard let budget = try args.double("budget", position: 1), budget > 0 else { throw args.bad("budget", "is required and must be positive") }
            let weeks = Double(try args.int("weeks", default: 1, range: 1...10_000))
            let weekly = budget / weeks
            let minShare = try args.double("min_share") ?? 0
            let maxShare = try args.double("max_share") ?? 1
            guard (0...1).contains(minShare), (0...1).contains(maxShare), minShare <= maxShare else {
                throw args.bad("min_share", "and 'max_share' must satisfy 0 ≤ min_share ≤ max_share ≤ 1")
            }
            var lower = [Double](repeating: minShare * weekly, count: n)
            var upper = [Double](repeating: maxShare * weekly, count: n)
            if let l = try args.doubles("lower") {
                guard l.count == n else { throw args.bad("lower", "needs one bound per channel (\(n)), in channel order") }
                lower = l.map { max($0 / weeks, 0) }
            }
            if let u = try args.doubles("upper") {
                guard u.count == n else { throw args.bad("upper", "needs one bound per channel (\(n)), in channel order") }
                upper = u.map { $0 / weeks }
            }
            let a = try MMMBudgetAllocation.optimize(model.posterior, budget: weekly, lower: lower, upper: upper)
            var rows: [[Value]] = []
            for c in 0..<n {
                rows.append([.varchar(a.channels[c]), number(a.currentSpend[c] * weeks), number(a.currentSpend[c] / weekly),
                             number(a.optimalSpend[c] * weeks), number(a.optimalSpend[c] / weekly),
                             number(a.currentReturn[c] * weeks), number(a.optimalReturn[c] * weeks),
                             number((a.optimalReturn[c] - a.currentReturn[c]) * weeks)])
            }
            let cr = a.currentReturn.reduce(0, +) * weeks, orr = a.optimalReturn.reduce(0, +) * weeks
            rows.append([.varchar("total"), number(budget), .double(1), number(budget), .double(1), number(cr), number(orr), number(orr - cr)])
            return rows
        }
    }

    static func predict(_ lake: Lake) -> TableFunctionDefinition {
        TableFunctionDefinition(name: "mmm_predict") { call in
            let args = MMMArguments(call: call)
            try args.rejectUnknown(["model", "version"])
            let modelName = try args.requiredString("model", position: 0)
            let version = try args.value("version").map { _ in Int64(try args.int("version", default: 1, range: 1...Int.max)) }
            guard let input = call.inputs.first else {
                throw TarnError.semantic("mmm_predict(): future spend is needed: mmm_predict('m', TABLE future_spend)")
            }
            let (_, probe) = try MMMModelCatalog(catalog: lake.catalog).load(modelName, version: version)
            let periodField = input.columns.first { $0.name.lowercased() == probe.periodColumn.lowercased() }
            guard let periodField else {
                throw TarnError.semantic("mmm_predict(): the input needs the model's period column '\(probe.periodColumn)'")
            }
            let fields = [periodField, Field(name: "prediction", type: .double), Field(name: "prediction_low", type: .double),
                          Field(name: "prediction_high", type: .double)]
                + probe.channels.map { Field(name: "\($0)_contribution", type: .double) }
            return (fields, OperatorFactory {
                DeferredRowsOperator(types: fields.map(\.type), label: "mmm_predict model=\(modelName)") { context in
                    let (_, state) = try MMMModelCatalog(catalog: lake.catalog).load(modelName, version: version)
                    let posterior = try state.posterior()
                    let table = try MMMInputTable(input, context: context, function: "mmm_predict")
                    let (order, _, periods) = try table.sortedPeriods(state.periodColumn, argument: "model period column")
                    let spend = try state.channels.map { try table.doubles($0, argument: "channels", order: order) }
                    let controls = try state.controls.map { try table.doubles($0, argument: "controls", order: order) }
                    let p: MMMPrediction
                    do { p = try MMMPrediction.predict(posterior, spend: spend, controls: controls) } catch let e as MMMInputError {
                        throw TarnError.semantic("mmm_predict(): \(e.message)")
                    }
                    let rows: [[Value]] = periods.indices.map { t in
                        [periods[t], number(p.mean[t]), number(p.low[t]), number(p.high[t])] + p.channelMeans.map { number($0[t]) }
                    }
                    return makeBatch(fields, rows)
                }
            })
        }
    }

    static let modelFields: [Field] = [
        Field(name: "name", type: .varchar), Field(name: "version", type: .bigint), Field(name: "created_at", type: .varchar),
        Field(name: "source_table", type: .varchar), Field(name: "source_version", type: .bigint),
        Field(name: "target", type: .varchar), Field(name: "channels", type: .varchar), Field(name: "controls", type: .varchar),
        Field(name: "saturation", type: .varchar), Field(name: "periods", type: .bigint), Field(name: "chains", type: .bigint),
        Field(name: "draws", type: .bigint), Field(name: "fit_seconds", type: .double), Field(name: "max_r_hat", type: .double),
        Field(name: "min_ess_bulk", type: .double), Field(name: "divergences", type: .bigint),
        Field(name: "convergence", type: .varchar), Field(name: "sampler", type: .varchar),
        Field(name: "arguments", type: .varchar),
    ]

    static func models(_ lake: Lake) -> TableFunctionDefinition {
        TableFunctionDefinition(name: "tarn_models") { call in
            try MMMArguments(call: call).rejectUnknown([])
            return (modelFields, OperatorFactory {
                DeferredRowsOperator(types: modelFields.map(\.type), label: "tarn_models") { _ in
                    makeBatch(modelFields, try modelRows(lake))
                }
            })
        }
    }

    /// One row of `modelFields` per stored model version (`tarn_models()` and `tarn.models`).
    static func modelRows(_ lake: Lake) throws -> [[Value]] {
        try MMMModelCatalog(catalog: lake.catalog).entries().map { e in
            [.varchar(e.name), .bigint(e.version), .varchar(e.createdAt), e.sourceTable.map { .varchar($0) } ?? .null,
             e.sourceVersion.map { .bigint($0) } ?? .null, .varchar(e.target), .varchar(e.channels), .varchar(e.controls),
             .varchar(e.saturation), .bigint(e.periods), .bigint(e.chains), .bigint(e.draws), number(e.fitSeconds),
             e.maxRHat.map(number) ?? .null, e.minESSBulk.map(number) ?? .null, .bigint(e.divergences),
             .varchar(ConvergenceDiagnostics.verdict(maxRHat: e.maxRHat, minESSBulk: e.minESSBulk, divergences: Int(e.divergences),
                                                     chains: Int(e.chains))),
             .varchar(e.sampler), .varchar(e.arguments)]
        }
    }
}
