import XCTest
@testable import Tarn
import Storage

/// End-to-end SQL through parser, binder, optimizer, executor and lake.
final class EngineBasicsTests: XCTestCase {
    func testSelectConstants() throws {
        let db = try TestLake()
        XCTAssertEqual(try db.rows("SELECT 1, 'a', 2.5, 1E0, NULL"), [["1", "a", "2.5", "1.0", "NULL"]])
        XCTAssertEqual(try db.rows("SELECT 7 / 2, -7 / 2, 7 % 3, 7.0 / 2"), [["3", "-3", "1", "3.5"]])
    }

    func testCreateInsertSelect() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (a INTEGER, b VARCHAR, c DOUBLE)")
        try db.run("INSERT INTO t VALUES (1, 'x', 1.5), (2, 'y', NULL), (3, NULL, 3.5)")
        XCTAssertEqual(try db.rows("SELECT a, b, c FROM t ORDER BY a"), [["1", "x", "1.5"], ["2", "y", "NULL"], ["3", "NULL", "3.5"]])
        XCTAssertEqual(try db.rows("SELECT count(*), sum(a), avg(c), min(b), max(b) FROM t"), [["3", "6", "2.5", "x", "y"]])
        XCTAssertEqual(try db.rows("SELECT b, count(*) FROM t WHERE a > 1 GROUP BY b ORDER BY b NULLS FIRST"), [["NULL", "1"], ["y", "1"]])
    }

    func testDivisionByZeroIsAnError() throws {
        let db = try TestLake()
        let e = db.error("SELECT 1 / 0")
        XCTAssertEqual(e?.kind, .execution)
        XCTAssertTrue(e?.message.contains("division by zero") ?? false, e?.message ?? "")
    }

    func testJoinsAndSubqueries() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE a (id INTEGER, v VARCHAR); CREATE TABLE b (id INTEGER, w INTEGER)")
        try db.run("INSERT INTO a VALUES (1, 'one'), (2, 'two'), (3, 'three')")
        try db.run("INSERT INTO b VALUES (1, 10), (1, 11), (3, 30), (4, 40)")
        XCTAssertEqual(try db.rows("SELECT a.id, w FROM a JOIN b ON a.id = b.id ORDER BY 1, 2"), [["1", "10"], ["1", "11"], ["3", "30"]])
        XCTAssertEqual(try db.rows("SELECT a.id, w FROM a LEFT JOIN b USING (id) ORDER BY 1, 2"), [["1", "10"], ["1", "11"], ["2", "NULL"], ["3", "30"]])
        XCTAssertEqual(try db.rows("SELECT id FROM a WHERE id IN (SELECT id FROM b) ORDER BY id"), [["1"], ["3"]])
        XCTAssertEqual(try db.rows("SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.id = a.id)"), [["2"]])
        XCTAssertEqual(try db.rows("SELECT id, (SELECT max(w) FROM b WHERE b.id = a.id) FROM a ORDER BY id"), [["1", "11"], ["2", "NULL"], ["3", "30"]])
    }

    func testGroupByErrorNamesTheColumn() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (ad_id VARCHAR, x INTEGER)")
        let e = db.error("SELECT ad_id, sum(x) FROM t")
        XCTAssertTrue(e?.message.contains("column 'ad_id' must appear in the GROUP BY clause") ?? false, e?.description ?? "nil")
    }

    func testTimeTravelHistoryRestore() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (a INTEGER)")
        try db.run("INSERT INTO t VALUES (1)")
        try db.run("INSERT INTO t VALUES (2)")
        try db.run("DELETE FROM t WHERE a = 1")
        XCTAssertEqual(try db.rows("SELECT a FROM t ORDER BY a"), [["2"]])
        XCTAssertEqual(try db.rows("SELECT a FROM t VERSION AS OF 2 ORDER BY a"), [["1"], ["2"]])
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t FOR VERSION AS OF 1"), [["1"]])
        let history = try db.rows("DESCRIBE HISTORY t")
        XCTAssertEqual(history.map { $0[2] }, ["DELETE", "WRITE", "WRITE", "CREATE TABLE"])
        try db.run("RESTORE TABLE t TO VERSION AS OF 2")
        XCTAssertEqual(try db.rows("SELECT a FROM t ORDER BY a"), [["1"], ["2"]])
        try db.run("ALTER TABLE t ADD COLUMN b VARCHAR")
        try db.run("INSERT INTO t VALUES (3, 'x')")
        XCTAssertEqual(try db.rows("SELECT a, b FROM t ORDER BY a"), [["1", "NULL"], ["2", "NULL"], ["3", "x"]])
    }

    func testViewsAndUpdate() throws {
        let db = try TestLake()
        try db.run("CREATE SCHEMA s; CREATE TABLE s.t (k VARCHAR, v BIGINT)")
        try db.run("INSERT INTO s.t VALUES ('a', 1), ('a', 2), ('b', 5)")
        try db.run("CREATE VIEW s.totals AS SELECT k, SUM(v) total FROM t GROUP BY k")
        XCTAssertEqual(try db.rows("SELECT * FROM s.totals ORDER BY k"), [["a", "3"], ["b", "5"]])
        try db.run("UPDATE s.t SET v = v * 10 WHERE k = 'b'")
        XCTAssertEqual(try db.rows("SELECT total FROM s.totals WHERE k = 'b'"), [["50"]])
    }
}

