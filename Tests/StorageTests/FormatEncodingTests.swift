import Foundation
import XCTest
@testable import Storage

final class FormatEncodingTests: XCTestCase {
    typealias S = FormatTestSupport

    /// Writes one column, checks the encoding chosen for its single chunk and that it reads back identically.
    private func assertEncoding(_ type: DataType, _ values: [Value], _ expected: ChunkEncoding, compression: ChunkCompression? = nil,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let path = S.temporaryPath()
        defer { unlink(path) }
        try S.write(Schema([Field(name: "c", type: type)]), [Batch(columns: [S.column(type, values)])], path: path)
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(reader.chunkEncoding(rowGroup: 0, column: 0), expected, file: file, line: line)
        if let compression { XCTAssertEqual(reader.chunkCompression(rowGroup: 0, column: 0), compression, file: file, line: line) }
        let back = try S.readAll(reader, column: 0)
        XCTAssertTrue(zip(values, back).allSatisfy { S.same($0, $1) } && back.count == values.count, "round trip", file: file, line: line)
    }

    func testPlainForRandomWideIntegers() throws {
        var rng = SystemRandomNumberGenerator()
        try assertEncoding(.bigint, (0 ..< 5000).map { _ in .bigint(Int64.random(in: .min ... .max, using: &rng)) }, .plain, compression: ChunkCompression.none)
        try assertEncoding(.double, (0 ..< 5000).map { _ in .double(Double.random(in: -1e9 ... 1e9, using: &rng)) }, .plain)
    }

    func testFrameOfReferenceForSmallRangeIntegers() throws {
        var rng = SystemRandomNumberGenerator()
        try assertEncoding(.bigint, (0 ..< 5000).map { _ in .bigint(1_000_000 + Int64.random(in: 0 ..< 1000, using: &rng)) }, .frameOfReference)
        try assertEncoding(.integer, (0 ..< 5000).map { _ in .integer(Int32.random(in: -100 ..< 100, using: &rng)) }, .frameOfReference)
        try assertEncoding(.boolean, (0 ..< 5000).map { _ in .boolean(Bool.random(using: &rng)) }, .frameOfReference)
    }

    func testDeltaForSortedTimestampsAndDates() throws {
        try assertEncoding(.timestamp, (0 ..< 5000).map { .timestamp(1_700_000_000_000_000 + Int64($0) * 1_000_017) }, .delta)
        try assertEncoding(.bigint, (0 ..< 5000).map { .bigint(Int64($0) * 3 - 10_000_000_000) }, .delta)
    }

    func testRunLengthForLongRuns() throws {
        try assertEncoding(.bigint, (0 ..< 5000).map { .bigint($0 < 2500 ? Int64.min : Int64.max) }, .runLength)
        try assertEncoding(.double, (0 ..< 5000).map { i in Value.double(i < 4000 ? -0.0 : .nan) }, .runLength)
    }

    func testDictionaryForLowCardinality() throws {
        var rng = SystemRandomNumberGenerator()
        let wide: [Int64] = [Int64.min, -7, 0, 1 << 40, Int64.max]
        try assertEncoding(.bigint, (0 ..< 5000).map { _ in .bigint(wide.randomElement(using: &rng)!) }, .dictionary)
        let prices: [Double] = [9.99, 19.99, 4.5, 100.25]
        try assertEncoding(.double, (0 ..< 5000).map { _ in .double(prices.randomElement(using: &rng)!) }, .dictionary)
        let words = ["alpha", "beta", "gamma", "", "δέλτα"]
        try assertEncoding(.varchar, (0 ..< 5000).map { i in i % 10 == 0 ? .null : .varchar(words.randomElement(using: &rng)!) }, .dictionary)
    }

    func testPlainForDistinctStrings() throws {
        try assertEncoding(.varchar, (0 ..< 3000).map { _ in Value.varchar(UUID().uuidString) }, .plain)
    }

    func testZstdAppliedWhenItShrinksTheChunk() throws {
        // Long repetitive strings that are all distinct: plain encoding, then zstd compresses them well.
        try assertEncoding(.varchar, (0 ..< 3000).map { .varchar("customer record number \($0) with a long repetitive suffix") },
                           .plain, compression: .zstd)
    }

