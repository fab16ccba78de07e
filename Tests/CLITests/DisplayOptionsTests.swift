import XCTest
import Storage
@testable import repl

/// Display widths, wide results, and the shell's output controls (`.maxwidth`, `.headers`, `.nullvalue`, `.width`,
/// `.mode list`, `.once`, `-noheader`, `tarn :memory:`).
final class DisplayOptionsTests: XCTestCase {
    func testDisplayWidthCountsTerminalCells() {
        XCTAssertEqual(CellText.width("abc"), 3)
        XCTAssertEqual(CellText.width("café"), 4)
        XCTAssertEqual(CellText.width("e\u{301}"), 1, "a combining accent takes no cell")
        XCTAssertEqual(CellText.width("日本語"), 6)
        XCTAssertEqual(CellText.width("한국어"), 6)
        XCTAssertEqual(CellText.width("ｆｕｌｌ"), 8, "fullwidth Latin")
        XCTAssertEqual(CellText.width("👍"), 2)
        XCTAssertEqual(CellText.width("👩‍💻"), 2, "a ZWJ sequence is one emoji")
        XCTAssertEqual(CellText.truncate("日本語テキスト", to: 7), "日本語…")
        XCTAssertEqual(CellText.truncate("abcdef", to: 4), "abc…")
        XCTAssertEqual(CellText.truncate("abc", to: 4), "abc")
    }

    func testTablesWithCJKTextStayAligned() throws {
        let result = ResultFixtures.labelled([("日本語", 1), ("Saint-Étienne", 22), ("👍 ok", 333), ("x", 4)])
        var out = ""
        try TableFormatter(style: .box).render(result, to: &out)
        let lines = out.split(separator: "\n").map(String.init).filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("└") }
        XCTAssertEqual(lines.count, 8)
        XCTAssertEqual(Set(lines.map(CellText.width)).count, 1, "every line is as wide:\n\(out)")
    }

    func testWideResultsNarrowColumnsThenHideTheMiddle() throws {
        var builders = (0..<12).map { _ in ColumnBuilder(type: .bigint) }
        for i in 0..<12 { builders[i].append(int64: Int64(i * 1000)) }
        let wide = ResultSet(columns: (0..<12).map { Field(name: "column_\($0)", type: .bigint) },
                             batches: [Batch(columns: builders.indices.map { builders[$0].finish() }, count: 1)])
        var table = TableFormatter(style: .box)
        table.maxWidth = 70
        var out = ""
        try table.render(wide, to: &out)
        let drawn = out.split(separator: "\n").map(String.init).filter { $0.hasPrefix("│") || $0.hasPrefix("┌") }
        XCTAssertTrue(drawn.allSatisfy { CellText.width($0) <= 70 }, out)
        XCTAssertTrue(out.contains(" … "), out)
        XCTAssertTrue(out.contains("column_0") && out.contains("column_11"), "the first and last columns stay: \(out)")
        XCTAssertFalse(out.contains("column_6"), out)
        XCTAssertNotNil(out.range(of: #"1 row  12 columns \(\d shown\)\n$"#, options: .regularExpression), out)

        let long = ResultFixtures.labelled([(String(repeating: "abcdefghij", count: 30), 1)])
        out = ""
        try table.render(long, to: &out)
        XCTAssertNotNil(out.range(of: #"│ (abcdefghij)+[a-j]*… │"#, options: .regularExpression), "the long cell is cut with …: \(out)")
        XCTAssertTrue(out.split(separator: "\n").allSatisfy { CellText.width(String($0)) <= 70 }, out)
    }

    func testHeadersNullValueWidthsAndListMode() throws {
        var display = DisplayOptions()
        display.headers = false
        display.nullValue = "∅"
        var out = ""
        try ResultRenderer(format: .list, display: display).render(ResultFixtures.awkward, to: &out)
        XCTAssertTrue(out.hasPrefix("1|plain|1.5|true|1970-01-01\n"), out)
        XCTAssertTrue(out.contains("3|say \"hi\"|∅|∅|∅\n"), out)
        out = ""
        display.headers = true
        display.columnWidths = [0, 3]
        try ResultRenderer(format: .table, display: display).render(ResultFixtures.awkward, to: &out)
        XCTAssertTrue(out.contains("| pl… |"), out)
        XCTAssertTrue(out.contains("∅"), out)
    }

    func testDotCommandsAndFlagsInAScript() throws {
        let folder = TarnProcess.temporaryDirectory("display")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let once = (folder as NSString).appendingPathComponent("once.txt")
        let script = """
            .mode csv
            .headers off
            SELECT 1 AS a, NULL AS b;
            .nullvalue NULL
            SELECT 2 AS a, NULL AS b;
            .headers on
            .once \(once)
            SELECT 3 AS only_in_file;
            SELECT 4 AS back_on_stdout;
            .maxrows x
            """
        let out = try TarnProcess.run([":memory:"], stdin: script)
        XCTAssertEqual(out.status, 1, "the bad .maxrows fails the script")
        XCTAssertEqual(out.stdout, "1,\r\n2,NULL\r\nback_on_stdout\r\n4\r\n")
        XCTAssertEqual(try String(contentsOfFile: once, encoding: .utf8), "only_in_file\r\n3\r\n")
        XCTAssertTrue(out.stderr.contains("usage: .maxrows N"), out.stderr)

        let plain = try TarnProcess.run([":memory:", "-noheader", "--format", "csv", "-c", "SELECT 5 AS five"])
        XCTAssertEqual(plain.stdout, "5\r\n")
        // `:memory:` leaves nothing behind: a second run does not see the first one's table.
        _ = try TarnProcess.run([":memory:", "-c", "CREATE TABLE kept AS SELECT 1 AS x"])
        let again = try TarnProcess.run([":memory:", "-c", "SELECT * FROM kept"])
        XCTAssertEqual(again.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ":memory:"))
    }
}
