import Foundation
import XCTest
@testable import Tarn
import Storage

/// `table_changes`: for generated sequences of INSERT, DELETE, UPDATE and MERGE, each version's changes equal
/// the difference between it and the version before, computed with EXCEPT ALL.
final class ChangeFeedTests: XCTestCase {
    func testChangesEqualTheDifferenceBetweenVersionsForGeneratedWrites() throws {
        for seed in 1...4 {
            var rng = SeededGenerator(seed: UInt64(seed))
            let db = try TestLake()
            try db.run("CREATE TABLE t AS SELECT i AS id, i % 7 AS k, CAST(i AS VARCHAR) AS s FROM generate_series(1, 40) AS g(i)")
            var nextId = 41
            for _ in 0..<12 {
                let k = Int.random(in: 0..<7, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0:
                    try db.run("INSERT INTO t SELECT i, i % 7, 'n' || CAST(i AS VARCHAR) FROM generate_series(\(nextId), \(nextId + 9)) AS g(i)")
                    nextId += 10
                case 1: try db.run("DELETE FROM t WHERE k = \(k) AND id % 2 = 0")
                case 2: try db.run("UPDATE t SET s = s || 'u', k = (k + 1) % 7 WHERE k = \(k)")
                case 3:
                    try db.run("""
                        MERGE INTO t USING (SELECT id + 3 AS id, k FROM t WHERE k = \(k)) AS src ON t.id = src.id
                        WHEN MATCHED AND t.k > 3 THEN DELETE
                        WHEN MATCHED THEN UPDATE SET s = 'm'
                        WHEN NOT MATCHED THEN INSERT VALUES (src.id + 1000, src.k, 'mi')
                        """)
                default: try db.run("UPDATE t SET s = s WHERE id < 5")   // changes no value: pre and post cancel
                }
            }
            let latest = Int(try db.rows("SELECT max(_commit_version) FROM table_changes('t', 0)")[0][0]) ?? 0
            XCTAssertGreaterThan(latest, 0)
            for v in 1...latest {
                let gained = try db.rows("""
                    SELECT id, k, s FROM t VERSION AS OF \(v) EXCEPT ALL SELECT id, k, s FROM t VERSION AS OF \(v - 1) ORDER BY id, k, s
                    """)
                let lost = try db.rows("""
                    SELECT id, k, s FROM t VERSION AS OF \(v - 1) EXCEPT ALL SELECT id, k, s FROM t VERSION AS OF \(v) ORDER BY id, k, s
                    """)
                let feedGained = try db.rows("""
                    SELECT id, k, s FROM table_changes('t', \(v), \(v)) WHERE _change_type IN ('insert', 'update_postimage')
                    EXCEPT ALL SELECT id, k, s FROM table_changes('t', \(v), \(v)) WHERE _change_type IN ('delete', 'update_preimage')
                    ORDER BY id, k, s
                    """)
                let feedLost = try db.rows("""
                    SELECT id, k, s FROM table_changes('t', \(v), \(v)) WHERE _change_type IN ('delete', 'update_preimage')
                    EXCEPT ALL SELECT id, k, s FROM table_changes('t', \(v), \(v)) WHERE _change_type IN ('insert', 'update_postimage')
                    ORDER BY id, k, s
                    """)
                XCTAssertEqual(feedGained, gained, "seed \(seed), version \(v): rows gained")
                XCTAssertEqual(feedLost, lost, "seed \(seed), version \(v): rows lost")
            }
        }
    }

