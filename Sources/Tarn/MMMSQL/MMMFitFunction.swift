import Foundation
import Storage
import Execution
import Planner
import Transforms

/// `mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY[…], controls => ARRAY[…],
/// seasonality => 2, trend => true, saturation => 'logistic' | 'hill', adstock => 'geometric' | 'weibull_pdf' | 'weibull_cdf', seed => 42, chains => 4, tune => 1000,
/// draws => 1000, target_accept => 0.8, adstock_max_lag => 8, name => 'm', lift_tests => TABLE experiments)`: fits a
/// Bayesian marketing-mix model (calibrated with the lift tests, if any), stores it in the catalog as the next version
/// of `name`, and returns its posterior summary.
enum MMMFitFunction {
    static let outputFields: [Field] = [
        Field(name: "model", type: .varchar), Field(name: "version", type: .bigint),
    ] + MMMOutputFunctions.summaryFields

    static let knownArguments: Set<String> = ["date", "target", "channels", "controls", "seasonality", "trend", "saturation",
                                              "adstock", "seed", "chains", "tune", "draws", "target_accept", "adstock_max_lag", "name", "max_tree_depth"]

    static func definition(database: Database) -> TableFunctionDefinition {
        TableFunctionDefinition(name: "mmm") { call in
            let args = MMMArguments(call: call)
            try args.rejectUnknown(knownArguments)
            if let unknown = call.inputs.compactMap(\.name).first(where: { $0 != "lift_tests" }) {
                throw TarnError.semantic("mmm(): unknown table argument '\(unknown)' (the data comes first, unnamed; lift_tests => TABLE t calibrates)")
            }
            let data = call.inputs.filter { $0.name == nil }
            guard data.count == 1 else {
                throw TarnError.semantic("mmm(): the data is needed as the first argument, once: mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search'])")
            }
            let lifts = call.inputs.first { $0.name == "lift_tests" }
            let request = try FitRequest(args)
            let lake = database.lake
            return (outputFields, OperatorFactory {
                DeferredRowsOperator(types: outputFields.map(\.type), label: "MMMFit name=\(request.name)") { context in
                    try fit(request, input: data[0], liftTests: lifts, lake: lake, context: context)
                }
            })
        }
    }

    /// The validated arguments of one fit.
    struct FitRequest: Sendable {
        var name: String
        var date: String
        var target: String
        var specification: MMMSpecification
        var arguments: String

        init(_ args: MMMArguments) throws {
            name = try args.string("name") ?? "mmm"
            date = try args.requiredString("date")
            target = try args.requiredString("target")
            guard let channels = try args.strings("channels"), !channels.isEmpty else {
                throw args.bad("channels", "is required: channels => ARRAY['tv', 'search', …]")
            }
            let controls = try args.strings("controls") ?? []
            let lowered = (channels + controls).map { $0.lowercased() }
            if Set(lowered).count != lowered.count { throw args.bad("channels", "and 'controls' must name distinct columns") }
            let saturationName = (try args.string("saturation") ?? "logistic").lowercased()
            guard let saturation = SaturationCurve(rawValue: saturationName) else {
                throw args.bad("saturation", "must be 'logistic' or 'hill' (got '\(saturationName)')")
            }
            let adstock = try MMMFitFunction.adstockKind(args)
            let seedValue = try args.int("seed", default: 42, range: 0...Int.max)
            let targetAccept = try args.double("target_accept") ?? 0.8
            guard targetAccept > 0.5, targetAccept < 1 else { throw args.bad("target_accept", "must be between 0.5 and 1") }
            specification = MMMSpecification(
                channelNames: channels, controlNames: controls,
                seasonality: try args.int("seasonality", default: 2, range: 0...10),
                trend: try args.bool("trend", default: true), saturation: saturation,
                adstockLagCount: try args.int("adstock_max_lag", default: GeometricAdstock.defaultLagCount, range: 1...52),
                seed: UInt64(seedValue), chains: try args.int("chains", default: 4, range: 1...16),
                tune: try args.int("tune", default: 1000, range: 0...100_000),
                draws: try args.int("draws", default: 1000, range: 10...100_000), targetAccept: targetAccept,
                maxTreeDepth: try args.int("max_tree_depth", default: 10, range: 2...15), adstock: adstock)
            let s = specification
            var parts = ["date => '\(date)'", "target => '\(target)'",
                         "channels => ARRAY[\(channels.map { "'\($0)'" }.joined(separator: ", "))]"]
            if !controls.isEmpty { parts.append("controls => ARRAY[\(controls.map { "'\($0)'" }.joined(separator: ", "))]") }
            parts += ["seasonality => \(s.seasonality)", "trend => \(s.trend)", "saturation => '\(s.saturation.rawValue)'",
                      "adstock => '\(s.adstock.rawValue)'",
                      "adstock_max_lag => \(s.adstockLagCount)", "seed => \(s.seed)", "chains => \(s.chains)", "tune => \(s.tune)",
                      "draws => \(s.draws)", "target_accept => \(s.targetAccept)", "name => '\(name)'"]
            arguments = parts.joined(separator: ", ")
        }
    }

