import Foundation
import XCTest
@testable import Tarn
import Storage

/// Deletion vectors inside `BEGIN … COMMIT`: the block's DELETE / UPDATE / MERGE mark rows instead of rewriting
/// files, its later statements read its own marks, ROLLBACK leaves nothing, a concurrent mark of the same file fails
/// the whole block at COMMIT; and the reader-feature gate a table with deletion vectors records.
final class DeletionVectorTransactionTests: XCTestCase {
    private func dvLake(rows: Int = 10_000) throws -> TestLake {
        let db = try TestLake()
        try db.run("""
            CREATE TABLE t AS SELECT i AS id, i % 7 AS v FROM generate_series(1, \(rows)) g(i);
            ALTER TABLE t SET TBLPROPERTIES ('deletion_vectors' = 'true');
            CREATE TABLE log (who VARCHAR)
            """)
        return db
    }

    private func count(_ db: TestLake, _ sql: String) throws -> Int64 {
        try db.database.lake.catalog.query(sql).first?[0].int64 ?? -1
    }

    private func dataFilesOnDisk(_ db: TestLake) -> Int {
        ((try? FileManager.default.subpathsOfDirectory(atPath: db.path + "/data")) ?? []).filter { $0.hasSuffix(".tarn") }.count
    }

    func testBlockMarksRowsSeesItsMarksAndRollbackLeavesNothing() throws {
        let db = try dvLake()
        let files = dataFilesOnDisk(db)
        let versions = try count(db, "SELECT count(*) FROM snapshots")
        let block = [
            "DELETE FROM t WHERE id % 3 = 0",
            "UPDATE t SET v = v + 100 WHERE id % 5 = 0",          // the rows deleted above are not updated
            "MERGE INTO t USING (SELECT i AS id FROM generate_series(9990, 10010) g(i)) s ON t.id = s.id "
                + "WHEN MATCHED AND t.v >= 100 THEN DELETE WHEN MATCHED THEN UPDATE SET v = -1 WHEN NOT MATCHED THEN INSERT VALUES (s.id, 0)",
            "DELETE FROM t WHERE v = -1 AND id % 2 = 0",           // marks rows the block itself wrote
        ]
        try db.run("BEGIN")
        var counts: [String] = []
        for statement in block {
            let result = try XCTUnwrap(db.session.execute(statement).last)
            counts.append(result.rows.first.map { $0.map(\.description).joined(separator: " ") } ?? result.message ?? "")
        }
        // MERGE: affected, updated, deleted, inserted.
        XCTAssertEqual(counts, ["DELETE 3333", "UPDATE 1334", "21 5 2 14", "DELETE 3"], "each statement saw the block's earlier marks")
        let inside = try db.rows("SELECT count(*), sum(v), count(*) FILTER (WHERE v >= 100), count(*) FILTER (WHERE v = -1) FROM t")
        XCTAssertEqual(inside, [["6676", "153174", "1332", "2"]], "10000 - 3333 deleted - 2 merged away + 14 inserted - 3 deleted again")
        XCTAssertEqual(dataFilesOnDisk(db) - files, 2, "only the updated and the merged rows were written; no file rewritten")
        XCTAssertEqual(try db.database.connect().query("SELECT count(*) FROM t").first?.first?.description, "10000", "other sessions see nothing")
        try db.run("ROLLBACK")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(v) FROM t"), [["10000", "29998"]])
        XCTAssertEqual(try count(db, "SELECT count(*) FROM snapshots"), versions)
        XCTAssertEqual(try count(db, "SELECT count(*) FROM deletion_vectors"), 0)
        XCTAssertEqual(dataFilesOnDisk(db), files, "ROLLBACK deleted the block's files")

        // The same block committed: one version, the table's file kept with a deletion vector.
        try db.run("BEGIN")
        for statement in block { try db.run(statement) }
        try db.run("COMMIT")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(v), count(*) FILTER (WHERE v >= 100), count(*) FILTER (WHERE v = -1) FROM t"), inside)
        XCTAssertEqual(try count(db, "SELECT count(*) FROM snapshots") - versions, 1)
        XCTAssertEqual(try db.session.execute("DESCRIBE HISTORY t").last?.rows.first?[2], .varchar("TRANSACTION"))
        XCTAssertEqual(try count(db, "SELECT count(DISTINCT f.path) FROM deletion_vectors d JOIN data_files f USING (file_id) WHERE f.removed_version IS NULL"), 3,
                       "the starting file, the updated rows' file (MERGE deleted two) and the merged rows' file carry vectors")
        XCTAssertEqual(dataFilesOnDisk(db) - files, 2)
        // Time travel to the version before the block still sees every row.
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t VERSION AS OF 0"), [["10000"]])
        let check = try db.database.lake.check()
        XCTAssertTrue(check.isClean, "\(check.problems)")
    }