    func testColumnsVersionsAndErrors() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id BIGINT)")
        try db.run("INSERT INTO t VALUES (1), (2)")
        try db.run("ALTER TABLE t ADD COLUMN note VARCHAR")
        try db.run("UPDATE t SET note = 'x' WHERE id = 2")
        try db.run("INSERT INTO t VALUES (3, 'y')")
        try db.run("OPTIMIZE t")
        XCTAssertEqual(try db.rows("SELECT max(version) FROM (SELECT _commit_version AS version FROM table_changes('t', 0))"), [["4"]])
        XCTAssertEqual(try db.rows("SELECT _commit_version, _change_type, id, note FROM table_changes('t', 0) ORDER BY 1, 2, 3"), [
            ["1", "insert", "1", "NULL"], ["1", "insert", "2", "NULL"],
            ["3", "update_postimage", "2", "x"], ["3", "update_preimage", "2", "NULL"], ["4", "insert", "3", "y"]])
        XCTAssertEqual(try db.rows("SELECT count(*) FROM table_changes('t', 5)"), [["0"]], "OPTIMIZE changes no row")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM table_changes('t', 2, 2)"), [["0"]], "ADD COLUMN changes no row")
        XCTAssertTrue(db.error("SELECT * FROM table_changes('t', 3, 9)")?.message.contains("no version 9") ?? false)
        XCTAssertTrue(db.error("SELECT * FROM table_changes('t', 4, 2)")?.message.contains("between 0 and the end version") ?? false)
        XCTAssertNotNil(db.error("SELECT * FROM table_changes('missing', 0)"))
        // A failed statement records no changes.
        XCTAssertNotNil(db.error("UPDATE t SET id = id / 0"))
        XCTAssertEqual(try db.rows("SELECT count(*) FROM table_changes('t', 0)"), [["5"]])
        // VACUUM takes the recorded changes of the versions it makes unreadable with it.
        try db.run("DELETE FROM t WHERE id = 1")
        try db.run("VACUUM t RETAIN 0 HOURS")
        XCTAssertTrue(db.error("SELECT * FROM table_changes('t', 0)")?.message.contains("no longer available") ?? false)
    }

    /// With deletion vectors, the rows an UPDATE or MERGE writes are all changes: the change feed refers to their new
    /// data files instead of copying them (only the old images are copied), the feed still reads every row, and a
    /// VACUUM that drops those references leaves the data files, which the table still reads.
    func testWrittenChangesAreReferencedNotCopiedAndVacuumKeepsTheirDataFiles() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id BIGINT, s VARCHAR) TBLPROPERTIES ('deletion_vectors' = 'true')")
        try db.run("INSERT INTO t SELECT i, 'v' || CAST(i AS VARCHAR) FROM generate_series(1, 1000) AS g(i)")
        func files(_ folder: String) -> Int {
            let root = db.path + "/" + folder
            return (FileManager.default.subpaths(atPath: root) ?? []).filter { $0.hasSuffix(".tarn") }.count
        }
        let dataBefore = files("data")
        try db.run("""
            MERGE INTO t USING (SELECT i AS id FROM generate_series(991, 1010) AS g(i)) AS src ON t.id = src.id
            WHEN MATCHED THEN UPDATE SET s = 'updated'
            WHEN NOT MATCHED THEN INSERT VALUES (src.id, 'new')
            """)
        // One copy (the 10 old images); the 10 new images and the 10 inserts each sit in a data file of their own.
        XCTAssertEqual(files("changes"), 1)
        XCTAssertEqual(files("data"), dataBefore + 2)
        XCTAssertEqual(try db.rows("SELECT _change_type, count(*), min(id), max(id), min(s), max(s) FROM table_changes('t', 2, 2) GROUP BY 1 ORDER BY 1"), [
            ["insert", "10", "1001", "1010", "new", "new"],
            ["update_postimage", "10", "991", "1000", "updated", "updated"],
            ["update_preimage", "10", "991", "1000", "v1000", "v999"]])
        try db.run("UPDATE t SET s = 'again' WHERE id <= 5")
        XCTAssertEqual(files("changes"), 2)
        XCTAssertEqual(try db.rows("SELECT _change_type, count(*) FROM table_changes('t', 3, 3) GROUP BY 1 ORDER BY 1"),
                       [["update_postimage", "5"], ["update_preimage", "5"]])
        // A version that removes a file makes VACUUM drop the change records of versions up to it, references included.
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('deletion_vectors' = 'false')")
        try db.run("DELETE FROM t WHERE id <= 5")
        try db.run("VACUUM t RETAIN 0 HOURS")
        XCTAssertTrue(db.error("SELECT * FROM table_changes('t', 0)")?.message.contains("no longer available") ?? false)
        XCTAssertEqual(try db.rows("SELECT count(*), count(*) FILTER (WHERE s = 'updated'), count(*) FILTER (WHERE s = 'new') FROM t"),
                       [["1005", "10", "10"]])
    }
}

/// A small deterministic generator (SplitMix64) so the generated write sequences repeat.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
