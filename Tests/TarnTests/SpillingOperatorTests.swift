import XCTest
@testable import Tarn
import Storage

/// Spilling hash aggregation and the grace hash join, differential against Tarn itself: every query gives the
/// same rows under `SET memory_limit = '1MB'` as without a limit, and its EXPLAIN ANALYZE shows that it did
/// spill (`spilled_rows=…` on the aggregate, `grace_join=1` on the join). Queries that cannot fit even in
/// partitions fail with the out-of-memory error.
final class SpillingOperatorTests: XCTestCase {
    private static let tables = """
        CREATE TABLE t AS SELECT x AS i, x % 12000 AS k, 'key-' || CAST(x % 9011 AS VARCHAR) AS s, x % 7 AS m,
               CAST(x AS DOUBLE) / 8 AS d, CASE WHEN x % 13 = 0 THEN NULL ELSE x % 1000 END AS n
        FROM generate_series(1, 60000) AS g(x);
        CREATE TABLE a AS SELECT x AS id, x % 15000 AS k, CASE WHEN x % 11 = 0 THEN NULL ELSE x % 18000 END AS j,
               'a' || CAST(x AS VARCHAR) AS label, x % 5 AS m
        FROM generate_series(1, 30000) AS g(x);
        CREATE TABLE b AS SELECT x AS id, x % 21000 AS k, CASE WHEN x % 17 = 0 THEN NULL ELSE x % 13500 END AS j,
               'b' || CAST(x AS VARCHAR) AS label
        FROM generate_series(1, 36000) AS g(x);
        CREATE TABLE few AS SELECT x AS id, x * 7 AS j FROM generate_series(1, 300) AS g(x);
        """

    private func lake() throws -> TestLake {
        let db = try TestLake()
        try db.run(Self.tables)
        return db
    }

    /// Sorted rows of `sql` without a memory limit and under `limit`; asserts they are equal, not empty, and that
    /// EXPLAIN ANALYZE under the limit shows `evidence` (the operator spilled).
    private func assertSameUnderLimit(_ db: TestLake, _ sql: String, evidence: String..., limit: String = "1MB",
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        try db.run("RESET memory_limit")
        let expected = try db.rows(sql).map { $0.joined(separator: "|") }.sorted()
        try db.run("SET memory_limit = '\(limit)'")
        defer { _ = try? db.run("RESET memory_limit") }
        let actual = try db.rows(sql).map { $0.joined(separator: "|") }.sorted()
        let plan = try db.rows("EXPLAIN ANALYZE " + sql).map { $0.joined(separator: " ") }.joined(separator: "\n")
        XCTAssertFalse(expected.isEmpty, "no rows from \(sql)", file: file, line: line)
        XCTAssertEqual(actual.count, expected.count, sql, file: file, line: line)
        XCTAssertTrue(actual == expected, "different rows under memory_limit \(limit): \(sql)", file: file, line: line)
        for text in evidence {
            XCTAssertTrue(plan.contains(text), "no \(text) in the plan of \(sql):\n\(plan)", file: file, line: line)
        }
    }

    func testAggregatesWithManyGroupsSpillAndGiveTheSameRows() throws {
        let db = try lake()
        let spilled = "spilled_rows="
        // Integer key, every fixed-size accumulator (parallel when unlimited, restarted on one thread to spill).
        try assertSameUnderLimit(db, """
            SELECT k, count(*), count(n), sum(i), avg(d), min(s), max(s), min(d), max(n), round(var_samp(d), 6),
                   round(stddev_pop(d), 6), bool_and(m > 0), bool_or(m = 6), max_by(i, d), min_by(s, d), total(n),
                   round(corr(d, i), 9)
            FROM t GROUP BY k
            """, evidence: spilled)
        // String key.
        try assertSameUnderLimit(db, "SELECT s, count(*), sum(i), min(k), max(d) FROM t GROUP BY s", evidence: spilled)
        // Multi-column keys, with NULL keys.
        try assertSameUnderLimit(db, "SELECT k % 100, s, m, count(*), sum(n) FROM t GROUP BY 1, 2, 3", evidence: spilled)
        try assertSameUnderLimit(db, "SELECT n, k, count(*), max(s) FROM t GROUP BY n, k", evidence: spilled)
        // A FILTER clause and an expression key.
        try assertSameUnderLimit(db, "SELECT i + 1, count(*) FILTER (WHERE m = 3), sum(d) FILTER (WHERE n IS NULL) FROM t GROUP BY i + 1",
                                 evidence: spilled)
    }

    func testAggregatesWhoseStateGrowsWithTheRowsSpill() throws {
        let db = try lake()
        let spilled = "spilled_rows="
        // DISTINCT over one shared argument (the parallel two-phase path when unlimited).
        try assertSameUnderLimit(db, "SELECT k, count(DISTINCT n) FROM t GROUP BY k", evidence: spilled)
        try assertSameUnderLimit(db, "SELECT k, count(DISTINCT n), sum(DISTINCT m) FROM t GROUP BY k", evidence: spilled)
        // Holistic accumulators, and string_agg in input order (one thread either way).
        try assertSameUnderLimit(db, """
            SELECT k, count(DISTINCT m), median(d), quantile_cont(n, 0.25), approx_distinct(n), string_agg(s, ','),
                   count(*)
            FROM t GROUP BY k
            """, evidence: spilled)
        try assertSameUnderLimit(db, "SELECT s, median(i), string_agg(CAST(m AS VARCHAR), '') FROM t GROUP BY s", evidence: spilled)
    }

