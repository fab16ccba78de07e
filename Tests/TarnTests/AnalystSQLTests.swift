import XCTest
@testable import Tarn
import Storage

/// Statements and spellings analysts bring from DuckDB and PostgreSQL that are not queries (the queries are compared
/// with DuckDB in Tests/differential/queries/26_analyst_habits.sql).
final class AnalystSQLTests: XCTestCase {
    func testTruncateDeletesEveryRowInOneCommit() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM generate_series(1, 100)")
        try db.run("TRUNCATE TABLE t")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["0"]])
        try db.run("INSERT INTO t VALUES (7); TRUNCATE t")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["0"]])
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t VERSION AS OF 0"), [["100"]], "time travel still reaches the rows")
        let history = try XCTUnwrap(db.session.execute("DESCRIBE HISTORY t").last)
        XCTAssertEqual(history.rowCount, 4)
        XCTAssertNotNil(db.error("TRUNCATE no_such_table"))
    }

    func testEscapeStringsIntervalsInStringsAndRegexOperators() throws {
        let db = try TestLake()
        XCTAssertEqual(try db.rows("SELECT E'a\\';b', length(E'\\t'), E'x\\\\y'"), [["a';b", "1", "x\\y"]])
        XCTAssertEqual(try db.rows("SELECT DATE '2024-02-28' + INTERVAL '2 days', TIMESTAMP '2024-01-01 00:00:00' - INTERVAL '90 minutes'"),
                       [["2024-03-01", "2023-12-31 22:30:00"]])
        XCTAssertEqual(db.error("SELECT INTERVAL '2 hours 30 minutes'")?.kind, .unsupported)
        XCTAssertEqual(try db.rows("SELECT 'Lyon' ~ 'y', 'Lyon' !~ '^L', 'LYON' ~* 'yo', 'LYON' !~* 'x', 7 // 2"),
                       [["true", "false", "true", "true", "3"]])
    }

    /// Month steps are added to the start (PostgreSQL and Trino), so a series from the 31st keeps returning to month
    /// ends instead of drifting to the 28th as DuckDB's repeated addition does.
    func testMonthlySeriesFromAMonthEnd() throws {
        let db = try TestLake()
        XCTAssertEqual(try db.rows("SELECT * FROM generate_series(DATE '2024-01-31', DATE '2024-04-30', INTERVAL 1 MONTH)"),
                       [["2024-01-31"], ["2024-02-29"], ["2024-03-31"], ["2024-04-30"]])
        let typed = try db.session.execute("SELECT * FROM generate_series(DATE '2024-01-01', DATE '2024-01-02', INTERVAL 12 HOUR)").last
        XCTAssertEqual(typed?.columns.first?.type, .timestamp, "a step of hours gives timestamps")
        XCTAssertEqual(typed?.rowCount, 3)
    }
}
