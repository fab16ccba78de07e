import XCTest
@testable import Execution
import Storage

/// `ScanAggregateOperator` (fused decode + SUM/COUNT(*)) gives exactly `HashAggregateOperator`'s results.
final class ScanAggregateTests: XCTestCase {
    var directory = ""

    override func setUp() { directory = NSTemporaryDirectory() + "tarn-scan-aggregate-\(UUID().uuidString)" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// A table of BIGINT columns, one per generator, written in row groups of 1000.
    func makeTable(_ name: String, rows: Int, _ generators: [(Int) -> Value]) throws -> TableSnapshot {
        let lake = try Lake.open(at: directory)
        let table = TableName(name: name)
        try lake.createTable(table, schema: Schema(generators.indices.map { Field(name: "c\($0)", type: .bigint) }))
        if rows > 0 {
            let writer = try lake.beginWrite(table)
            writer.options.rowGroupSize = 1000
            try writer.append(Batch(columns: generators.map { g in OpFixtures.column(.bigint, (0 ..< rows).map(g)) }))
            try writer.commit(operation: "INSERT")
        }
        return try lake.snapshot(of: table)
    }

    private func calls(_ columns: Int) -> [AggregateCall] {
        [AggregateCall(kind: .countStar, arguments: [], resultType: .bigint)]
            + (0 ..< columns).map { AggregateCall(kind: .sum, arguments: [.column($0, .bigint)], resultType: .bigint) }
    }

    /// Fused and general results over every column of `snapshot`, with 1 and 2 threads.
    private func assertSame(_ snapshot: TableSnapshot, file: StaticString = #filePath, line: UInt = #line) throws {
        let n = snapshot.schema.count
        for threads in [1, 2] {
            let general = HashAggregateOperator(child: TableScanOperator(snapshot: snapshot, columns: Array(0 ..< n)), groupKeys: [], aggregates: calls(n))
            let fusedOp = try XCTUnwrap(ScanAggregateOperator.make(child: TableScanOperator(snapshot: snapshot, columns: Array(0 ..< n)), aggregates: calls(n)))
            let expected = try OpFixtures.rows(general, threads: threads)
            let fused = try OpFixtures.rows(fusedOp, threads: threads)
            XCTAssertEqual(fused.map { $0.map(\.description) }, expected.map { $0.map(\.description) }, "threads \(threads)", file: file, line: line)
        }
    }

    func testFusedSumsMatchTheGeneralPathForEveryEncoding() throws {
        var rng = SystemRandomNumberGenerator()
        let forValues = (0 ..< 5500).map { _ in Int64.random(in: 0 ..< 100_000, using: &rng) }
        let dictionary: [Int64] = [-9_000_000_000_000, 5, 77_777_777_777_777, 42]
        let dictValues = (0 ..< 5500).map { _ in dictionary.randomElement(using: &rng)! }
        let snapshot = try makeTable("t", rows: 5500, [
            { .bigint(forValues[$0]) },                                   // frame of reference
            { .bigint($0 % 1000 < 400 ? -7 : 123_456) },                  // run-length
            { .bigint(dictValues[$0]) },                                  // dictionary
            { .bigint(Int64($0) * 3 - 10_000_000_000) },                  // delta
            { $0 % 5 == 0 ? .null : .bigint(forValues[$0] - 50_000) },    // NULLs
            { $0 < 2000 || $0 >= 3000 ? .null : .bigint(Int64($0)) },     // all-NULL chunks
            { _ in .null },                                               // all NULL: SUM is NULL
            { $0 == 17 ? .bigint(Int64.max / 4) : .bigint(-Int64($0)) },  // plain-ish wide values
        ])
        try assertSame(snapshot)
    }

    func testEmptyTable() throws {
        try assertSame(try makeTable("e", rows: 0, [{ .bigint(Int64($0)) }]))
        let fused = try XCTUnwrap(ScanAggregateOperator.make(child: TableScanOperator(snapshot: try makeTable("e2", rows: 0, [{ .bigint(Int64($0)) }]), columns: [0]),
                                                             aggregates: calls(1)))
        XCTAssertEqual(try OpFixtures.rows(fused).map { $0.map(\.description) }, [["0", "NULL"]])
    }

    func testOverflowRaisesTheSameError() throws {
        for generator: (Int) -> Value in [{ _ in .bigint(Int64.max / 2) }, { $0 % 1000 < 500 ? .bigint(Int64.max) : .bigint(1) }, { _ in .bigint(1 << 50) }] {
            let snapshot = try makeTable("o\(UUID().uuidString.prefix(6))", rows: 9000, [generator])
            let rows = 9000
            let fits = (0 ..< rows).reduce(Optional(Int64(0))) { s, i in
                guard let s, case let .bigint(v) = generator(i) else { return nil }
                let r = s.addingReportingOverflow(v); return r.overflow ? nil : r.partialValue
            }
            for threads in [1, 2] {
                let general = HashAggregateOperator(child: TableScanOperator(snapshot: snapshot, columns: [0]), groupKeys: [], aggregates: calls(1))
                let fusedOp = try XCTUnwrap(ScanAggregateOperator.make(child: TableScanOperator(snapshot: snapshot, columns: [0]), aggregates: calls(1)))
                if fits == nil {
                    XCTAssertThrowsError(try OpFixtures.rows(general, threads: threads)) { XCTAssertTrue("\($0)".contains("bigint overflow"), "\($0)") }
                    XCTAssertThrowsError(try OpFixtures.rows(fusedOp, threads: threads)) { XCTAssertTrue("\($0)".contains("bigint overflow"), "\($0)") }
                } else {
                    XCTAssertEqual(try OpFixtures.rows(fusedOp, threads: threads).map { $0.map(\.description) },
                                   try OpFixtures.rows(general, threads: threads).map { $0.map(\.description) })
                }
            }
        }
    }

    func testFusedCountDistinctMatchesTheGeneralPath() throws {
        let lake = try Lake.open(at: directory)
        let table = TableName(name: "s")
        try lake.createTable(table, schema: Schema([Field(name: "dict", type: .varchar), Field(name: "plain", type: .varchar),
                                                    Field(name: "nulls", type: .varchar), Field(name: "n", type: .bigint)]))
        let writer = try lake.beginWrite(table)
        writer.options.rowGroupSize = 1000
        let rows = 4500
        // Byte-wise distinct: "é" precomposed and decomposed are different strings, as in the general path.
        let words = ["a", "b", "", "caf\u{E9}", "cafe\u{301}", "zz"]
        let dict = (0 ..< rows).map { i -> Value in i % 13 == 0 ? .null : .varchar(words[(i * 7) % words.count]) }
        let plain = (0 ..< rows).map { i -> Value in .varchar("u\(i)-\(UUID().uuidString)") }
        let nulls = (0 ..< rows).map { i -> Value in i < 1000 || i >= 3000 ? .null : .varchar("x\(i % 50)") }
        try writer.append(Batch(columns: [OpFixtures.column(.varchar, dict), OpFixtures.column(.varchar, plain), OpFixtures.column(.varchar, nulls),
                                          OpFixtures.column(.bigint, (0 ..< rows).map { .bigint(Int64($0)) })]))
        try writer.commit(operation: "INSERT")
        let snapshot = try lake.snapshot(of: table)
        let calls = (0 ..< 3).map { AggregateCall(kind: .count, arguments: [.column($0, .varchar)], distinct: true, resultType: .bigint) }
            + [AggregateCall(kind: .sum, arguments: [.column(3, .bigint)], resultType: .bigint)]
        for threads in [1, 2] {
            for c in calls {
                let general = HashAggregateOperator(child: TableScanOperator(snapshot: snapshot, columns: [0, 1, 2, 3]), groupKeys: [], aggregates: [c])
                let fused = try XCTUnwrap(ScanAggregateOperator.make(child: TableScanOperator(snapshot: snapshot, columns: [0, 1, 2, 3]), aggregates: [c]))
                XCTAssertEqual(try OpFixtures.rows(fused, threads: threads).map { $0.map(\.description) },
                               try OpFixtures.rows(general, threads: threads).map { $0.map(\.description) })
            }
            let all = try XCTUnwrap(ScanAggregateOperator.make(child: TableScanOperator(snapshot: snapshot, columns: [0, 1, 2, 3]), aggregates: calls))
            XCTAssertEqual(try OpFixtures.rows(all, threads: threads).map { $0.map(\.description) }, [["6", "4500", "50", "10122750"]])
        }
    }

    func testUnsupportedShapesFallBack() throws {
        let snapshot = try makeTable("u", rows: 10, [{ .bigint(Int64($0)) }])
        let filtered = TableScanOperator(snapshot: snapshot, columns: [0], filter: .constant(.boolean(true), .boolean))
        XCTAssertNil(ScanAggregateOperator.make(child: filtered, aggregates: calls(1)))
        let scan = TableScanOperator(snapshot: snapshot, columns: [0])
        XCTAssertNil(ScanAggregateOperator.make(child: scan, aggregates: [AggregateCall(kind: .sum, arguments: [.column(0, .bigint)], distinct: true, resultType: .bigint)]))
        XCTAssertNil(ScanAggregateOperator.make(child: scan, aggregates: [AggregateCall(kind: .max, arguments: [.column(0, .bigint)], resultType: .bigint)]))
    }
}