    func testPartitionsThatStillDoNotFitAreSplitAgain() throws {
        let db = try lake()
        // Under 64KB a first-level partition (1/32 of the groups or build rows) is still too large.
        try assertSameUnderLimit(db, "SELECT i, count(*), sum(d), max(s) FROM t GROUP BY i", evidence: "spilled_rows=", limit: "64KB")
        try assertSameUnderLimit(db, "SELECT k, median(d), count(DISTINCT m) FROM t GROUP BY k", evidence: "spilled_rows=", limit: "64KB")
        try assertSameUnderLimit(db, "SELECT a.id, b.id FROM a FULL JOIN b ON a.j = b.j", evidence: "grace_splits=", limit: "64KB")
    }

    func testAggregatesThatCannotFitFailWithTheOutOfMemoryError() throws {
        let db = try lake()
        try db.run("SET memory_limit = '64KB'")
        // Seven groups of ~8,600 values each: partitioning cannot split a group, so the deepest level gives up.
        for sql in ["SELECT m, median(d) FROM t GROUP BY m", "SELECT median(d), string_agg(s, ',') FROM t"] {
            let error = db.error(sql)
            XCTAssertEqual(error?.kind, .outOfMemory, sql)
            XCTAssertTrue(error?.message.contains("out of memory: hash aggregate needs more than memory_limit 64KB") == true,
                          error?.message ?? "no error")
        }
        // The failure left nothing behind: the same session answers within a limit that fits.
        try db.run("RESET memory_limit")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM (SELECT m, median(d) FROM t GROUP BY m) x"), [["7"]])
    }

    func testEveryJoinKindGivesTheSameRowsAsAGraceJoin() throws {
        let db = try lake()
        let grace = "grace_join=1"
        for kind in ["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"] {
            try assertSameUnderLimit(db, "SELECT a.id, b.id, b.label FROM a \(kind) b ON a.j = b.j", evidence: grace)
            // With a residual condition beside the key.
            try assertSameUnderLimit(db, "SELECT a.id, b.id FROM a \(kind) b ON a.j = b.j AND a.id < b.id", evidence: grace)
        }
        // Two keys, one of them a string expression.
        try assertSameUnderLimit(db, "SELECT a.id, b.id FROM a JOIN b ON a.k = b.k AND substr(a.label, 2) = substr(b.label, 2)",
                                 evidence: grace)
        // Semi, anti, NOT IN (null-aware: the NULLs of a.j make some rows unknown).
        try assertSameUnderLimit(db, "SELECT id, label FROM a WHERE j IN (SELECT j FROM b)", evidence: grace)
        try assertSameUnderLimit(db, "SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.j = a.j)", evidence: grace)
        try assertSameUnderLimit(db, "SELECT id FROM a WHERE j NOT IN (SELECT j FROM b WHERE j IS NOT NULL)", evidence: grace)
        try assertSameUnderLimit(db, "SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.j = a.j AND b.id > a.id)", evidence: grace)
        // A self-join under an aggregation: the join is a stage of a parallel pipeline.
        try assertSameUnderLimit(db, "SELECT count(*), sum(x.id), sum(y.id) FROM a x JOIN a y ON x.k = y.k", evidence: grace)
        try assertSameUnderLimit(db, "SELECT x.m, count(*), sum(y.id) FROM b y LEFT JOIN a x ON x.j = y.j GROUP BY x.m", evidence: grace)
        // The smaller side of a semi / anti join as the build side (right semi / anti: build rows emitted after the probe).
        let twice = "(SELECT k FROM t UNION ALL SELECT k + 5000 FROM t)"
        try assertSameUnderLimit(db, "SELECT x.id, x.label FROM a x WHERE x.j IN \(twice)", evidence: "right_semi", grace)
        try assertSameUnderLimit(db, "SELECT x.id FROM a x WHERE NOT EXISTS (SELECT 1 FROM \(twice) u WHERE u.k = x.j)",
                                 evidence: "right_anti", grace)
        try assertSameUnderLimit(db, "SELECT x.id FROM b x WHERE x.j NOT IN (SELECT n FROM t WHERE n IS NOT NULL)", evidence: grace)
    }

    func testAJoinThatCannotFitFailsWithTheOutOfMemoryError() throws {
        let db = try lake()
        try db.run("SET memory_limit = '256KB'")
        // m has five values: every partition pair holds one key with 6,000 build rows, whatever the depth.
        let error = db.error("SELECT count(*) FROM a x JOIN a y ON x.m = y.m")
        XCTAssertEqual(error?.kind, .outOfMemory)
        XCTAssertTrue(error?.message.contains("out of memory: hash join build needs more than memory_limit 256KB") == true,
                      error?.message ?? "no error")
    }
}
