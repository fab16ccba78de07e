import Foundation
import XCTest
@testable import Tarn
import Storage

/// VACUUM never deletes a file a running statement still reads: it waits for the statement, or gives up with a
/// conflict and deletes nothing.
final class VacuumWaitsForReadersTests: XCTestCase {
    private func lakeWithRemovedFiles() throws -> TestLake {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT i FROM generate_series(1, 1000) AS g(i)")
        try db.run("INSERT INTO t SELECT i FROM generate_series(1001, 2000) AS g(i)")
        try db.run("DELETE FROM t WHERE i <= 1000")  // the first file is now removed from the newest version
        return db
    }

    func testVacuumGivesUpWhileAStreamReadsAndChangesNothing() throws {
        let db = try lakeWithRemovedFiles()
        let reader = db.database.connect()
        let parsed = try XCTUnwrap(try reader.parse("SELECT sum(i) FROM t VERSION AS OF 1").first)
        let stream = try XCTUnwrap(try reader.openQuery(parsed))
        db.database.lake.vacuumWaitSeconds = 0.3
        let vacuumer = db.database.connect()
        XCTAssertThrowsError(try vacuumer.execute("VACUUM t RETAIN 0 HOURS")) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .conflict, "\(error)")
            XCTAssertTrue("\(error)".contains("nothing was deleted"), "\(error)")
        }
        // The stream's snapshot (version 1, whose first file the DELETE removed) still reads in full.
        XCTAssertEqual(try stream.next()?.row(0)[0].description, "2001000")
        stream.close()
        // With the reader gone, VACUUM runs and time travel to the vacuumed version is a clear error.
        try vacuumer.execute("VACUUM t RETAIN 0 HOURS")
        XCTAssertNotNil(db.error("SELECT count(*) FROM t VERSION AS OF 1"))
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["1000"]])
    }

    func testVacuumWaitsForAReaderThatFinishesInTime() throws {
        let db = try lakeWithRemovedFiles()
        let reader = db.database.connect()
        let parsed = try XCTUnwrap(try reader.parse("SELECT count(*) FROM t VERSION AS OF 1").first)
        let stream = try XCTUnwrap(try reader.openQuery(parsed))
        db.database.lake.vacuumWaitSeconds = 20
        let done = expectation(description: "vacuum finished")
        let vacuumer = db.database.connect()
        let started = Date()
        nonisolated(unsafe) var failure: Error?
        DispatchQueue.global().async {
            do { try vacuumer.execute("VACUUM t RETAIN 0 HOURS") } catch { failure = error }
            done.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try stream.next()?.row(0)[0].description, "2000", "the stream reads its whole snapshot while VACUUM waits")
        stream.close()
        wait(for: [done], timeout: 20)
        XCTAssertNil(failure)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.4, "VACUUM waited for the reader")
    }
}
