import Foundation
import XCTest
@testable import Storage

final class FormatRoundTripTests: XCTestCase {
    typealias S = FormatTestSupport

    func testBooleanWithNulls() throws {
        try S.assertRoundTrip(.boolean, [.boolean(true), .null, .boolean(false), .boolean(true), .null])
        try S.assertRoundTrip(.boolean, (0 ..< 5000).map { $0 % 7 == 0 ? .null : .boolean($0 % 3 == 0) })
    }

    func testIntegerEdgeValues() throws {
        let edges: [Value] = [.integer(.min), .integer(.max), .integer(0), .null, .integer(-1), .integer(1), .null]
        try S.assertRoundTrip(.integer, edges)
        try S.assertRoundTrip(.integer, (0 ..< 3000).map { i in i % 11 == 0 ? .null : edges[i % edges.count] })
    }

    func testBigintEdgeValues() throws {
        let edges: [Value] = [.bigint(.min), .bigint(.max), .bigint(0), .null, .bigint(-1), .bigint(Int64(Int32.max) + 1)]
        try S.assertRoundTrip(.bigint, edges)
        try S.assertRoundTrip(.bigint, (0 ..< 3000).map { i in i % 13 == 0 ? .null : edges[(i * 7) % edges.count] })
        try S.assertRoundTrip(.bigint, (0 ..< 3000).map { i in .bigint(Int64.min + Int64(i)) })
        try S.assertRoundTrip(.bigint, (0 ..< 3000).map { i in .bigint(i % 2 == 0 ? .min : .max) })
    }

    func testDoubleEdgeValues() throws {
        let edges: [Value] = [.double(-0.0), .double(0.0), .double(.infinity), .double(-.infinity), .double(.nan),
                              .double(.greatestFiniteMagnitude), .double(.leastNonzeroMagnitude), .double(-1e300),
                              .double(1e-300), .null, .double(3.25)]
        try S.assertRoundTrip(.double, edges)
        try S.assertRoundTrip(.double, (0 ..< 4000).map { i in edges[i % edges.count] })
        try S.assertRoundTrip(.double, (0 ..< 4000).map { i in .double(Double(i) * 0.1) })
    }

    func testDecimal() throws {
        let type = DataType.decimal(precision: 18, scale: 4)
        try S.assertRoundTrip(type, [.decimal(123_456, scale: 4), .null, .decimal(-999_999_999_999_999_999, scale: 4),
                                     .decimal(999_999_999_999_999_999, scale: 4)])
        let path = S.temporaryPath()
        defer { unlink(path) }
        try S.write(Schema([Field(name: "amount", type: .decimal(precision: 10, scale: 2))]),
                    [Batch(columns: [S.column(.decimal(precision: 10, scale: 2), [.decimal(1050, scale: 2)])])], path: path)
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(reader.schema.fields[0].type, .decimal(precision: 10, scale: 2))
        XCTAssertEqual(try reader.readColumn(rowGroup: 0, column: 0).value(at: 0), .decimal(1050, scale: 2))
    }

    func testDatesAndTimestamps() throws {
        try S.assertRoundTrip(.date, [.date(-719_528), .date(0), .date(-1), .null, .date(2_932_896), .date(.min), .date(.max)])
        try S.assertRoundTrip(.date, (0 ..< 5000).map { .date(Int32(18_000 + $0 / 3)) })
        try S.assertRoundTrip(.timestamp, [.timestamp(-1), .timestamp(-62_135_596_800_000_000), .null,
                                           .timestamp(253_402_300_799_999_999), .timestamp(.min), .timestamp(.max)])
        try S.assertRoundTrip(.timestamp, (0 ..< 5000).map { .timestamp(1_600_000_000_000_000 + Int64($0) * 1_000_000 + Int64($0 % 7)) })
    }

    func testStrings() throws {
        let long = String(repeating: "x", count: 1 << 20) + "é"
        let values: [Value] = [.varchar(""), .null, .varchar("héllo wörld"), .varchar("日本語 🎉"), .varchar(long), .varchar("a"), .null, .varchar("")]
        try S.assertRoundTrip(.varchar, values)
        try S.assertRoundTrip(.varchar, (0 ..< 5000).map { i in i % 9 == 0 ? .null : .varchar(["", "red", "grün", "🚀"][i % 4]) })
        try S.assertRoundTrip(.varchar, (0 ..< 5000).map { .varchar("unique-\($0)") })
    }

