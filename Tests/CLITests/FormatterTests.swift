import XCTest
import Storage
@testable import repl

final class FormatterTests: XCTestCase {
    func testCSVQuotesCommasQuotesNewlinesAndLeavesNullEmpty() {
        let csv = ResultFixtures.render(ResultFixtures.awkward, .csv)
        XCTAssertEqual(csv, [
            "id,name,score,ok,day",
            "1,plain,1.5,true,1970-01-01",
            "2,\"a,b\",2.0,false,2024-05-20",
            "3,\"say \"\"hi\"\"\",,,",
            "4,\"two\nlines\",-0.25,true,1970-01-02",
            "5,,100.0,false,1970-01-03",
            "6,\"\",3.0,true,1970-01-04",
        ].joined(separator: "\r\n") + "\r\n")
    }

    func testTSVEscapesControlCharacters() {
        let tsv = ResultFixtures.render(ResultFixtures.awkward, .tsv)
        XCTAssertTrue(tsv.hasPrefix("id\tname\tscore\tok\tday\n"))
        XCTAssertTrue(tsv.contains("4\ttwo\\nlines\t-0.25\ttrue\t1970-01-02\n"))
        XCTAssertTrue(tsv.contains("5\t\t100.0\tfalse\t1970-01-03\n"))
    }

    func testJSONUsesNativeTypesAndEscapes() throws {
        let json = ResultFixtures.render(ResultFixtures.awkward, .json)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.count, 6)
        XCTAssertEqual(parsed[0]["id"] as? Int, 1)
        XCTAssertEqual(parsed[0]["score"] as? Double, 1.5)
        XCTAssertEqual(parsed[0]["ok"] as? Bool, true)
        XCTAssertEqual(parsed[1]["day"] as? String, "2024-05-20")
        XCTAssertEqual(parsed[2]["name"] as? String, "say \"hi\"")
        XCTAssertTrue(parsed[2]["score"] is NSNull)
        XCTAssertEqual(parsed[3]["name"] as? String, "two\nlines")
        XCTAssertTrue(parsed[4]["name"] is NSNull)
        XCTAssertTrue(json.contains("\"ok\":true"), "booleans are JSON booleans: \(json)")
    }

    func testNDJSONIsOneObjectPerLine() throws {
        let lines = ResultFixtures.render(ResultFixtures.awkward, .ndjson).split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        for line in lines { XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) }
    }

    func testEmptyJSONIsAnEmptyArray() {
        let empty = ResultSet(columns: [Field(name: "a", type: .bigint)], batches: [])
        XCTAssertEqual(ResultFixtures.render(empty, .json), "[]\n")
    }

    func testTableShowsNamesTypesAlignedNumbersAndRowCount() {
        let table = ResultFixtures.render(ResultFixtures.labelled([("a", 5), ("bbb", 123)]), .table)
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[1], "| label   | value  |")
        XCTAssertEqual(lines[2], "| VARCHAR | BIGINT |")
        XCTAssertEqual(lines[4], "| a       |      5 |")
        XCTAssertEqual(lines[5], "| bbb     |    123 |")
        XCTAssertEqual(lines.last, "2 rows")
        XCTAssertEqual(Set(lines.dropLast().map(\.count)).count, 1, "all table lines have the same width")
    }

    func testBoxUsesUnicodeBorders() {
        let box = ResultFixtures.render(ResultFixtures.labelled([("a", 1)]), .box)
        XCTAssertTrue(box.hasPrefix("┌"))
        XCTAssertTrue(box.contains("│ a       │      1 │"))
        XCTAssertTrue(box.contains("└"))
        XCTAssertTrue(box.hasSuffix("1 row\n"))
    }

    func testLongResultsAreElidedInTheMiddle() {
        let table = ResultFixtures.render(ResultFixtures.numbers(100), .table, maxRows: 40)
        XCTAssertTrue(table.contains("… 60 more rows …"))
        let cells = Set(table.split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "| ")) })
        XCTAssertTrue(cells.contains("20"))
        XCTAssertFalse(cells.contains("21"))
        XCTAssertFalse(cells.contains("80"))
        XCTAssertTrue(cells.contains("81"))
        XCTAssertTrue(table.hasSuffix("100 rows\n"))
        XCTAssertFalse(ResultFixtures.render(ResultFixtures.numbers(40), .table, maxRows: 40).contains("more rows"))
    }

    func testMarkdown() {
        let md = ResultFixtures.render(ResultFixtures.labelled([("a|b", 1)]), .markdown)
        XCTAssertEqual(md, "| label | value |\n|---|---:|\n| a\\|b | 1 |\n")
    }

    func testLineMode() {
        let text = ResultFixtures.render(ResultFixtures.labelled([("x", 1), ("y", 2)]), .line)
        XCTAssertEqual(text, "label = x\nvalue = 1\n\nlabel = y\nvalue = 2\n")
    }

    func testCellTextMakesNullAndNewlinesVisible() {
        XCTAssertEqual(CellText.display(.null), "NULL")
        XCTAssertEqual(CellText.display(.varchar("a\nb")), "a\\nb")
    }
}
