import XCTest
@testable import Tarn
import Storage

/// OPTIMIZE compacts small files into large ones (ZORDER BY sorts them), in one new version, without changing rows;
/// older versions stay readable.
final class OptimizeTests: XCTestCase {
    private func files(_ db: TestLake, _ table: String) throws -> Int {
        try db.session.lake.snapshot(of: TableName(name: table)).files.count
    }

    func testSmallFilesBecomeOneAndTheRowsStay() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, k VARCHAR)")
        for i in 1...6 {
            try db.run("INSERT INTO t SELECT generate_series + \(i * 1000), CASE WHEN generate_series % 3 = 0 THEN 'x' ELSE 'y' END FROM generate_series(1, 400)")
        }
        XCTAssertEqual(try files(db, "t"), 6)
        let before = try db.rows("SELECT count(*), sum(id), count(DISTINCT k) FROM t")
        XCTAssertEqual(try db.rows("OPTIMIZE t"), [["6", "1", "2400"]])
        XCTAssertEqual(try files(db, "t"), 1)
        XCTAssertEqual(try db.rows("SELECT count(*), sum(id), count(DISTINCT k) FROM t"), before)
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t VERSION AS OF 3"), [["1200"]], "time travel still reads the old files")
        XCTAssertEqual(try db.rows("OPTIMIZE t"), [["0", "0", "0"]], "nothing left to compact")
        let history = try XCTUnwrap(db.session.execute("DESCRIBE HISTORY t").last)
        XCTAssertEqual(history.rows.first?[2], .varchar("OPTIMIZE"))
    }

    func testZOrderSortsTheRowsSoStatisticsSkip() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, k VARCHAR)")
        try db.run("INSERT INTO t SELECT generate_series, CASE WHEN generate_series % 2 = 0 THEN 'even' ELSE 'odd' END FROM generate_series(1, 3000)")
        try db.run("INSERT INTO t SELECT generate_series + 3000, 'even' FROM generate_series(1, 10)")
        XCTAssertEqual(try db.rows("OPTIMIZE t ZORDER BY (k, id)").first?[0], "2")
        let ids = try db.rows("SELECT id FROM t").map { Int($0[0]) ?? 0 }
        XCTAssertEqual(ids.count, 3010)
        XCTAssertEqual(Array(ids.prefix(3)), [2, 4, 6], "rows stored sorted by k, then id")
        XCTAssertNotNil(db.error("OPTIMIZE t ZORDER BY (nope)"))
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t WHERE k = 'odd'"), [["1500"]])
    }
}
