import Foundation
import XCTest
@testable import Tarn
import Storage

/// Landing files as a dying or careless writer leaves them: every record is a row or a reject, with the
/// identity `records in the files = rows loaded + rows rejected` checked on generated broken files.
final class BrokenLandingFileTests: XCTestCase {
    /// One way of breaking an NDJSON line.
    private enum LineFault: CaseIterable { case truncated, nulFilled, invalidUTF8, notAnObject, badValue }

    private func brokenLine(_ fault: LineFault, _ i: Int) -> [UInt8] {
        switch fault {
        case .truncated: return Array(#"{"id":\#(i),"name":"cut"#.utf8)
        case .nulFilled: return [UInt8](repeating: 0, count: 16)
        case .invalidUTF8: return Array(#"{"id":\#(i),"name":""#.utf8) + [0xE9, 0x74, 0xE9] + Array(#""}"#.utf8)
        case .notAnObject: return Array("garbage \(i)".utf8)
        case .badValue: return Array(#"{"id":"many","name":"x"}"#.utf8)
        }
    }

    func testGeneratedBrokenNDJSONFilesAccountForEveryRecord() throws {
        let f = try IngestFixture()
        var generator = SystemRandomNumberGenerator()
        var records = 0, broken = 0, goodIDs = 0
        for file in 0..<12 {
            var bytes: [UInt8] = file % 3 == 0 ? [0xEF, 0xBB, 0xBF] : []     // some files start with a BOM
            let lineEnd: [UInt8] = file % 2 == 0 ? [0x0D, 0x0A] : [0x0A]     // and some use CRLF
            for line in 0..<Int.random(in: 20...60, using: &generator) {
                let id = file * 1000 + line
                records += 1
                if Int.random(in: 0..<5, using: &generator) == 0 {
                    let faults = LineFault.allCases
                    bytes += brokenLine(faults[Int.random(in: 0..<faults.count, using: &generator)], id)
                    broken += 1
                } else {
                    bytes += Array(#"{"id":\#(id),"name":"n\#(id)"}"#.utf8)
                    goodIDs += id
                }
                bytes += lineEnd
            }
            try Data(bytes).write(to: URL(fileURLWithPath: f.rawPath + "/day\(file).json"))
        }
        try f.run("CREATE TABLE t (id BIGINT, name VARCHAR)")
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        XCTAssertEqual(r["files_loaded"], "12")
        XCTAssertEqual(Int(r["rows_loaded"] ?? ""), records - broken)
        XCTAssertEqual(Int(r["rows_rejected"] ?? ""), broken)
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM rejects('t')"), String(broken))
        XCTAssertEqual(try f.scalar("SELECT sum(id) FROM t"), String(goodIDs), "the good records around each broken line load whole")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM t WHERE name <> 'n' || CAST(id AS VARCHAR)"), "0")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM rejects('t') WHERE line IS NULL OR line < 1 OR file IS NULL"), "0")
    }

    func testAJSONArrayCutBeforeItsClosingBracketIsAReject() throws {
        let f = try IngestFixture()
        try f.write("open.json", #"[{"id":1,"name":"a"},{"id":2,"name":"b"}"#)
        try f.write("cut.json", #"[{"id":3,"name":"c"},{"id":4,"na"#)
        try f.write("whole.json", "[\n  {\"id\": 5, \"name\": \"e\"},\n  {\"id\": 6, \"name\": \"f\"}\n]\n")
        try f.run("CREATE TABLE t (id BIGINT, name VARCHAR)")
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        XCTAssertEqual(r["rows_loaded"], "5", "ids 1, 2 and 3 before the cuts, 5 and 6 from the whole array")
        XCTAssertEqual(r["rows_rejected"], "2", "one reject per cut file, none for the whole array")
        XCTAssertEqual(try f.rows("SELECT file LIKE '%open.json', reason LIKE '%closing '']'' is missing%' FROM rejects('t') ORDER BY file DESC"),
                       [["true", "true"], ["false", "false"]])
        XCTAssertThrowsError(try f.rows("SELECT * FROM read_json('\(f.rawPath)/open.json')")) { error in
            XCTAssertTrue("\(error)".contains("open.json line 1"), "\(error)")
        }
    }

    func testRaggedCSVRowsInvalidUTF8AndAnUnterminatedQuoteAreRejectsNotASchemaChange() throws {
        let f = try IngestFixture()
        try f.write("a.csv", "id,name\n1,x\n2,y,extra\n3\n4,\"unterminated\n")
        try Data([0xEF, 0xBB, 0xBF] + Array("id,name\n5,bom\n6,".utf8) + [0xFF, 0xFE] + [0x0A]).write(to: URL(fileURLWithPath: f.rawPath + "/b.csv"))
        try f.run("CREATE TABLE t (id BIGINT, name VARCHAR)")
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)' FORMAT csv")
        XCTAssertEqual(r["rows_loaded"], "2")
        XCTAssertEqual(r["rows_rejected"], "4")
        XCTAssertEqual(try f.rows("SELECT id, name FROM t ORDER BY id"), [["1", "x"], ["5", "bom"]])
        XCTAssertEqual(try f.rows("SELECT line, reason FROM rejects('t') ORDER BY file, line"), [
            ["3", "the record has more than 2 fields"], ["4", "expected 2 fields but the record has 1"],
            ["5", "unterminated quoted field"], ["3", "the field is not valid UTF-8 text"]])
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 't'"), "2", "no column invented")
    }

    func testTimestampsWithOffsetsStayDistinctMoments() throws {
        let f = try IngestFixture()
        try f.write("ts.json", """
            {"ts":"2024-05-20T10:00:00+02:00"}
            {"ts":"2024-05-20T10:00:00Z"}
            {"ts":"2024-05-20T10:00:00-05:00"}
            {"ts":"2024-05-20 13:30:00+0530"}

            """)
        try f.run("CREATE TABLE t (ts TIMESTAMP)")
        _ = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        XCTAssertEqual(try f.rows("SELECT CAST(ts AS VARCHAR) FROM t ORDER BY ts").map { $0[0] },
                       ["2024-05-20 08:00:00", "2024-05-20 08:00:00", "2024-05-20 10:00:00", "2024-05-20 15:00:00"])
        XCTAssertThrowsError(try f.rows("SELECT CAST('2024-05-20 10:00:00+25:00' AS TIMESTAMP)"))
    }

    func testAFolderOfOtherFilesWarnsInsteadOfLoadingNothingSilently() throws {
        let f = try IngestFixture()
        try f.write("a.csv", "id,name\n1,x\n")
        try f.run("CREATE TABLE t (id BIGINT, name VARCHAR)")
        let r = try f.copy("COPY INTO t FROM '\(f.rawPath)'")
        XCTAssertEqual(r["files_loaded"], "0")
        XCTAssertTrue(r["warnings"]?.contains("1 file(s) in") == true && r["warnings"]?.contains("a.csv") == true, r["warnings"] ?? "nil")
    }
}