final class SubqueryShapesTests: XCTestCase {
    func testInSubqueryAsAValue() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE a (x INTEGER, y INTEGER); INSERT INTO a VALUES (1, 10), (2, 20), (NULL, 30)")
        try db.run("CREATE TABLE b (x INTEGER); INSERT INTO b VALUES (1), (NULL)")
        // 1 IN (1, NULL) is TRUE; 2 IN (1, NULL) is NULL; NULL IN (…) is NULL.
        XCTAssertEqual(try db.rows("SELECT y, x IN (SELECT x FROM b) FROM a ORDER BY y"), [["10", "true"], ["20", "NULL"], ["30", "NULL"]])
        XCTAssertEqual(try db.rows("SELECT y FROM a WHERE x NOT IN (SELECT x FROM b WHERE x IS NOT NULL) ORDER BY y"), [["20"]])
    }
}

final class TwoArgumentAggregateTests: XCTestCase {
    func testCovarianceCorrelationAndArgExtremes() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE p (g VARCHAR, x DOUBLE, y DOUBLE, name VARCHAR)")
        try db.run("INSERT INTO p VALUES ('a', 1, 2, 'one'), ('a', 2, 4, 'two'), ('a', 3, 7, 'three'), ('a', NULL, 9, 'skip'), ('b', 5, NULL, 'none')")
        let r = try db.session.query("SELECT covar_pop(x, y), covar_samp(x, y), corr(x, y), max_by(name, y), min_by(name, x) FROM p WHERE g = 'a'")[0]
        // x = 1,2,3; y = 2,4,7: mean x 2, mean y 13/3; co-moment = (-1)(-7/3) + 0 + (1)(8/3) = 5.
        XCTAssertEqual(r[0].doubleValue!, 5.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(r[1].doubleValue!, 2.5, accuracy: 1e-12)
        // m2x = 2, m2y = 38/3 → corr = 5 / sqrt(2 · 38/3).
        XCTAssertEqual(r[2].doubleValue!, 5.0 / (2.0 * 38.0 / 3.0).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(r[3], .varchar("skip"), "max_by keys on y alone: y = 9 is the largest, though that row's x is NULL")
        XCTAssertEqual(r[4], .varchar("one"))
        XCTAssertEqual(try db.rows("SELECT g, covar_samp(x, y) FROM p GROUP BY g ORDER BY g"), [["a", "2.5"], ["b", "NULL"]])
    }
}

final class LakeStatementTests: XCTestCase {
    /// The time-travel and maintenance forms users know from Databricks and Trino.
    func testTimestampTravelVacuumAndErrors() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (a INTEGER)")
        try db.run("INSERT INTO t VALUES (1)")
        Thread.sleep(forTimeInterval: 0.01)
        let between = try db.rows("SELECT CAST(current_timestamp AS VARCHAR)")[0][0]
        Thread.sleep(forTimeInterval: 0.01)
        try db.run("INSERT OVERWRITE t SELECT 2")
        XCTAssertEqual(try db.rows("SELECT a FROM t"), [["2"]])
        XCTAssertEqual(try db.rows("SELECT a FROM t TIMESTAMP AS OF '\(between)'"), [["1"]])
        XCTAssertEqual(try db.rows("SELECT a FROM t FOR TIMESTAMP AS OF TIMESTAMP '\(between)'"), [["1"]])
        // Within the default retention nothing is deleted; RETAIN 0 HOURS removes the overwritten file.
        XCTAssertEqual(try db.rows("VACUUM t").count, 0)
        XCTAssertEqual(try db.rows("VACUUM t RETAIN 0 HOURS").count, 1)
        let gone = db.error("SELECT a FROM t VERSION AS OF 1")
        XCTAssertTrue(gone?.message.contains("no longer available") ?? false, gone?.description ?? "")
        XCTAssertEqual(try db.rows("SELECT a FROM t"), [["2"]])
        let missing = db.error("SELECT a FROM t VERSION AS OF 99")
        XCTAssertNotNil(missing)
        let early = db.error("SELECT a FROM t TIMESTAMP AS OF '2000-01-01 00:00:00'")
        XCTAssertNotNil(early)
    }

