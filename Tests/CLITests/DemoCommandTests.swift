import XCTest
import Foundation
@testable import repl

/// `tarn demo`: raw landing files → the campaign pipeline → row accounting → top campaigns → an MMM fit → REPL hint.
final class DemoCommandTests: XCTestCase {
    private var folder = ""
    override func setUp() { folder = TarnProcess.temporaryDirectory("demo") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testDemoRunsTheWholePipelineAndFitsAModel() throws {
        let lake = (folder as NSString).appendingPathComponent("lake")
        let out = try TarnProcess.run(["demo", lake, "--rows", "5000", "--draws", "20"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let text = out.stdout
        for expected in [
            "1. Raw landing files", "5,000 ad-delivery records", "in 2 NDJSON files", "\(lake)/raw/{date}/{UTC timestamp}.json",
            "on 7 channels (google_ads, meta, tiktok, youtube, tv, radio, ooh)", "104 weeks of sales in \(lake)/sales/weekly_sales.csv",
            "2. Pipeline of examples/campaigns/pipeline.sql", "adtech_db.campaign_raw", "expectation counts_present",
            "expectation funnel_order", "= silver adtech_db.processed_campaign_data", "✓ 5,000 raw = ",
            "marketing.weekly_channel_spend", "3. Top 10 campaigns by spend", "Spend by campaign:", "█",
            "4. Marketing mix model on the lake's own data", "mmm(TABLE marketing.weekly_channel_spend, date => 'week', target => 'revenue'",
            "name => 'demo'", "4 chains × 20 draws after 20 tuning steps", "mmm_roi('demo')", "roi_low", "true_roi",
            "The true ROI lies inside the 90% interval for ", "← adtech_db.campaign_raw", "← files in \(lake)/raw/",
            "Budget optimiser:", "optimal_spend", "Diagnostics (tarn.models): max R-hat", "Open it in the SQL shell (REPL) with:", " \(lake)\n",
        ] {
            XCTAssertTrue(text.contains(expected), "missing '\(expected)' in:\n\(text)")
        }
        XCTAssertFalse(text.contains("error"), text)

        // The printed accounting is the lake's: raw = silver + drops, and the layers and the model exist.
        let rawFiles = FileManager.default.enumerator(atPath: (lake as NSString).appendingPathComponent("raw"))?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".json") } ?? []
        XCTAssertEqual(rawFiles.count, 2)
        let check = try TarnProcess.run([lake, "--format", "csv", "-c", """
            SELECT (SELECT count(*) FROM adtech_db.campaign_raw) AS bronze,
                   (SELECT count(*) FROM adtech_db.processed_campaign_data) + (SELECT sum(rows) FROM tarn.pipeline_drops) AS accounted,
                   (SELECT count(*) FROM adtech_db.creative_performance) > 0 AS views,
                   (SELECT count(*) FROM tarn.models WHERE name = 'demo') AS models,
                   (SELECT count(*) FROM marketing.weekly_channel_spend) AS weeks,
                   (SELECT source_table FROM tarn.models WHERE name = 'demo') AS source,
                   (SELECT count(*) FROM mmm_roi('demo') r JOIN marketing.true_channel_effects t ON r.channel = t.channel) AS channels
            """])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "bronze,accounted,views,models,weeks,source,channels\r\n5000,5000,true,1,104,marketing.weekly_channel_spend,7\r\n")
        // The model's source is a pipeline table whose lineage reaches the raw landing table.
        let lineage = try TarnProcess.run([lake, "--format", "csv", "-c", """
            SELECT a.source, b.source, c.source FROM tarn.lineage a
            JOIN tarn.lineage b ON b.target = a.source JOIN tarn.lineage c ON c.target = b.source
            WHERE a.target = 'marketing.weekly_channel_spend' AND c.source = 'adtech_db.campaign_raw'
            """])
        XCTAssertEqual(lineage.stdout, "source,source,source\r\nadtech_db.processed_campaign_data,adtech_db.campaign_data_valid,adtech_db.campaign_raw\r\n")

        // Running it again rebuilds the lake from scratch.
        let again = try TarnProcess.run(["demo", lake, "--rows", "3000", "--draws", "10"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let after = try TarnProcess.run([lake, "--format", "csv", "-c",
                                         "SELECT (SELECT count(*) FROM adtech_db.campaign_raw), (SELECT count(*) FROM tarn.models)"])
        XCTAssertTrue(after.stdout.hasSuffix("3000,1\r\n"), after.stdout)
    }

    func testDemoRefusesToDeleteAFolderThatIsNotALake() throws {
        let notes = (folder as NSString).appendingPathComponent("notes.txt")
        try "keep me".write(toFile: notes, atomically: true, encoding: .utf8)
        let out = try TarnProcess.run(["demo", folder, "--rows", "10"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("does not look like a Tarn lake; not deleting it"), out.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: notes))
    }

    func testBadArgumentsExitOneWithAClearError() throws {
        let lake = (folder as NSString).appendingPathComponent("lake")
        let out = try TarnProcess.run(["demo", lake, "--rows=-5"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("error: --rows must not be negative"), out.stderr)
        let draws = try TarnProcess.run(["demo", lake, "--draws", "1"])
        XCTAssertEqual(draws.status, 1)
        XCTAssertTrue(draws.stderr.contains("--draws must be between"), draws.stderr)
    }

    /// The demo reads its pipeline from the package resource that examples/campaigns/pipeline.sql links to, so the
    /// two cannot drift apart; a binary copied without its resources folder says so instead of crashing.
    func testPipelineIsTheExampleFileAndAMissingResourceIsAClearError() throws {
        let example = TarnProcess.packageRoot.appendingPathComponent("examples/campaigns/pipeline.sql")
        let resource = TarnProcess.packageRoot.appendingPathComponent("Sources/repl/Resources/campaign_pipeline.sql")
        XCTAssertEqual(example.resolvingSymlinksInPath().path, resource.resolvingSymlinksInPath().path)
        let binary = try TarnProcess.binary()
        let beside = URL(fileURLWithPath: binary).deletingLastPathComponent()
            .appendingPathComponent("Tarn_repl.resources/campaign_pipeline.sql")
        XCTAssertEqual(try String(contentsOf: beside, encoding: .utf8), try String(contentsOf: resource, encoding: .utf8))

        let lonely = (folder as NSString).appendingPathComponent("bin/tarn")
        try FileManager.default.createDirectory(atPath: (lonely as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: binary, toPath: lonely)
        let out = try TarnProcess.run(["demo", (folder as NSString).appendingPathComponent("lake"), "--rows", "100"],
                                      executable: lonely)
        XCTAssertEqual(out.status, 1, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("Tarn_repl.resources/campaign_pipeline.sql is not beside the tarn binary"), out.stderr)
    }
}
