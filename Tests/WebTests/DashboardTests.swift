import Foundation
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

    func testBindingQuotesValuesAndRejectsBadNumbers() throws {
        let bound = try SQLParameterBinder.bind("SELECT ${c}, ${n|number}, ${t|ident}, ${missing}", ["c": "x' OR '1'='1", "n": "12.5", "t": "s.t\"x"])
        XCTAssertEqual(bound, "SELECT 'x'' OR ''1''=''1', 12.5, \"s\".\"t\"\"x\", NULL")
        XCTAssertThrowsError(try SQLParameterBinder.bind("${n|number}", ["n": "1; DROP TABLE t"]))
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
        let renderer = DashboardRenderer(database: database, cache: ResultCache(), state: "0", maxTableRows: 10, path: "/p")
        XCTAssertTrue(renderer.render(page, parameters: [:]).contains("data-raw=\"6\""))
        let filtered = renderer.render(page, parameters: ["k": "a"])
        XCTAssertTrue(filtered.contains("data-raw=\"4\""))
        XCTAssertTrue(filtered.contains("<option value=\"a\" selected>"))
        XCTAssertTrue(filtered.contains("has no column nothing"))
        // A value no longer among the options is dropped, as a cascading filter must.
        XCTAssertTrue(renderer.render(page, parameters: ["k": "zzz"]).contains("data-raw=\"6\""))
    }
}
