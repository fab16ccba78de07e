import XCTest
import Foundation
import Storage
@testable import Tarn

/// `CREATE MODEL m AS mmm(…)`, `DROP MODEL m` and the registry as the relation `tarn.models`.
final class MMMModelStatementTests: XCTestCase {
    var path = ""
    var session: Session!

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "tarn-mmm-model-" + UUID().uuidString
        session = try Database.open(path).connect()
        try session.execute("CREATE TABLE weekly AS SELECT * FROM simulate_mmm(weeks => 60, channels => 2, seed => 3)")
    }

    override func tearDownWithError() throws {
        session = nil
        try? FileManager.default.removeItem(atPath: path)
    }

    private let fit = "mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search'], seasonality => 1, chains => 2, tune => 30, draws => 20)"

    private func message(_ sql: String) -> String {
        do { _ = try session.execute(sql); return "" } catch { return "\(error)" }
    }

    func testTarnModelsRelationMatchesTableFunction() throws {
        XCTAssertEqual(try session.query("SELECT count(*) FROM tarn.models")[0][0].int64Value, 0, "empty registry reads as no rows")
        _ = try session.query("SELECT * FROM \(fit.dropLast()), name => 'a')")
        _ = try session.query("SELECT * FROM \(fit.dropLast()), name => 'b', seed => 5)")
        let columns = "name, version, source_table, source_version, target, channels, periods, chains, draws, divergences, arguments"
        let relation = try session.query("SELECT \(columns) FROM tarn.models ORDER BY name, version")
        let function = try session.query("SELECT \(columns) FROM tarn_models() ORDER BY name, version")
        XCTAssertEqual(relation, function)
        XCTAssertEqual(relation.map { $0[0] }, [.varchar("a"), .varchar("b")])
        XCTAssertEqual(relation[0][2], .varchar("weekly"))
        XCTAssertEqual(relation[0][6], .bigint(60))
        // 2 chains × 20 draws cannot reach 100 effective draws per chain: the check says so.
        let convergence = try session.query("SELECT convergence FROM tarn.models WHERE name = 'a'")
        guard case let .varchar(verdict) = convergence.first?.first else { return XCTFail("convergence \(convergence)") }
        XCTAssertTrue(verdict.contains("min bulk ESS") && verdict.contains("< 200"), verdict)
        let described = try session.execute("SELECT * FROM tarn.models").last
        XCTAssertEqual(described?.columns.map(\.name), MMMOutputFunctions.modelFields.map(\.name))
        // Joins and filters like any relation.
        let joined = try session.query("""
            SELECT m.name, count(*) FROM tarn.models m JOIN mmm_summary('a') s ON m.name = 'a' WHERE m.max_r_hat > 0 GROUP BY m.name
            """)
        XCTAssertEqual(joined.first?[0], .varchar("a"))
    }

    func testCreateModelFitsAndNamesTheModel() throws {
        let result = try session.execute("CREATE MODEL demo AS \(fit)").last
        XCTAssertEqual(result?.columns.first?.name, "model")
        XCTAssertEqual(result?.rows.first?[0], .varchar("demo"))
        XCTAssertEqual(result?.rows.first?[1], .bigint(1))
        XCTAssertEqual(try session.query("SELECT count(*) FROM mmm_roi('demo')")[0][0].int64Value, 2)
        XCTAssertEqual(try session.query("SELECT name, version, source_table FROM tarn.models"),
                       [[.varchar("demo"), .bigint(1), .varchar("weekly")]])

        // Exists: an error without OR REPLACE, nothing fitted with IF NOT EXISTS, a new version with OR REPLACE.
        XCTAssertTrue(message("CREATE MODEL demo AS \(fit)").contains("model 'demo' already exists"))
        try session.execute("CREATE MODEL IF NOT EXISTS demo AS \(fit)")
        XCTAssertEqual(try session.query("SELECT max(version) FROM tarn.models")[0][0].int64Value, 1)
        try session.execute("CREATE OR REPLACE MODEL demo AS \(fit)")
        XCTAssertEqual(try session.query("SELECT version FROM tarn.models ORDER BY version").map { $0[0] }, [.bigint(1), .bigint(2)])

        // Errors name the problem.
        XCTAssertTrue(message("CREATE MODEL x AS \(fit.dropLast()), name => 'y')").contains("remove name =>"))
        XCTAssertTrue(message("CREATE MODEL x AS simulate_mmm(weeks => 60)").contains("does not fit a model"))
        XCTAssertTrue(message("CREATE MODEL x AS mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['radio'])")
            .contains("'radio'"))
        XCTAssertEqual(try session.query("SELECT count(*) FROM tarn.models WHERE name = 'x'")[0][0].int64Value, 0)

        // DROP MODEL removes every version; IF EXISTS tolerates a missing model.
        try session.execute("DROP MODEL demo")
        XCTAssertEqual(try session.query("SELECT count(*) FROM tarn.models")[0][0].int64Value, 0)
        XCTAssertTrue(message("SELECT * FROM mmm_roi('demo')").contains("does not exist"))
        XCTAssertTrue(message("DROP MODEL demo").contains("model 'demo' does not exist"))
        try session.execute("DROP MODEL IF EXISTS demo")
    }

    /// A model records the table and snapshot it read; `TABLE t VERSION AS OF n` refits on exactly that data after the
    /// table has changed, and (same seed) reproduces the stored posterior.
    func testRefitOnTheRecordedSnapshotWithTimeTravel() throws {
        try session.execute("CREATE MODEL first AS \(fit)")
        try session.execute("DELETE FROM weekly WHERE week >= DATE '2021-12-01'")
        try session.execute("CREATE MODEL latest AS \(fit)")
        let lineage = try session.query("SELECT name, source_table, source_version, periods FROM tarn.models ORDER BY name")
        XCTAssertEqual(lineage[0], [.varchar("first"), .varchar("weekly"), .bigint(0), .bigint(60)])
        XCTAssertEqual(lineage[1][2], .bigint(1))
        guard case let .bigint(latestPeriods) = lineage[1][3] else { return XCTFail("periods \(lineage[1])") }
        XCTAssertLessThan(latestPeriods, 60)

        let refit = fit.replacingOccurrences(of: "TABLE weekly", with: "TABLE weekly VERSION AS OF 0")
        try session.execute("CREATE MODEL again AS \(refit)")
        XCTAssertEqual(try session.query("SELECT source_version, periods FROM tarn.models WHERE name = 'again'"), [[.bigint(0), .bigint(60)]])
        let summary = "SELECT parameter, mean, sd FROM mmm_summary('%@') ORDER BY parameter"
        XCTAssertEqual(try session.query(String(format: summary, "again")), try session.query(String(format: summary, "first")))
        XCTAssertNotEqual(try session.query(String(format: summary, "latest")), try session.query(String(format: summary, "first")))

        XCTAssertTrue(message("SELECT * FROM \(fit.replacingOccurrences(of: "TABLE weekly", with: "TABLE weekly VERSION AS OF 9"))")
            .contains("version 9 of table 'weekly' does not exist"))
    }
}
