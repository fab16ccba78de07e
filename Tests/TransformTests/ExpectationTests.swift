import Foundation
import XCTest
@testable import Tarn
import Storage

/// Expectations on INSERT / CTAS / ALTER TABLE, and a failing pipeline step rolling the run back.
final class ExpectationTests: TransformTestCase {
    func testKeepDropAndFailOnInsert() throws {
        let s = try openSession()
        try s.execute("""
            CREATE TABLE t (id INTEGER, qty INTEGER,
                CONSTRAINT has_id EXPECT (id IS NOT NULL) ON VIOLATION DROP ROW,
                CONSTRAINT small EXPECT (qty < 100));
            INSERT INTO t VALUES (1, 5), (NULL, 7), (3, 500), (NULL, NULL);
            """)
        XCTAssertEqual(try int(s, "SELECT count(*) FROM t"), 2)
        let v = try s.query("SELECT expectation, version, row FROM violations('t') ORDER BY row")
        XCTAssertEqual(v.count, 2)
        XCTAssertEqual(v.first?[0].description, "has_id")
        XCTAssertEqual(v.first?[2].description, #"{"id":null,"qty":7}"#)
        let counts = try s.query("SELECT rule, action, rows FROM dropped_rows('t') ORDER BY rule")
        XCTAssertEqual(counts.map { $0.map(\.description) }, [["has_id", "DROP ROW", "2"], ["small", "KEEP", "1"]])

        try s.execute("ALTER TABLE t ADD CONSTRAINT positive EXPECT (qty > 0) ON VIOLATION FAIL UPDATE")
        let before = try s.lake.snapshot(of: TableName(name: "t")).version
        XCTAssertThrowsError(try s.execute("INSERT INTO t VALUES (4, 1), (5, -1), (6, -2)")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("positive") && text.contains("2 of 3 rows"), text)
        }
        XCTAssertEqual(try s.lake.snapshot(of: TableName(name: "t")).version, before)
        try s.execute("ALTER TABLE t DROP CONSTRAINT positive")
        try s.execute("INSERT INTO t VALUES (5, -1)")
        XCTAssertEqual(try int(s, "SELECT count(*) FROM t"), 3)
    }

    func testFailUpdateStepLeavesEveryTableAtItsPreviousVersion() throws {
        let s = try openSession()
        let good = """
            CREATE OR REFRESH TABLE gold AS SELECT id, qty * 2 AS qty FROM silver;
            CREATE OR REFRESH TABLE silver (CONSTRAINT positive EXPECT (qty > 0) ON VIOLATION FAIL UPDATE) AS SELECT id, qty FROM bronze;
            CREATE OR REFRESH TABLE bronze AS SELECT * FROM (VALUES (1, 10), (2, 20)) v(id, qty);
            """
        let ok = try s.runPipeline(good, baseDirectory: folder)
        XCTAssertEqual(ok.steps.map(\.target), ["bronze", "silver", "gold"])
        let bad = good.replacingOccurrences(of: "(2, 20)", with: "(2, -20), (3, -30)")
        let versions = try ["bronze", "silver", "gold"].map { try s.lake.snapshot(of: TableName(name: $0)).version }
        XCTAssertThrowsError(try s.runPipeline(bad, baseDirectory: folder)) { error in
            guard let failure = error as? PipelineFailure else { return XCTFail("\(error)") }
            XCTAssertTrue(failure.description.contains("silver") && failure.description.contains("positive")
                          && failure.description.contains("2 of 3 rows"), failure.description)
            XCTAssertEqual(failure.result.rolledBack, ["bronze"])
        }
        let restoredRows = try s.query("SELECT id, qty FROM bronze ORDER BY id").map { $0.map(\.description) }
        XCTAssertEqual(restoredRows, [["1", "10"], ["2", "20"]])
        XCTAssertEqual(try int(s, "SELECT sum(qty) FROM gold"), 60)
        let after = try ["silver", "gold"].map { try s.lake.snapshot(of: TableName(name: $0)).version }
        XCTAssertEqual(after, Array(versions.dropFirst()))
        XCTAssertEqual(try int(s, "SELECT count(*) FROM tarn.pipeline_runs WHERE status = 'failed' AND table_name = 'silver'"), 1)
    }

    func testCycleIsAnErrorNamingTheTables() throws {
        let s = try openSession()
        XCTAssertThrowsError(try s.runPipeline("""
            CREATE OR REFRESH TABLE a AS SELECT * FROM b;
            CREATE OR REFRESH TABLE b AS SELECT * FROM a;
            """, baseDirectory: folder)) { error in
            XCTAssertTrue("\(error)".contains("cycle") && "\(error)".contains("a → b") || "\(error)".contains("b → a"), "\(error)")
        }
    }

    /// `violations('t')` reads the catalog a page at a time and only the columns a query uses: over several pages and
    /// two versions it gives exactly the rows, in the order, that one catalog query gives, whatever columns are read.
    func testViolationsReadInPagesEqualTheCatalogsRows() throws {
        let s = try openSession()
        try s.execute("""
            CREATE TABLE t (id BIGINT, CONSTRAINT even EXPECT (id % 2 = 0) ON VIOLATION DROP ROW,
                CONSTRAINT small EXPECT (id < 5000) ON VIOLATION DROP ROW);
            INSERT INTO t SELECT generate_series FROM generate_series(1, 6000);
            INSERT INTO t SELECT generate_series FROM generate_series(6001, 7000);
            """)
        let uuid = try s.lake.snapshot(of: TableName(name: "t")).uuid
        let stored = try s.lake.catalog.query(
            "SELECT expectation, action, version, row_json FROM tarn_violations WHERE table_uuid = ? ORDER BY version, rowid", [.text(uuid)])
        XCTAssertGreaterThan(stored.count, 2 * ViolationsOperator.firstPageRows)
        XCTAssertEqual(Set(stored.map { $0[2].int64 ?? -1 }).count, 2)
        let all = try s.query("SELECT * FROM violations('t')")
        XCTAssertEqual(all.map { $0.map(\.description) },
                       stored.map { [$0[0].string ?? "", $0[1].string ?? "", "\($0[2].int64 ?? -1)", $0[3].string ?? ""] })
        let rows = try s.query("SELECT row FROM violations('t') LIMIT 3 OFFSET 2000")
        XCTAssertEqual(rows.map { $0[0].description }, stored[2000..<2003].map { $0[3].string ?? "" })
        XCTAssertEqual(try int(s, "SELECT count(*) FROM violations('t')"), Int64(stored.count))
        let byRule = try s.query("SELECT expectation, count(*) FROM violations('t') GROUP BY expectation ORDER BY expectation")
        let expected = Dictionary(grouping: stored, by: { $0[0].string ?? "" }).mapValues(\.count)
        XCTAssertEqual(byRule.map { "\($0[0].description)=\($0[1].description)" }, expected.keys.sorted().map { "\($0)=\(expected[$0] ?? 0)" })
        let plan = try s.query("EXPLAIN SELECT expectation, count(*) FROM violations('t') GROUP BY expectation").map { $0[0].description }.joined()
        XCTAssertTrue(plan.contains("Violations columns=[expectation]"), plan)
    }
}
