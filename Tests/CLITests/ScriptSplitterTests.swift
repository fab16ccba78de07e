import XCTest
@testable import repl

final class ScriptSplitterTests: XCTestCase {
    func testSplitsOnSemicolonsOutsideStringsAndComments() {
        let script = "SELECT 'a;b';\n-- c; d\nSELECT \"x;y\" /* ; */ FROM t;\n\n  SELECT 3"
        let chunks = ScriptSplitter.split(script)
        XCTAssertEqual(chunks.map(\.text), ["SELECT 'a;b';", "SELECT \"x;y\" /* ; */ FROM t;", "SELECT 3"])
        XCTAssertEqual(chunks.map(\.line), [1, 3, 5])
        XCTAssertEqual(chunks.map(\.column), [1, 1, 3])
        XCTAssertEqual(chunks.map(\.isTerminated), [true, true, false])
    }

    func testEscapeStringsKeepTheirEscapedQuotes() {
        let chunks = ScriptSplitter.split("SELECT E'a\\';b' AS x;\nSELECT 'c\\';\nSELECT 2;")
        XCTAssertEqual(chunks.map(\.text), ["SELECT E'a\\';b' AS x;", "SELECT 'c\\';", "SELECT 2;"])
        XCTAssertFalse(ScriptSplitter.isComplete("SELECT E'open\\';"))
    }

    func testDotCommandsAtLineStart() {
        let chunks = ScriptSplitter.split(".mode csv\nSELECT 1;\n.tables\n")
        XCTAssertEqual(chunks.map(\.kind), [.dotCommand, .sql, .dotCommand])
        XCTAssertEqual(chunks.map(\.text), [".mode csv", "SELECT 1;", ".tables"])
    }

    func testCompleteness() {
        XCTAssertTrue(ScriptSplitter.isComplete("SELECT 1;\n"))
        XCTAssertFalse(ScriptSplitter.isComplete("SELECT\n"))
        XCTAssertFalse(ScriptSplitter.isComplete("SELECT ';\n"))
        XCTAssertFalse(ScriptSplitter.isComplete("SELECT 1 /* ;\n"))
        XCTAssertTrue(ScriptSplitter.isComplete("SELECT 'it''s';"))
        XCTAssertFalse(ScriptSplitter.isComplete("   \n"))
    }

    func testAbsolutePositions() {
        let chunk = ScriptChunk(kind: .sql, text: "SELECT x\nFROM y;", line: 4, column: 5, isTerminated: true)
        XCTAssertEqual(chunk.absolute(line: 1, column: 8).line, 4)
        XCTAssertEqual(chunk.absolute(line: 1, column: 8).column, 12)
        XCTAssertEqual(chunk.absolute(line: 2, column: 6).line, 5)
        XCTAssertEqual(chunk.absolute(line: 2, column: 6).column, 6)
    }

    func testCaretReportPointsAtTheColumn() {
        let error = TarnErrorFixture.syntax(line: 2, column: 6)
        let report = ErrorPresenter.caretReport(error: error, text: "SELECT a\nFROM wher x", colour: false)
        XCTAssertEqual(report, "error: syntax error: unexpected\n  2 | FROM wher x\n    |      ^\n")
    }

    func testScriptErrorLine() {
        let chunk = ScriptChunk(kind: .sql, text: "SELECT a\nFROM wher x;", line: 3, column: 1, isTerminated: true)
        XCTAssertEqual(ErrorPresenter.scriptLine(error: TarnErrorFixture.syntax(line: 2, column: 6), statementNumber: 2, chunk: chunk),
                       "error: statement 2, line 4, column 6: syntax error: unexpected")
    }
}

import Storage
enum TarnErrorFixture {
    static func syntax(line: Int, column: Int) -> TarnError { TarnError(.syntax, "unexpected", line: line, column: column) }
}
