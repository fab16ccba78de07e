import XCTest
@testable import Execution
import Storage

/// A filter keeping most rows hands the parallel aggregation the unfiltered batch and the kept rows
/// (`DeferredSelection`): results must equal the single-threaded plan, which gathers.
final class DeferredSelectionTests: XCTestCase {
    static let n = 6_000

    /// c0 dictionary key with NULLs, c1 dictionary key, c2 BIGINT, c3 BIGINT with NULLs, c4 DECIMAL(15,2),
    /// c5 BIGINT whose every 10th row overflows when multiplied by 4, c6 BOOLEAN keep flag with NULLs,
    /// c7 BOOLEAN all false.
    static func table() -> [Column] {
        let n = Self.n
        let c0 = OpFixtures.dictionaryColumn((0..<n).map { ["A", "A", "R", "R", "N", nil, "F", "A"][$0 % 8] })
        let c1 = OpFixtures.dictionaryColumn((0..<n).map { $0 % 3 == 0 ? "O" : "F" })
        let c2 = OpFixtures.column(.bigint, (0..<n).map { .bigint(Int64($0 % 1_000)) })
        let c3 = OpFixtures.column(.bigint, (0..<n).map { $0 % 13 == 0 ? .null : .bigint(Int64($0) - 2_000) })
        let c4 = OpFixtures.column(.decimal(precision: 15, scale: 2), (0..<n).map { .decimal(Int64($0 * 37 % 100_000), scale: 2) })
        let c5 = OpFixtures.column(.bigint, (0..<n).map { .bigint($0 % 10 == 0 ? Int64.max / 2 : Int64($0)) })
        let c6 = OpFixtures.column(.boolean, (0..<n).map { $0 % 17 == 0 ? .null : .boolean($0 % 10 != 0) })
        let c7 = OpFixtures.column(.boolean, (0..<n).map { _ in .boolean(false) })
        return [c0, c1, c2, c3, c4, c5, c6, c7]
    }

    static let calls: [AggregateCall] = [
        AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
        AggregateCall(kind: .count, arguments: [.column(3, .bigint)], resultType: .bigint),
        AggregateCall(kind: .sum, arguments: [.column(2, .bigint)], resultType: .bigint),
        AggregateCall(kind: .sum, arguments: [.column(3, .bigint)], resultType: .bigint),
        AggregateCall(kind: .sum, arguments: [.column(4, .decimal(precision: 15, scale: 2))], resultType: .decimal(precision: 18, scale: 2)),
        AggregateCall(kind: .avg, arguments: [.column(4, .decimal(precision: 15, scale: 2))], resultType: .decimal(precision: 18, scale: 6)),
        AggregateCall(kind: .avg, arguments: [.column(2, .bigint)], resultType: .double),
        AggregateCall(kind: .min, arguments: [.column(2, .bigint)], resultType: .bigint),
    ]

    func compare(keys: [Int], predicate: BoundExpression, calls: [AggregateCall] = calls, expectGroups: Int? = nil,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let table = Self.table()
        let make = {
            HashAggregateOperator(child: FilterOperator(child: OpFixtures.values(table, batchSize: 1_000), predicate: predicate),
                                  groupKeys: keys.map { .column($0, table[$0].type) }, aggregates: calls)
        }
        let serial = OpFixtures.sorted(try OpFixtures.rows(make(), threads: 1))
        let parallel = OpFixtures.sorted(try OpFixtures.rows(make(), threads: 2))
        if let expectGroups { XCTAssertEqual(serial.count, expectGroups, file: file, line: line) }
        XCTAssertEqual(serial, parallel, file: file, line: line)
    }

    func testNullableFlagFilterWithNullKeys() throws {
        // Keeps 5,400 − 36 of 6,000 rows per the flag; the NULL key (c0) is a group of its own.
        try compare(keys: [0], predicate: .column(6, .boolean), expectGroups: 5)
        try compare(keys: [0, 1], predicate: .column(6, .boolean), expectGroups: 10)
    }

