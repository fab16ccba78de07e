import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// kill -9 of a `tarn` process inside a `BEGIN … COMMIT` block that already wrote to two tables: nothing of the block
/// is in the lake (no version, no row); its data files are orphans that `tarn check --repair` moves aside.
final class TransactionKillTests: XCTestCase {
    private func dataFiles(_ lake: String) -> Set<String> {
        Set(((try? FileManager.default.subpathsOfDirectory(atPath: lake + "/data")) ?? []).filter { $0.hasSuffix(".tarn") })
    }

    func testKillBeforeCommitLeavesNothing() throws {
        try killBeforeCommit(deletionVectors: false)
    }

    /// The same with deletion vectors on `a`: the block's DELETE only marked rows (in memory until COMMIT).
    func testKillBeforeCommitLeavesNoDeletionVector() throws {
        try killBeforeCommit(deletionVectors: true)
    }

    private func killBeforeCommit(deletionVectors: Bool) throws {
        let lake = TarnProcess.temporaryDirectory("txn-kill") + "/lake"
        let properties = "; ALTER TABLE a SET TBLPROPERTIES ('deletion_vectors' = '\(deletionVectors)')"
        let made = try TarnProcess.run([lake, "-c", "CREATE TABLE a AS SELECT * FROM generate_series(1, 10) g(x); CREATE TABLE b (x BIGINT)" + properties])
        XCTAssertEqual(made.status, 0, made.stderr)
        let before = dataFiles(lake)

        // The block writes both tables, then a long query keeps it open before COMMIT.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TarnProcess.binary())
        process.arguments = [lake, "-c", """
            BEGIN; INSERT INTO a SELECT * FROM generate_series(11, 5000); DELETE FROM a WHERE x <= 5;
            INSERT INTO b SELECT x FROM a; SELECT sum(g % 7) FROM generate_series(1, 100000000000) t(g); COMMIT
            """]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        // Three new files: a's insert, a's rewrite by the DELETE (none with deletion vectors), and b's insert.
        let written = deletionVectors ? 2 : 3
        while dataFiles(lake).subtracting(before).count < written, process.isRunning, Date() < deadline { usleep(20_000) }
        XCTAssertTrue(process.isRunning, "the block was still open")
        XCTAssertEqual(dataFiles(lake).subtracting(before).count, written, "the block's files were on disk")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let after = try TarnProcess.run([lake, "-c", "SELECT (SELECT count(*) FROM a) AS a, (SELECT count(*) FROM b) AS b", "--format", "csv"])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(after.stdout.split(whereSeparator: \.isNewline).last.map(String.init), "10,0", "no row of the block")
        for table in ["a", "b"] {
            let history = try TarnProcess.run([lake, "-c", "DESCRIBE HISTORY \(table)", "--format", "csv"])
            XCTAssertEqual(history.stdout.split(whereSeparator: \.isNewline).count, 2, "only the version before the block: \(history.stdout)")
        }
        let check = try TarnProcess.run(["check", lake])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout.components(separatedBy: "orphan: data/").count - 1, written, check.stdout)
        XCTAssertEqual(try TarnProcess.run(["check", lake, "--repair"]).status, 0)
        XCTAssertEqual(try TarnProcess.run(["check", lake]).status, 0)
    }
}
