import Foundation
import XCTest
@testable import Tarn
import Storage

/// The campaign example pipeline: every raw row accounted for, idempotent re-runs, incremental days.
final class CampaignPipelineTests: TransformTestCase {
    func testRawRowsEqualSilverPlusEveryDropByRule() throws {
        try writeRaw(rows: 20_000, files: 10, days: 10)
        let session = try openSession()
        let run = try session.runPipeline(try examplePipeline("campaigns"), baseDirectory: folder)
        let raw = try int(session, "SELECT count(*) FROM adtech_db.campaign_raw")
        let silver = try int(session, "SELECT count(*) FROM adtech_db.processed_campaign_data")
        let dropped = try session.query("SELECT rule, sum(rows) FROM tarn.pipeline_drops WHERE run_id = '\(run.runID)' GROUP BY rule ORDER BY rule")
        var byRule: [String: Int64] = [:]
        for row in dropped { byRule[row[0].description] = row[1].int64Value ?? 0 }
        print("campaigns: raw \(raw), silver \(silver), dropped by rule \(byRule.sorted { $0.key < $1.key })")
        XCTAssertEqual(raw, 20_000)
        XCTAssertEqual(raw, silver + byRule.values.reduce(0, +))
        XCTAssertGreaterThan(byRule["expectation counts_present"] ?? 0, 0)
        XCTAssertGreaterThan(byRule["expectation funnel_order"] ?? 0, 0)
        XCTAssertNotNil(byRule["impute: no median of spend at any level"])
        // The report of the run says the same as the tables, for the row-preserving steps (gold aggregates by week).
        let inOut = try session.query("""
            SELECT table_name, rows_in, rows_out, rows_dropped FROM tarn.pipeline_runs WHERE run_id = '\(run.runID)' AND kind <> 'view'
               AND table_name IN ('adtech_db.campaign_data_valid', 'adtech_db.processed_campaign_data', 'marketing.sales') ORDER BY step
            """)
        XCTAssertEqual(inOut.count, 3)
        for row in inOut {
            XCTAssertEqual(row[1].int64Value, (row[2].int64Value ?? 0) + (row[3].int64Value ?? 0), "\(row)")
        }
        // Dropped rows are findable, one per drop.
        XCTAssertEqual(try int(session, "SELECT count(*) FROM violations('adtech_db.campaign_data_valid')"),
                       (byRule["expectation counts_present"] ?? 0) + (byRule["expectation funnel_order"] ?? 0))
        // Silver is clean.
        XCTAssertEqual(try int(session, """
            SELECT count(*) FROM adtech_db.processed_campaign_data WHERE spend IS NULL OR campaign_id IS NULL OR zipcode IS NULL
               OR date IS NULL OR NOT (conversions <= clicks AND clicks <= impressions)
            """), 0)
        XCTAssertEqual(try int(session, "SELECT count(*) FROM adtech_db.campaign_summary"),
                       try int(session, "SELECT count(DISTINCT campaign_id) FROM adtech_db.processed_campaign_data"))
        // Gold: one row per week of the sales feed; the channels' spend adds up to silver's spend in those weeks.
        XCTAssertEqual(try int(session, "SELECT count(*) FROM marketing.weekly_channel_spend"),
                       try int(session, "SELECT count(*) FROM marketing.sales"))
        let totals = try session.query("""
            SELECT (SELECT sum(google_ads + meta + tiktok + youtube + tv + radio + ooh) FROM marketing.weekly_channel_spend),
                   (SELECT sum(spend) FROM adtech_db.processed_campaign_data
                     WHERE channel <> 'Unknown' AND date_trunc('week', date) IN (SELECT week FROM marketing.sales))
            """)
        let gold = try XCTUnwrap(totals.first?[0].doubleValue), silverSpend = try XCTUnwrap(totals.first?[1].doubleValue)
        XCTAssertGreaterThan(gold, 0)
        XCTAssertEqual(gold, silverSpend, accuracy: 1e-6 * silverSpend)
    }

    func testSecondRunChangesNothingAndANewDayIsAllTheNextRunReads() throws {
        try writeRaw(rows: 10_000, files: 5, days: 5)
        let session = try openSession()
        let pipeline = try examplePipeline("campaigns")
        _ = try session.runPipeline(pipeline, baseDirectory: folder)
        let tables = ["adtech_db.campaign_raw", "adtech_db.campaign_data_valid", "adtech_db.processed_campaign_data"]
        let first = try tables.map { try session.lake.snapshot(of: session.tableName(.init($0.split(separator: ".").map(String.init)))).version }
        let second = try session.runPipeline(pipeline, baseDirectory: folder)
        XCTAssertEqual(Set(second.steps.map(\.status)), ["up to date"])
        let afterSecond = try tables.map { try session.lake.snapshot(of: session.tableName(.init($0.split(separator: ".").map(String.init)))).version }
        XCTAssertEqual(first, afterSecond)

        let silverBefore = try int(session, "SELECT count(*) FROM adtech_db.processed_campaign_data")
        try writeRaw(rows: 1_500, files: 1, days: 1, firstDay: 5, seed: 99)
        let third = try session.runPipeline(pipeline, baseDirectory: folder)
        let valid = try session.query("""
            SELECT rows_in, rows_out, rows_dropped FROM tarn.pipeline_runs WHERE run_id = '\(third.runID)' AND table_name = 'adtech_db.campaign_data_valid'
            """)
        XCTAssertEqual(valid.first?[0].int64Value, 1_500, "the valid step read only the new day's rows")
        let silver = try session.query("""
            SELECT rows_in, rows_out, rows_dropped FROM tarn.pipeline_runs WHERE run_id = '\(third.runID)' AND table_name = 'adtech_db.processed_campaign_data'
            """)
        let silverAfter = try int(session, "SELECT count(*) FROM adtech_db.processed_campaign_data")
        XCTAssertEqual(silverAfter - silverBefore, silver.first?[1].int64Value)
        XCTAssertEqual(silver.first?[0].int64Value, valid.first?[1].int64Value)
        print("incremental day: valid in/out/dropped \(valid.first ?? []), silver in/out/dropped \(silver.first ?? [])")
    }
}
