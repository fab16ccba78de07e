import XCTest
@testable import Tarn
import Storage

/// MERGE INTO beyond what the DuckDB comparison (Tests/differential/merge.py) covers: one commit, only the files
/// holding changed rows rewritten, `UPDATE SET *` / `INSERT *`, expectations on the rows written, time travel.
final class MergeTests: XCTestCase {
    func testOneCommitRewritingOnlyTheFilesWithChangedRows() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, n INTEGER)")
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('deletion_vectors' = 'false')")   // copy-on-write (new tables mark rows)
        for k in 0..<4 { try db.run("INSERT INTO t SELECT generate_series + \(k * 100), 0 FROM generate_series(1, 100)") }  // 4 files
        try db.run("CREATE TABLE s AS SELECT * FROM (VALUES (150, 1), (151, 1), (999, 9)) v(id, n)")
        let versions = try XCTUnwrap(db.session.execute("DESCRIBE HISTORY t").last?.rowCount)
        let result = try XCTUnwrap(db.session.execute("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *").last)
        XCTAssertEqual(result.rows.first?.map(\.description), ["3", "2", "0", "1"])
        let latest = try XCTUnwrap(db.session.execute("DESCRIBE HISTORY t").last)
        XCTAssertEqual(latest.rowCount, versions + 1, "one new version")
        XCTAssertEqual(latest.rows.first?[2], .varchar("MERGE"))
        XCTAssertEqual(latest.rows.first?[7], .bigint(1), "only the file holding ids 101…200 was rewritten")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(n) FROM t"), [["401", "11"]])
        XCTAssertEqual(try db.rows("SELECT sum(n) FROM t VERSION AS OF \(versions - 1)"), [["0"]], "the version before is intact")
    }

    /// The same MERGE on a new table (deletion vectors by default): no file leaves, the updated rows are marked.
    func testNewTablesMergeByMarkingRows() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, n INTEGER)")
        for k in 0..<4 { try db.run("INSERT INTO t SELECT generate_series + \(k * 100), 0 FROM generate_series(1, 100)") }
        try db.run("CREATE TABLE s AS SELECT * FROM (VALUES (150, 1), (151, 1), (999, 9)) v(id, n)")
        let result = try XCTUnwrap(db.session.execute("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *").last)
        XCTAssertEqual(result.rows.first?.map(\.description), ["3", "2", "0", "1"])
        let latest = try XCTUnwrap(db.session.execute("DESCRIBE HISTORY t").last)
        XCTAssertEqual(latest.rows.first?[7], .bigint(0), "no file was removed")
        XCTAssertEqual(try db.database.lake.catalog.query("SELECT sum(deleted_rows) FROM deletion_vectors").first?[0].int64, 2)
        XCTAssertEqual(try db.rows("SELECT count(*), sum(n) FROM t"), [["401", "11"]])
    }

    func testExpectationsApplyToTheRowsMergeWrites() throws {
        let db = try TestLake()
        try db.run("""
            CREATE OR REFRESH TABLE t (CONSTRAINT positive EXPECT (n > 0) ON VIOLATION DROP ROW) AS SELECT * FROM (VALUES (1, 5), (2, 6)) v(id, n);
            CREATE TABLE s AS SELECT * FROM (VALUES (1, -1), (3, 7), (4, -4)) v(id, n);
            """)
        try db.run("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET n = s.n WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.n)")
        XCTAssertEqual(try db.rows("SELECT id, n FROM t ORDER BY id"), [["2", "6"], ["3", "7"]],
                       "the update of id 1 to -1 and the insert of id 4 broke the expectation and were dropped")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM violations('t')"), [["2"]])
    }

    func testBadMergesChangeNothing() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a')) v(id, s); CREATE TABLE s AS SELECT * FROM (VALUES (1, 10), (1, 11)) v(id, n)")
        XCTAssertEqual(db.error("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE")?.kind, .constraint)
        XCTAssertEqual(db.error("MERGE INTO t USING (SELECT 1 AS id, 5 AS n) x ON t.id = x.id WHEN MATCHED THEN UPDATE SET s = x.n")?.kind, .semantic,
                       "an INTEGER does not go into a VARCHAR column implicitly")
        XCTAssertNotNil(db.error("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET nope = 1"))
        XCTAssertEqual(db.error("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE WHEN MATCHED AND s.n > 1 THEN DELETE")?.kind, .syntax)
        XCTAssertEqual(try db.rows("SELECT * FROM t"), [["1", "a"]])
        XCTAssertEqual(try db.session.execute("DESCRIBE HISTORY t").last?.rowCount, 1)
    }
}