    func testFailedStatementChangesNothing() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (a INTEGER, b INTEGER)")
        try db.run("INSERT INTO t VALUES (1, 1), (2, 0)")
        let versions = try db.rows("DESCRIBE HISTORY t").count
        XCTAssertNotNil(db.error("INSERT INTO t SELECT a, a / b FROM t"))          // division by zero mid-statement
        XCTAssertNotNil(db.error("UPDATE t SET a = a / b"))
        XCTAssertNotNil(db.error("CREATE TABLE u AS SELECT a / b AS c FROM t"))
        XCTAssertEqual(try db.rows("DESCRIBE HISTORY t").count, versions)
        XCTAssertEqual(try db.rows("SELECT a, b FROM t ORDER BY a"), [["1", "1"], ["2", "0"]])
        XCTAssertNotNil(db.error("SELECT * FROM u"), "the failed CTAS must not leave a table behind")
    }
}

final class DecorrelationTests: XCTestCase {
    /// Correlated EXISTS / NOT EXISTS become semi / anti joins and give the same rows as per-row evaluation.
    func testCorrelatedExistsBecomesAJoin() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE orders (o_id INTEGER, cust INTEGER, prio VARCHAR)")
        try db.run("CREATE TABLE items (o_id INTEGER, late BOOLEAN, qty INTEGER)")
        try db.run("INSERT INTO orders VALUES (1, 10, 'HIGH'), (2, 10, 'LOW'), (3, 20, 'HIGH'), (4, NULL, 'LOW')")
        try db.run("INSERT INTO items VALUES (1, true, 5), (1, false, 1), (2, false, 2), (3, true, NULL), (NULL, true, 9)")
        let exists = "SELECT o_id FROM orders o WHERE EXISTS (SELECT * FROM items i WHERE i.o_id = o.o_id AND i.late) ORDER BY o_id"
        XCTAssertEqual(try db.rows(exists), [["1"], ["3"]])
        let notExists = "SELECT o_id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.o_id = o.o_id AND i.qty > 1) ORDER BY o_id"
        XCTAssertEqual(try db.rows(notExists), [["3"], ["4"]])
        let plan = try db.rows("EXPLAIN " + exists).map { $0[0] }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("semi"), plan)
        XCTAssertFalse(plan.contains("subquery"), plan)
        // Correlation through a non-equality keeps working (as a join with a residual condition).
        XCTAssertEqual(try db.rows("SELECT o_id FROM orders o WHERE EXISTS (SELECT 1 FROM items i WHERE i.qty > o.o_id) ORDER BY o_id"),
                       [["1"], ["2"], ["3"], ["4"]])
    }

    /// Correlated scalar aggregate subqueries become a join with a grouped aggregate; empty groups give NULL,
    /// except COUNT, which gives 0 (the COUNT bug), and NULL keys match nothing.
    func testCorrelatedScalarSubqueryBecomesAGroupedJoin() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE orders (o_id INTEGER, cust INTEGER)")
        try db.run("CREATE TABLE items (o_id INTEGER, qty INTEGER)")
        try db.run("INSERT INTO orders VALUES (1, 10), (2, 10), (3, 20), (4, NULL)")
        try db.run("INSERT INTO items VALUES (1, 5), (1, 1), (2, 2), (3, NULL), (NULL, 9)")
        let counts = "SELECT o_id, (SELECT count(*) FROM items i WHERE i.o_id = o.o_id) AS n, (SELECT sum(qty) FROM items i WHERE i.o_id = o.o_id) AS s FROM orders o ORDER BY o_id"
        XCTAssertEqual(try db.rows(counts), [["1", "2", "6"], ["2", "1", "2"], ["3", "1", "NULL"], ["4", "0", "NULL"]])
        let plan = try db.rows("EXPLAIN " + counts).map { $0[0] }.joined(separator: "\n")
        XCTAssertFalse(plan.contains("subquery"), plan)
        let filtered = "SELECT o_id FROM orders o WHERE (SELECT count(*) FROM items i WHERE i.o_id = o.o_id) < 1 ORDER BY o_id"
        XCTAssertEqual(try db.rows(filtered), [["4"]])
        // A NULL correlation key matches nothing: its COUNT is 0.
        let nullKey = "SELECT o_id, (SELECT count(*) FROM orders p WHERE p.cust = o.cust) FROM orders o ORDER BY o_id"
        XCTAssertEqual(try db.rows(nullKey), [["1", "2"], ["2", "2"], ["3", "1"], ["4", "0"]])
        let above = "SELECT o_id FROM orders o WHERE o_id * 3 > (SELECT 0.5 * max(qty) FROM items i WHERE i.o_id = o.o_id) ORDER BY o_id"
        XCTAssertEqual(try db.rows(above), [["1"], ["2"]])
        // A correlation that is not an equality stays a per-row subquery, with the same answers.
        let lessThan = "SELECT o_id, (SELECT count(*) FROM items i WHERE i.o_id < o.o_id) FROM orders o ORDER BY o_id"
        XCTAssertEqual(try db.rows(lessThan), [["1", "0"], ["2", "2"], ["3", "3"], ["4", "4"]])
        XCTAssertTrue(try db.rows("EXPLAIN " + lessThan).map { $0[0] }.joined(separator: "\n").contains("subquery"))
    }
}