    /// `adstock => 'geometric' | 'weibull_pdf' | 'weibull_cdf'` (geometric when absent).
    static func adstockKind(_ args: MMMArguments) throws -> AdstockKind {
        let name = (try args.string("adstock") ?? AdstockKind.geometric.rawValue).lowercased()
        guard let kind = AdstockKind(rawValue: name) else {
            let accepted = AdstockKind.allCases.map { "'\($0.rawValue)'" }
            throw args.bad("adstock", "must be \(accepted.dropLast().joined(separator: ", ")) or \(accepted.last ?? "") (got '\(name)')")
        }
        return kind
    }

    static func fit(_ request: FitRequest, input: TableFunctionInput, liftTests: TableFunctionInput?, lake: Lake,
                    context: ExecutionContext) throws -> Batch {
        if lake.readOnly { throw TarnError.semantic("mmm(): the lake is open read-only, so the fitted model cannot be stored") }
        let table = try MMMInputTable(input, context: context, function: "mmm")
        let spec = request.specification
        let (order, periodType, periods) = try table.sortedPeriods(request.date, argument: "date")
        let target = try table.doubles(request.target, argument: "target", order: order)
        let spend = try spec.channelNames.map { try table.doubles($0, argument: "channels", order: order) }
        let controls = try spec.controlNames.map { try table.doubles($0, argument: "controls", order: order) }
        let tests = try liftTests.map { try readLiftTests($0, context: context) } ?? []
        let design: MMMDesign
        do {
            design = try MMMDesign(specification: spec, target: target, spend: spend, controls: controls).calibrated(with: tests)
        } catch let e as MMMInputError {
            throw TarnError.semantic("mmm(): \(e.message)")
        }
        try context.progress.checkCancelled()
        let posterior = MMMFitter.fit(design)
        let state = StoredMMMModel(posterior: posterior, periodColumn: request.date, periodType: periodType, periods: periods)
        let d = posterior.diagnostics
        let formatter = ISO8601DateFormatter()
        let entry = MMMModelCatalog.Entry(
            name: request.name, version: 0, createdAt: formatter.string(from: Date()), sourceTable: input.source?.table,
            sourceVersion: input.source?.version,
            arguments: request.arguments + (tests.isEmpty ? "" : ", lift_tests => \(liftTestsText(liftTests, count: tests.count))"),
            target: request.target,
            channels: spec.channelNames.joined(separator: ","), controls: spec.controlNames.joined(separator: ","),
            saturation: spec.saturation.rawValue, periods: Int64(design.periodCount), chains: Int64(spec.chains),
            draws: Int64(spec.draws), fitSeconds: d.fitSeconds, maxRHat: d.maxRHat, minESSBulk: d.minESSBulk,
            divergences: Int64(d.divergences), sampler: d.method)
        let version = try MMMModelCatalog(catalog: lake.catalog).save(entry, state: state)
        let rows = posterior.summary.map { [.varchar(request.name), .bigint(version)] + MMMOutputFunctions.summaryRow($0) }
        return makeBatch(outputFields, rows)
    }

    /// Lift tests from a relation with columns `channel, spend, delta_spend, lift, standard_error` (one row per test).
    static func readLiftTests(_ input: TableFunctionInput, context: ExecutionContext) throws -> [MMMLiftTest] {
        let table = try MMMInputTable(input, context: context, function: "mmm")
        let order = Array(0..<table.rowCount)
        let channels = try table.strings("channel", argument: "lift_tests")
        let numbers = try ["spend", "delta_spend", "lift", "standard_error"].map { try table.doubles($0, argument: "lift_tests", order: order) }
        return channels.indices.map { r in
            MMMLiftTest(channel: channels[r], spend: numbers[0][r], deltaSpend: numbers[1][r], lift: numbers[2][r], standardError: numbers[3][r])
        }
    }

    /// How the lift tests are named in the model's recorded arguments: the table and version when it was `TABLE t`.
    static func liftTestsText(_ input: TableFunctionInput?, count: Int) -> String {
        let tests = "\(count) test\(count == 1 ? "" : "s")"
        guard let source = input?.source else { return "(query: \(tests))" }
        return "TABLE \(source.table) VERSION AS OF \(source.version) (\(tests))"
    }
}
