import XCTest
@testable import Execution
import Storage

/// Few-group sums and counts through four lanes equal the row-by-row loop, and still report overflow.
final class LaneSumsTests: XCTestCase {
    func testLanesMatchRowByRowSumsAndCounts() {
        var random = OpRandom(7)
        for (groups, rows) in [(2, 256), (4, 1001), (32, 5003)] {
            let gids = (0..<rows).map { _ in Int32(random.int(0...(groups - 1))) }
            let values = (0..<rows).map { _ in Int64(random.int(-1_000_000...1_000_000)) }
            var expectedSums = [Int64](repeating: 5, count: groups), expectedCounts = [Int64](repeating: 1, count: groups)
            for i in 0..<rows { expectedSums[Int(gids[i])] += values[i]; expectedCounts[Int(gids[i])] += 1 }
            var sums = [Int64](repeating: 5, count: groups), counts = [Int64](repeating: 1, count: groups)
            XCTAssertTrue(LaneSums.applies(groups: groups, rows: rows))
            let overflow = values.withUnsafeBufferPointer { v in gids.withUnsafeBufferPointer { g in
                sums.withUnsafeMutableBufferPointer { LaneSums.add(v, g, into: $0) } } }
            gids.withUnsafeBufferPointer { g in counts.withUnsafeMutableBufferPointer { LaneSums.count(g, into: $0) } }
            XCTAssertFalse(overflow)
            XCTAssertEqual(sums, expectedSums)
            XCTAssertEqual(counts, expectedCounts)
        }
        XCTAssertFalse(LaneSums.applies(groups: 1, rows: 10_000))
        XCTAssertFalse(LaneSums.applies(groups: 33, rows: 10_000))
        XCTAssertFalse(LaneSums.applies(groups: 4, rows: 100))
    }

    func testBlocksWithLargeValuesAreAddedExactly() {
        var random = OpRandom(9)
        let rows = 5000
        let gids = (0..<rows).map { _ in Int32(random.int(0...3)) }
        // Mostly small values, with a few blocks holding values beyond 2^52 (summed row by row there).
        let values = (0..<rows).map { i -> Int64 in i % 1500 == 7 ? (i % 2 == 0 ? 1 << 60 : -(1 << 60)) : Int64(random.int(-50...50)) }
        var expected = [Int64](repeating: 0, count: 4)
        for i in 0..<rows { expected[Int(gids[i])] &+= values[i] }
        var sums = [Int64](repeating: 0, count: 4)
        let overflow = values.withUnsafeBufferPointer { v in gids.withUnsafeBufferPointer { g in
            sums.withUnsafeMutableBufferPointer { LaneSums.add(v, g, into: $0) } } }
        XCTAssertFalse(overflow)
        XCTAssertEqual(sums, expected)
        // Small values folded into a sum near the limit still report the overflow.
        var nearMax: [Int64] = [Int64.max - 10, 0]
        let small = [Int64](repeating: 1, count: 300), ids = [Int32](repeating: 0, count: 300)
        let overflowed = small.withUnsafeBufferPointer { v in ids.withUnsafeBufferPointer { g in
            nearMax.withUnsafeMutableBufferPointer { LaneSums.add(v, g, into: $0) } } }
        XCTAssertTrue(overflowed)
    }

    func testLanesReportOverflow() {
        let values: [Int64] = [Int64.max, 0, 0, 0, Int64.max, 0, 0, 0]
        let gids: [Int32] = [0, 1, 1, 1, 0, 1, 1, 1]
        var sums: [Int64] = [0, 0]
        let overflow = values.withUnsafeBufferPointer { v in gids.withUnsafeBufferPointer { g in
            sums.withUnsafeMutableBufferPointer { LaneSums.add(v, g, into: $0) } } }
        XCTAssertTrue(overflow)
    }

    /// `sum`, `avg` and `count` over decimals with four groups and batches long enough for the lanes.
    func testGroupedDecimalAggregatesThroughLanes() throws {
        let n = 4000
        let keys = OpFixtures.column(.bigint, (0..<n).map { .bigint(Int64($0 % 4)) })
        let amounts = OpFixtures.column(.decimal(precision: 15, scale: 2), (0..<n).map { $0 % 13 == 0 ? .null : .decimal(Int64($0 * 7 % 1000), scale: 2) })
        let op = HashAggregateOperator(child: OpFixtures.values([keys, amounts], batchSize: 1000), groupKeys: [.column(0, .bigint)], aggregates: [
            AggregateCall(kind: .sum, arguments: [.column(1, .decimal(precision: 15, scale: 2))], resultType: .decimal(precision: 18, scale: 2)),
            AggregateCall(kind: .avg, arguments: [.column(1, .decimal(precision: 15, scale: 2))], resultType: .decimal(precision: 18, scale: 6)),
            AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
        ])
        let rows = OpFixtures.sorted(try OpFixtures.rows(op))
        XCTAssertEqual(rows.count, 4)
        for r in rows {
            guard case let .bigint(k) = r[0] else { return XCTFail("key") }
            let members = (0..<n).filter { Int64($0 % 4) == k }
            let present = members.filter { $0 % 13 != 0 }
            let total = present.reduce(Int64(0)) { $0 + Int64($1 * 7 % 1000) }
            XCTAssertEqual(r[1], .decimal(total, scale: 2))
            XCTAssertEqual(r[2], .decimal(AverageAccumulator.divideRounded(total, Int64(present.count), shift: 4), scale: 6))
            XCTAssertEqual(r[3], .bigint(Int64(members.count)))
        }
    }
}