final class JoinPlanningTests: XCTestCase {
    func testJoinOrderAvoidsCrossProductsAndOrFactoring() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE part (p_id INTEGER, kind VARCHAR); CREATE TABLE supp (s_id INTEGER, nation VARCHAR)")
        try db.run("CREATE TABLE line (p_id INTEGER, s_id INTEGER, qty INTEGER)")
        try db.run("INSERT INTO part VALUES (1, 'a'), (2, 'b'), (3, 'a')")
        try db.run("INSERT INTO supp VALUES (10, 'FR'), (20, 'DE')")
        try db.run("INSERT INTO line VALUES (1, 10, 5), (2, 20, 7), (3, 10, 1), (3, 20, 2), (1, 20, 4)")
        // FROM order part, supp would be a cross product; both are connected only through line.
        let q = "SELECT kind, nation, sum(qty) FROM part, supp, line WHERE part.p_id = line.p_id AND supp.s_id = line.s_id GROUP BY 1, 2 ORDER BY 1, 2"
        XCTAssertEqual(try db.rows(q), [["a", "DE", "6"], ["a", "FR", "6"], ["b", "DE", "7"]])
        let plan = try db.rows("EXPLAIN " + q).map { $0[0] }.joined(separator: "\n")
        XCTAssertFalse(plan.contains("NestedLoop"), plan)
        // A join key repeated in every OR branch (TPC-H Q19's shape) is factored out into a hash-join key.
        let q19 = """
            SELECT sum(qty) FROM line, part WHERE (part.p_id = line.p_id AND kind = 'a' AND qty > 1)
                                               OR (part.p_id = line.p_id AND kind = 'b' AND qty > 6)
            """
        XCTAssertEqual(try db.rows(q19), [["18"]])  // qty 5 + 7 + 2 + 4
        let plan19 = try db.rows("EXPLAIN " + q19).map { $0[0] }.joined(separator: "\n")
        XCTAssertTrue(plan19.contains("HashJoin"), plan19)
    }
}

