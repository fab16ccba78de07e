import XCTest
@testable import Tarn
import Storage

/// PIVOT / UNPIVOT: the column names (the values compare with DuckDB in Tests/differential/queries/36_pivot.sql,
/// which does not look at names) follow DuckDB's — a value alone, `value_alias` with an aggregate alias, and
/// `value_expression` for several aggregates — and the errors say what is wrong and where.
final class PivotTests: XCTestCase {
    private func makeLake() throws -> TestLake {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES ('a', 2000, 1, 10), ('a', 2010, 2, 20), ('b', 2000, 3, 30), ('b', 2000, NULL, 40)) v(c, y, p, q)")
        return db
    }

    private func columns(_ db: TestLake, _ sql: String) throws -> [String] {
        try XCTUnwrap(db.session.execute(sql).last).columns.map(\.name)
    }

    func testColumnNamesFollowDuckDB() throws {
        let db = try makeLake()
        XCTAssertEqual(try columns(db, "SELECT * FROM t PIVOT (sum(p) FOR y IN (2000, 2010))"), ["c", "q", "2000", "2010"])
        XCTAssertEqual(try columns(db, "SELECT * FROM t PIVOT (sum(p) AS s, count(*) AS n FOR y IN (2000 AS x, 2010))"),
                       ["c", "q", "x_s", "x_n", "2010_s", "2010_n"])
        XCTAssertEqual(try columns(db, "SELECT * FROM t PIVOT (sum(p), max(q) FOR y IN (2000, 2010))"),
                       ["c", "2000_sum(p)", "2000_max(q)", "2010_sum(p)", "2010_max(q)"])
        XCTAssertEqual(try columns(db, "SELECT * FROM t PIVOT (count(*) FOR (c, y) IN (('a', 2000), ('b', 2000)))"), ["p", "q", "a_2000", "b_2000"])
        XCTAssertEqual(try columns(db, "PIVOT t ON c, y USING sum(p) GROUP BY q"), ["q", "a_2000", "a_2010", "b_2000", "b_2010"])
        XCTAssertEqual(try columns(db, "PIVOT t ON y"), ["c", "p", "q", "2000", "2010"])
        XCTAssertEqual(try columns(db, "UNPIVOT t ON p, q INTO NAME col VALUE val"), ["c", "y", "col", "val"])
        // Values of the pivoted cells: a missing combination is NULL for sum and 0 for count, as in DuckDB.
        XCTAssertEqual(try db.rows("PIVOT t ON y USING sum(p) AS s, count(p) AS n GROUP BY c ORDER BY c"),
                       [["a", "1", "1", "2", "1"], ["b", "3", "1", "NULL", "0"]])
        // PIVOT and UNPIVOT stay ordinary names where no clause follows.
        XCTAssertEqual(try db.rows("SELECT pivot.c FROM t pivot WHERE pivot.y = 2010"), [["a"]])
    }

    func testErrorsSayWhatIsWrong() throws {
        let db = try makeLake()
        XCTAssertTrue(db.error("SELECT * FROM t PIVOT (sum(p) FOR z IN (1))")?.message.contains("the input has no column 'z'") ?? false)
        XCTAssertTrue(db.error("SELECT * FROM t PIVOT (p FOR y IN (2000))")?.message.contains("has no aggregate function") ?? false)
        XCTAssertTrue(db.error("SELECT * FROM t PIVOT (sum(p) FOR (c, y) IN (('a')))")?.message.contains("needs 2 parts") ?? false)
        XCTAssertTrue(db.error("PIVOT (SELECT * FROM t WHERE false) ON y")?.message.contains("no values to make columns of") ?? false)
        XCTAssertTrue(db.error("PIVOT t ON c IN ('a'), y USING sum(p)")?.message.contains("IN (…) for every ON column or for none") ?? false)
        XCTAssertTrue(db.error("SELECT * FROM t UNPIVOT ((v1, v2) FOR n IN ((p, q)))")?.message.contains("several value columns") ?? false)
        let tooMany = db.error("PIVOT (SELECT i FROM range(0, 20000) r(i)) ON i")
        XCTAssertTrue(tooMany?.message.contains("more than 10000 columns") ?? false, tooMany?.message ?? "no error")
        let located = db.error("SELECT 1;\nSELECT * FROM t PIVOT (sum(p) FOR y IN (2000)")
        XCTAssertEqual(located?.line, 2)
    }
}
