import XCTest
import Storage
@testable import repl

final class BarChartTests: XCTestCase {
    func testBarsUseEighthBlocks() {
        XCTAssertEqual(BarChartFormatter.bar(value: 10, maximum: 10, width: 4), "████")
        XCTAssertEqual(BarChartFormatter.bar(value: 5, maximum: 10, width: 4), "██")
        XCTAssertEqual(BarChartFormatter.bar(value: 1, maximum: 8, width: 1), "▏")
        XCTAssertEqual(BarChartFormatter.bar(value: 9, maximum: 16, width: 2), "█▏")
        XCTAssertEqual(BarChartFormatter.bar(value: 0, maximum: 10, width: 4), "")
        XCTAssertEqual(BarChartFormatter.bar(value: -3, maximum: 10, width: 4), "")
    }

    func testChartAlignsLabelsPrintsValuesAndFitsTheWidth() {
        let chart = ResultFixtures.render(ResultFixtures.labelled([("alpha", 100), ("b", 50), ("gamma-ray", 25)]), .bar, width: 50)
        let lines = chart.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 50, line) }
        XCTAssertTrue(lines[0].hasPrefix("alpha     │█"))
        XCTAssertTrue(lines[0].hasSuffix(" 100"))
        XCTAssertTrue(lines[1].hasSuffix("  50"))
        XCTAssertEqual(Set(lines.map { line in line.firstIndex(of: "│").map { line.distance(from: line.startIndex, to: $0) } }).count, 1, "bars start in one column")
        let full = lines[0].filter { $0 == "█" }.count, half = lines[1].filter { $0 == "█" }.count
        XCTAssertEqual(Double(half), Double(full) / 2, accuracy: 1)
    }

    func testNonNumericResultFallsBackToATable() {
        let text = ResultSet(columns: [Field(name: "a", type: .varchar)], batches: [])
        XCTAssertTrue(ResultFixtures.render(text, .bar).hasPrefix("+"))
    }
}
