import XCTest
import Storage
@testable import SQL

final class StatementSplitterTests: XCTestCase {
    func testCompleteness() {
        XCTAssertTrue(StatementSplitter.isComplete("SELECT 1;"))
        XCTAssertTrue(StatementSplitter.isComplete("SELECT 1;  -- done\n"))
        XCTAssertTrue(StatementSplitter.isComplete("SELECT 1; /* c */ "))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT 1"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT ';'"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT 'a;"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT \"a;\" FROM t"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT `a;`"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT 1 -- ;"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT 1 /* ; */"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT 1; /* open"))
        XCTAssertFalse(StatementSplitter.isComplete("SELECT 1; SELECT 2"))
        XCTAssertFalse(StatementSplitter.isComplete(""))
        XCTAssertFalse(StatementSplitter.isComplete("  \n"))
        XCTAssertTrue(StatementSplitter.isComplete("SELECT 'it''s;';"))
        // `E'…'`: a backslash escapes the quote, so the string is still open after `\';`.
        XCTAssertFalse(StatementSplitter.isComplete("SELECT E'a\\';"))
        XCTAssertTrue(StatementSplitter.isComplete("SELECT E'a\\';b';"))
        XCTAssertTrue(StatementSplitter.isComplete("SELECT type'a\\';"), "only a lone E starts an escape string")
        XCTAssertEqual(StatementSplitter.split("SELECT E'x\\';y'; SELECT 2;").count, 2)
    }

    func testSplit() {
        let pieces = StatementSplitter.split("-- header\nSELECT 1;\n\n  SELECT 'x;y'\n  FROM t ; ;\nSELECT é")
        XCTAssertEqual(pieces.map(\.text), ["SELECT 1", "SELECT 'x;y'\n  FROM t", "SELECT é"])
        XCTAssertEqual(pieces.map(\.location.line), [2, 4, 6])
        XCTAssertEqual(pieces.map(\.location.column), [1, 3, 1])
        XCTAssertEqual(pieces.map(\.terminated), [true, true, false])
        XCTAssertEqual(StatementSplitter.split("é; é").last?.location.column, 4)
    }
}
