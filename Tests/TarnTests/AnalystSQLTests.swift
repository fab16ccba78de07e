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

    /// SUMMARIZE gives DuckDB's columns, computed from the rows (DuckDB's own quartiles are approximate, so they are
    /// checked here against the exact values instead of differentially).
    func testSummarizeDescribesEveryColumn() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a', DATE '2024-01-01', true), (2, NULL, NULL, false), (3, 'c', DATE '2024-03-01', NULL), (4, 'a', DATE '2024-02-01', true)) v(n, s, d, b)")
        let result = try XCTUnwrap(db.session.execute("SUMMARIZE t").last)
        XCTAssertEqual(result.columns.map(\.name), ["column_name", "column_type", "min", "max", "approx_unique", "avg", "std",
                                                    "q25", "q50", "q75", "count", "null_percentage"])
        let rows = result.rows.map { $0.map(\.description) }
        XCTAssertEqual(rows[0], ["n", "INTEGER", "1", "4", "4", "2.5", "\((5.0 / 3).squareRoot())", "1.75", "2.5", "3.25", "4", "0.0"])
        XCTAssertEqual(rows[1], ["s", "VARCHAR", "a", "c", "2", "NULL", "NULL", "NULL", "NULL", "NULL", "4", "25.0"])
        XCTAssertEqual(Array(rows[2].prefix(5)), ["d", "DATE", "2024-01-01", "2024-03-01", "3"])
        XCTAssertEqual(rows[3][0...3], ["b", "BOOLEAN", "NULL", "NULL"])
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["4"]])
        XCTAssertEqual(try db.session.execute("SUMMARIZE SELECT n * 2 AS twice FROM t WHERE n > 2").last?.rows.first?[2], .varchar("6"))
    }

    /// SHOW CREATE TABLE / VIEW gives a statement that makes the same relation in another lake.
    func testShowCreateRecreatesTheRelation() throws {
        let db = try TestLake()
        try db.run("CREATE SCHEMA sales; CREATE TABLE sales.\"Orders\" (id BIGINT NOT NULL, \"Amount\" DECIMAL(12,2), day DATE, \"select\" VARCHAR)")
        try db.run("CREATE VIEW sales.big (order_id) AS SELECT id FROM sales.\"Orders\" WHERE \"Amount\" > 100")
        let table = try XCTUnwrap(db.rows("SHOW CREATE TABLE sales.orders").first?.first)
        let view = try XCTUnwrap(db.rows("SHOW CREATE VIEW sales.big").first?.first)
        let other = try TestLake()
        try other.run("CREATE SCHEMA sales")
        try other.run(table)
        try other.run(view)
        XCTAssertEqual(try other.rows("DESCRIBE sales.orders"), try db.rows("DESCRIBE sales.orders"))
        XCTAssertEqual(try other.rows("DESCRIBE sales.big"), try db.rows("DESCRIBE sales.big"))
        XCTAssertNotNil(db.error("SHOW CREATE TABLE sales.nothing"))
    }

    /// SHOW CREATE TABLE carries the table's properties (TBLPROPERTIES, sorted by key, quotes doubled), so the
    /// statement it prints makes a table that behaves the same: here, one whose DELETE rewrites files.
    func testShowCreateCarriesTheTableProperties() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id BIGINT) TBLPROPERTIES ('deletion_vectors' = false, 'owner' = 'o''brien', 'auto_optimize.min_files' = 12)")
        let text = try XCTUnwrap(db.rows("SHOW CREATE TABLE t").first?.first)
        XCTAssertTrue(text.hasSuffix("TBLPROPERTIES (\n  'auto_optimize.min_files' = '12',\n  'deletion_vectors' = 'false',\n  'owner' = 'o''brien'\n);"), text)
        let other = try TestLake()
        try other.run(text)
        XCTAssertEqual(try other.database.lake.properties(of: TableName(name: "t")), try db.database.lake.properties(of: TableName(name: "t")))
        XCTAssertEqual(try other.rows("SHOW CREATE TABLE t"), [[text]])
        try other.run("INSERT INTO t VALUES (1), (2); DELETE FROM t WHERE id = 1")
        let newest = try XCTUnwrap(other.rows("DESCRIBE HISTORY t").first)  // version … files_added, files_removed
        XCTAssertEqual([newest[2], newest[6], newest[7]], ["DELETE", "1", "1"], "the DELETE rewrote its file")
        XCTAssertEqual(try other.rows("SELECT count(*) FROM t"), [["1"]])
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
        // Trino's sequence(start, stop[, step]) in FROM: inclusive, like generate_series.
        XCTAssertEqual(try db.rows("SELECT * FROM sequence(DATE '2024-03-01', DATE '2024-03-03', INTERVAL 1 DAY)"),
                       [["2024-03-01"], ["2024-03-02"], ["2024-03-03"]])
        XCTAssertEqual(try db.rows("SELECT sum(sequence) FROM sequence(1, 10, 3)"), [["22"]])
    }

    /// `SET search_path` picks the schema for unqualified names (PostgreSQL, DuckDB); a misspelled function names the
    /// closest one, as a misspelled column does.
    func testSearchPathAndFunctionSuggestions() throws {
        let db = try TestLake()
        try db.run("CREATE SCHEMA shop; CREATE TABLE shop.items AS SELECT 1 AS x")
        XCTAssertNotNil(db.error("SELECT * FROM items"))
        try db.run("SET search_path = 'shop'")
        XCTAssertEqual(try db.rows("SELECT * FROM items"), [["1"]])
        XCTAssertEqual(db.error("SELECT lenght('abc')")?.message, "function 'lenght' does not exist; did you mean 'length'?")
        XCTAssertEqual(db.error("SELECT concat_w('a', 'b')")?.message, "function 'concat_w' does not exist; did you mean 'concat_ws'?")
        XCTAssertEqual(db.error("SELECT strftme(now(), '%Y')")?.message, "function 'strftme' does not exist; did you mean 'strftime'?")
    }

    /// format/printf: a NULL value prints as NULL, too few values or a huge width are errors, not crashes or
    /// giant allocations.
    func testFormatEdges() throws {
        let db = try TestLake()
        XCTAssertEqual(try db.rows("SELECT format('{} and {}', 'a', NULL), printf('%s|%5.1f|%-4d|', NULL, 2.25, 7)"),
                       [["a and NULL", "NULL|  2.2|7   |"]])
        XCTAssertNotNil(db.error("SELECT format('{} {}', 1)"))
        XCTAssertNotNil(db.error("SELECT printf('%d %d', 1)"))
        XCTAssertNotNil(db.error("SELECT printf('%99999999999d', 1)"))
        XCTAssertNotNil(db.error("SELECT printf('%n', 1)"))
        XCTAssertEqual(try db.rows("SELECT printf(NULL, 1)"), [["NULL"]])
    }
}
