import XCTest
@testable import repl

/// The interactive shell driven through a pseudo-terminal (Tests/CLITests/pty_driver.py).
/// These need the SQL engine; they pass once the facade executes statements.
final class InteractiveTests: XCTestCase {
    private var lake = ""
    private var history = ""
    override func setUp() {
        lake = TarnProcess.temporaryDirectory("repl")
        history = (lake as NSString).appendingPathComponent("history")
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: lake) }

    private enum Step {
        case send(String), expect(String, timeout: Double = 15), sleep(Double), eof

        var json: [String: Any] {
            switch self {
            case let .send(s): return ["send": s]
            case let .expect(p, t): return ["expect": p, "timeout": t]
            case let .sleep(s): return ["sleep": s]
            case .eof: return ["eof": true, "timeout": 10]
            }
        }
    }

    /// Runs the steps against `tarn LAKE` in a pty; fails with the transcript when an expectation misses.
    @discardableResult
    private func drive(_ steps: [Step], environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let binary = try TarnProcess.binary()
        let driver = TarnProcess.packageRoot.appendingPathComponent("Tests/CLITests/pty_driver.py").path
        let stepsJSON = String(decoding: try JSONSerialization.data(withJSONObject: steps.map(\.json)), as: UTF8.self)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", driver, stepsJSON, "--", binary, lake]
        var env = ProcessInfo.processInfo.environment
        env["TARN_HISTORY"] = history
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let transcript = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, transcript, file: file, line: line)
        return transcript
    }

    func testMultiLineStatementWithContinuationPrompt() throws {
        try drive([.expect("tarn> "), .send("SELECT\r"), .expect(#"\.\.> "#), .send("40 + 2 AS answer;\r"),
                   .expect("answer"), .expect("42"), .expect("1 row"), .expect("tarn> "), .sleep(0.3), .send("\u{04}"), .eof])
    }

    /// Typed non-ASCII text reaches the engine whole, whatever the terminal's locale variables say (issue: the
    /// line editor dropped every non-ASCII character, so `'Saint-Étienne'` matched nothing).
    func testNonASCIITextTypedAtThePromptIsKept() throws {
        let transcript = try drive([
            .expect("tarn> "), .send("CREATE TABLE cities AS SELECT * FROM (VALUES ('Saint-Étienne', 1), ('Lyon', 2)) v(city, n);\r"),
            .expect("tarn> "), .send("SELECT 'café' AS a, '日本語' AS b, length('日本語') AS n;\r"),
            .expect("café"), .expect("日本語"), .expect(#"\b3\b"#), .expect("tarn> "),
            .send("SELECT n FROM cities WHERE city = 'Saint-Étienne';\r"), .expect("1 row"), .expect("tarn> "),
            .sleep(0.2), .send("\u{04}"), .eof], environment: ["LC_ALL": "C", "LANG": "C"])
        // The box around the CJK row is as wide as the row: every line of that table has the same display width.
        let lines = transcript.split(whereSeparator: \.isNewline).map { String($0) }  // the pty ends lines with CRLF
        if let row = lines.firstIndex(where: { $0.contains("│ café") && $0.contains("日本語") }), row >= 4 {
            let table = lines[(row - 4)...(row + 1)]
            XCTAssertEqual(Set(table.map(CellText.width)).count, 1, "misaligned:\n\(table.joined(separator: "\n"))")
        } else {
            XCTFail("no table row with café and 日本語 in:\n\(transcript)")
        }
    }

    func testDotCommands() throws {
        try drive([.expect("tarn> "), .send(".help\r"), .expect(#"\.tables"#), .expect("tarn> "),
                   .send(".mode csv\r"), .expect("tarn> "), .send("SELECT 5 AS five;\r"), .expect("five\r*\n5"),
                   .send(".quit\r"), .eof])
    }

    func testErrorShowsTheLineWithACaret() throws {
        try drive([.expect("tarn> "), .send("SELECT 1,\r"), .expect(#"\.\.> "#), .send("  nope FROM;\r"),
                   .expect("error"), .expect(#"2 \|   nope FROM;"#), .expect(#"\|\s+(\x1b\[31m)?\^"#), .expect("tarn> "),
                   .send("SELECT 3 AS three;\r"), .expect("three"), .expect("1 row"), .expect("tarn> "), .sleep(0.3), .send("\u{04}"), .eof])
    }

    func testCtrlCCancelsALongQueryAndTheShellGoesOn() throws {
        let long = "SELECT count(*) FROM generate_series(1, 100000000) a, generate_series(1, 100000000) b;\r"
        try drive([.expect("tarn> "), .send(long), .sleep(1.5), .send("\u{03}"), .expect("cancel", timeout: 20),
                   .expect("tarn> "), .send("SELECT 7 AS seven;\r"), .expect("seven"), .expect("7"), .expect("tarn> "), .send(".quit\r"), .eof])
    }

    func testCtrlCAtThePromptClearsTheLine() throws {
        try drive([.expect("tarn> "), .send("SELECT nonsense garbage"), .sleep(0.3), .send("\u{03}"), .sleep(0.3), .expect("tarn> "),
                   .send("SELECT 8 AS eight;\r"), .expect("eight"), .expect("8"), .expect("tarn> "), .send(".quit\r"), .eof])
    }

    func testHistoryIsRecalledAfterARestart() throws {
        try drive([.expect("tarn> "), .send("SELECT 4242 AS remembered;\r"), .expect("4242"), .expect("tarn> "), .sleep(0.3), .send("\u{04}"), .eof])
        XCTAssertTrue(FileManager.default.fileExists(atPath: history), "history file written to $TARN_HISTORY")
        try drive([.expect("tarn> "), .send("\u{1B}[A"), .expect("SELECT 4242 AS remembered;"), .send("\r"),
                   .expect(#"remembered[\s\S]*4242"#), .expect("tarn> "), .sleep(0.3), .send("\u{04}"), .eof])
    }

    func testTabCompletesKeywords() throws {
        try drive([.expect("tarn> "), .send("SELEC\t 9 AS nine;\r"), .expect("nine"), .expect("9"), .expect("tarn> "), .send(".quit\r"), .eof])
    }

    /// After FROM the table's name completes, on a continuation line too; after `alias.` its column does.
    func testTabCompletesTablesAndColumnsByContext() throws {
        try drive([.expect("tarn> "), .send("CREATE TABLE cities AS SELECT 'Lyon' AS city_name, 7 AS visits;\r"), .expect("tarn> "),
                   .send("SELECT visits FROM citi\t c\r"), .expect(#"\.\.> "#), .send("WHERE c.city_\t = 'Lyon';\r"),
                   .expect("visits"), .expect(#"\b7\b"#), .expect("1 row"), .expect("tarn> "), .send(".quit\r"), .eof])
    }
}
