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

/// Filter selectivities from the data files' statistics: an equality keeps one of the column's distinct values
/// (strings included, from the files' distinct-count estimates), a range the part of [min, max] it covers, and
/// TPC-H Q17's shape — a fact joined to a dimension filtered on two string columns, then to a per-key aggregate —
/// builds its hash join on the few joined rows rather than on the aggregate.
final class FilterSelectivityTests: XCTestCase {
    private func lake() throws -> TestLake {
        let lake = try TestLake()
        // 20,000 parts: brand takes 25 values, container 40, independently.
        try lake.run("CREATE TABLE part(partkey BIGINT, brand VARCHAR, container VARCHAR)")
        try lake.run("""
            INSERT INTO part SELECT x, 'Brand#' || CAST(x % 25 AS VARCHAR), 'C' || CAST((x / 25) % 40 AS VARCHAR)
            FROM generate_series(0, 19999) g(x)
            """)
        // 400,000 line items, twenty per part: the fixed guesses put 400,000 · 0.3² = 36,000 rows out of the join
        // with the filtered parts, more than the 20,000 groups of a per-part aggregate.
        try lake.run("CREATE TABLE item(partkey BIGINT, quantity BIGINT, price DOUBLE)")
        try lake.run("INSERT INTO item SELECT x % 20000, x % 50, CAST(x AS DOUBLE) FROM generate_series(0, 399999) g(x)")
        return lake
    }

    private func estimate(_ lake: TestLake, _ query: String, _ operatorName: String) throws -> (est: Double, rows: Double) {
        let lines = try lake.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }
        let line = try XCTUnwrap(lines.first { $0.contains(operatorName) }, lines.joined(separator: "\n"))
        func number(after key: String) -> Double? {
            line.components(separatedBy: key).dropFirst().first.flatMap { Double($0.prefix { $0.isNumber }) }
        }
        return (try XCTUnwrap(number(after: " est="), line), try XCTUnwrap(number(after: "(rows="), line))
    }

    func testStringEqualitiesUseTheirDistinctValues() throws {
        let lake = try lake()
        let scan = try estimate(lake, "SELECT count(*) FROM part WHERE brand = 'Brand#3' AND container = 'C7'", "TableScan part")
        XCTAssertEqual(scan.rows, 20)
        // 20,000 / (25 · 40) = 20; the fixed guesses gave 20,000 · 0.3² = 1,800.
        XCTAssertEqual(scan.est, 20, accuracy: 3)
        let inList = try estimate(lake, "SELECT count(*) FROM part WHERE brand IN ('Brand#1', 'Brand#2')", "TableScan part")
        XCTAssertEqual(inList.rows, 1_600)
        XCTAssertEqual(inList.est, 1_600, accuracy: 100)
    }

    func testRangesUseMinAndMax() throws {
        let lake = try lake()
        let between = try estimate(lake, "SELECT count(*) FROM item WHERE partkey BETWEEN 1000 AND 2999", "TableScan item")
        XCTAssertEqual(between.rows, 40_000)
        XCTAssertEqual(between.est, 40_000, accuracy: 2_000)
        let below = try estimate(lake, "SELECT count(*) FROM item WHERE price < 50000.0", "TableScan item")
        XCTAssertEqual(below.rows, 50_000)
        XCTAssertEqual(below.est, 50_000, accuracy: 2_500)
    }

    func testQ17ShapeBuildsOnTheFilteredJoin() throws {
        let lake = try lake()
        let query = """
            SELECT sum(i.price) FROM item i, part p
            WHERE p.partkey = i.partkey AND p.brand = 'Brand#3' AND p.container = 'C7'
              AND i.quantity < (SELECT 0.2 * avg(quantity) FROM item WHERE partkey = p.partkey)
            """
        let expected = try lake.rows("""
            SELECT sum(i.price) FROM item i JOIN part p ON p.partkey = i.partkey
            JOIN (SELECT partkey, 0.2 * avg(quantity) AS limit_q FROM item GROUP BY partkey) a ON a.partkey = p.partkey
            WHERE p.brand = 'Brand#3' AND p.container = 'C7' AND i.quantity < a.limit_q
            """)
        XCTAssertEqual(try lake.rows(query), expected)
        let lines = try lake.rows("EXPLAIN " + query).map { $0.joined() }
        let text = lines.joined(separator: "\n")
        // The top join's children are listed probe first, build second; the build side must be the subtree with
        // the part scan (about 400 joined rows), not the per-part aggregate (20,000 groups).
        let depth: (String) -> Int = { $0.prefix { $0 == " " }.count }
        let top = try XCTUnwrap(lines.firstIndex { $0.contains("HashJoin") }, text)
        let children = lines.indices.filter { $0 > top && depth(lines[$0]) == depth(lines[top]) + 2 }
        XCTAssertEqual(children.count, 2, text)
        let build = lines[try XCTUnwrap(children.last, text)...].joined(separator: "\n")
        XCTAssertTrue(lines[children[0]].contains("HashAggregate"), text)
        XCTAssertTrue(build.contains("TableScan part"), "build side should be the filtered join:\n" + lines.joined(separator: "\n"))
    }
}
