import Foundation
import XCTest
@testable import Tarn
import Storage

/// COPY INTO: incremental exactly-once loading, changed files, rejects, STRICT, MERGE SCHEMA.
final class CopyIntoTests: XCTestCase {
    func testLoadingTheSameFolderTwiceAddsNothingAndNewFilesAddExactlyTheirRows() throws {
        let f = try IngestFixture()
        try f.write("2024-01-01/a.json", campaignLines(0..<100))
        try f.write("2024-01-02/b.json", campaignLines(100..<250))
        try f.run("CREATE TABLE t AS SELECT * FROM read_json('\(f.rawPath)/2024-01-01/a.json') LIMIT 0")
        let first = try f.copy("COPY INTO t FROM '\(f.rawPath)' PATTERN '**/*.json'")
        XCTAssertEqual(first["files_loaded"], "2")
        XCTAssertEqual(first["rows_loaded"], "250")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t"), "250")
        let second = try f.copy("COPY INTO t FROM '\(f.rawPath)' PATTERN '**/*.json'")
        XCTAssertEqual(second["files_loaded"], "0")
        XCTAssertEqual(second["files_skipped"], "2")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t"), "250")
        try f.write("2024-01-03/c.json", campaignLines(250..<300))
        let third = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        XCTAssertEqual(third["files_loaded"], "1")
        XCTAssertEqual(third["rows_loaded"], "50")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t"), "300")
        XCTAssertEqual(try f.scalar("SELECT count(DISTINCT ad_id) FROM t"), "300")
        XCTAssertEqual(try f.rows("SELECT count(*), sum(rows_loaded) FROM tarn.loaded_files WHERE table_name = 't'"), [["3", "300"]])
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM loaded_files()"), "3")
    }

    func testCopyCreatesAMissingTableAndPatternFiltersFiles() throws {
        let f = try IngestFixture()
        try f.write("x/keep.json", campaignLines(0..<10))
        try f.write("x/skip.ndjson", campaignLines(10..<20))
        try f.write("x/notes.txt", "not data")
        let r = try f.copy("COPY INTO fresh FROM '\(f.rawPath)' PATTERN '*.json' FORMAT json")
        XCTAssertEqual(r["rows_loaded"], "10")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM fresh"), "10")
    }

    func testAChangedFileIsReportedAndNotReloaded() throws {
        let f = try IngestFixture()
        try f.write("a.json", campaignLines(0..<10))
        _ = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        try f.write("a.json", campaignLines(0..<12))
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        XCTAssertEqual(r["files_changed"], "1")
        XCTAssertEqual(r["files_loaded"], "0")
        XCTAssertTrue(r["warnings"]?.contains("a.json changed since it was loaded") ?? false, r["warnings"] ?? "")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t"), "10")
    }

    func testMalformedLinesAndBadValuesGoToRejectsWithFileAndLine() throws {
        let f = try IngestFixture()
        var lines = campaignLines(0..<20).split(separator: "\n").map(String.init)
        lines[3] = #"{"campaign_id":"cmp1","impressions":12"#                       // truncated JSON
        lines[7] = #"{"campaign_id":"cmp1","impressions":"lots"}"#                 // does not fit BIGINT
        lines[11] = "garbage"
        try f.write("bad.json", lines.joined(separator: "\n") + "\n")
        try f.write("good.json", campaignLines(20..<30))
        try f.write("c.csv", "a,b\n1,2\n3\n4,5\nx,6\n")
        try f.run("CREATE TABLE t AS SELECT * FROM read_json('\(f.rawPath)/good.json') LIMIT 0")
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)' PATTERN '*.json'")
        XCTAssertEqual(r["rows_loaded"], "27")
        XCTAssertEqual(r["rows_rejected"], "3")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t"), "27")
        let rejects = try f.rows("SELECT file, line, \"column\", reason FROM rejects('t') ORDER BY line")
        XCTAssertEqual(rejects.map { $0[1] }, ["4", "8", "12"])
        XCTAssertTrue(rejects.allSatisfy { $0[0].hasSuffix("bad.json") })
        XCTAssertEqual(rejects[1][2], "impressions")
        XCTAssertEqual(try f.scalar("SELECT raw FROM rejects('t') WHERE line = 12"), "garbage")
        // CSV: a short row and a value that does not fit.
        try f.run("CREATE TABLE c (a BIGINT, b BIGINT)")
        let rc = try f.copy("COPY INTO c FROM '\(f.rawPath)/c.csv' FORMAT csv")
        XCTAssertEqual(rc["rows_loaded"], "2")
        XCTAssertEqual(rc["rows_rejected"], "2")
        XCTAssertEqual(try f.rows("SELECT line, \"column\" FROM rejects('c') ORDER BY line"), [["3", "NULL"], ["5", "a"]])
    }

    func testStrictFailsAtomicallyNamingFileAndLine() throws {
        let f = try IngestFixture()
        try f.write("a.json", campaignLines(0..<10))
        try f.write("b.json", campaignLines(10..<15) + "{broken\n")
        try f.run("CREATE TABLE t AS SELECT * FROM read_json('\(f.rawPath)/a.json') LIMIT 0")
        XCTAssertThrowsError(try f.run("COPY INTO t FROM '\(f.rawPath)' STRICT")) { error in
            XCTAssertTrue("\(error)".contains("b.json line 6"), "\(error)")
        }
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t"), "0")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM tarn.loaded_files"), "0")
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        XCTAssertEqual(r["rows_loaded"], "15")
        XCTAssertEqual(r["rows_rejected"], "1")
    }

    func testNewFieldsNeedMergeSchema() throws {
        let f = try IngestFixture()
        try f.write("a.json", campaignLines(0..<5))
        _ = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        try f.write("b.json", #"{"campaign_id":"z","ad_id":"new","channel":"tv","impressions":1}"# + "\n")
        XCTAssertThrowsError(try f.run("COPY INTO t FROM '\(f.rawPath)'")) { error in
            XCTAssertTrue("\(error)".contains("has field 'channel' not in table t; use MERGE SCHEMA to add it"), "\(error)")
        }
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)' MERGE SCHEMA")
        XCTAssertEqual(r["rows_loaded"], "1")
        XCTAssertEqual(try f.rows("SELECT channel, date FROM t WHERE ad_id = 'new'"), [["tv", "NULL"]])
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t WHERE channel IS NULL"), "5")
    }
}
