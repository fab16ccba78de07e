import XCTest
@testable import Tarn

/// LATERAL subqueries: Trino's documented example (sql/select.md, "Lateral"), a correlated subquery run once per
/// distinct outer value, LEFT JOIN LATERAL with a condition, and RIGHT / FULL JOIN LATERAL (refused when correlated). DuckDB comparisons are in
/// Tests/differential/queries/41_array_keys_lateral.sql and 46_row_map_keys_lateral.sql.
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

    func testLeftJoinLateralWithCondition() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES (1), (2), (3), (NULL)) v(c)")
        try db.run("CREATE TABLE u AS SELECT * FROM (VALUES (1, 10), (1, 11), (2, 20), (NULL, 30)) v(k, x)")
        // The rows of the subquery that meet the condition; a left row with none (no rows, or none meeting it) keeps NULLs.
        let topN = "SELECT t.c, y.x FROM t LEFT JOIN LATERAL (SELECT x FROM u WHERE u.k = t.c ORDER BY x DESC LIMIT 5) y ON y.x > t.c * 10 ORDER BY 1, 2"
        XCTAssertEqual(try db.rows(topN), [["1", "11"], ["2", "NULL"], ["3", "NULL"], ["NULL", "NULL"]])
        // A filter-and-project subquery with a condition is still a hash join, its ON condition part of the join's.
        let joined = "SELECT t.c, y.x FROM t LEFT JOIN LATERAL (SELECT x FROM u WHERE u.k = t.c) y ON y.x > t.c * 10 ORDER BY 1, 2"
        let plan = try db.rows("EXPLAIN " + joined).map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("HashJoin left"), plan)
        XCTAssertEqual(try db.rows(joined), [["1", "11"], ["2", "NULL"], ["3", "NULL"], ["NULL", "NULL"]])
        // A condition that is NULL (a NULL column) keeps the left row with NULLs; aliases name the columns it reads.
        XCTAssertEqual(try db.rows("SELECT t.c, y.d FROM t LEFT JOIN LATERAL (SELECT t.c + 1) AS y(d) ON y.d > 2 ORDER BY 1"),
                       [["1", "NULL"], ["2", "3"], ["3", "4"], ["NULL", "NULL"]])
        XCTAssertEqual(try db.rows("SELECT t.c, y.n FROM t LEFT JOIN LATERAL (SELECT count(*) AS n FROM u WHERE u.k = t.c) y ON y.n > 1 ORDER BY 1"),
                       [["1", "2"], ["2", "NULL"], ["3", "NULL"], ["NULL", "NULL"]])
    }

    func testRightAndFullJoinLateral() throws {
        let db = try TestLake()
        // PostgreSQL and DuckDB: "The combining JOIN type must be INNER or LEFT for a LATERAL reference".
        for kind in ["RIGHT", "FULL"] {
            let e = db.error("SELECT * FROM (VALUES 1) t(c)\n  \(kind) JOIN LATERAL (SELECT c) x ON TRUE")
            XCTAssertTrue(e?.message.contains("\(kind) JOIN LATERAL cannot read the columns of the FROM items before it") ?? false, "\(String(describing: e))")
            XCTAssertTrue(e?.message.contains("must be INNER or LEFT") ?? false)
            XCTAssertEqual(e?.line, 2)
            XCTAssertEqual(e?.column, 17 + kind.count)  // the LATERAL subquery's "("
        }
        // One that reads nothing of the left side is an ordinary join, as in DuckDB.
        XCTAssertEqual(try db.rows("SELECT t.c, x.d FROM (VALUES (1), (2)) t(c) RIGHT JOIN LATERAL (SELECT * FROM (VALUES (2), (3)) v(d)) x ON x.d = t.c ORDER BY x.d"),
                       [["2", "2"], ["NULL", "3"]])
        XCTAssertEqual(try db.rows("SELECT t.c, x.d FROM (VALUES (1), (2)) t(c) FULL JOIN LATERAL (SELECT * FROM (VALUES (2), (3)) v(d)) x ON x.d = t.c ORDER BY t.c, x.d"),
                       [["1", "NULL"], ["2", "2"], ["NULL", "3"]])
        XCTAssertTrue(db.error("SELECT * FROM (VALUES 1) t(c) JOIN LATERAL (SELECT c AS d) x USING (d)")?.message.contains("takes ON, not USING") ?? false)
    }
}
