import Foundation
import XCTest
@testable import Storage

/// DECIMAL(19…38) in the data file format: values, NULLs, statistics; and a file written before DECIMAL(38) existed.
final class Decimal128FormatTests: XCTestCase {
    typealias S = FormatTestSupport

    func testRoundTripEdgeValues() throws {
        let type = DataType.decimal(precision: 38, scale: 10)
        let max = Int128.powerOfTen(38) - 1
        let edges: [Value] = [.decimal128(max, scale: 10), .decimal128(-max, scale: 10), .decimal128(0, scale: 10), .null,
                              .decimal128(Int128(Int64.max) + 1, scale: 10), .decimal128(Int128(Int64.min) - 1, scale: 10),
                              .decimal128(-1, scale: 10), .decimal128(1 << 64, scale: 10)]
        try S.assertRoundTrip(type, edges)
        try S.assertRoundTrip(type, (0 ..< 5000).map { i in i % 17 == 0 ? .null : edges[(i * 5) % edges.count] })
        // Small values (high words all 0 / -1) and several row groups.
        try S.assertRoundTrip(.decimal(precision: 20, scale: 2), (0 ..< 9000).map { .decimal128(Int128($0) - 4500, scale: 2) }, rowGroupSize: 4096)
    }

    func testStatisticsAreMinAndMax() throws {
        let type = DataType.decimal(precision: 30, scale: 0)
        let big = Int128.powerOfTen(29)
        let path = S.temporaryPath()
        defer { unlink(path) }
        let values: [Value] = [.decimal128(5, scale: 0), .decimal128(-big, scale: 0), .null, .decimal128(big, scale: 0)]
        try S.write(Schema([Field(name: "d", type: type)]), [Batch(columns: [S.column(type, values)])], path: path)
        let reader = try DataFileReader(path: path)
        let stats = reader.rowGroups[0].columns[0]
        XCTAssertEqual(stats.min, Value.decimal128(-big, scale: 0))
        XCTAssertEqual(stats.max, Value.decimal128(big, scale: 0))
        XCTAssertEqual(stats.nullCount, 1)
    }

    func testFileWrittenBeforeDecimal38StillReads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("testdata/format/decimal18_before_decimal38.tarn").path
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(reader.schema.fields.map(\.type), [.integer, .decimal(precision: 15, scale: 2), .decimal(precision: 18, scale: 6)])
        XCTAssertEqual(try S.readAll(reader, column: 1), [.decimal(123_456_789_012_345, scale: 2), .decimal(-5, scale: 2), .null])
        XCTAssertEqual(try S.readAll(reader, column: 2), [.decimal(999_999_999_999_999_999, scale: 6), .null, .decimal(-123_456_000_001, scale: 6)])
    }
}
