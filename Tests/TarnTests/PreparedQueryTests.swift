import Foundation
import XCTest
@testable import Tarn
import Storage

/// A query prepared once (`Session.prepareQuery`) and run with values answers as the query with those values written
/// in, plans once while nothing changes, and plans again after anything planning reads changed.
final class PreparedQueryTests: XCTestCase {
    private func rows(_ stream: QueryStream?) throws -> [[String]] {
        let stream = try XCTUnwrap(stream, "the prepared plan applies")
        var out: [[String]] = []
        while let batch = try stream.next() { for i in 0..<batch.count { out.append(batch.row(i).map(\.description)) } }
        return out
    }

    private func prepare(_ db: TestLake, _ sql: String, _ types: [DataType]) throws -> PreparedQuery {
        let parsed = try XCTUnwrap(try db.session.parse(sql).first)
        return try XCTUnwrap(db.session.prepareQuery(parsed, parameterTypes: types))
    }

    func testRunsLikeTheLiteralQueryAndPlansAgainAfterEachChange() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE p AS SELECT range AS id, range % 3 AS k FROM range(100)")
        let q = try prepare(db, "SELECT id, k FROM p WHERE id >= $1 AND k <> $2 ORDER BY id", [.integer, .bigint])
        for (a, b) in [(90, 0), (95, 1), (99, 2)] {
            XCTAssertEqual(try rows(db.session.openQuery(q, parameters: [.integer(Int32(a)), .bigint(Int64(b))])),
                           try db.rows("SELECT id, k FROM p WHERE id >= \(a) AND k <> \(b) ORDER BY id"))
        }
        XCTAssertEqual(q.plansMade, 1, "nothing changed: one plan")
        let run = { try self.rows(db.session.openQuery(q, parameters: [.integer(98), .bigint(7)])) }

        try db.run("INSERT INTO p VALUES (100, 1)")
        XCTAssertEqual(try run(), [["98", "2"], ["99", "0"], ["100", "1"]], "a prepared query sees rows inserted after it was planned")
        XCTAssertEqual(q.plansMade, 2)

        // Another session's (another connection's) commit too.
        try db.database.connect().execute("DELETE FROM p WHERE id = 99")
        XCTAssertEqual(try run(), [["98", "2"], ["100", "1"]])

        try db.run("ALTER TABLE p ADD COLUMN note VARCHAR")
        try db.run("UPDATE p SET k = 5 WHERE id = 100")
        XCTAssertEqual(try run(), [["98", "2"], ["100", "5"]])

        try db.run("DROP TABLE p")
        XCTAssertNil(try db.session.openQuery(q, parameters: [.integer(98), .bigint(7)]), "planning fails: the text reports it")
        XCTAssertEqual((q.planningError as? TarnError)?.message, db.error("SELECT id, k FROM p WHERE id >= 98 AND k <> 7 ORDER BY id")?.message,
                       "the same error as the query with its values written in")
        XCTAssertFalse(q.reusable)

        let again = try prepare(db, "SELECT id, k FROM p WHERE id >= $1 AND k <> $2 ORDER BY id", [.integer, .bigint])
        try db.run("CREATE TABLE p AS SELECT range + 1000 AS id, 1 AS k FROM range(2)")
        XCTAssertEqual(try rows(db.session.openQuery(again, parameters: [.integer(0), .bigint(0)])), [["1000", "1"], ["1001", "1"]])
    }

    func testSessionChangesPlanAgainAndUnfitQueriesRunFromTheirText() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE p AS SELECT range AS id FROM range(10)")
        let q = try prepare(db, "SELECT count(*) FROM p WHERE id < $1", [.bigint])
        XCTAssertEqual(try rows(db.session.openQuery(q, parameters: [.bigint(4)])), [["4"]])
        try db.run("SET threads = 1")
        XCTAssertEqual(try rows(db.session.openQuery(q, parameters: [.bigint(5)])), [["5"]])
        XCTAssertEqual(q.plansMade, 2, "a setting changed: planned again")

        // Inside a transaction block the block's own writes must be seen: the text runs instead.
        try db.run("BEGIN")
        XCTAssertNil(try db.session.openQuery(q, parameters: [.bigint(5)]))
        try db.run("ROLLBACK")

        // Time travel is resolved when planning, a subquery's plan is out of reach, a column named after a parameter
        // would be named after the value: each runs from its text.
        for sql in ["SELECT count(*) FROM p VERSION AS OF 0 WHERE id < $1", "SELECT (SELECT max(id) FROM p WHERE id < $1)",
                    "SELECT $1 + 1"] {
            let unfit = try prepare(db, sql, [.bigint])
            XCTAssertNil(try db.session.openQuery(unfit, parameters: [.bigint(3)]), sql)
            XCTAssertFalse(unfit.reusable, sql)
        }
        // A `$n` outside a prepared statement is an error that names it.
        XCTAssertTrue((db.error("SELECT $1")?.message ?? "").contains("there is no parameter $1"))
    }

    /// The statements of one process share one shared lock on the lake: VACUUM still waits until the last is done.
    func testVacuumWaitsForTheLastOfSeveralReadersOfOneProcess() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT i FROM generate_series(1, 1000) AS g(i)")
        try db.run("INSERT INTO t SELECT i FROM generate_series(1001, 2000) AS g(i)")
        try db.run("DELETE FROM t WHERE i <= 1000")
        let first = try XCTUnwrap(try db.database.connect().openQuery(try XCTUnwrap(try db.session.parse("SELECT count(*) FROM t VERSION AS OF 1").first)))
        let second = try XCTUnwrap(try db.database.connect().openQuery(try XCTUnwrap(try db.session.parse("SELECT sum(i) FROM t VERSION AS OF 1").first)))
        first.close()
        db.database.lake.vacuumWaitSeconds = 0.3
        XCTAssertThrowsError(try db.database.connect().execute("VACUUM t RETAIN 0 HOURS"), "the second reader still holds the lake")
        XCTAssertEqual(try second.next()?.row(0)[0].description, "2001000")
        second.close()
        try db.database.connect().execute("VACUUM t RETAIN 0 HOURS")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["1000"]])
    }
}
