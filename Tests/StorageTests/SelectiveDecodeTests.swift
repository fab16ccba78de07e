import Foundation
import XCTest
@testable import Storage

/// `DataFileReader.readColumn(rowGroup:column:rows:)` (rows decoded one by one) against the whole chunk decoded and
/// gathered, for every type and encoding; and `sequenceRange` against comparing every decoded value.
final class SelectiveDecodeTests: XCTestCase {
    typealias S = FormatTestSupport

    /// Writes `values` as one column in row groups of 1000 and, in each row group, compares the selective read of
    /// several row sets (a few rows, one row, the last row, repeated rows out of order) with decode-and-gather.
    /// Returns the encodings seen.
    @discardableResult
    private func check(_ type: DataType, _ values: [Value], file: StaticString = #filePath, line: UInt = #line) throws -> Set<ChunkEncoding> {
        let path = S.temporaryPath()
        defer { unlink(path) }
        var options = WriterOptions()
        options.rowGroupSize = 1000
        try S.write(Schema([Field(name: "c", type: type)]), [Batch(columns: [S.column(type, values)])], path: path, options: options)
        let reader = try DataFileReader(path: path)
        var encodings = Set<ChunkEncoding>()
        var rng = SystemRandomNumberGenerator()
        for g in reader.rowGroups.indices {
            if let e = reader.chunkEncoding(rowGroup: g, column: 0) { encodings.insert(e) }
            let n = reader.rowGroups[g].rowCount
            let whole = try reader.readColumn(rowGroup: g, column: 0)
            let sets: [[Int32]] = [
                (0 ..< 5).map { _ in Int32.random(in: 0 ..< Int32(n), using: &rng) }.sorted(),
                [0], [Int32(n - 1)], [Int32(n - 1), 0, 3, 3],
            ]
            for rows in sets {
                let selected = try reader.readColumn(rowGroup: g, column: 0, rows: rows)
                XCTAssertEqual(selected.count, rows.count, file: file, line: line)
                XCTAssertEqual(selected.type, type, file: file, line: line)
                for (k, r) in rows.enumerated() {
                    XCTAssertTrue(S.same(selected.value(at: k), whole.value(at: Int(r))),
                                  "row group \(g) row \(r): \(selected.value(at: k)) vs \(whole.value(at: Int(r)))", file: file, line: line)
                }
            }
        }
        return encodings
    }

    func testSelectedRowsEqualTheDecodedChunkForEveryEncoding() throws {
        var rng = SystemRandomNumberGenerator()
        XCTAssertEqual(try check(.bigint, (0 ..< 3000).map { _ in .bigint(1_000_000 + Int64.random(in: 0 ..< 1000, using: &rng)) }),
                       [.frameOfReference])
        XCTAssertEqual(try check(.bigint, (0 ..< 3000).map { .bigint($0 % 1000 < 500 ? -7 : 9) }), [.runLength])
        XCTAssertTrue(try check(.bigint, (0 ..< 3000).map { _ in .bigint(Int64.random(in: .min ... .max, using: &rng)) }).contains(.plain))
        let wide: [Int64] = [-9_000_000_000_000, 5, 77_777_777_777_777, 42]
        XCTAssertEqual(try check(.bigint, (0 ..< 3000).map { _ in .bigint(wide.randomElement(using: &rng)!) }), [.dictionary])
        // Delta: equal steps are read row by row, varying ones fall back to the whole chunk.
        XCTAssertEqual(try check(.bigint, (0 ..< 3000).map { .bigint(5_000_000_000 + Int64($0) * 3) }), [.delta])
        XCTAssertEqual(try check(.bigint, (0 ..< 3000).map { .bigint(5_000_000_000 + Int64($0) * 1000 + Int64($0 % 7)) }), [.delta])
        try check(.integer, (0 ..< 3000).map { .integer(Int32($0)) })
        try check(.integer, (0 ..< 3000).map { $0 % 3 == 0 ? .null : .integer(Int32($0 % 17)) })
        try check(.double, (0 ..< 3000).map { $0 % 5 == 0 ? .null : .double(Double($0) * 1.5) })
        try check(.double, (0 ..< 3000).map { _ in .double(Double.random(in: -1e9 ... 1e9, using: &rng)) })
        try check(.varchar, (0 ..< 3000).map { .varchar("city \($0 % 12)") })
        try check(.varchar, (0 ..< 3000).map { $0 % 4 == 0 ? .null : .varchar(UUID().uuidString + "é\($0)") })
        try check(.boolean, (0 ..< 3000).map { .boolean($0 % 3 == 0) })
        try check(.date, (0 ..< 3000).map { .date(Int32(19_000 + $0 / 10)) })
    }

    func testSequenceRangeMatchesComparingEveryValue() throws {
        let path = S.temporaryPath()
        defer { unlink(path) }
        var options = WriterOptions()
        options.rowGroupSize = 1000
        // Row group 0: 100, 103, 106, …; row group 1: the same value throughout; row group 2: steps that vary.
        let values: [Value] = (0 ..< 1000).map { .bigint(100 + 3 * Int64($0)) } + (0 ..< 1000).map { _ in .bigint(7) }
            + (0 ..< 1000).map { .bigint(Int64($0) * 2 + Int64($0 % 3)) }
        try S.write(Schema([Field(name: "id", type: .bigint)]), [Batch(columns: [S.column(.bigint, values)])], path: path, options: options)
        let reader = try DataFileReader(path: path)
        XCTAssertNil(try reader.sequenceRange(rowGroup: 2, column: 0, comparison: .equal, value: 4))
        let comparisons: [(ColumnPredicate.Comparison, (Int64, Int64) -> Bool)] = [
            (.equal, { $0 == $1 }), (.less, { $0 < $1 }), (.lessOrEqual, { $0 <= $1 }), (.greater, { $0 > $1 }), (.greaterOrEqual, { $0 >= $1 }),
        ]
        let constants: [Int64] = [.min, -5, 0, 7, 99, 100, 101, 102, 103, 1597, 3094, 3097, 3098, 5000, .max]
        XCTAssertEqual(reader.chunkEncoding(rowGroup: 0, column: 0), .delta)
        for g in 0 ..< 2 {
            let whole = try reader.readColumn(rowGroup: g, column: 0)
            // A constant chunk is stored run-length (no sequence range then) or as a delta chunk of step 0.
            if reader.chunkEncoding(rowGroup: g, column: 0) != .delta {
                XCTAssertNil(try reader.sequenceRange(rowGroup: g, column: 0, comparison: .equal, value: 7))
                continue
            }
            for (comparison, holds) in comparisons {
                for c in constants {
                    let expected = (0 ..< whole.count).filter { i in
                        if case let .bigint(v) = whole.value(at: i) { return holds(v, c) }
                        return false
                    }
                    guard let range = try reader.sequenceRange(rowGroup: g, column: 0, comparison: comparison, value: c) else {
                        // Only a constant whose distance from the first value overflows has no range form.
                        XCTAssertTrue(c.subtractingReportingOverflow(g == 0 ? 100 : 7).overflow, "row group \(g): id \(comparison.rawValue) \(c)")
                        continue
                    }
                    XCTAssertEqual(Array(range), expected, "row group \(g): id \(comparison.rawValue) \(c)")
                }
            }
        }
        XCTAssertNil(try reader.sequenceRange(rowGroup: 0, column: 0, comparison: .notEqual, value: 4))
    }
}
