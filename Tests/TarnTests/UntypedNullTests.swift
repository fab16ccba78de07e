import XCTest
@testable import Tarn
import Storage

/// A bare `NULL` takes the type its context needs — an INSERT target column, a UNION partner — as in every engine
/// (it was typed INTEGER, so `INSERT INTO t VALUES (NULL)` into a VARCHAR column failed).
final class UntypedNullTests: XCTestCase {
    func testNullIsInsertedIntoColumnsOfEveryType() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (name VARCHAR, d DATE, ts TIMESTAMP, b BOOLEAN, n INTEGER, x DOUBLE)")
        try db.run("INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL)")
        try db.run("INSERT INTO t (name) VALUES (NULL)")
        try db.run("INSERT INTO t VALUES ('a', NULL, NULL, NULL, 1, NULL), (NULL, DATE '2024-01-01', NULL, true, NULL, 2.5)")
        try db.run("INSERT INTO t SELECT NULL, NULL, NULL, NULL, NULL, NULL")
        try db.run("INSERT INTO t SELECT * FROM (VALUES (NULL, NULL, NULL, NULL, NULL, NULL)) v")
        try db.run("INSERT INTO t SELECT NULL, NULL, NULL, NULL, NULL, NULL UNION ALL SELECT 'b', DATE '2024-02-01', NULL, false, 2, NULL")
        XCTAssertEqual(try db.rows("SELECT count(*), count(name), count(d), count(ts), count(b), count(n), count(x) FROM t"),
                       [["8", "2", "2", "0", "2", "2", "1"]])
        XCTAssertEqual(try db.rows("SELECT name, d, b FROM t WHERE name IS NOT NULL ORDER BY name"),
                       [["a", "NULL", "NULL"], ["b", "2024-02-01", "false"]])
        // A typed value of the wrong type is still refused (Trino does not cast INTEGER to VARCHAR implicitly).
        XCTAssertEqual(db.error("INSERT INTO t SELECT 1, NULL, NULL, NULL, NULL, NULL")?.message,
                       "column 'name' is VARCHAR but the value is INTEGER")
    }

    func testNullTakesTheTypeOfItsSetOperationPartner() throws {
        let db = try TestLake()
        XCTAssertEqual(try db.rows("SELECT NULL AS d UNION SELECT DATE '2024-01-01' ORDER BY d NULLS FIRST"), [["NULL"], ["2024-01-01"]])
        XCTAssertEqual(try db.rows("SELECT DATE '2024-01-01' UNION ALL SELECT NULL"), [["2024-01-01"], ["NULL"]])
        XCTAssertEqual(try db.rows("SELECT * FROM (SELECT NULL AS x) s UNION ALL SELECT 'a'"), [["NULL"], ["a"]])
        XCTAssertEqual(try db.rows("SELECT NULL UNION ALL SELECT NULL UNION ALL SELECT true"), [["NULL"], ["NULL"], ["true"]])
        XCTAssertEqual(try db.rows("SELECT TIMESTAMP '2024-01-01 10:00:00' EXCEPT SELECT NULL"), [["2024-01-01 10:00:00"]])
        let typed = try db.session.execute("SELECT NULL AS d UNION ALL SELECT DATE '2024-01-01'").last
        XCTAssertEqual(typed?.columns.first?.type, .date)
        // Typed columns still have to agree.
        XCTAssertNotNil(db.error("SELECT 1 UNION SELECT DATE '2024-01-01'"))
    }

    /// ROLLBACK undoes what the block wrote (TransactionTests covers blocks in depth); COMMIT / ROLLBACK outside a
    /// block do nothing, as drivers send them.
    func testRollbackUndoesTheBlocksWrites() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM generate_series(1, 5)")
        try db.run("BEGIN; SELECT count(*) FROM t; ROLLBACK")
        try db.run("BEGIN")
        try db.run("DELETE FROM t WHERE generate_series > 3")
        try db.run("INSERT INTO t VALUES (10)")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["4"]], "the block sees its writes")
        try db.run("ROLLBACK")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["5"]], "and ROLLBACK undid them")
        try db.run("ROLLBACK")
        try db.run("BEGIN; INSERT INTO t VALUES (11); COMMIT; ROLLBACK")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["6"]])
    }
}