    func testFilterOverDictionaryStrings() throws {
        let notN = try ExprTest.call("<>", [.column(0, .varchar), ExprTest.lit(.varchar("N"))])
        // 'N' and the NULL key rows are removed (6 of 8 kept): those groups must not appear.
        try compare(keys: [0], predicate: notN, expectGroups: 3)
        try compare(keys: [1, 0], predicate: notN, expectGroups: 6)
    }

    func testAllRowsFilteredOut() throws {
        try compare(keys: [0], predicate: .column(7, .boolean), expectGroups: 0)
        try compare(keys: [1], predicate: ExprTest.lit(.boolean(false)), expectGroups: 0)
    }

    /// `c5 * 4` overflows only on rows the filter removes: the deferred path evaluates it over every row and
    /// must fall back to the kept rows instead of failing.
    func testArgumentFailingOnlyOnRemovedRows() throws {
        let times4 = try ExprTest.call("*", [.column(5, .bigint), ExprTest.lit(.bigint(4))])
        let keep = try ExprTest.call("<>", [try ExprTest.call("%", [.column(2, .bigint), ExprTest.lit(.bigint(10))]), ExprTest.lit(.bigint(0))])
        let calls = [AggregateCall(kind: .sum, arguments: [times4], resultType: .bigint),
                     AggregateCall(kind: .countStar, arguments: [], resultType: .bigint)]
        try compare(keys: [1], predicate: keep, calls: calls, expectGroups: 2)
        // Without the filter the overflow is reported.
        let table = Self.table()
        let op = HashAggregateOperator(child: OpFixtures.values(table, batchSize: 1_000), groupKeys: [.column(1, .varchar)], aggregates: calls)
        XCTAssertThrowsError(try OpFixtures.rows(op, threads: 2))
    }

    func testDistinctAndStringAggUnderFilter() throws {
        let calls = [AggregateCall(kind: .count, arguments: [.column(2, .bigint)], distinct: true, resultType: .bigint),
                     AggregateCall(kind: .countStar, arguments: [], resultType: .bigint)]
        try compare(keys: [0], predicate: .column(6, .boolean), calls: calls, expectGroups: 5)
        let agg = [AggregateCall(kind: .stringAgg, arguments: [.column(1, .varchar), ExprTest.lit(.varchar(","))], resultType: .varchar),
                   AggregateCall(kind: .sum, arguments: [.column(2, .bigint)], resultType: .bigint)]
        try compare(keys: [0], predicate: .column(6, .boolean), calls: agg, expectGroups: 5)
    }

    /// The discard id skips rows in `LaneSums` (lanes and the row-by-row path for large values).
    func testLaneSumsSkipDiscardedRows() {
        let gids: [Int32] = (0..<2_048).map { $0 % 5 == 4 ? 4 : Int32($0 % 4) }
        for big in [false, true] {
            let values: [Int64] = (0..<2_048).map { big && $0 % 5 == 4 ? Int64(1) << 60 : Int64($0) }
            var sums = [Int64](repeating: 0, count: 4), counts = [Int64](repeating: 0, count: 4)
            let overflow = values.withUnsafeBufferPointer { v in
                gids.withUnsafeBufferPointer { g in
                    sums.withUnsafeMutableBufferPointer { LaneSums.add(v, g, into: $0, groups: 4) }
                }
            }
            gids.withUnsafeBufferPointer { g in counts.withUnsafeMutableBufferPointer { LaneSums.count(g, into: $0, groups: 4) } }
            var expected = [Int64](repeating: 0, count: 4), expectedCounts = [Int64](repeating: 0, count: 4)
            for i in 0..<2_048 where gids[i] < 4 { expected[Int(gids[i])] += values[i]; expectedCounts[Int(gids[i])] += 1 }
            XCTAssertFalse(overflow)
            XCTAssertEqual(sums, expected)
            XCTAssertEqual(counts, expectedCounts)
        }
    }
}
