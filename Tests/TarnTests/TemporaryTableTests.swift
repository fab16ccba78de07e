import XCTest
@testable import Tarn
import Storage

/// `CREATE TEMP TABLE` lives in its session and never in the lake (it used to create a permanent lake table).
final class TemporaryTableTests: XCTestCase {
    func testTempTableShadowsTheLakeForItsSessionOnlyAndIsNeverWritten() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT 1 AS a")
        let versionsBefore = try db.session.execute("DESCRIBE HISTORY t").last?.rowCount
        try db.run("CREATE TEMP TABLE t AS SELECT 42 AS a, 'x' AS b")
        try db.run("INSERT INTO t VALUES (43, NULL)")
        try db.run("INSERT INTO temp.t (b) VALUES ('y')")
        XCTAssertEqual(try db.rows("SELECT a, b FROM t ORDER BY a NULLS LAST"), [["42", "x"], ["43", "NULL"], ["NULL", "y"]])
        XCTAssertEqual(try db.rows("SELECT a FROM main.t"), [["1"]], "the lake table is untouched")
        XCTAssertEqual(try db.session.execute("DESCRIBE HISTORY t").last?.rowCount, versionsBefore)
        XCTAssertEqual(try db.rows("SHOW TABLES").map { $0[0] }, ["t"], "nothing new in the lake")

        // Another session of the same database, and the database reopened, see only the lake table.
        XCTAssertEqual(try db.database.connect().query("SELECT * FROM t").map { $0.map(\.description) }, [["1"]])
        let reopened = try Database.open(db.path).connect()
        XCTAssertEqual(try reopened.query("SELECT * FROM t").map { $0.map(\.description) }, [["1"]])

        try db.run("DROP TABLE t")
        XCTAssertEqual(try db.rows("SELECT * FROM t"), [["1"]], "DROP removed the TEMP table, not the lake's")
    }

    func testTempTablesFromColumnsJoinAndRefuseWhatTheyDoNotSupport() throws {
        let db = try TestLake()
        try db.run("CREATE TEMP TABLE e (id INTEGER NOT NULL, d DATE)")
        try db.run("INSERT INTO e VALUES (1, DATE '2024-01-01'), (2, NULL)")
        try db.run("CREATE TEMP TABLE f AS SELECT id, id * 10 AS v FROM e")
        XCTAssertEqual(try db.rows("SELECT e.id, f.v, e.d FROM e JOIN f USING (id) ORDER BY e.id"),
                       [["1", "10", "2024-01-01"], ["2", "20", "NULL"]])
        XCTAssertEqual(db.error("INSERT INTO e VALUES (NULL, NULL)")?.kind, .constraint)
        XCTAssertEqual(try db.rows("SELECT count(*) FROM e"), [["2"]], "a failed INSERT changes nothing")
        XCTAssertEqual(db.error("DELETE FROM e")?.kind, .unsupported)
        XCTAssertEqual(db.error("UPDATE e SET id = 3")?.kind, .unsupported)
        XCTAssertEqual(try db.rows("SELECT table_schema, table_type FROM information_schema.tables WHERE table_name = 'e'"),
                       [["temp", "LOCAL TEMPORARY"]])
        XCTAssertEqual(try db.rows("SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'e' ORDER BY ordinal_position"),
                       [["id", "INTEGER", "NO"], ["d", "DATE", "YES"]])
        try db.run("CREATE TEMP VIEW doubled (id, twice) AS SELECT id, id * 2 FROM e")
        XCTAssertEqual(try db.rows("SELECT twice FROM doubled ORDER BY id"), [["2"], ["4"]])
        XCTAssertNil(try? db.database.connect().query("SELECT * FROM doubled"), "another session does not see the TEMP view")
        try db.run("DROP VIEW doubled")
        XCTAssertNotNil(db.error("SELECT * FROM doubled"))
        XCTAssertEqual(db.error("CREATE TEMP TABLE e (x INTEGER)")?.message, "TEMP table 'e' already exists")
        try db.run("CREATE OR REPLACE TEMP TABLE e AS SELECT 7 AS id")
        XCTAssertEqual(try db.rows("SELECT * FROM e"), [["7"]])
        XCTAssertNotNil(db.error("SELECT * FROM e VERSION AS OF 0"))
        XCTAssertTrue(try db.rows("SHOW TABLES").isEmpty)
    }
}
