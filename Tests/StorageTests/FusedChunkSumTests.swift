import Foundation
import XCTest
@testable import Storage

/// `DataFileReader.fusedInt64Sum` against the sum of the decoded chunk, for every encoding.
final class FusedChunkSumTests: XCTestCase {
    typealias S = FormatTestSupport

    /// Writes `values` as one BIGINT column in row groups of 1000 and checks each chunk: when a fused sum is
    /// given it equals the exact sum of the decoded values; nil whenever that sum does not fit in 64 bits.
    /// Returns the encodings seen and how many chunks were summed fused.
    @discardableResult
    private func check(_ values: [Value], file: StaticString = #filePath, line: UInt = #line) throws -> (Set<ChunkEncoding>, Int) {
        let path = S.temporaryPath()
        defer { unlink(path) }
        var options = WriterOptions()
        options.rowGroupSize = 1000
        try S.write(Schema([Field(name: "c", type: .bigint)]), [Batch(columns: [S.column(.bigint, values)])], path: path, options: options)
        let reader = try DataFileReader(path: path)
        var encodings = Set<ChunkEncoding>()
        var fusedChunks = 0
        for g in reader.rowGroups.indices {
            if let e = reader.chunkEncoding(rowGroup: g, column: 0) { encodings.insert(e) }
            let column = try reader.readColumn(rowGroup: g, column: 0)
            var exact: Int64? = 0
            var count = 0
            for i in 0 ..< column.count {
                guard case let .bigint(v) = column.value(at: i) else { continue }
                count += 1
                if let e = exact { let r = e.addingReportingOverflow(v); exact = r.overflow ? nil : r.partialValue }
            }
            let fused = try reader.fusedInt64Sum(rowGroup: g, column: 0)
            if let fused {
                fusedChunks += 1
                XCTAssertEqual(fused, FusedChunkSum(sum: exact ?? 0, count: count), "row group \(g)", file: file, line: line)
                XCTAssertNotNil(exact, "fused sum given for a chunk whose sum overflows", file: file, line: line)
            }
        }
        return (encodings, fusedChunks)
    }

    func testFusedSumMatchesDecodedSumForEveryEncoding() throws {
        var rng = SystemRandomNumberGenerator()
        // frame of reference, small and huge references (n·reference overflows: decoded instead)
        let (forE, forFused) = try check((0 ..< 5000).map { _ in .bigint(1_000_000 + Int64.random(in: 0 ..< 1000, using: &rng)) })
        XCTAssertEqual(forE, [.frameOfReference]); XCTAssertEqual(forFused, 5)
        try check((0 ..< 3000).map { _ in .bigint(-4_000_000_000_000_000_000 + Int64.random(in: 0 ..< 1000, using: &rng)) })
        try check((0 ..< 3000).map { _ in .bigint(Int64.random(in: -300 ..< 300, using: &rng)) })
        // run-length, including runs whose sum overflows
        let (rle, rleFused) = try check((0 ..< 3000).map { .bigint($0 % 1000 < 500 ? -7 : 9) })
        XCTAssertEqual(rle, [.runLength]); XCTAssertEqual(rleFused, 3)
        let (rleWide, _) = try check((0 ..< 3000).map { .bigint($0 % 1000 < 500 ? Int64.min : Int64.max) })
        XCTAssertEqual(rleWide, [.runLength])
        try check((0 ..< 3000).map { _ in .bigint(Int64.max / 2) })
        // plain (wide random values: sums overflow or need the checked path)
        let (plain, _) = try check((0 ..< 3000).map { _ in .bigint(Int64.random(in: .min ... .max, using: &rng)) })
        XCTAssertTrue(plain.contains(.plain))
        // dictionary and delta are decoded
        let wide: [Int64] = [-9_000_000_000_000, 5, 77_777_777_777_777, 42]
        let (dict, dictFused) = try check((0 ..< 3000).map { _ in .bigint(wide.randomElement(using: &rng)!) })
        XCTAssertEqual(dict, [.dictionary]); XCTAssertEqual(dictFused, 0)
        let (delta, deltaFused) = try check((0 ..< 3000).map { .bigint(Int64($0) * 3 - 10_000_000_000) })
        XCTAssertEqual(delta, [.delta]); XCTAssertEqual(deltaFused, 0)
    }

    func testChunksWithNullsAreNotFused() throws {
        let (_, fused) = try check((0 ..< 3000).map { i in i % 7 == 0 ? .null : .bigint(Int64(i % 1000)) })
        XCTAssertEqual(fused, 0)
        let (_, allNull) = try check((0 ..< 2000).map { _ in .null })
        XCTAssertEqual(allNull, 0)
    }

    func testUsedDictionaryEntriesMatchTheDecodedCodes() throws {
        let path = S.temporaryPath()
        defer { unlink(path) }
        var options = WriterOptions()
        options.rowGroupSize = 1000
        let words = ["a", "b", "", "caf\u{E9}", "cafe\u{301}"]
        let dict = (0 ..< 3000).map { i -> Value in i % 3 == 1 || i >= 2000 && i % 5 != 0 ? .null : .varchar(words[i % words.count]) }
        let plain = (0 ..< 3000).map { i -> Value in .varchar("\(i)-\(UUID().uuidString)") }
        try S.write(Schema([Field(name: "d", type: .varchar), Field(name: "p", type: .varchar)]),
                    [Batch(columns: [S.column(.varchar, dict), S.column(.varchar, plain)])], path: path, options: options)
        let reader = try DataFileReader(path: path)
        for g in reader.rowGroups.indices {
            XCTAssertEqual(reader.chunkEncoding(rowGroup: g, column: 0), .dictionary)
            let entries = try XCTUnwrap(try reader.usedDictionaryEntries(rowGroup: g, column: 0))
            let column = try reader.readColumn(rowGroup: g, column: 0)
            // Compared as bytes: "café" precomposed and decomposed are different entries.
            var expected = Set<[UInt8]>()
            for i in 0 ..< column.count { if case let .varchar(v) = column.value(at: i) { expected.insert(Array(v.utf8)) } }
            let used = entries.used.indices.filter { entries.used[$0] }.map { entries.dictionary.withBytes(at: $0) { Array($0) } }
            XCTAssertEqual(Set(used), expected, "row group \(g)")
            XCTAssertEqual(used.count, expected.count)
            XCTAssertNil(try reader.usedDictionaryEntries(rowGroup: g, column: 1))
        }
    }
}