    func testBlockDeletingEveryRowOfItsOwnFileDropsIt() throws {
        let db = try dvLake(rows: 100)
        try db.run("BEGIN; INSERT INTO t SELECT i, 1 FROM generate_series(101, 200) g(i); DELETE FROM t WHERE id > 100 OR id <= 10; COMMIT")
        XCTAssertEqual(try db.rows("SELECT count(*), min(id), max(id) FROM t"), [["90", "11", "100"]])
        XCTAssertEqual(try count(db, "SELECT count(*) FROM data_files WHERE removed_version IS NULL"), 1)
        XCTAssertTrue(try db.database.lake.check().isClean, "the block's own file, emptied, is gone from disk too")
    }

    func testConcurrentMarkOfTheSameFileFailsTheWholeBlock() throws {
        let db = try dvLake()
        let first = db.database.connect(), second = db.database.connect()
        try first.execute("BEGIN; DELETE FROM t WHERE id <= 10; INSERT INTO log VALUES ('first')")
        try second.execute("DELETE FROM t WHERE id > 9990")
        do {
            try first.execute("COMMIT")
            XCTFail("the block marked a file a concurrent DELETE marked; COMMIT must conflict")
        } catch let e as TarnError {
            XCTAssertEqual(e.kind, .conflict, e.message)
        }
        XCTAssertEqual(try db.rows("SELECT count(*), min(id), max(id) FROM t"), [["9990", "1", "9990"]])
        XCTAssertEqual(try db.rows("SELECT count(*) FROM log"), [["0"]], "nothing of the block on either table")
        // Marking different tables' files, or appending, does not conflict.
        try first.execute("BEGIN; DELETE FROM t WHERE id <= 10; INSERT INTO log VALUES ('again')")
        try second.execute("INSERT INTO t VALUES (20000, 0)")
        try first.execute("COMMIT")
        XCTAssertEqual(try db.rows("SELECT count(*), min(id), max(id) FROM t"), [["9981", "11", "20000"]])
    }

    func testTablesWithDeletionVectorsNeedTheReaderFeature() throws {
        let db = try dvLake(rows: 100)
        try db.run("CREATE TABLE plain AS SELECT 1 AS x")
        XCTAssertEqual(try count(db, "SELECT count(*) FROM reader_features"), 0, "no vector yet: any build can read the table")
        try db.run("DELETE FROM t WHERE id = 5")
        XCTAssertEqual(try db.database.lake.catalog.query("SELECT feature FROM reader_features").map { $0[0].string ?? "" }, ["deletionVectors"])
        // A feature this build does not know: the table is refused, other tables still read; VACUUM and check refuse.
        try db.database.lake.catalog.execute("INSERT INTO reader_features(table_id, feature) SELECT table_id, 'rowTracking' FROM tables WHERE name = 't'")
        let reader = try Database.open(db.path).connect()
        XCTAssertThrowsError(try reader.query("SELECT count(*) FROM t")) { error in
            let e = error as? TarnError
            XCTAssertEqual(e?.kind, .unsupported)
            XCTAssertTrue(e?.message.contains("table 't' needs reader feature rowTracking; this tarn is too old") ?? false, e?.message ?? "\(error)")
        }
        XCTAssertThrowsError(try reader.execute("DELETE FROM t WHERE id = 6"))
        XCTAssertEqual(try reader.query("SELECT x FROM plain").first?.first?.description, "1")
        XCTAssertThrowsError(try reader.execute("VACUUM"))
        XCTAssertThrowsError(try db.database.lake.check())
    }
}
