import XCTest
@testable import Tarn

/// Runtime filters in plans: a hash join's build keys reach the probe side's scan (EXPLAIN names them), skip its row
/// groups by statistics and drop its rows before the other columns are decoded (EXPLAIN ANALYZE counts both), keep
/// the answer of the same join whose key hides the column, and an empty build side leaves the probe side unread.
final class RuntimeFilterPlanTests: XCTestCase {
    private func lake() throws -> TestLake {
        let lake = try TestLake()
        try lake.run("CREATE TABLE fact(k BIGINT, v BIGINT, note VARCHAR)")
        for f in 0 ..< 6 {
            // One file per INSERT: keys [1000 f, 1000 f + 1000), a NULL key every 50th row.
            try lake.run("""
                INSERT INTO fact SELECT CASE WHEN x % 50 = 0 THEN NULL ELSE x END, x * 3, 'n' || CAST(x AS VARCHAR)
                FROM generate_series(\(f * 1000), \(f * 1000 + 999)) g(x)
                """)
        }
        try lake.run("CREATE TABLE dim(k BIGINT, tag VARCHAR)")
        try lake.run("INSERT INTO dim VALUES (11, 'x'), (17, 'x'), (1203, 'x'), (5, 'y'), (NULL, 'x'), (4999, 'z')")
        return lake
    }

    func testFilterReachesTheScanSkipsGroupsAndRows() throws {
        let lake = try lake()
        let query = "SELECT count(*), sum(f.v), min(f.note) FROM fact f JOIN dim d ON f.k = d.k WHERE d.tag = 'x'"
        XCTAssertEqual(try lake.rows(query), [["3", "3693", "n11"]])
        let hidden = query.replacingOccurrences(of: "f.k = d.k", with: "f.k + 0 = d.k")
        XCTAssertEqual(try lake.rows(query), try lake.rows(hidden))
        let plan = try lake.rows("EXPLAIN " + query).map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("runtime_filter=[k from "), plan)
        XCTAssertFalse(try lake.rows("EXPLAIN " + hidden).map { $0.joined() }.joined().contains("runtime_filter"))
        let analyzed = try lake.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }.joined(separator: "\n")
        // Keys 11 … 1203: the files of keys from 2000 on are skipped, the rows of the other two mostly dropped.
        XCTAssertTrue(analyzed.contains("runtime_filter_row_groups_skipped=4"), analyzed)
        let removed = analyzed.components(separatedBy: "runtime_filter_rows_removed=").dropFirst().first
            .flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        XCTAssertGreaterThan(removed, 1_900, analyzed)
    }

    func testSeveralKeysAndGroupByBelowTheJoin() throws {
        let lake = try lake()
        try lake.run("CREATE TABLE pairs(k BIGINT, m BIGINT)")
        try lake.run("INSERT INTO pairs VALUES (11, 1), (17, 2), (1203, 0), (3001, 0)")
        let query = """
            SELECT p.k, s.total FROM (SELECT k, v % 3 AS m, sum(v) AS total FROM fact GROUP BY k, v % 3) s
            JOIN pairs p ON p.k = s.k AND p.m = s.m ORDER BY p.k
            """
        XCTAssertEqual(try lake.rows(query), [["1203", "3609"], ["3001", "9003"]])
        let analyzed = try lake.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(analyzed.contains("runtime_filter_rows_removed="), analyzed)
    }

    func testBuildSideAntiJoinFiltersItsProbeScan() throws {
        // TPC-H Q21's shape: NOT EXISTS with a residual, the small outer side built, the large inner side probed. Probe
        // rows whose key no build row has cannot decide anything, so the scan drops them before the join sees them.
        let lake = try lake()
        let query = """
            SELECT d.k, d.tag FROM dim d WHERE NOT EXISTS (SELECT 1 FROM fact f WHERE f.k = d.k AND f.v <> 3 * d.k) ORDER BY d.k
            """
        let hidden = query.replacingOccurrences(of: "f.k = d.k", with: "f.k + 0 = d.k")
        XCTAssertEqual(try lake.rows(query), try lake.rows(hidden))
        XCTAssertEqual(try lake.rows(query).map { $0[0] }, ["5", "11", "17", "1203", "4999", "NULL"])
        let analyzed = try lake.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(analyzed.contains("HashJoin right_anti"), analyzed)
        let removed = analyzed.components(separatedBy: "runtime_filter_rows_removed=").dropFirst().first
            .flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        XCTAssertGreaterThan(removed, 1_900, analyzed)
        try lake.run("INSERT INTO fact VALUES (17, 1, 'odd')")
        XCTAssertEqual(try lake.rows(query).map { $0[0] }, ["5", "11", "1203", "4999", "NULL"])
    }

    func testEmptyBuildSideReadsNoProbeRows() throws {
        let lake = try lake()
        let query = "SELECT count(*) FROM fact f JOIN dim d ON f.k = d.k WHERE d.tag = 'none'"
        XCTAssertEqual(try lake.rows(query), [["0"]])
        let analyzed = try lake.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }.joined(separator: "\n")
        let scan = analyzed.split(separator: "\n").first { $0.contains("TableScan fact") }.map(String.init) ?? ""
        XCTAssertTrue(scan.contains("(rows=0 ") && scan.contains("runtime_filter_row_groups_skipped=6"), analyzed)
        XCTAssertEqual(try lake.rows("SELECT count(*) FROM fact f WHERE f.k IN (SELECT k FROM dim WHERE tag = 'none')"), [["0"]])
    }
}
