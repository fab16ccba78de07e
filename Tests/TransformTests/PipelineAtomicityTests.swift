import Foundation
import XCTest
@testable import Tarn
import Storage

/// A pipeline run that rewrites existing tables commits them together (`PipelineTransaction`): a failing step leaves
/// every table at its version with no RESTORE in its history, a later step reads what an earlier one staged, and the
/// source versions recorded are the committed ones, so an unchanged rerun is up to date. The kill loop
/// (Tests/crash/kill_loop.py) kills runs between their steps and checks the tables always come from one run.
final class PipelineAtomicityTests: TransformTestCase {
    private let pipeline = """
        CREATE OR REFRESH TABLE silver AS SELECT id, qty FROM bronze WHERE qty > 0;
        CREATE OR REFRESH TABLE gold AS SELECT count(*) AS n, sum(qty) AS total FROM silver;
        """

    private func history(_ s: Session, _ table: String) throws -> [String] {
        try s.lake.history(of: TableName(name: table)).map(\.operation)
    }

    func testAFailedRunLeavesEveryTableUntouched() throws {
        let s = try openSession()
        try s.execute("CREATE TABLE bronze AS SELECT * FROM (VALUES (1, 10), (2, 20)) v(id, qty)")
        _ = try s.runPipeline(pipeline, baseDirectory: folder)
        try s.execute("INSERT INTO bronze VALUES (3, 30)")
        let before = try ["silver", "gold"].map { try history(s, $0) }
        // gold now fails (division by zero) after silver was refreshed in the same run.
        let failing = pipeline.replacingOccurrences(of: "sum(qty) AS total", with: "sum(qty) / (count(*) - 3) AS total")
        XCTAssertThrowsError(try s.runPipeline(failing, baseDirectory: folder)) { error in
            guard let failure = error as? PipelineFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.result.rolledBack, ["silver"])
            XCTAssertEqual(failure.result.steps.map(\.status), ["rolled back", "failed"])
        }
        XCTAssertEqual(try ["silver", "gold"].map { try history(s, $0) }, before, "no version, not even a RESTORE")
        XCTAssertEqual(try s.query("SELECT n, total FROM gold").map { $0.map(\.description) }, [["2", "30"]])
        XCTAssertEqual(try int(s, "SELECT count(*) FROM silver"), 2)
        XCTAssertFalse(s.inTransaction)
    }

    func testStepsReadWhatEarlierStepsStagedAndRerunsAreUpToDate() throws {
        let s = try openSession()
        try s.execute("CREATE TABLE bronze AS SELECT * FROM (VALUES (1, 10), (2, -5)) v(id, qty)")
        let first = try s.runPipeline(pipeline, baseDirectory: folder)
        XCTAssertEqual(first.steps.map(\.status), ["succeeded", "succeeded"])
        try s.execute("INSERT INTO bronze VALUES (3, 30)")
        let second = try s.runPipeline(pipeline, baseDirectory: folder)
        XCTAssertEqual(second.steps.map(\.message), ["recomputed from its sources", "recomputed from its sources"])
        XCTAssertEqual(try s.query("SELECT n, total FROM gold").map { $0.map(\.description) }, [["2", "40"]])
        // Both tables gained one version each, committed together.
        let silver = try s.lake.snapshot(of: TableName(name: "silver")), gold = try s.lake.snapshot(of: TableName(name: "gold"))
        XCTAssertEqual(second.steps.map(\.version), [silver.version, gold.version])
        // gold read silver as the run staged it; the run recorded silver's committed version, so nothing is stale now.
        let third = try s.runPipeline(pipeline, baseDirectory: folder)
        XCTAssertEqual(third.steps.map(\.status), ["up to date", "up to date"])
    }

    func testAPipelineInsideATransactionBlockIsRefused() throws {
        let s = try openSession()
        try s.execute("CREATE TABLE bronze AS SELECT * FROM (VALUES (1, 10)) v(id, qty)")
        try s.execute("BEGIN")
        XCTAssertThrowsError(try s.runPipeline(pipeline, baseDirectory: folder)) { error in
            XCTAssertTrue("\(error)".contains("cannot run inside a transaction block"), "\(error)")
        }
        try s.execute("ROLLBACK")
    }
}
