import XCTest
@testable import Tarn

/// LATERAL subqueries: Trino's documented example (sql/select.md, "Lateral"), a correlated subquery run once per
/// distinct outer value, and the joins LATERAL refuses. DuckDB comparisons are in
/// Tests/differential/queries/41_array_keys_lateral.sql.
final class LateralTests: XCTestCase {
    func testTrinoDocumentationExample() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE nation AS SELECT * FROM (VALUES ('ALGERIA'), ('BRAZIL')) v(name)")
        // select.md: each LATERAL reads the columns before it, also the previous LATERAL's.
        XCTAssertEqual(try db.rows("SELECT name, x, y FROM nation CROSS JOIN LATERAL (SELECT name || ' :-' AS x) CROSS JOIN LATERAL (SELECT x || ')' AS y) ORDER BY name"),
                       [["ALGERIA", "ALGERIA :-", "ALGERIA :-)"], ["BRAZIL", "BRAZIL :-", "BRAZIL :-)"]])
    }

    func testCorrelatedRowsAndLeftJoin() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES (1), (2), (3), (1)) v(c)")
        try db.run("CREATE TABLE u AS SELECT * FROM (VALUES (1, 10), (1, 11), (2, 20)) v(k, x)")
        XCTAssertEqual(try db.rows("SELECT t.c, y.x FROM t, LATERAL (SELECT x FROM u WHERE u.k = t.c ORDER BY x DESC) y ORDER BY 1, 2"),
                       [["1", "10"], ["1", "10"], ["1", "11"], ["1", "11"], ["2", "20"]])
        XCTAssertEqual(try db.rows("SELECT t.c, y.n FROM t LEFT JOIN LATERAL (SELECT x, count(*) OVER () AS n FROM u WHERE u.k = t.c LIMIT 1) y ON TRUE ORDER BY 1, 2"),
                       [["1", "2"], ["1", "2"], ["2", "1"], ["3", "NULL"]])
        // A correlated filter-and-project LATERAL is planned as a (hash) join, with the same rows.
        let plan = try db.rows("EXPLAIN SELECT t.c, y.x FROM t LEFT JOIN LATERAL (SELECT x FROM u WHERE u.k = t.c) y ON TRUE").map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("HashJoin left"), plan)
        XCTAssertEqual(try db.rows("SELECT t.c, y.x FROM t LEFT JOIN LATERAL (SELECT x FROM u WHERE u.k = t.c) y ON TRUE ORDER BY 1, 2"),
                       [["1", "10"], ["1", "10"], ["1", "11"], ["1", "11"], ["2", "20"], ["3", "NULL"]])
        // Uncorrelated: a plain cross join, aliases renaming its columns.
        XCTAssertEqual(try db.rows("SELECT count(*), sum(z.b) FROM t, LATERAL (SELECT x AS a, k FROM u) AS z(a, b)"), [["12", "16"]])
    }

    func testRefusedJoins() throws {
        let db = try TestLake()
        let right = db.error("SELECT * FROM (VALUES 1) t(c) RIGHT JOIN LATERAL (SELECT c) x ON TRUE")
        XCTAssertTrue(right?.message.contains("RIGHT JOIN LATERAL is not supported") ?? false, "\(String(describing: right))")
        XCTAssertEqual(right?.column, 50)
        XCTAssertTrue(db.error("SELECT * FROM (VALUES 1) t(c) LEFT JOIN LATERAL (SELECT c AS d) x ON x.d > 1")?.message.contains("LEFT JOIN LATERAL needs ON TRUE") ?? false)
        XCTAssertTrue(db.error("SELECT * FROM (VALUES 1) t(c) JOIN LATERAL (SELECT c AS d) x USING (d)")?.message.contains("takes ON, not USING") ?? false)
    }
}
