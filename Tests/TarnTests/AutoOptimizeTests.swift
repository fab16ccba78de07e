import XCTest
@testable import Tarn
import Storage

/// The auto_optimize table property: after a commit that leaves `auto_optimize.min_files` small files, they are
/// compacted as a separate OPTIMIZE version; a compaction that conflicts with a concurrent writer is reported and
/// skipped, never failing the statement that had committed.
final class AutoOptimizeTests: XCTestCase {
    private func files(_ db: TestLake, _ table: String) throws -> Int {
        try db.session.lake.snapshot(of: TableName(name: table)).files.count
    }

    private func operations(_ db: TestLake, _ table: String) throws -> [String] {
        try db.session.lake.history(of: TableName(name: table)).map(\.operation)
    }

    private func insert(_ db: TestLake, _ batch: Int) throws -> StatementResult {
        let result = try db.session.execute("INSERT INTO t SELECT generate_series + \(batch * 1000), 'b\(batch)' FROM generate_series(1, 100)")
        return try XCTUnwrap(result.last)
    }

    func testCompactsOnceTheThresholdOfSmallFilesIsReached() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, k VARCHAR)")
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'true', 'auto_optimize.min_files' = '4')")
        for batch in 1...3 { XCTAssertEqual(try insert(db, batch).notices, []) }
        XCTAssertEqual(try files(db, "t"), 3, "below the threshold nothing is compacted")
        let fourth = try insert(db, 4)
        XCTAssertEqual(fourth.notices.count, 1)
        XCTAssertTrue(fourth.notices[0].contains("compacted 4 small files"), fourth.notices[0])
        XCTAssertEqual(try files(db, "t"), 1)
        let ops = try operations(db, "t")
        XCTAssertEqual(Array(ops.prefix(2)), ["OPTIMIZE", "WRITE"], "the compaction is its own version after the INSERT")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(id), count(DISTINCT k) FROM t"), [["400", "1020200", "4"]])
        let insertVersion = try db.session.lake.history(of: TableName(name: "t"))[1].version
        XCTAssertEqual(try db.rows("SELECT count(*), sum(id) FROM t VERSION AS OF \(insertVersion)"), [["400", "1020200"]])
        // UPDATE and DELETE rewrite files too; below the threshold again, they are left alone.
        try db.run("DELETE FROM t WHERE id % 10 = 0")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["360"]])
    }

    func testOffUnlessTheTableAsksForIt() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, k VARCHAR)")
        for batch in 1...6 { XCTAssertEqual(try insert(db, batch).notices, []) }
        XCTAssertEqual(try files(db, "t"), 6)
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'true', 'auto_optimize.min_files' = '3')")
        XCTAssertEqual(try files(db, "t"), 6, "setting the property is not a write")
        XCTAssertEqual(try insert(db, 7).notices.count, 1)
        XCTAssertEqual(try files(db, "t"), 1)
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'false')")
        for batch in 8...11 { XCTAssertEqual(try insert(db, batch).notices, []) }
        XCTAssertEqual(try files(db, "t"), 5)
    }

    func testPipelineRefreshesCompactToo() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE src (id INTEGER)")
        let sql = "CREATE OR REFRESH INCREMENTAL TABLE copy AS SELECT id FROM src;"
        try db.run("INSERT INTO src VALUES (1)")
        _ = try db.session.runPipeline(sql, baseDirectory: db.path)
        try db.run("ALTER TABLE copy SET TBLPROPERTIES ('auto_optimize' = 'true', 'auto_optimize.min_files' = '3')")
        var messages: [String] = []
        for i in 2...3 {
            try db.run("INSERT INTO src VALUES (\(i))")
            messages.append(try db.session.runPipeline(sql, baseDirectory: db.path).steps[0].message)
        }
        XCTAssertFalse(messages[0].contains("auto_optimize"), messages[0])
        XCTAssertTrue(messages[1].hasPrefix("appended") && messages[1].contains("auto_optimize compacted 3 small files"), messages[1])
        XCTAssertEqual(try files(db, "copy"), 1)
        XCTAssertEqual(try db.rows("SELECT count(*), sum(id) FROM copy"), [["3", "6"]])
    }

    func testATransactionBlockCompactsAtCommit() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, k VARCHAR)")
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'true', 'auto_optimize.min_files' = '3')")
        _ = try insert(db, 1)
        try db.run("BEGIN")
        for batch in 2...3 { XCTAssertEqual(try insert(db, batch).notices, [], "nothing is compacted inside the block") }
        let commit = try XCTUnwrap(db.session.execute("COMMIT").last)
        XCTAssertEqual(commit.notices.count, 1)
        XCTAssertTrue(commit.notices.first?.contains("auto_optimize compacted") ?? false, commit.notices.first ?? "")
        XCTAssertEqual(try files(db, "t"), 1)
        XCTAssertEqual(try db.rows("SELECT count(*), count(DISTINCT k) FROM t"), [["300", "3"]])
    }

    func testBadPropertyValuesAreRefused() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER)")
        XCTAssertTrue(db.error("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'yes please')")?.message.contains("auto_optimize") ?? false)
        XCTAssertTrue(db.error("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize.min_files' = 'many')")?.message.contains("min_files") ?? false)
        XCTAssertTrue(db.error("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize.min_files' = '1')")?.message.contains("at least 2") ?? false)
    }

    func testAConflictingCompactionIsReportedAndTheStatementStands() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, k VARCHAR)")
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'true', 'auto_optimize.min_files' = '3')")
        _ = try insert(db, 1)
        _ = try insert(db, 2)
        // Between the compaction's reading of the files and its commit, another connection rewrites one of them.
        let other = db.database.connect()
        var fired = false
        db.session.beforeAutoOptimizeCommit = {
            guard !fired else { return }
            fired = true
            try other.execute("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'false')")
            try other.execute("DELETE FROM t WHERE id = 1001")
        }
        let third = try insert(db, 3)
        XCTAssertTrue(fired)
        XCTAssertEqual(third.notices.count, 1)
        XCTAssertTrue(third.notices[0].contains("conflicted with a concurrent write"), third.notices[0])
        XCTAssertFalse(try operations(db, "t").contains("OPTIMIZE"), "the failed compaction left no version")
        XCTAssertEqual(try db.rows("SELECT count(*), min(id) FROM t"), [["299", "1002"]], "the INSERT and the DELETE both stand")
        XCTAssertEqual(try files(db, "t"), 3)
    }
}
