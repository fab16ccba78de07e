import Foundation
import XCTest
@testable import Tarn
import Storage

/// fill_nulls, impute, segment and surrogate_key on small data with known answers.
final class TableFunctionTests: TransformTestCase {
    func testFillNullsAndImputeByLevel() throws {
        let s = try openSession()
        try s.execute("""
            CREATE TABLE spend (ad VARCHAR, country VARCHAR, brand VARCHAR, spend DOUBLE);
            INSERT INTO spend VALUES ('a1', 'US', 'B', 1), ('a1', 'US', 'B', 3), ('a1', 'US', 'B', NULL),
              ('a1', 'FR', 'B', 10), ('a1', 'DE', 'B', NULL), ('a2', NULL, 'B', NULL), ('a3', 'US', 'C', NULL);
            """)
        let rows = try s.query("""
            SELECT ad, country, spend, src FROM impute((SELECT * FROM fill_nulls(TABLE spend, country => 'Unknown')),
                column => 'spend', method => 'median', levels => ARRAY['ad,country', 'ad', 'brand'], source_column => 'src')
            ORDER BY ad, country, spend
            """).map { $0.map(\.description) }
        XCTAssertEqual(rows, [
            ["a1", "DE", "3.0", "ad"], ["a1", "FR", "10.0", "observed"], ["a1", "US", "1.0", "observed"],
            ["a1", "US", "2.0", "ad,country"], ["a1", "US", "3.0", "observed"], ["a2", "Unknown", "3.0", "brand"],
        ])
        // a3 (brand C) has no value at any level: dropped and counted.
        try s.execute("""
            CREATE TABLE filled AS SELECT * FROM impute(TABLE spend, column => 'spend', method => 'mean', levels => ARRAY['brand'])
            """)
        XCTAssertEqual(try int(s, "SELECT count(*) FROM filled"), 6)
        XCTAssertEqual(try s.query("SELECT source, rule, rows FROM dropped_rows('filled')").map { $0.map(\.description) },
                       [["impute", "no mean of spend at any level", "1"]])
    }

    func testSegmentUsesQuantileContOfPerKeyTotals() throws {
        let s = try openSession()
        try s.execute("CREATE TABLE sales AS SELECT x % 10 AS k, CAST(x AS DOUBLE) AS amount FROM generate_series(0, 99) t(x)")
        // Totals per key k: 450 + 10k → 450…540; p50 = 495, p80 = 522.
        let rows = try s.query("""
            SELECT k, amount, segment FROM segment(TABLE sales, by => 'k', value => 'amount', cuts => ARRAY[0.5, 0.8],
                                                   labels => ARRAY['Low', 'Medium', 'High']) ORDER BY k
            """).map { $0.map(\.description) }
        XCTAssertEqual(rows.map { $0[2] }, ["Low", "Low", "Low", "Low", "Low", "Medium", "Medium", "Medium", "High", "High"])
        XCTAssertThrowsError(try s.query("SELECT * FROM segment(TABLE sales, by => 'k', value => 'amount', cuts => ARRAY[0.5], labels => ARRAY['a'])"))
    }

    func testSurrogateKeysNeverChange() throws {
        let s = try openSession()
        try s.execute("CREATE TABLE customers AS SELECT * FROM (VALUES ('c3'), ('c1')) v(customer_id)")
        try s.execute("CREATE OR REPLACE TABLE dim_customer AS SELECT * FROM surrogate_key(TABLE customers, natural_key => 'customer_id', dimension => 'dim_customer')")
        let first = try s.query("SELECT customer_id, customer_key FROM dim_customer ORDER BY customer_id").map { $0.map(\.description) }
        XCTAssertEqual(first, [["c1", "2"], ["c3", "1"]])
        try s.execute("INSERT INTO customers VALUES ('c2'), ('c0')")
        try s.execute("CREATE OR REPLACE TABLE dim_customer AS SELECT * FROM surrogate_key((SELECT * FROM customers ORDER BY customer_id), natural_key => 'customer_id', dimension => 'dim_customer')")
        let second = try s.query("SELECT customer_id, customer_key FROM dim_customer ORDER BY customer_id").map { $0.map(\.description) }
        XCTAssertEqual(second, [["c0", "3"], ["c1", "2"], ["c2", "4"], ["c3", "1"]])
        // A plain SELECT assigns provisional keys but commits nothing.
        _ = try s.query("SELECT * FROM surrogate_key((SELECT 'zz' AS customer_id), natural_key => 'customer_id', dimension => 'dim_customer')")
        try s.execute("INSERT INTO customers VALUES ('c9')")
        try s.execute("CREATE OR REPLACE TABLE dim_customer AS SELECT * FROM surrogate_key(TABLE customers, natural_key => 'customer_id', dimension => 'dim_customer')")
        XCTAssertEqual(try int(s, "SELECT customer_key FROM dim_customer WHERE customer_id = 'c9'"), 5)
    }

    func testRetailPipelineBuildsTheStarAndIsIdempotent() throws {
        let s = try openSession()
        let text = try examplePipeline("retail")
        let first = try s.runPipeline(text, baseDirectory: folder)
        XCTAssertTrue(first.steps.allSatisfy { $0.status == "succeeded" })
        XCTAssertEqual(try int(s, "SELECT count(*) FROM retail.fact_sales"), 10_000)
        XCTAssertEqual(try int(s, "SELECT count(*) FROM retail.customer_segments WHERE segment = 'High'"), 100)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/exports/customer_segments.csv"))
        let keys = try s.query("SELECT customer_id, customer_key FROM retail.dim_customer ORDER BY customer_id").map { $0.map(\.description) }
        let second = try s.runPipeline(text, baseDirectory: folder)
        XCTAssertTrue(second.steps.filter { $0.kind != "export" }.allSatisfy { $0.status == "up to date" })
        XCTAssertEqual(try s.query("SELECT customer_id, customer_key FROM retail.dim_customer ORDER BY customer_id").map { $0.map(\.description) }, keys)
    }
}
