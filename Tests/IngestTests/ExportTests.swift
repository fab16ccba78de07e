import Foundation
import XCTest
@testable import Tarn
import Storage

/// COPY … TO: CSV read back by Python's csv module, JSON / NDJSON, atomic replacement.
final class ExportTests: XCTestCase {
    private func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XCTSkip("python3 failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func prepare(_ f: IngestFixture) throws {
        try f.run("CREATE TABLE tricky (id BIGINT, name VARCHAR, amount DOUBLE, ok BOOLEAN, day DATE, at TIMESTAMP)")
        try f.run("""
            INSERT INTO tricky VALUES
              (1, 'plain', 1.5, true, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05'),
              (2, 'comma, inside', NULL, false, NULL, NULL),
              (3, 'quote " inside', -2.0, NULL, DATE '2024-12-31', NULL),
              (4, 'line
            break', 0.25, true, NULL, TIMESTAMP '2024-06-01 00:00:00'),
              (5, '', 3.0, false, NULL, NULL),
              (6, NULL, NULL, NULL, NULL, NULL)
            """)
    }

    func testCSVExportReadsBackWithPythonsCSVModule() throws {
        let f = try IngestFixture()
        try prepare(f)
        let path = f.root + "/out.csv"
        try f.run("COPY (SELECT * FROM tricky ORDER BY id) TO '\(path)' (FORMAT csv, HEADER true)")
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline='') as fh:
            rows = list(csv.reader(fh))
        print(json.dumps(rows))
        """
        let parsed = try JSONSerialization.jsonObject(with: Data(try python(script, [path]).utf8)) as? [[String]]
        let expected = try f.session.execute("SELECT * FROM tricky ORDER BY id").last
        var want: [[String]] = [expected?.columns.map(\.name) ?? []]
        for row in expected?.rows ?? [] { want.append(row.map { $0.isNull ? "" : $0.description }) }
        XCTAssertEqual(parsed, want)
        // NULL is an empty field, the empty string a quoted empty field.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\n5,\"\",3.0,false,,\n"), text)
        XCTAssertTrue(text.contains("\n6,,,,,\n"), text)
        // Read back by Tarn itself, the NULLs stay NULL.
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM read_csv('\(path)') WHERE name IS NULL"), "1")
    }

    func testJSONAndNDJSONExports() throws {
        let f = try IngestFixture()
        try prepare(f)
        let json = f.root + "/out.json", ndjson = f.root + "/out.ndjson"
        try f.run("COPY tricky TO '\(json)' (FORMAT json)")
        try f.run("COPY (SELECT id, amount, ok, day, at FROM tricky ORDER BY id) TO '\(ndjson)'")
        let array = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]]
        XCTAssertEqual(array?.count, 6)
        let lines = try String(contentsOfFile: ndjson, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        XCTAssertEqual(String(lines[0]), #"{"id":1,"amount":1.5,"ok":true,"day":"2024-01-02","at":"2024-01-02T03:04:05"}"#)
        XCTAssertEqual(String(lines[1]), #"{"id":2,"amount":null,"ok":false,"day":null,"at":null}"#)
        // A JSON export loads back with the same rows.
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM read_json('\(json)')"), "6")
    }

    func testAFailingExportLeavesTheTargetUntouched() throws {
        let f = try IngestFixture()
        let path = f.root + "/keep.csv"
        try "old contents\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try f.run("COPY (SELECT 1 / 0 AS boom FROM generate_campaigns(10)) TO '\(path)' (FORMAT csv)"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old contents\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.root).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }
}
