import Foundation
import XCTest
@testable import Tarn
import Storage

/// DECIMAL(19…38) through SQL: Trino's result types, overflow errors, storage across reopen, casts.
final class Decimal128Tests: XCTestCase {
    private func type(_ lake: TestLake, _ sql: String) throws -> String {
        try lake.rows("SELECT typeof(x) FROM (\(sql)) AS q(x) LIMIT 1")[0][0]
    }

    func testTrinoResultTypes() throws {
        let lake = try TestLake()
        try lake.run("CREATE TABLE t (a DECIMAL(15,2), b DECIMAL(10,4), c DECIMAL(38,6))")
        try lake.run("INSERT INTO t VALUES (1.50, 2.2500, 3.000001)")
        XCTAssertEqual(try type(lake, "SELECT a + b FROM t"), "decimal(18,4)")
        XCTAssertEqual(try type(lake, "SELECT a * b FROM t"), "decimal(25,6)")
        XCTAssertEqual(try type(lake, "SELECT a * c FROM t"), "decimal(38,8)")
        XCTAssertEqual(try type(lake, "SELECT sum(a) FROM t"), "decimal(38,2)")
        XCTAssertEqual(try type(lake, "SELECT sum(c) FROM t"), "decimal(38,6)")
        XCTAssertEqual(try type(lake, "SELECT avg(c) FROM t"), "decimal(38,6)")
        XCTAssertEqual(try type(lake, "SELECT 12345678901234567890"), "decimal(20,0)")
        XCTAssertEqual(try type(lake, "SELECT 1234567890.1234567890"), "decimal(20,10)")
        XCTAssertEqual(try lake.rows("SELECT a * c, sum(c), avg(c), c / b FROM t GROUP BY a, b, c"),
                       [["4.50000150", "3.000001", "3.000001", "1.333334"]])
    }

    func testOverflowBeyond38DigitsIsAnError() throws {
        let lake = try TestLake()
        let nines = String(repeating: "9", count: 38)
        XCTAssertTrue(lake.error("SELECT \(nines) + 1")?.message.contains("decimal overflow") ?? false)
        XCTAssertTrue(lake.error("SELECT CAST(\(nines) AS DECIMAL(38,0)) * 10")?.message.contains("decimal overflow") ?? false)
        XCTAssertTrue(lake.error("SELECT CAST('1\(nines)' AS DECIMAL(38,0))")?.message.contains("cannot cast") ?? false)
        try lake.run("CREATE TABLE big AS SELECT CAST(\(nines) AS DECIMAL(38,0)) AS d FROM generate_series(1, 2)")
        XCTAssertTrue(lake.error("SELECT sum(d) FROM big")?.message.contains("decimal overflow") ?? false)
        // A sum of DECIMAL(18) values past 64 bits is no longer an error.
        XCTAssertEqual(try lake.rows("SELECT sum(CAST(999999999999999999 AS DECIMAL(18,0))) FROM generate_series(1, 100)"),
                       [["99999999999999999900"]])
        // Also over many groups (64-bit sums whose overflowing rows move to the 128-bit sum) and few groups (lane sums).
        XCTAssertEqual(try lake.rows("""
            SELECT i % 50 AS g, sum(CAST(999999999999999999 AS DECIMAL(18,0)) - i) FROM generate_series(1, 10000) t(i)
            GROUP BY g ORDER BY g LIMIT 2
            """), [["0", "199999999999998994800"], ["1", "199999999999999004600"]])
        XCTAssertEqual(try lake.rows("""
            SELECT i % 3 AS g, sum(CAST(999999999999999999 AS DECIMAL(18,0))) FROM generate_series(1, 3000) t(i) GROUP BY g ORDER BY g LIMIT 1
            """), [["0", "999999999999999999000"]])
    }

    func testStoredValuesSurviveReopenAndSkipRowGroups() throws {
        let path = NSTemporaryDirectory() + "tarn-dec38-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let db = try Database.open(path)
            let s = db.connect()
            try s.execute("CREATE TABLE t (id INTEGER, d DECIMAL(38,4))")
            try s.execute("INSERT INTO t SELECT i, CAST(i AS DECIMAL(38,4)) * 100000000000000000000 FROM generate_series(1, 1000) g(i)")
            try s.execute("INSERT INTO t VALUES (0, NULL), (-1, -1234567890123456789012345678.9012)")
        }
        let db = try Database.open(path)
        let s = db.connect()
        let rows = try s.query("SELECT count(d), min(d), max(d), sum(d) FROM t").map { $0.map(\.description) }
        XCTAssertEqual(rows, [["1001", "-1234567890123456789012345678.9012", "100000000000000000000000.0000",
                               "-1184517890123456789012345678.9012"]])
        XCTAssertEqual(try s.query("SELECT id FROM t WHERE d = 500 * CAST(100000000000000000000 AS DECIMAL(38,0))").map { $0.map(\.description) },
                       [["500"]])
        // Min/max statistics let a scan skip every row group of a value outside them.
        let plan = try s.query("EXPLAIN ANALYZE SELECT count(*) FROM t WHERE d > 200000000000000000000000").map { $0.map(\.description) }
        XCTAssertTrue(plan.joined().joined().contains("row_groups_skipped=2"), "\(plan)")
    }

    func testCastsAndKeys() throws {
        let lake = try TestLake()
        XCTAssertEqual(try lake.rows("""
            SELECT CAST(CAST('-12345678901234567890.125' AS DECIMAL(30,2)) AS VARCHAR), CAST(CAST(1e25 AS DECIMAL(30,0)) AS DOUBLE),
                   CAST(CAST(123.45 AS DECIMAL(30,2)) AS DECIMAL(5,1)), CAST(CAST(77 AS DECIMAL(30,2)) AS BIGINT)
            """), [["-12345678901234567890.13", "1e+25", "123.5", "77"]])
        XCTAssertTrue(lake.error("SELECT CAST(CAST(12345678901234567890 AS DECIMAL(20,0)) AS BIGINT)")?.message.contains("out of range") ?? false)
        XCTAssertEqual(try lake.rows("SELECT TRY_CAST(CAST(12345678901234567890 AS DECIMAL(20,0)) AS DECIMAL(18,0))"), [["NULL"]])
        try lake.run("CREATE TABLE k AS SELECT CAST(i % 3 AS DECIMAL(30,0)) * 10000000000000000000 AS d, i FROM generate_series(1, 9) g(i)")
        XCTAssertEqual(try lake.rows("SELECT d, count(*), sum(i) FROM k GROUP BY d ORDER BY d DESC"),
                       [["20000000000000000000", "3", "15"], ["10000000000000000000", "3", "12"], ["0", "3", "18"]])
        XCTAssertEqual(try lake.rows("SELECT count(*) FROM k a JOIN k b ON a.d = b.d"), [["27"]])
        XCTAssertEqual(try lake.rows("SELECT count(DISTINCT d) FROM k"), [["3"]])
    }
}
