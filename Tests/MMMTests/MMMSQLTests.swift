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

    func testSimulatorTruth() throws {
        let truth = try session.query("SELECT channel, alpha, roas FROM simulate_mmm_truth(weeks => 52, channels => 3, seed => 1)")
        XCTAssertEqual(truth.map { $0[0] }, [.varchar("tv"), .varchar("search"), .varchar("social")])
        let data = try session.query("SELECT count(*), min(tv) >= 0 FROM simulate_mmm(weeks => 52, channels => 3, seed => 1)")
        XCTAssertEqual(data[0][0].int64Value, 52)
    }
}