final class ScanAggregatePlanningTests: XCTestCase {
    /// Ungrouped SUM(BIGINT)/COUNT(*) over a plain scan take the fused path, with the general path's answers.
    func testUngroupedSumOverAScanIsFusedWithTheSameResults() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (a BIGINT, b BIGINT, c INTEGER)")
        try db.run("INSERT INTO t SELECT i % 1000, CASE WHEN i % 3 = 0 THEN NULL ELSE i * 7 END, i FROM range(0, 5000) r(i)")
        let fused = "SELECT sum(a), count(*), sum(b) FROM t"
        let plan = try db.rows("EXPLAIN " + fused).map { $0[0] }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("ScanAggregate"), plan)
        XCTAssertEqual(try db.rows(fused), try db.rows("SELECT sum(a + 0), count(1 + 0), sum(b + 0) FROM t"))
        // A filter, DISTINCT, another aggregate or a non-BIGINT argument keep the general path.
        for q in ["SELECT sum(a) FROM t WHERE a > 5", "SELECT sum(DISTINCT a) FROM t", "SELECT sum(c) FROM t", "SELECT max(a) FROM t"] {
            XCTAssertFalse(try db.rows("EXPLAIN " + q).map { $0[0] }.joined(separator: "\n").contains("ScanAggregate"), q)
        }
        try db.run("CREATE TABLE z (s VARCHAR)")
        try db.run("INSERT INTO z VALUES ('a'), (NULL), ('b'), ('a'), ('')")
        XCTAssertTrue(try db.rows("EXPLAIN SELECT count(DISTINCT s) FROM z").map { $0[0] }.joined().contains("ScanAggregate"))
        XCTAssertEqual(try db.rows("SELECT count(DISTINCT s) FROM z"), [["3"]])
        try db.run("CREATE TABLE e (a BIGINT)")
        XCTAssertEqual(try db.rows("SELECT sum(a), count(*) FROM e"), [["NULL", "0"]])
        try db.run("CREATE TABLE big (a BIGINT)")
        try db.run("INSERT INTO big VALUES (9223372036854775807), (1)")
        XCTAssertThrowsError(try db.rows("SELECT sum(a) FROM big")) { XCTAssertTrue("\($0)".contains("overflow"), "\($0)") }
    }

    /// `WHERE TRUE` (a dashboard's optional filters left out) leaves the scan unfiltered, so the fused sum applies.
    func testConstantTrueConjunctsAreDropped() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (a BIGINT, s VARCHAR)")
        try db.run("INSERT INTO t SELECT i % 100, 'v' || (i % 7) FROM range(0, 3000) r(i)")
        let plan = try db.rows("EXPLAIN SELECT sum(a) FROM t WHERE TRUE AND 1 = 1").map { $0[0] }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("ScanAggregate") && !plan.contains("filter="), plan)
        XCTAssertEqual(try db.rows("SELECT sum(a) FROM t WHERE TRUE AND 1 = 1"), try db.rows("SELECT sum(a + 0) FROM t"))
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t WHERE TRUE AND a < 10"), [["300"]])
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t WHERE TRUE AND FALSE"), [["0"]])
    }

    /// `SELECT DISTINCT` whose columns are all ORDER BY keys runs as a (parallel) hash aggregate with no aggregates,
    /// with the rows `DistinctOperator` gives (compared through a subquery, which keeps the Distinct operator).
    func testOrderedDistinctRunsAsAHashAggregateWithTheSameRows() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (a BIGINT, s VARCHAR, d DOUBLE)")
        try db.run("""
            INSERT INTO t SELECT CASE WHEN i % 11 = 0 THEN NULL ELSE i % 37 END, CASE WHEN i % 13 = 0 THEN NULL ELSE 's' || (i % 5) END,
                   (i % 3) * 0.5 FROM range(0, 150000) r(i)
            """)
        for (ordered, reference) in [
            ("SELECT DISTINCT s FROM t ORDER BY s", "SELECT * FROM (SELECT DISTINCT s FROM t) x ORDER BY s"),
            ("SELECT DISTINCT a, s FROM t ORDER BY s DESC, a NULLS FIRST", "SELECT * FROM (SELECT DISTINCT a, s FROM t) x ORDER BY s DESC, a NULLS FIRST"),
            ("SELECT DISTINCT d, a FROM t WHERE a > 30 ORDER BY a, d LIMIT 5", "SELECT * FROM (SELECT DISTINCT d, a FROM t WHERE a > 30) x ORDER BY a, d LIMIT 5"),
        ] {
            let plan = try db.rows("EXPLAIN " + ordered).map { $0[0] }.joined(separator: "\n")
            XCTAssertTrue(plan.contains("HashAggregate") && !plan.contains("Distinct"), plan)
            XCTAssertTrue(try db.rows("EXPLAIN " + reference).map { $0[0] }.joined().contains("Distinct"), reference)
            XCTAssertEqual(try db.rows(ordered), try db.rows(reference), ordered)
        }
        // A column that is not an ORDER BY key keeps DistinctOperator (ties would show the arrival order).
        XCTAssertTrue(try db.rows("EXPLAIN SELECT DISTINCT a, s FROM t ORDER BY a").map { $0[0] }.joined().contains("Distinct"))
    }
}