    /// The accumulator's bulk string append equals appending one string at a time; a negative index is an empty slot.
    func testGatheredAppendEqualsOneByOneAppends() {
        let source = StringArray(["", "short", String(repeating: "long-", count: 9), "日本語", "x"])
        let indices: [Int32] = [2, -1, 0, 1, 4, 3, 2, -1, 1]
        var bulk = StringArray(["already", "here"]), single = bulk
        indices.withUnsafeBufferPointer { bulk.append(gathering: source, at: $0) }
        for i in indices { if i >= 0 { single.append(from: source, at: Int(i)) } else { single.appendEmpty() } }
        XCTAssertEqual(bulk, single)
        XCTAssertEqual(bulk.strings(), ["already", "here"] + indices.map { $0 >= 0 ? source.string(at: Int($0)) : "" })
        var empty = StringArray()
        [Int32]([0, -1]).withUnsafeBufferPointer { empty.append(gathering: source, at: $0) }
        XCTAssertEqual(empty.strings(), ["", ""])
    }

    func testDictionaryInputIsFlattenedAndAllNullColumn() throws {
        let path = S.temporaryPath()
        defer { unlink(path) }
        let dictColumn = Column(type: .varchar, data: .dictionary(codes: [1, 0, 1, 1], dictionary: StringArray(["a", "b"])),
                                validity: [1, 1, 0, 1])
        let schema = Schema([Field(name: "s", type: .varchar), Field(name: "n", type: .integer), Field(name: "z", type: .null)])
        let summary = try S.write(schema, [Batch(columns: [dictColumn, .nulls(.integer, count: 4), .nulls(.null, count: 4)])], path: path)
        XCTAssertEqual(summary.columnStatistics[1], ColumnStatistics(min: nil, max: nil, nullCount: 4, rowCount: 4, distinctCount: 0))
        XCTAssertEqual(summary.columnStatistics[0].distinctCount, 2)
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(try S.readAll(reader, column: 0), [.varchar("b"), .varchar("a"), .null, .varchar("b")])
        XCTAssertEqual(try S.readAll(reader, column: 1), [.null, .null, .null, .null])
        XCTAssertEqual(try reader.readColumn(rowGroup: 0, column: 2).nullCount, 4)
    }

    func testZeroOneAndManyRowGroups() throws {
        let schema = Schema([Field(name: "id", type: .bigint), Field(name: "name", type: .varchar)])
        let empty = S.temporaryPath()
        defer { unlink(empty) }
        let emptySummary = try S.write(schema, [], path: empty)
        XCTAssertEqual(emptySummary.rowCount, 0)
        XCTAssertEqual(emptySummary.rowGroups.count, 0)
        let emptyReader = try DataFileReader(path: empty)
        XCTAssertEqual(emptyReader.rowGroups.count, 0)
        XCTAssertEqual(emptyReader.schema, schema)
        XCTAssertEqual(emptySummary.byteSize, emptyReader.byteSize)

        let one = S.temporaryPath()
        defer { unlink(one) }
        try S.write(schema, [Batch(columns: [S.column(.bigint, [.bigint(7)]), S.column(.varchar, [.varchar("seven")])])], path: one)
        let oneReader = try DataFileReader(path: one)
        XCTAssertEqual(oneReader.rowGroups.count, 1)
        XCTAssertEqual(try oneReader.readRowGroup(0).row(0), [.bigint(7), .varchar("seven")])

        let many = S.temporaryPath()
        defer { unlink(many) }
        var options = WriterOptions()
        options.rowGroupSize = 1000
        options.fieldIds = [10, 42]
        let batches = stride(from: 0, to: 10_500, by: 700).map { start -> Batch in
            let ids = (start ..< min(start + 700, 10_500)).map { Value.bigint(Int64($0)) }
            let names = ids.map { v -> Value in .varchar("n\(v.int64Value! % 37)") }
            return Batch(columns: [S.column(.bigint, ids), S.column(.varchar, names)])
        }
        let summary = try S.write(schema, batches, path: many, options: options)
        XCTAssertEqual(summary.rowCount, 10_500)
        XCTAssertEqual(summary.rowGroups.map(\.rowCount), Array(repeating: 1000, count: 10) + [500])
        let reader = try DataFileReader(path: many)
        XCTAssertEqual(reader.fieldIds, [10, 42])
        XCTAssertEqual(reader.rowCount, 10_500)
        XCTAssertEqual(try S.readAll(reader, column: 0), (0 ..< 10_500).map { .bigint(Int64($0)) })
        XCTAssertEqual(try S.readAll(reader, column: 1), (0 ..< 10_500).map { .varchar("n\($0 % 37)") })
        XCTAssertEqual(summary.byteSize, reader.byteSize)
    }

