import XCTest
@testable import Tarn
import Storage

/// Wrong answers the logic-bug oracles (Tests/oracles/oracles.py) found whose correct answer is an error, so the
/// DuckDB differential suite (which compares rows) cannot hold them.
final class OracleFindingsTests: XCTestCase {
    /// A window sum whose partition overflows BIGINT raises, as the grouped sum does; it wrapped to
    /// -9223372036854775807 when the running total over all rows happened to fit.
    func testWindowSumOverflowInOnePartitionIsAnError() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (k VARCHAR, x BIGINT)")
        try db.run("INSERT INTO t VALUES ('a', -190), ('b', 9223372036854775807), ('b', 1), ('b', 1)")
        XCTAssertEqual(db.error("SELECT k, sum(x) OVER (PARTITION BY k) FROM t")?.message, "bigint overflow")
        XCTAssertEqual(db.error("SELECT k, sum(x) FROM t GROUP BY k")?.message, "bigint overflow")
        // Frames that fit are summed exactly even where a running total over every row would overflow.
        try db.run("CREATE TABLE u (k VARCHAR, x BIGINT)")
        try db.run("INSERT INTO u VALUES ('a', 9000000000000000000), ('a', 1), ('b', 9000000000000000000), ('b', 2)")
        XCTAssertEqual(try db.rows("SELECT DISTINCT k, sum(x) OVER (PARTITION BY k) FROM u ORDER BY k"),
                       [["a", "9000000000000000001"], ["b", "9000000000000000002"]])
    }

    /// avg over BIGINT keeps an exact sum (a double running sum lost the 5: the answer was 0).
    func testAverageOfExtremeBigintsIsExact() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (k INTEGER, x BIGINT)")
        try db.run("INSERT INTO t VALUES (1, 9223372036854775807), (1, 5), (1, -9223372036854775807), (2, -7)")
        XCTAssertEqual(try db.rows("SELECT avg(x) FROM t WHERE k = 1"), [["1.6666666666666667"]])
        XCTAssertEqual(try db.rows("SELECT k, avg(x) FROM t GROUP BY k ORDER BY k"), [["1", "1.6666666666666667"], ["2", "-7.0"]])
        XCTAssertEqual(try db.rows("SELECT DISTINCT avg(x) OVER (PARTITION BY k) FROM t WHERE k = 1"), [["1.6666666666666667"]])
    }
}
