import Foundation
import XCTest
@testable import Storage

/// Distinct-value estimates in the data files' statistics: the HyperLogLog sketch's accuracy, the writer recording
/// one estimate per column over all row groups (format version 2), and version 1 files — without the section — still
/// read, with the estimate unknown.
final class DistinctCountTests: XCTestCase {
    private func estimate(_ column: Column) -> Int {
        var sketch = DistinctSketch()
        XCTAssertTrue(sketch.add(column))
        return sketch.estimate
    }

    func testSketchEstimatesWithinAFewPercent() {
        for distinct in [1, 7, 25, 1_000, 50_000, 400_000] {
            // Each value three times, in an order unrelated to the values.
            let values = (0 ..< distinct * 3).map { Int64(($0 * 7919) % distinct) * 1_000_003 }
            let got = Double(estimate(Column(type: .bigint, data: .int64(values))))
            let tolerance = distinct <= 1_000 ? 0.02 : 0.05
            XCTAssertEqual(got, Double(distinct), accuracy: max(1, Double(distinct) * tolerance), "\(distinct) distinct")
        }
        XCTAssertEqual(estimate(Column(type: .bigint, data: .int64([]))), 0)
    }

    func testNullsAreNotCountedAndStringFormsAgree() {
        let words = (0 ..< 5_000).map { "word \($0 % 40)" }
        let plain = Column(type: .varchar, data: .string(StringArray(words)))
        XCTAssertEqual(estimate(plain), 40)
        let dictionary = StringArray((0 ..< 40).map { "word \($0)" })
        let codes = (0 ..< 5_000).map { Int32($0 % 40) }
        XCTAssertEqual(estimate(Column(type: .varchar, data: .dictionary(codes: codes, dictionary: dictionary))), 40)
        // Half the rows NULL, their slots holding values that would otherwise count.
        let withNulls = Column(type: .integer, data: .int32((0 ..< 1_000).map { Int32($0) }),
                               validity: (0 ..< 1_000).map { $0 % 2 == 0 ? 1 : 0 })
        XCTAssertEqual(Double(estimate(withNulls)), 500, accuracy: 10)
        // −0.0 and 0.0 are one value, as are all NaNs.
        let doubles = Column(type: .double, data: .double([0.0, -0.0, .nan, -.nan, 1.5]))
        XCTAssertEqual(estimate(doubles), 3)
    }

    func testMergeIsTheUnion() {
        var a = DistinctSketch(), b = DistinctSketch()
        a.add(Column(type: .bigint, data: .int64((0 ..< 600).map { Int64($0) })))
        b.add(Column(type: .bigint, data: .int64((400 ..< 1_000).map { Int64($0) })))
        a.merge(b)
        XCTAssertEqual(Double(a.estimate), 1_000, accuracy: 20)
    }

    /// A file of three row groups: the estimate covers the whole file, not one row group, and reads back.
    func testWriterRecordsOneEstimatePerColumnForTheFile() throws {
        let path = FormatTestSupport.temporaryPath()
        defer { unlink(path) }
        var options = WriterOptions()
        options.rowGroupSize = 1_000
        let schema = Schema([Field(name: "k", type: .bigint), Field(name: "tag", type: .varchar),
                             Field(name: "xs", type: .array(.integer))])
        let keys = Column(type: .bigint, data: .int64((0 ..< 3_000).map { Int64($0 / 2) }))
        let tags = Column(type: .varchar, data: .string(StringArray((0 ..< 3_000).map { "t\($0 % 25)" })),
                          validity: (0 ..< 3_000).map { $0 % 10 == 0 ? 0 : 1 })
        let xs = FormatTestSupport.column(.array(.integer), (0 ..< 3_000).map { .array([.integer(Int32($0))], element: .integer) })
        let summary = try FormatTestSupport.write(schema, [Batch(columns: [keys, tags, xs])], path: path, options: options)
        XCTAssertEqual(summary.rowGroups.count, 3)
        XCTAssertEqual(Double(try XCTUnwrap(summary.columnStatistics[0].distinctCount)), 1_500, accuracy: 30)
        // Every tenth row is NULL; the distinct tags among the other rows:
        let written = Set((0 ..< 3_000).filter { $0 % 10 != 0 }.map { $0 % 25 }).count
        XCTAssertEqual(summary.columnStatistics[1].distinctCount, written)
        XCTAssertNil(summary.columnStatistics[2].distinctCount)
        XCTAssertNil(summary.rowGroups[0].columns[0].distinctCount, "row groups record no estimate")
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(reader.distinctCounts, summary.columnStatistics.map(\.distinctCount))
        // Spill files skip the sketches.
        options.distinctCounts = false
        let unsketched = try FormatTestSupport.write(schema, [Batch(columns: [keys, tags, xs])], path: path, options: options)
        XCTAssertEqual(unsketched.columnStatistics.map(\.distinctCount), [nil, nil, nil])
        XCTAssertEqual(try DataFileReader(path: path).distinctCounts, [nil, nil, nil])
    }

    /// A version 1 file (no distinct-count section) still reads; its estimates are unknown.
    func testVersionOneFilesStillRead() throws {
        let path = FormatTestSupport.temporaryPath()
        defer { unlink(path) }
        let schema = Schema([Field(name: "a", type: .integer), Field(name: "b", type: .varchar)])
        let batch = Batch(columns: [Column(type: .integer, data: .int32([3, 1, 2])),
                                    Column(type: .varchar, data: .string(StringArray(["x", "y", "x"])))])
        try FormatTestSupport.write(schema, [batch], path: path)
        try Self.downgradeToVersionOne(path, columns: schema.count)
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(reader.distinctCounts, [nil, nil])
        XCTAssertEqual(try FormatTestSupport.readAll(reader, column: 0), [.integer(3), .integer(1), .integer(2)])
        XCTAssertEqual(try FormatTestSupport.readAll(reader, column: 1), [.varchar("x"), .varchar("y"), .varchar("x")])
    }

    /// A file from a later format version names the cause instead of looking damaged.
    func testANewerVersionSaysSo() throws {
        let path = FormatTestSupport.temporaryPath()
        defer { unlink(path) }
        try FormatTestSupport.write(Schema([Field(name: "a", type: .integer)]), [Batch(columns: [Column(type: .integer, data: .int32([1]))])], path: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[4] = 3
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try DataFileReader(path: path)) { error in
            XCTAssertTrue("\(error)".contains("written by a newer Tarn (data file format version 3; this build reads versions 1–2)"), "\(error)")
        }
    }

    /// Rewrites a version 2 file as version 1: header version 1, the footer without its trailing u64 per column,
    /// the trailer's footer length and checksum recomputed.
    static func downgradeToVersionOne(_ path: String, columns: Int) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(bytes[4], 2)
        bytes[4] = 1
        let trailerStart = bytes.count - 16
        let footerLength = bytes[trailerStart ..< trailerStart + 4].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let footerStart = trailerStart - footerLength
        var footer = Array(bytes[footerStart ..< trailerStart])
        footer.removeLast(8 * columns)
        var out = Array(bytes[0 ..< footerStart]) + footer
        out += withUnsafeBytes(of: UInt32(footer.count).littleEndian, Array.init)
        out += withUnsafeBytes(of: XXHash64.hash(footer).littleEndian, Array.init)
        out += DataFileLayout.magic
        try Data(out).write(to: URL(fileURLWithPath: path))
    }
}
