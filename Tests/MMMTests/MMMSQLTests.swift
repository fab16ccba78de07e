import XCTest
import Foundation
import Storage
@testable import Tarn
@testable import Transforms

/// The SQL surface: simulate, fit from `TABLE t`, the registry with source version, every output function, errors.
final class MMMSQLTests: XCTestCase {
    var path = ""
    var session: Session!

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "tarn-mmm-" + UUID().uuidString
        session = try Database.open(path).connect()
    }

    override func tearDownWithError() throws {
        session = nil
        try? FileManager.default.removeItem(atPath: path)
    }

    func testFitStoreAndQueryModel() throws {
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 104, channels => 2, seed => 4)")
        let fit = try session.query("""
            SELECT parameter, mean, r_hat FROM mmm(TABLE weekly, date => 'week', target => 'revenue',
              channels => ARRAY['tv', 'search'], controls => ARRAY['event_1', 'event_2'], seasonality => 1,
              trend => true, seed => 42, chains => 2, tune => 80, draws => 60, name => 'm')
            """)
        XCTAssertEqual(fit.count, 2 * 3 + 1 + 1 + 2 + 2 + 1)
        XCTAssertEqual(fit.first?[0], .varchar("adstock_alpha[tv]"))

        let models = try session.query("SELECT name, version, source_table, source_version, periods, chains FROM tarn_models()")
        XCTAssertEqual(models.count, 1)
        XCTAssertEqual(models[0][0], .varchar("m"))
        XCTAssertEqual(models[0][1], .bigint(1))
        XCTAssertEqual(models[0][2], .varchar("weekly"))
        XCTAssertEqual(models[0][3], .bigint(0))
        XCTAssertEqual(models[0][4], .bigint(104))

        let summary = try session.query("SELECT parameter, \"hdi_5%\", \"hdi_95%\", ess_bulk FROM mmm_summary('m')")
        XCTAssertEqual(summary.count, fit.count)

        let roi = try session.query("SELECT channel, roas, roas_low, roas_high FROM mmm_roi('m') ORDER BY channel")
        XCTAssertEqual(roi.map { $0[0] }, [.varchar("search"), .varchar("tv")])
        for r in roi { XCTAssertLessThanOrEqual(r[2].doubleValue ?? 1, r[3].doubleValue ?? 0) }

        let contributions = try session.query("SELECT count(*), count(DISTINCT component) FROM mmm_contributions('m')")
        XCTAssertEqual(contributions[0][1].int64Value, 9)   // tv, search, intercept, trend, seasonality, 2 controls, baseline, fitted
        let byWeek = try session.query("SELECT week, contribution FROM mmm_contributions('m') WHERE component = 'tv' ORDER BY week LIMIT 1")
        XCTAssertEqual(byWeek.first?[0], .date(18631))

        let curves = try session.query("SELECT count(*) FROM mmm_response_curves('m', points => 10)")
        XCTAssertEqual(curves[0][0].int64Value, 20)

        let plan = try session.query("SELECT channel, optimal_spend FROM mmm_optimize('m', budget => 5000, min_share => 0.1, max_share => 0.9)")
        XCTAssertEqual(plan.count, 3)
        let total = plan.prefix(2).reduce(0) { $0 + ($1[1].doubleValue ?? 0) }
        XCTAssertEqual(total, 5000, accuracy: 1e-6)
        for row in plan.prefix(2) { XCTAssertGreaterThanOrEqual(row[1].doubleValue ?? 0, 500 - 1e-6) }

        try session.execute("""
            CREATE TABLE future AS SELECT week + INTERVAL 728 DAY AS week, tv, search, event_1, event_2
            FROM weekly WHERE week < DATE '2021-03-01'
            """)
        let predicted = try session.query("SELECT week, prediction, prediction_low, prediction_high FROM mmm_predict('m', TABLE future)")
        XCTAssertEqual(predicted.count, 8)
        for r in predicted { XCTAssertGreaterThan(r[1].doubleValue ?? 0, 0) }

        // Refit: a new version, reading the table's new snapshot.
        try session.execute("INSERT INTO weekly SELECT * FROM simulate_mmm(weeks => 104, channels => 2, seed => 4) WHERE false")
        _ = try session.query("""
            SELECT * FROM mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search'],
              chains => 1, tune => 20, draws => 20, name => 'm')
            """)
        let versions = try session.query("SELECT version FROM tarn_models() WHERE name = 'm' ORDER BY version")
        XCTAssertEqual(versions.map { $0[0] }, [.bigint(1), .bigint(2)])
        XCTAssertEqual(try session.query("SELECT count(*) FROM mmm_summary('m', version => 1)")[0][0].int64Value, Int64(fit.count))
    }

    func testErrorsNameTheArgument() throws {
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 30, channels => 2, seed => 1)")
        func message(_ sql: String) -> String {
            do { _ = try session.query(sql); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("SELECT * FROM mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'radio'])")
            .contains("'radio'"))
        XCTAssertTrue(message("SELECT * FROM mmm(TABLE weekly, date => 'week', target => 'revenue')").contains("'channels'"))
        XCTAssertTrue(message("SELECT * FROM mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv'], saturaton => 'hill')")
            .contains("unknown argument 'saturaton'"))
        XCTAssertTrue(message("SELECT * FROM mmm_summary('nope')").contains("model 'nope' does not exist"))
        XCTAssertTrue(message("SELECT * FROM simulate_mmm(weeks => 2)").contains("'weeks'"))
    }

    /// The input rows a fit holds are accounted to `memory_limit`: past it, the clear out-of-memory error naming
    /// mmm()'s input, and no model is stored.
    func testInputIsAccountedToTheMemoryLimit() throws {
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 104, channels => 2, seed => 4)")
        try session.execute("SET memory_limit = '1KB'")
        let fit = "SELECT * FROM mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search'], chains => 1, tune => 20, draws => 20, name => 'small')"
        do {
            _ = try session.query(fit)
            XCTFail("a 1KB limit holds no 104-week input")
        } catch let e as TarnError {
            XCTAssertEqual(e.kind, .outOfMemory)
            XCTAssertTrue(e.message.hasPrefix("out of memory: mmm() input needs more than memory_limit 1KB"), e.message)
        }
        XCTAssertEqual(try session.query("SELECT count(*) FROM tarn_models()"), [[.bigint(0)]])
        try session.execute("RESET memory_limit")
        XCTAssertEqual(try session.query(fit).isEmpty, false)
    }

    /// `lift_tests => TABLE t` calibrates the fit with experiments: a holdout of tv (its mean weekly spend cut to zero,
    /// the lift measured as the true response ± 5%) narrows tv's ROAS interval, and the model records the tests.
    func testLiftTestsCalibrateTheFit() throws {
        let sim = try MMMSimulation(weeks: 104, channels: 2, seed: 1000)
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 104, channels => 2, seed => 1000)")
        let meanSpend = sim.spend[0].reduce(0, +) / Double(sim.weeks.count)
        let holdout = sim.truth.channels[0].weeklyResponse(spend: meanSpend)
        try session.execute("CREATE TABLE lifts (channel VARCHAR, spend DOUBLE, delta_spend DOUBLE, lift DOUBLE, standard_error DOUBLE)")
        try session.execute("INSERT INTO lifts VALUES ('tv', \(meanSpend), \(-meanSpend), \(-holdout), \(0.05 * holdout))")
        let fit = "mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search'], chains => 4, tune => 200, draws => 200"
        try session.execute("CREATE MODEL plain AS \(fit))")
        try session.execute("CREATE MODEL calibrated AS \(fit), lift_tests => TABLE lifts)")
        func tvWidth(_ model: String) throws -> Double {
            let row = try session.query("SELECT roas_high - roas_low FROM mmm_roi('\(model)') WHERE channel = 'tv'")
            return row.first?.first?.doubleValue ?? .nan
        }
        XCTAssertLessThan(try tvWidth("calibrated"), 0.7 * (try tvWidth("plain")))
        let arguments = try session.query("SELECT arguments FROM tarn.models WHERE name = 'calibrated'").first?.first
        guard case let .varchar(text) = arguments else { return XCTFail("arguments \(String(describing: arguments))") }
        XCTAssertTrue(text.hasSuffix(", lift_tests => TABLE lifts VERSION AS OF 1 (1 test)"), text)

        func message(_ sql: String) -> String {
            do { _ = try session.query(sql); return "" } catch { return "\(error)" }
        }
        try session.execute("INSERT INTO lifts VALUES ('radio', 100, 50, 10, 1)")
        XCTAssertTrue(message("SELECT * FROM \(fit), lift_tests => TABLE lifts)").contains("lift test 2: channel 'radio'"))
        XCTAssertTrue(message("SELECT * FROM \(fit), lift_tests => (SELECT channel, spend FROM lifts))").contains("'delta_spend'"))
        XCTAssertTrue(message("SELECT * FROM \(fit), lifts => TABLE lifts)").contains("unknown table argument 'lifts'"))
        XCTAssertTrue(message("SELECT * FROM \(fit), lift_tests => (SELECT 'tv' AS channel, 1.0 AS spend, 0.0 AS delta_spend, 1.0 AS lift, 1.0 AS standard_error))")
            .contains("delta_spend is 0"))
    }

    /// `adstock => 'weibull_cdf'` end to end: simulated Weibull carry-over, `CREATE MODEL`, the summary names the
    /// Weibull parameters, every output function runs on the stored model, and the kind is in the recorded arguments.
    func testWeibullAdstockModelEndToEnd() throws {
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 104, channels => 2, seed => 4, adstock => 'weibull_cdf')")
        let created = try session.execute("""
            CREATE MODEL w AS mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search'],
              controls => ARRAY['event_1', 'event_2'], seasonality => 1, adstock => 'weibull_cdf', chains => 2, tune => 80, draws => 60)
            """).last
        XCTAssertEqual(created?.rows.first?[0], .varchar("w"))
        let names = try session.query("SELECT parameter FROM mmm_summary('w')").map { $0[0] }
        XCTAssertEqual(Array(names.prefix(4)), ["adstock_shape[tv]", "adstock_scale[tv]", "adstock_shape[search]", "adstock_scale[search]"].map { Value.varchar($0) })
        XCTAssertFalse(names.contains(.varchar("adstock_alpha[tv]")))
        XCTAssertEqual(names.count, 2 * 4 + 1 + 1 + 2 + 2 + 1)
        for row in try session.query("SELECT mean FROM mmm_summary('w') WHERE parameter LIKE 'adstock_%'") {
            XCTAssertGreaterThan(row[0].doubleValue ?? 0, 0, "shape and scale are positive")
        }
        let roi = try session.query("SELECT channel, contribution, roas_low, roas_high FROM mmm_roi('w') ORDER BY channel")
        XCTAssertEqual(roi.map { $0[0] }, [.varchar("search"), .varchar("tv")])
        for r in roi { XCTAssertGreaterThan(r[1].doubleValue ?? 0, 0); XCTAssertLessThanOrEqual(r[2].doubleValue ?? 1, r[3].doubleValue ?? 0) }
        XCTAssertEqual(try session.query("SELECT count(DISTINCT component) FROM mmm_contributions('w')")[0][0].int64Value, 9)
        XCTAssertEqual(try session.query("SELECT count(*) FROM mmm_response_curves('w', points => 5)")[0][0].int64Value, 10)
        let plan = try session.query("SELECT optimal_spend FROM mmm_optimize('w', budget => 4000) WHERE channel <> 'total'")
        XCTAssertEqual(plan.reduce(0) { $0 + ($1[0].doubleValue ?? 0) }, 4000, accuracy: 1e-6)
        try session.execute("""
            CREATE TABLE future AS SELECT week + INTERVAL 728 DAY AS week, tv, search, event_1, event_2
            FROM weekly WHERE week < DATE '2021-03-01'
            """)
        let predicted = try session.query("SELECT prediction, tv_contribution FROM mmm_predict('w', TABLE future)")
        XCTAssertEqual(predicted.count, 8)
        for r in predicted { XCTAssertGreaterThan(r[0].doubleValue ?? 0, 0); XCTAssertGreaterThanOrEqual(r[1].doubleValue ?? -1, 0) }
        let arguments = try session.query("SELECT arguments FROM tarn.models WHERE name = 'w'").first?.first
        guard case let .varchar(text) = arguments else { return XCTFail("arguments \(String(describing: arguments))") }
        XCTAssertTrue(text.contains("saturation => 'logistic', adstock => 'weibull_cdf', adstock_max_lag => 8"), text)
    }

    func testAdstockArgumentErrorsNameTheAcceptedValues() throws {
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 30, channels => 2, seed => 1)")
        func message(_ sql: String) -> String {
            do { _ = try session.query(sql); return "" } catch { return "\(error)" }
        }
        let bad = message("SELECT * FROM mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv'], adstock => 'foo')")
        XCTAssertTrue(bad.contains("argument 'adstock' must be 'geometric', 'weibull_pdf' or 'weibull_cdf' (got 'foo')"), bad)
        XCTAssertTrue(message("SELECT * FROM mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv'], adstock => 3)")
            .contains("argument 'adstock' must be a string"))
        XCTAssertTrue(message("SELECT * FROM simulate_mmm(adstock => 'weibull')").contains("'weibull_pdf'"))
        XCTAssertTrue(message("SELECT * FROM simulate_mmm(channels => 2, adstock_shape => ARRAY[1.0, 2.0])").contains("need adstock => 'weibull_pdf'"))
        XCTAssertTrue(message("SELECT * FROM simulate_mmm(channels => 2, adstock => 'weibull_pdf', adstock_scale => ARRAY[1.0])")
            .contains("adstock_scale: 1 values for 2 channels"))
        XCTAssertTrue(message("SELECT * FROM simulate_mmm(channels => 1, adstock => 'weibull_pdf', adstock_shape => ARRAY[-1.0])")
            .contains("adstock_shape: every value must be a positive number"))
    }

    /// The SQL window function `weibull_adstock` and the fit's 'weibull_pdf' adstock apply the same weights.
    func testWeibullWindowFunctionMatchesTheFitsAdstock() throws {
        let sim = try MMMSimulation(weeks: 40, channels: 1, seed: 2)
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 40, channels => 1, seed => 2)")
        for (shape, scale, lags) in [(2.0, 3.0, 8), (0.8, 1.5, 5), (3.0, 6.0, 12)] {
            let rows = try session.query("SELECT weibull_adstock(tv, \(shape), \(scale), \(lags)) OVER (ORDER BY week) FROM weekly ORDER BY week")
            let fit = AdstockKind.weibullPDF.apply(sim.spend[0], parameters: [shape, scale], lagCount: lags)
            XCTAssertEqual(rows.count, fit.count)
            for (row, value) in zip(rows, fit) { XCTAssertEqual(row[0].doubleValue ?? .nan, value, accuracy: 1e-9 * max(1, abs(value))) }
        }
    }

    /// Models stored before the adstock kind existed have no `adstock` field: they decode as geometric.
    func testModelsStoredWithoutAdstockDecodeAsGeometric() throws {
        let sim = try MMMSimulation(weeks: 30, channels: 2, seed: 1)
        let spec = MMMSpecification(channelNames: sim.channelNames, seasonality: 1, chains: 1, tune: 20, draws: 20)
        let design = try MMMDesign(specification: spec, target: sim.revenue, spend: sim.spend, controls: [])
        let stored = StoredMMMModel(posterior: MMMFitter.fit(design), periodColumn: "week", periodType: .date,
                                    periods: sim.weeks.map { Value.date($0) })
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(stored)) as? [String: Any])
        XCTAssertEqual(json["adstock"] as? String, "geometric")
        json["adstock"] = nil
        let old = try JSONDecoder().decode(StoredMMMModel.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old.specification.adstock, .geometric)
        XCTAssertEqual(try old.posterior().parameterNames.first, "adstock_alpha[tv]")
        json["adstock"] = "spline"
        let damaged = try JSONDecoder().decode(StoredMMMModel.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertThrowsError(try damaged.posterior())
    }

    func testSimulatorTruth() throws {
        let truth = try session.query("SELECT channel, alpha, roas FROM simulate_mmm_truth(weeks => 52, channels => 3, seed => 1)")
        XCTAssertEqual(truth.map { $0[0] }, [.varchar("tv"), .varchar("search"), .varchar("social")])
        let data = try session.query("SELECT count(*), min(tv) >= 0 FROM simulate_mmm(weeks => 52, channels => 3, seed => 1)")
        XCTAssertEqual(data[0][0].int64Value, 52)
        // Weibull carry-over from given shape and scale: the truth reports them; spend is the same as geometric's.
        let weibull = try session.query("""
            SELECT channel, adstock_shape, adstock_scale FROM simulate_mmm_truth(weeks => 52, channels => 2, seed => 1,
              adstock => 'weibull_pdf', adstock_shape => ARRAY[2.0, 1.0], adstock_scale => ARRAY[3.0, 1.5])
            """)
        XCTAssertEqual(weibull, [[.varchar("tv"), .double(2), .double(3)], [.varchar("search"), .double(1), .double(1.5)]])
        let same = try session.query("""
            SELECT count(*) FROM simulate_mmm(weeks => 52, channels => 2, seed => 1) g
            JOIN simulate_mmm(weeks => 52, channels => 2, seed => 1, adstock => 'weibull_cdf') w ON g.week = w.week
            WHERE g.tv = w.tv AND g.search = w.search AND g.revenue <> w.revenue
            """)
        XCTAssertEqual(same[0][0].int64Value, 52)
    }
}
