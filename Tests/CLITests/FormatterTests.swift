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

    func testElidedTablesOfAnyOddLengthShowHeadAndTail() {
        for (rows, maxRows) in [(41, 41), (42, 41), (3, 1), (7, 5)] {
            let table = ResultFixtures.render(ResultFixtures.numbers(rows), .table, maxRows: maxRows)
            let shown = table.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "| "))) }
            let half = max(1, maxRows / 2)
            let expected = rows <= maxRows ? Array(1...rows) : Array(1...half) + Array((rows - half + 1)...rows)
            XCTAssertEqual(shown, expected, "\(rows) rows, maxRows \(maxRows):\n\(table)")
            XCTAssertEqual(table.contains("more rows"), rows > maxRows)
        }
    }

    /// A table printed in full fixes its widths after `lookAhead` rows and streams the rest: the same text as one
    /// measured over every row when later cells fit, and a later longer cell overflows rather than being cut.
    func testFullTablesStreamPastTheLookAhead() throws {
        var streamed = TableFormatter(style: .ascii)
        streamed.lookAhead = 10
        var measured = TableFormatter(style: .ascii)
        measured.lookAhead = 1_000
        var a = "", b = ""
        try streamed.render(ResultFixtures.numbers(95), to: &a)
        try measured.render(ResultFixtures.numbers(95), to: &b)
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.hasSuffix("95 rows\n"))

        let pairs = (1...12).map { ("r\($0)", Int64($0)) } + [("a much longer label than the first ten", 13)]
        var out = ""
        try streamed.render(ResultFixtures.labelled(pairs), to: &out)
        XCTAssertTrue(out.contains("| a much longer label than the first ten |"), out)
        XCTAssertTrue(out.contains("| r1      |      1 |"), "widths from the first ten rows: \(out)")
        XCTAssertTrue(out.hasSuffix("13 rows\n"), out)
    }

    /// Formatters pull batches as they write: the first row is out before the source is asked for the second batch.
    func testRowsAreWrittenBeforeTheNextBatchIsPulled() throws {
        let batch = Batch(columns: [Column(type: .bigint, data: .int64([1, 2]))])
        for format in [OutputFormat.csv, .tsv, .list, .json, .ndjson, .markdown, .line] {
            var pulled = 0
            var written: [Int] = []
            final class Sink: TextOutputStream { var text = ""; func write(_ s: String) { text += s } }
            let sink = Sink()
            var out = sink
            let rows = ResultSet(columns: [Field(name: "n", type: .bigint)]) {
                written.append(sink.text.count)
                pulled += 1
                return pulled <= 3 ? batch : nil
            }
            try ResultRenderer(format: format, display: DisplayOptions()).render(rows, to: &out)
            XCTAssertEqual(pulled, 4, "\(format)")
            XCTAssertTrue(written[1] > written[0] && written[2] > written[1], "\(format) wrote before pulling: \(written)")
        }
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
