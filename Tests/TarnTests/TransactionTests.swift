import Foundation
import XCTest
@testable import Tarn
import Storage

/// `BEGIN … COMMIT` / `ROLLBACK` across tables (issue 23, part 4): one version per changed table, all or nothing;
/// statements inside see the block's own writes; a conflict at COMMIT fails the whole block; DDL inside is refused;
/// and the visible results of generated transaction scripts equal SQLite's running the same scripts.
final class TransactionTests: XCTestCase {
    /// Versions of each table (DESCRIBE HISTORY's row count).
    private func versions(_ db: TestLake, _ table: String) throws -> Int {
        try XCTUnwrap(db.session.execute("DESCRIBE HISTORY \(table)").last?.rowCount)
    }

    /// Data files on disk that no version of any table refers to (a transaction's leftovers).
    private func orphanFiles(_ db: TestLake) throws -> Set<String> {
        let referenced = Set(try db.database.lake.catalog.query("SELECT path FROM data_files").compactMap { $0[0].string })
        var onDisk = Set<String>()
        let data = db.path + "/data"
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: data)) ?? [] {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: data + "/" + folder)) ?? [] {
                onDisk.insert("data/\(folder)/\(file)")
            }
        }
        return onDisk.subtracting(referenced)
    }

    func testRollbackLeavesNothing() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE a AS SELECT i AS id, 0 AS v FROM generate_series(1, 100) g(i); CREATE TABLE b (id BIGINT, v INTEGER)")
        let before = (try versions(db, "a"), try versions(db, "b"))
        try db.run("BEGIN")
        try db.run("INSERT INTO a SELECT i, 1 FROM generate_series(101, 150) g(i)")
        try db.run("UPDATE a SET v = v + 10 WHERE id % 2 = 0")
        try db.run("DELETE FROM a WHERE id > 140")
        try db.run("INSERT INTO b SELECT * FROM a WHERE v >= 10")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(v) FROM a"), [["140", "740"]], "the block sees its own writes")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM b"), [["70"]])
        XCTAssertEqual(try db.database.connect().query("SELECT count(*) FROM b").first?.first?.description, "0",
                       "another session sees none of them")
        XCTAssertFalse(try orphanFiles(db).isEmpty, "the block's files are on disk, not in the catalog")
        try db.run("ROLLBACK")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(v) FROM a"), [["100", "0"]])
        XCTAssertEqual(try db.rows("SELECT count(*) FROM b"), [["0"]])
        XCTAssertEqual(try versions(db, "a"), before.0, "no version")
        XCTAssertEqual(try versions(db, "b"), before.1, "no version")
        XCTAssertEqual(try orphanFiles(db), [], "ROLLBACK deleted every file the block wrote")
    }

    func testCommitWritesOneVersionPerChangedTableAtOnce() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE a (id BIGINT, v INTEGER); CREATE TABLE b (id BIGINT, v INTEGER); CREATE TABLE c (id BIGINT)")
        let before = (try versions(db, "a"), try versions(db, "b"), try versions(db, "c"))
        try db.run("""
            START TRANSACTION;
            INSERT INTO a VALUES (1, 1), (2, 2), (3, 3);
            INSERT INTO a VALUES (4, 4);
            UPDATE a SET v = v * 100 WHERE id >= 3;
            INSERT INTO b SELECT id, v FROM a WHERE v > 2;
            DELETE FROM a WHERE id = 1;
            SELECT count(*) FROM c;
            COMMIT WORK;
            """)
        XCTAssertEqual(try db.rows("SELECT id, v FROM a ORDER BY id"), [["2", "2"], ["3", "300"], ["4", "400"]])
        XCTAssertEqual(try db.rows("SELECT id, v FROM b ORDER BY id"), [["3", "300"], ["4", "400"]])
        XCTAssertEqual(try versions(db, "a"), before.0 + 1, "four statements on a: one version")
        XCTAssertEqual(try versions(db, "b"), before.1 + 1)
        XCTAssertEqual(try versions(db, "c"), before.2, "a table only read gets no version")
        XCTAssertEqual(try db.session.execute("DESCRIBE HISTORY a").last?.rows.first?[2], .varchar("TRANSACTION"))
        XCTAssertEqual(try db.session.execute("DESCRIBE HISTORY b").last?.rows.first?[2], .varchar("WRITE"))
        XCTAssertEqual(try orphanFiles(db), [], "files written and rewritten inside the block were deleted")
        // The change feed of the block's version covers every statement: 4 inserts, the update's 2 pre/post images,
        // the delete of id 1.
        XCTAssertEqual(try db.rows("SELECT _change_type, count(*) FROM table_changes('a', \(before.0)) GROUP BY 1 ORDER BY 1"),
                       [["delete", "1"], ["insert", "4"], ["update_postimage", "2"], ["update_preimage", "2"]])
        // END and ABORT are synonyms too.
        try db.run("BEGIN TRANSACTION; INSERT INTO c VALUES (1); END")
        try db.run("BEGIN; INSERT INTO c VALUES (2); ABORT")
        XCTAssertEqual(try db.rows("SELECT * FROM c"), [["1"]])
    }

    func testConflictAtCommitFailsTheWholeTransaction() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT i AS id, 0 AS v FROM generate_series(1, 10) g(i); CREATE TABLE log (who VARCHAR)")
        let first = db.database.connect(), second = db.database.connect()
        try first.execute("BEGIN; UPDATE t SET v = 1; INSERT INTO log VALUES ('first')")
        try second.execute("BEGIN; UPDATE t SET v = 2; INSERT INTO log VALUES ('second')")
        try first.execute("COMMIT")
        do {
            try second.execute("COMMIT")
            XCTFail("the second COMMIT rewrote the file the first one already rewrote; it must conflict")
        } catch let e as TarnError {
            XCTAssertEqual(e.kind, .conflict, e.message)
            XCTAssertTrue(e.message.contains("already removed by concurrent version"), e.message)
        }
        XCTAssertFalse(second.inTransaction, "a failed COMMIT ends the block")
        XCTAssertEqual(try db.rows("SELECT DISTINCT v FROM t"), [["1"]])
        XCTAssertEqual(try db.rows("SELECT who FROM log"), [["first"]], "nothing of the second block, on either table")
        XCTAssertEqual(try orphanFiles(db).count, 0, "the failed block deleted its files")
        // Appends do not conflict with appends, as for single statements.
        try first.execute("BEGIN; INSERT INTO log VALUES ('x')")
        try second.execute("BEGIN; INSERT INTO log VALUES ('y')")
        try first.execute("COMMIT")
        try second.execute("COMMIT")
        XCTAssertEqual(try db.rows("SELECT who FROM log ORDER BY who"), [["first"], ["x"], ["y"]])
    }

    func testDDLInsideATransactionIsRefusedAndFailsTheBlock() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id BIGINT)")
        try db.run("BEGIN; INSERT INTO t VALUES (1)")
        let refused = db.error("CREATE TABLE u (id BIGINT)")
        XCTAssertEqual(refused?.kind, .unsupported)
        XCTAssertTrue(refused?.message.contains("CREATE TABLE cannot run inside a transaction block") ?? false, refused?.message ?? "")
        for statement in ["DROP TABLE t", "ALTER TABLE t ADD COLUMN x INTEGER", "VACUUM t", "OPTIMIZE t", "RESTORE TABLE t TO VERSION AS OF 0"] {
            try db.run("ROLLBACK; BEGIN")
            XCTAssertTrue(db.error(statement)?.message.contains("cannot run inside a transaction block") ?? false, statement)
        }
        try db.run("ROLLBACK; BEGIN; INSERT INTO t VALUES (2)")
        XCTAssertNotNil(db.error("SELECT * FROM missing_table"))
        XCTAssertTrue(db.session.transactionFailed)
        XCTAssertTrue(db.error("SELECT 1")?.message.contains("current transaction is aborted") ?? false, "as PostgreSQL: failed until ROLLBACK")
        XCTAssertEqual(try db.session.execute("COMMIT").last?.message, "ROLLBACK", "COMMIT of a failed block rolls back")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["0"]])
        XCTAssertFalse(try db.session.database.lake.tableExists(TableName(name: "u")))
    }

    func testCopyIntoInsideABlockCommitsItsLoadRecordsWithTheRows() throws {
        let db = try TestLake()
        let folder = db.path + "-landing"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("{\"id\": 1}\n{\"id\": 2}\n".utf8).write(to: URL(fileURLWithPath: folder + "/day1.json"))
        try db.run("CREATE TABLE landing (id BIGINT)")
        try db.run("BEGIN; COPY INTO landing FROM '\(folder)' FORMAT json")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM landing"), [["2"]])
        try db.run("ROLLBACK")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM landing"), [["0"]])
        try db.run("BEGIN; COPY INTO landing FROM '\(folder)' FORMAT json; COMMIT")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM landing"), [["2"]], "the rolled-back load was not recorded as loaded")
        try db.run("COPY INTO landing FROM '\(folder)' FORMAT json")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM landing"), [["2"]], "the committed load was recorded: the file is not loaded twice")
        try db.run("BEGIN")
        XCTAssertTrue(db.error("COPY INTO fresh FROM '\(folder)' FORMAT json")?.message.contains("cannot create a table inside a transaction block") ?? false)
        try db.run("ROLLBACK")
    }

    /// MERGE, INSERT OVERWRITE and DELETE without WHERE (which SQLite lacks) inside a block end where the same
    /// statements run one by one end, and the block's version has the same change feed as the net change.
    func testMergeAndOverwriteInABlockEqualTheStatementsRunOneByOne() throws {
        try mergeAndOverwriteInABlock(deletionVectors: false)
    }

    /// The same block on tables with deletion vectors (marks staged in the block, read back by its later
    /// statements) against the statements run one by one on tables without them.
    func testDeletionVectorBlockEqualsCopyOnWriteStatementsRunOneByOne() throws {
        try mergeAndOverwriteInABlock(deletionVectors: true)
    }

    private func mergeAndOverwriteInABlock(deletionVectors: Bool) throws {
        let inBlock = try TestLake(), oneByOne = try TestLake()
        let setup = """
            CREATE TABLE t AS SELECT i AS id, i % 5 AS v FROM generate_series(1, 200) g(i);
            CREATE TABLE s AS SELECT i AS id, i * 10 AS v FROM generate_series(150, 260) g(i);
            CREATE TABLE u (id BIGINT, v BIGINT)
            """
        let statements = [
            "INSERT INTO t SELECT id + 1000, v FROM t WHERE v = 0",
            "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND t.v > 2 THEN DELETE WHEN MATCHED THEN UPDATE SET v = t.v + s.v "
                + "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v) WHEN NOT MATCHED BY SOURCE AND t.id % 7 = 0 THEN UPDATE SET v = -1",
            "INSERT INTO u SELECT * FROM t WHERE v < 0",
            "INSERT OVERWRITE s SELECT id, v FROM t WHERE id > 240",
            "DELETE FROM u",
            "INSERT INTO u SELECT id, count(*) FROM t GROUP BY id HAVING count(*) > 1",
            "MERGE INTO u USING s ON u.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (s.id, 0)",
        ]
        try inBlock.run(setup)
        try oneByOne.run(setup)
        // New tables have deletion vectors by default: both modes are set explicitly, and the one-by-one reference
        // is always copy-on-write.
        for table in ["t", "s", "u"] {
            try inBlock.run("ALTER TABLE \(table) SET TBLPROPERTIES ('deletion_vectors' = '\(deletionVectors)')")
            try oneByOne.run("ALTER TABLE \(table) SET TBLPROPERTIES ('deletion_vectors' = 'false')")
        }
        try inBlock.run("BEGIN")
        for statement in statements {
            try inBlock.run(statement)
            try oneByOne.run(statement)
            for table in ["t", "s", "u"] {
                XCTAssertEqual(try inBlock.rows("SELECT * FROM \(table) ORDER BY ALL"), try oneByOne.rows("SELECT * FROM \(table) ORDER BY ALL"),
                               "\(table) after \(statement)")
            }
        }
        try inBlock.run("COMMIT")
        for table in ["t", "s", "u"] {
            XCTAssertEqual(try inBlock.rows("SELECT * FROM \(table) ORDER BY ALL"), try oneByOne.rows("SELECT * FROM \(table) ORDER BY ALL"))
            XCTAssertEqual(try versions(inBlock, table), 2, "\(table): its first version and the block's")
            // The block's feed, netted per row, is the difference between the versions (as EXCEPT ALL computes it).
            let feed = try inBlock.rows("""
                SELECT id, v, sum(CASE WHEN _change_type IN ('insert', 'update_postimage') THEN 1 ELSE -1 END) AS n
                FROM table_changes('\(table)', 1) GROUP BY id, v
                HAVING sum(CASE WHEN _change_type IN ('insert', 'update_postimage') THEN 1 ELSE -1 END) <> 0 ORDER BY ALL
                """)
            let diff = try inBlock.rows("""
                SELECT id, v, sum(n) AS n FROM (
                    SELECT id, v, 1 AS n FROM (SELECT * FROM \(table) EXCEPT ALL SELECT * FROM \(table) VERSION AS OF 0)
                    UNION ALL
                    SELECT id, v, -1 FROM (SELECT * FROM \(table) VERSION AS OF 0 EXCEPT ALL SELECT * FROM \(table))
                ) GROUP BY id, v ORDER BY ALL
                """)
            XCTAssertEqual(feed, diff, "change feed of \(table)")
        }
        XCTAssertEqual(try orphanFiles(inBlock), [])
        if deletionVectors {
            let marked = try inBlock.database.lake.catalog.query("SELECT count(*) FROM deletion_vectors").first?[0].int64 ?? 0
            XCTAssertGreaterThan(marked, 0, "the block's DELETE / MERGE marked rows instead of rewriting files")
        }
    }

    func testAReadOnlyBlockWorksOnAReadOnlyLake() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT 1 AS x")
        let readOnly = try Database.open(db.path, readOnly: true).connect()
        try readOnly.execute("BEGIN; SELECT * FROM t; COMMIT")
        XCTAssertFalse(readOnly.inTransaction)
    }

    func testTemporaryTablesRollBackWithTheBlock() throws {
        let db = try TestLake()
        try db.run("CREATE TEMP TABLE scratch (id BIGINT); INSERT INTO scratch VALUES (1)")
        try db.run("BEGIN; INSERT INTO scratch VALUES (2); ROLLBACK")
        XCTAssertEqual(try db.rows("SELECT * FROM scratch"), [["1"]])
    }

    /// Generated scripts of INSERT / UPDATE / DELETE / INSERT … SELECT on two tables in blocks that COMMIT or
    /// ROLLBACK, run by Tarn and by SQLite: after every statement both tables read the same in both.
    func testGeneratedTransactionScriptsMatchSQLite() throws {
        try generatedTransactionScripts(deletionVectors: false, seed: 23)
    }

    /// The generated scripts on tables with deletion vectors: UPDATE and DELETE inside blocks mark rows.
    func testGeneratedTransactionScriptsWithDeletionVectorsMatchSQLite() throws {
        try generatedTransactionScripts(deletionVectors: true, seed: 29)
    }

    private func generatedTransactionScripts(deletionVectors: Bool, seed: UInt64) throws {
        let db = try TestLake()
        let sqlitePath = db.path + "-reference.db"
        defer { try? FileManager.default.removeItem(atPath: sqlitePath) }
        let sqlite = try CatalogDatabase(path: sqlitePath)
        for ddl in ["CREATE TABLE a (id BIGINT, v BIGINT)", "CREATE TABLE b (id BIGINT, v BIGINT)"] {
            try db.run(ddl)
            try sqlite.execute(ddl)
        }
        for t in ["a", "b"] { try db.run("ALTER TABLE \(t) SET TBLPROPERTIES ('deletion_vectors' = '\(deletionVectors)')") }
        var rng = SplitMix(seed: seed)
        var nextId = 1
        func statement() -> String {
            let table = rng.next() % 2 == 0 ? "a" : "b", other = table == "a" ? "b" : "a"
            switch rng.next() % 5 {
            case 0, 1:
                let rows = (0..<Int(1 + rng.next() % 4)).map { _ -> String in
                    defer { nextId += 1 }
                    return "(\(nextId), \(rng.next() % 50))"
                }
                return "INSERT INTO \(table) VALUES " + rows.joined(separator: ", ")
            case 2: return "UPDATE \(table) SET v = v + \(1 + rng.next() % 9) WHERE id % \(2 + rng.next() % 3) = \(rng.next() % 2)"
            case 3: return "DELETE FROM \(table) WHERE v % \(3 + rng.next() % 5) = \(rng.next() % 3)"
            default: return "INSERT INTO \(table) SELECT id + 1000000, v FROM \(other) WHERE v > \(rng.next() % 40)"
            }
        }
        func same(_ context: String) throws {
            for t in ["a", "b"] {
                let sql = "SELECT id, v FROM \(t) ORDER BY id, v"
                let tarn = try db.rows(sql)
                let reference = try sqlite.query(sql).map { $0.map { $0.int64.map(String.init) ?? "NULL" } }
                XCTAssertEqual(tarn, reference, "\(t) after \(context)")
            }
        }
        for block in 0..<12 {
            try db.run("BEGIN")
            try sqlite.execute("BEGIN")
            for _ in 0..<Int(2 + rng.next() % 5) {
                let s = statement()
                try db.run(s)
                try sqlite.execute(s)
                try same("block \(block): \(s)")
            }
            let end = rng.next() % 3 == 0 ? "ROLLBACK" : "COMMIT"
            try db.run(end)
            try sqlite.execute(end)
            try same("block \(block): \(end)")
        }
        XCTAssertGreaterThan(try db.rows("SELECT count(*) FROM a UNION ALL SELECT count(*) FROM b").map { Int($0[0]) ?? 0 }.reduce(0, +), 0)
        XCTAssertEqual(try orphanFiles(db), [])
        if deletionVectors {
            XCTAssertGreaterThan(try db.database.lake.catalog.query("SELECT count(*) FROM deletion_vectors").first?[0].int64 ?? 0, 0)
        }
    }
}

/// A small deterministic generator for the scripts (the same scripts on every run).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
}