    func testStatistics() throws {
        let path = S.temporaryPath()
        defer { unlink(path) }
        let schema = Schema([Field(name: "i", type: .integer), Field(name: "d", type: .double), Field(name: "s", type: .varchar),
                             Field(name: "b", type: .boolean), Field(name: "t", type: .timestamp), Field(name: "m", type: .decimal(precision: 9, scale: 2))])
        var options = WriterOptions()
        options.rowGroupSize = 4
        let batch = Batch(columns: [
            S.column(.integer, [.integer(5), .null, .integer(-3), .integer(9), .integer(100), .integer(-50), .null, .null]),
            S.column(.double, [.double(1.5), .double(-0.5), .null, .double(2), .double(.nan), .double(7), .null, .null]),
            S.column(.varchar, [.varchar("b"), .varchar("é"), .varchar("z"), .null, .varchar("aa"), .null, .varchar("a"), .null]),
            S.column(.boolean, [.boolean(true), .boolean(true), .null, .boolean(true), .boolean(false), .null, .null, .null]),
            S.column(.timestamp, [.timestamp(-5), .timestamp(5), .null, .null, .null, .null, .null, .null]),
            S.column(.decimal(precision: 9, scale: 2), [.decimal(-100, scale: 2), .decimal(250, scale: 2), .null, .null, .null, .null, .null, .null]),
        ])
        let summary = try S.write(schema, [batch], path: path, options: options)
        let g0 = summary.rowGroups[0].columns, g1 = summary.rowGroups[1].columns
        XCTAssertEqual(g0[0], ColumnStatistics(min: .integer(-3), max: .integer(9), nullCount: 1, rowCount: 4))
        XCTAssertEqual(g1[0], ColumnStatistics(min: .integer(-50), max: .integer(100), nullCount: 2, rowCount: 4))
        XCTAssertEqual(summary.columnStatistics[0], ColumnStatistics(min: .integer(-50), max: .integer(100), nullCount: 3, rowCount: 8, distinctCount: 5))
        XCTAssertEqual(g0[1].min, .double(-0.5))
        XCTAssertEqual(g0[1].max, .double(2))
        XCTAssertEqual(g1[1].min, .double(7))
        XCTAssertTrue(g1[1].max?.doubleValue?.isNaN ?? false, "NaN sorts above every number")
        XCTAssertEqual(summary.columnStatistics[1].min, .double(-0.5))
        XCTAssertEqual(g0[2].min, .varchar("b"))
        XCTAssertEqual(g0[2].max, .varchar("é"), "strings compare byte-wise, é (0xC3) sorts after z")
        XCTAssertEqual(summary.columnStatistics[2].min, .varchar("a"))
        XCTAssertEqual(summary.columnStatistics[2].max, .varchar("é"))
        XCTAssertEqual(g0[3].min, .boolean(true))
        XCTAssertEqual(summary.columnStatistics[3], ColumnStatistics(min: .boolean(false), max: .boolean(true), nullCount: 4, rowCount: 8, distinctCount: 2))
        XCTAssertEqual(summary.columnStatistics[1].distinctCount, 5, "1.5, -0.5, 2, NaN and 7")
        XCTAssertEqual(g1[4], ColumnStatistics(min: nil, max: nil, nullCount: 4, rowCount: 4))
        XCTAssertEqual(summary.columnStatistics[4].min, .timestamp(-5))
        XCTAssertEqual(summary.columnStatistics[5].max, .decimal(250, scale: 2))
        // The reader sees the same statistics from the footer.
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(reader.rowGroups[0].columns[0], g0[0])
        XCTAssertEqual(reader.rowGroups[1].columns[2], g1[2])
        XCTAssertEqual(reader.rowGroups[0].columns[5], g0[5])
    }

    func testWriterRejectsMismatchedBatchAndAbandonDeletes() throws {
        let path = S.temporaryPath()
        let writer = try DataFileWriter(path: path, schema: Schema([Field(name: "a", type: .bigint)]))
        XCTAssertThrowsError(try writer.append(Batch(columns: [S.column(.integer, [.integer(1)])])))
        XCTAssertThrowsError(try writer.append(Batch(columns: [])))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        writer.abandon()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}
