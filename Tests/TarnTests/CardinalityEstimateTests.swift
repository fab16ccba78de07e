import XCTest
@testable import Tarn

/// Row estimates from the data files' statistics: a GROUP BY on dense integer keys is estimated near its real
/// group count (EXPLAIN ANALYZE prints `est=` beside `rows=`), so a join puts the smaller side, not the aggregate,
/// on its build side and its runtime filter reaches the scan below the GROUP BY (TPC-H Q20's shape); a semi join
/// into a filtered table keeps the fraction of the keys that table keeps.
final class CardinalityEstimateTests: XCTestCase {
    private func lake() throws -> TestLake {
        let lake = try TestLake()
        // 100,000 rows, every (a, b) pair once: a in [0, 10000), b in [0, 10).
        try lake.run("CREATE TABLE fact(a BIGINT, b BIGINT, v BIGINT)")
        try lake.run("INSERT INTO fact SELECT x // 10, x % 10, x FROM generate_series(0, 99999) g(x)")
        // 50,000 rows, 500 of them tagged 'x'.
        try lake.run("CREATE TABLE dim(a BIGINT, b BIGINT, tag VARCHAR)")
        try lake.run("""
            INSERT INTO dim SELECT x, x % 10, CASE WHEN x % 100 = 0 THEN 'x' ELSE 'y' END FROM generate_series(0, 49999) g(x)
            """)
        return lake
    }

    private func analyzed(_ lake: TestLake, _ query: String) throws -> [String] {
        try lake.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }
    }

    /// The `est=` and `rows=` figures of the first line containing `operator`.
    private func figures(_ lines: [String], _ operatorName: String) -> (est: Double, rows: Double)? {
        guard let line = lines.first(where: { $0.contains(operatorName) }) else { return nil }
        func number(after key: String) -> Double? {
            line.components(separatedBy: key).dropFirst().first.flatMap { Double($0.prefix { $0.isNumber }) }
        }
        guard let est = number(after: " est="), let rows = number(after: "(rows=") else { return nil }
        return (est, rows)
    }

    func testGroupByOnDenseKeysIsEstimatedFromTheirSpans() throws {
        let lake = try lake()
        let lines = try analyzed(lake, "SELECT a, b, sum(v) FROM fact GROUP BY a, b")
        let aggregate = try XCTUnwrap(figures(lines, "HashAggregate"), lines.joined(separator: "\n"))
        XCTAssertEqual(aggregate.rows, 100_000)
        // 10,000 × 10 possible pairs over 100,000 rows: 63,212 expected at random, within 2× of the real count
        // (a tenth of the input rows, 10,000, before).
        XCTAssertGreaterThan(aggregate.est, 50_000, lines.joined(separator: "\n"))
        XCTAssertLessThanOrEqual(aggregate.est, 100_000, lines.joined(separator: "\n"))
        let one = try analyzed(lake, "SELECT b, count(*) FROM fact GROUP BY b")
        XCTAssertEqual(try XCTUnwrap(figures(one, "HashAggregate")).est, 10, one.joined(separator: "\n"))
    }

    func testJoinBuildsOnTheSmallSideAndFiltersBelowTheGroupBy() throws {
        let lake = try lake()
        let query = """
            SELECT count(*), sum(s.total) FROM (SELECT a, b, sum(v) AS total FROM fact GROUP BY a, b) s
            JOIN dim d ON d.a = s.a AND d.b = s.b WHERE d.tag = 'x'
            """
        // dim's tagged keys 0, 100, …, 9900 below 10,000 meet fact's pairs (a = key, b = key % 10 = 0): 100 rows,
        // v = 10 a, summing to 1000 · (0 + … + 99).
        XCTAssertEqual(try lake.rows(query), [["100", "4950000"]])
        let lines = try analyzed(lake, query)
        let scan = try XCTUnwrap(lines.first { $0.contains("TableScan fact") }, lines.joined(separator: "\n"))
        XCTAssertTrue(scan.contains("runtime_filter_rows_removed="), lines.joined(separator: "\n"))
        let aggregate = try XCTUnwrap(figures(lines, "HashAggregate"), lines.joined(separator: "\n"))
        XCTAssertLessThan(aggregate.rows, 10_000, lines.joined(separator: "\n"))
    }

    func testSemiJoinKeepsTheFractionOfKeysTheOtherSideKeeps() throws {
        let lake = try lake()
        let query = "SELECT count(*) FROM fact WHERE a IN (SELECT b FROM dim WHERE tag = 'x')"
        XCTAssertEqual(try lake.rows(query), [["10"]])
        let lines = try analyzed(lake, query)
        let join = try XCTUnwrap(figures(lines, "HashJoin"), lines.joined(separator: "\n"))
        // dim's b takes 10 values, fact's a 10,000: the semi join keeps a thousandth of fact's rows (100), not all.
        XCTAssertLessThanOrEqual(join.est, 1_000, lines.joined(separator: "\n"))
        XCTAssertEqual(join.rows, 10)
    }
}
