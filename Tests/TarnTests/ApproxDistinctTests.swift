import XCTest
@testable import Tarn
import Storage

/// `approx_distinct`: exact while a group has at most 1,024 distinct values, then a HyperLogLog sketch whose
/// error matches Trino's documented 2.3% standard error.
final class ApproxDistinctTests: XCTestCase {
    func testSmallGroupsAreExactForNumbersStringsAndGroups() throws {
        let db = try TestLake()
        XCTAssertEqual(try db.rows("""
            SELECT approx_distinct(x), approx_distinct(CAST(x AS VARCHAR)), approx_distinct(x * 0.5), approx_distinct(NULLIF(x, 7))
            FROM (SELECT x % 1024 AS x FROM generate_series(1, 50000) AS g(x))
            """), [["1024", "1024", "1024", "1023"]])
        XCTAssertEqual(try db.rows("""
            SELECT g, approx_distinct(x) = count(DISTINCT x) FROM (SELECT x % 5 AS g, x % 700 AS x FROM generate_series(1, 40000) AS g(x))
            GROUP BY g ORDER BY g
            """), (0..<5).map { [String($0), "true"] })
        XCTAssertEqual(try db.rows("SELECT approx_distinct(x) FROM (SELECT CAST(NULL AS BIGINT) AS x) t"), [["0"]])
    }

    func testLargeCardinalitiesStayWithinTheStandardError() throws {
        let db = try TestLake()
        var errors: [Double] = []
        for (n, offset) in [(3000, 0), (5000, 17), (20000, 999), (100_000, 123_456), (400_000, 7)] {
            let rows = try db.rows("""
                SELECT approx_distinct(x), approx_distinct('k' || CAST(x AS VARCHAR))
                FROM (SELECT x % \(n) + \(offset) AS x FROM generate_series(1, \(n * 2)) AS g(x))
                """)
            for text in rows[0] {
                let estimate = try XCTUnwrap(Double(text))
                let error = (estimate - Double(n)) / Double(n)
                XCTAssertLessThan(abs(error), 3 * 0.023, "n = \(n): estimate \(estimate)")
                errors.append(error)
            }
        }
        let meanAbsolute = errors.map(abs).reduce(0, +) / Double(errors.count)
        XCTAssertLessThan(meanAbsolute, 0.03, "mean absolute error \(meanAbsolute) over \(errors.count) estimates")
        // Parallel partial sketches merge to the same answer as one thread.
        let one = try db.rows("SET threads = 1; SELECT approx_distinct(x) FROM (SELECT x % 50000 AS x FROM generate_series(1, 300000) AS g(x))")
        let two = try db.rows("SET threads = 2; SELECT approx_distinct(x) FROM (SELECT x % 50000 AS x FROM generate_series(1, 300000) AS g(x))")
        XCTAssertEqual(one, two)
    }
}