    func testDictionaryStringsDecodeIntoDictionaryColumns() throws {
        let path = S.temporaryPath()
        defer { unlink(path) }
        let values: [Value] = (0 ..< 1000).map { .varchar(["x", "y", "z"][$0 % 3]) }
        let distinct: [Value] = (0 ..< 1000).map { .varchar("value-\($0)") }
        try S.write(Schema([Field(name: "low", type: .varchar), Field(name: "high", type: .varchar)]),
                    [Batch(columns: [S.column(.varchar, values), S.column(.varchar, distinct)])], path: path)
        let reader = try DataFileReader(path: path)
        guard case let .dictionary(codes, dictionary) = try reader.readColumn(rowGroup: 0, column: 0).data else {
            return XCTFail("dictionary chunk must decode into a dictionary column")
        }
        XCTAssertEqual(dictionary.strings(), ["x", "y", "z"])
        XCTAssertEqual(codes.prefix(4), [0, 1, 2, 0])
        guard case .string = try reader.readColumn(rowGroup: 0, column: 1).data else {
            return XCTFail("plain chunk must decode into a string column")
        }
    }

    func testReadingOneColumnReadsOnlyItsBytes() throws {
        let path = S.temporaryPath()
        defer { unlink(path) }
        let n = 20_000
        let schema = Schema([Field(name: "a", type: .bigint), Field(name: "b", type: .varchar), Field(name: "c", type: .double)])
        try S.write(schema, [Batch(columns: [S.column(.bigint, (0 ..< n).map { .bigint(Int64($0 * $0)) }),
                                             S.column(.varchar, (0 ..< n).map { .varchar("s\($0)") }),
                                             S.column(.double, (0 ..< n).map { .double(Double($0).squareRoot()) })])], path: path)
        let reader = try DataFileReader(path: path)
        let afterOpen = reader.bytesRead
        XCTAssertLessThan(afterOpen, 1000, "open reads header, footer and trailer only")
        _ = try reader.readColumn(rowGroup: 0, column: 2)
        XCTAssertEqual(reader.bytesRead - afterOpen, reader.chunkSize(rowGroup: 0, column: 2))
        let total = (0 ..< 3).reduce(0) { $0 + reader.chunkSize(rowGroup: 0, column: $1) }
        XCTAssertLessThan(reader.chunkSize(rowGroup: 0, column: 2), total)
        let beforeFirst = reader.bytesRead
        _ = try reader.readColumn(rowGroup: 0, column: 0)
        XCTAssertEqual(reader.bytesRead - beforeFirst, reader.chunkSize(rowGroup: 0, column: 0))
        XCTAssertEqual(reader.chunkSize(rowGroup: 5, column: 0), 0)
        XCTAssertNil(reader.chunkEncoding(rowGroup: 0, column: 3))
        XCTAssertThrowsError(try reader.readColumn(rowGroup: 1, column: 0))
    }

    func testXXHash64KnownVectors() {
        XCTAssertEqual(XXHash64.hash([UInt8]()), 0xEF46_DB37_51D8_E999)
        XCTAssertEqual(XXHash64.hash(Array("a".utf8)), 0xD24E_C4F1_A98C_6E5B)
        XCTAssertEqual(XXHash64.hash(Array("abc".utf8)), 0x44BC_2CF5_AD77_0999)
    }

    func testBitPackingAllWidths() throws {
        for width in [0, 1, 3, 7, 8, 13, 31, 32, 33, 55, 56, 57, 60, 63, 64] {
            let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
            let values = (0 ..< 333).map { UInt64($0).multipliedReportingOverflow(by: 0x9E37_79B9_7F4A_7C15).partialValue & mask }
            var writer = ByteWriter()
            values.withUnsafeBufferPointer { BitPacking.write($0, width: width, to: &writer) }
            XCTAssertEqual(writer.count, BitPacking.blockSize(count: 333, width: width))
            try writer.bytes.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                let block = try BitPacking.readBlock(&reader, count: 333)
                XCTAssertEqual((0 ..< 333).map { block.value(at: $0) }, values, "width \(width)")
            }
        }
    }
}
