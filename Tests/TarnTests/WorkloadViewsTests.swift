import Foundation
import XCTest
@testable import Tarn
import Storage

/// The users' Athena views (`testdata/workload`) run unchanged, and the broken ones fail clearly.
final class WorkloadViewsTests: XCTestCase {
    static var workload: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("testdata/workload")
    }

    func loadCampaigns(_ db: TestLake) throws {
        try db.run("""
            CREATE SCHEMA adtech_db;
            CREATE TABLE adtech_db.processed_campaign_data (campaign_id VARCHAR, ad_id VARCHAR, date DATE, brand VARCHAR,
              country VARCHAR, state VARCHAR, city VARCHAR, zipcode VARCHAR, impressions BIGINT, clicks BIGINT, spend DOUBLE, conversions BIGINT);
            INSERT INTO adtech_db.processed_campaign_data VALUES
              ('c1', 'a1', DATE '2024-05-20', 'BrandA', 'US', 'California', 'Los Angeles', '90001', 10000, 350, 275.5, 20),
              ('c1', 'a2', DATE '2024-05-20', 'BrandA', 'US', 'California', 'Los Angeles', '90001', 500, 0, 0.0, 0),
              ('c1', 'a1', DATE '2024-05-21', 'BrandA', 'US', 'California', 'Los Angeles', '90001', 999, 10, 12.0, 1),
              ('c2', 'a3', DATE '2024-05-20', 'BrandB', 'US', 'Texas', 'Austin', '73301', 0, 0, 0.0, 0);
            """)
    }

    func testFixedViewsRunUnchanged() throws {
        let db = try TestLake()
        try loadCampaigns(db)
        let sql = try String(contentsOf: Self.workload.appendingPathComponent("athena_views_fixed.sql"), encoding: .utf8)
        try db.run("USE adtech_db")
        try db.run(sql)
        let summary = try db.rows("SELECT campaign_id, total_impressions, total_clicks, total_spend, total_conversions, ctr, cpc, cpm, conversion_rate FROM campaign_summary ORDER BY campaign_id")
        XCTAssertEqual(summary.count, 2)
        XCTAssertEqual(summary[0][0...4], ["c1", "11499", "360", "287.5", "21"])
        XCTAssertEqual(Double(summary[0][5])!, 360.0 / 11499.0, accuracy: 1e-12)
        XCTAssertEqual(Double(summary[0][7])!, 287.5 / 11499.0 * 1000, accuracy: 1e-9)
        // c2 has no impressions: every CASE takes its ELSE 0 branch (typed DOUBLE like the THEN branch).
        XCTAssertEqual(Array(summary[1][5...8]), ["0.0", "0.0", "0.0", "0.0"])
        // campaign_performance: cpm divides by SUM(impressions) / 1000, an integer division (999 / 1000 = 0 → error guarded by CASE only when > 0).
        let perf = try db.rows("SELECT campaign_id, date, impressions, cpm FROM campaign_performance ORDER BY campaign_id, date")
        XCTAssertEqual(perf.count, 3)
        XCTAssertEqual(perf[0][2], "10500")
        XCTAssertEqual(Double(perf[0][3])!, 275.5 / 10.0, accuracy: 1e-9)  // 10500 / 1000 = 10 (integer division)
        // 999 impressions: SUM(impressions) / 1000 is the integer 0, and DOUBLE / 0 is Infinity in Trino (no error).
        XCTAssertEqual(try db.rows("SELECT cpm FROM creative_performance WHERE date = DATE '2024-05-21'"), [["Infinity"]])
        let creative = try db.rows("SELECT ad_id, clicks FROM creative_performance WHERE date = DATE '2024-05-20' ORDER BY ad_id")
        XCTAssertEqual(creative, [["a1", "350"], ["a2", "0"], ["a3", "0"]])
    }

    func testBrokenViewsFailWithClearErrors() throws {
        let db = try TestLake()
        try loadCampaigns(db)
        let sql = try String(contentsOf: Self.workload.appendingPathComponent("athena_views.sql"), encoding: .utf8)
        let statements: [String]
        do {
            _ = try db.session.parse(sql)
            XCTFail("the FRO typo must be a syntax error")
            return
        } catch let e as TarnError {
            XCTAssertEqual(e.kind, .syntax)
            XCTAssertEqual(e.line, 20)
            XCTAssertEqual(e.column, 1)
            XCTAssertTrue(e.message.contains("FRO"), e.message)
            statements = sql.components(separatedBy: ";").filter { $0.contains("CREATE OR REPLACE VIEW") }
        }
        try db.run("USE adtech_db")
        let creative = statements.first { $0.contains("VIEW \"creative_performance\"") } ?? ""
        let e = db.error(creative)
        XCTAssertTrue(e?.message.contains("column 'ad_id' must appear in the GROUP BY clause") ?? false, e?.description ?? "")
    }
}
