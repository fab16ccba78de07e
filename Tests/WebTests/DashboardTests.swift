import Foundation
import Server
import Tarn
import XCTest
@testable import Web

/// Dashboard pages: parsing, safe binding of filter values, and rendering against a real lake.
final class DashboardTests: XCTestCase {
    func testParsesBlocksAndOptions() throws {
        let page = try DashboardPage.parse("""
        # Sales
        Some **text**.
        ```sql totals
        SELECT 1 AS n
        ```
        ```chart type=kpi data=totals value=n title="Total rows"
        ```
        """, fallbackTitle: "x")
        XCTAssertEqual(page.title, "Sales")
        guard case let .chart(options, _) = page.blocks.last else { return XCTFail("no chart") }
        XCTAssertEqual(options["title"], "Total rows")
        XCTAssertThrowsError(try DashboardPage.parse("```sql a\nSELECT 1\n", fallbackTitle: "x"))
    }

    func testNumberFormats() {
        XCTAssertEqual(HTML.number(1_234_567.891), "1,234,567.89")
        XCTAssertEqual(HTML.number(-0.5), "-0.5")
        XCTAssertEqual(HTML.number(250_000), "250,000")
        XCTAssertEqual(HTML.number(-1234.0), "-1,234")
        XCTAssertEqual(HTML.formatted(.double(10.363), format: "currency"), "$10.36")
        XCTAssertEqual(HTML.formatted(.double(2_032_088.2), format: "currency"), "$2,032,088.20")
        XCTAssertEqual(HTML.formatted(.double(0.0285), format: "percent"), "2.85%")
    }

    func testBindingQuotesValuesAndRejectsBadNumbers() throws {
        let bound = try SQLParameterBinder.bind("SELECT ${c}, ${n|number}, ${t|ident}, ${missing}", ["c": "x' OR '1'='1", "n": "12.5", "t": "s.t\"x"])
        XCTAssertEqual(bound, "SELECT 'x'' OR ''1''=''1', 12.5, \"s\".\"t\"\"x\", NULL")
        XCTAssertThrowsError(try SQLParameterBinder.bind("${n|number}", ["n": "1; DROP TABLE t"]))
        XCTAssertEqual(try SQLParameterBinder.bind("WHERE TRUE [[AND a = ${a}]] [[AND b = ${b} AND c = ${c}]]", ["a": "x", "b": "y"]),
                       "WHERE TRUE AND a = 'x' ")
        XCTAssertThrowsError(try SQLParameterBinder.bind("WHERE [[AND a = ${a}", ["a": "x"]))
        XCTAssertThrowsError(try SQLParameterBinder.bind("${d|date}", ["d": "2024-01-01' --"]))
    }

    func testRendersAgainstALake() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try Database.open(dir)
        _ = try database.connect().execute("CREATE TABLE t AS SELECT * FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) v(k, n)")
        let page = try DashboardPage.parse("""
        ```filter
        name=k data=keys
        ```
        ```sql keys
        SELECT DISTINCT k FROM t ORDER BY k
        ```
        ```sql total
        SELECT sum(n) AS s FROM t WHERE ${k} IS NULL OR k = ${k}
        ```
        ```chart type=kpi data=total value=s id=s
        ```
        ```chart type=bar data=keys x=k y=nothing
        ```
        """, fallbackTitle: "p")
        let renderer = DashboardRenderer(database: database, cache: ResultCache(), state: "0", maxTableRows: 10, path: "/p",
                                         files: FileAccessGuard(allowedFolders: []))
        XCTAssertTrue(renderer.render(page, parameters: [:]).contains("data-raw=\"6\""))
        let filtered = renderer.render(page, parameters: ["k": "a"])
        XCTAssertTrue(filtered.contains("data-raw=\"4\""))
        XCTAssertTrue(filtered.contains("<option value=\"a\" selected>"))
        XCTAssertTrue(filtered.contains("has no column nothing"))
        // A value no longer among the options is dropped, as a cascading filter must.
        XCTAssertTrue(renderer.render(page, parameters: ["k": "zzz"]).contains("data-raw=\"6\""))
    }
}

/// Freshness expectations from table properties set by ALTER TABLE … SET TBLPROPERTIES.
final class FreshnessTests: XCTestCase {
    func testPropertyMakesATableStaleAndBadDurationsAreReported() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fresh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try Database.open(dir)
        let session = database.connect()
        _ = try session.execute("CREATE TABLE a AS SELECT 1 AS x; CREATE TABLE b AS SELECT 1 AS x; CREATE TABLE c AS SELECT 1 AS x")
        _ = try session.execute("ALTER TABLE a SET TBLPROPERTIES ('freshness' = '1 hour', 'owner' = 'data team')")
        _ = try session.execute("ALTER TABLE b SET TBLPROPERTIES ('freshness' = 'soon')")
        XCTAssertEqual(try database.lake.properties(of: .init(name: "a"))["owner"], "data team")
        let checker = FreshnessChecker(expectations: [])
        let now = checker.status(database).map { ($0.0.table.name, $0.3) }
        XCTAssertEqual(now.first { $0.0 == "a" }?.1, "fresh")
        XCTAssertTrue(now.first { $0.0 == "b" }?.1.contains("not a duration") ?? false)
        XCTAssertNil(now.first { $0.0 == "c" })
        let later = checker.status(database, now: Date().addingTimeInterval(7200))
        XCTAssertEqual(later.first { $0.0.table.name == "a" }?.3, "stale")
        XCTAssertEqual(checker.newBreaches(database, lake: dir).count, 0, "nothing stale yet")
        XCTAssertThrowsError(try session.execute("ALTER TABLE missing SET TBLPROPERTIES ('freshness' = '1 hour')"))
    }
}
