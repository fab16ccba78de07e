import XCTest
@testable import Execution
import Storage

final class OperatorSortTests: XCTestCase {
    func testSortIsStableWithNullPlacement() throws {
        let k = OpFixtures.column(.integer, [.integer(2), .null, .integer(1), .integer(2), .null, .integer(1)])
        let tag = OpFixtures.column(.integer, (0..<6).map { .integer($0) })
        let asc = SortOperator(child: OpFixtures.values([k, tag], batchSize: 4), keys: [SortKey(expression: .column(0, .integer), ascending: true, nullsFirst: false)])
        XCTAssertEqual(try OpFixtures.rows(asc).map { $0[1] }, [2, 5, 0, 3, 1, 4].map { Value.integer($0) })
        let descFirst = SortOperator(child: OpFixtures.values([k, tag]), keys: [SortKey(expression: .column(0, .integer), ascending: false, nullsFirst: true)])
        XCTAssertEqual(try OpFixtures.rows(descFirst).map { $0[1] }, [1, 4, 0, 3, 2, 5].map { Value.integer($0) })
    }

    func testStringsSortByteWiseIncludingDictionaries() throws {
        let words = ["b", "B", "a", "é", "ab", "", "a"]
        let plain = OpFixtures.column(.varchar, words.map { .varchar($0) })
        let dict = OpFixtures.dictionaryColumn(words)
        let expected = words.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { Value.varchar($0) }
        for c in [plain, dict] {
            let op = SortOperator(child: OpFixtures.values([c], batchSize: 3), keys: [SortKey(expression: .column(0, .varchar))])
            XCTAssertEqual(try OpFixtures.rows(op).map { $0[0] }, expected)
        }
    }

    func testTopNEqualsSortPlusLimit() throws {
        var r = OpRandom(11)
        let n = 3000
        let a = OpFixtures.column(.bigint, (0..<n).map { _ in r.chance(0.05) ? .null : .bigint(Int64(r.int(0...50))) })
        let b = OpFixtures.column(.double, (0..<n).map { _ in r.chance(0.05) ? .null : .double(Double(r.int(0...1000)) / 10) })
        let s = OpFixtures.dictionaryColumn((0..<n).map { _ in r.chance(0.05) ? nil : "s\(r.int(0...20))" })
        let id = OpFixtures.column(.integer, (0..<n).map { .integer(Int32($0)) })
        let keys = [SortKey(expression: .column(0, .bigint), ascending: false, nullsFirst: true),
                    SortKey(expression: .column(2, .varchar), ascending: true, nullsFirst: false),
                    SortKey(expression: .column(1, .double), ascending: true, nullsFirst: true)]
        for (limit, offset) in [(10, 0), (1, 5), (100, 37), (0, 0), (5000, 10)] {
            let top = TopNOperator(child: OpFixtures.values([a, b, s, id], batchSize: 128), keys: keys, limit: limit, offset: offset)
            let reference = LimitOperator(child: SortOperator(child: OpFixtures.values([a, b, s, id], batchSize: 128), keys: keys), limit: limit, offset: offset)
            XCTAssertEqual(try OpFixtures.rows(top), try OpFixtures.rows(reference), "limit \(limit) offset \(offset)")
        }
    }

    /// Once the buffer holds LIMIT + OFFSET rows, rows whose first key sorts after the last kept row's are dropped on
    /// arrival. For every first-key type it filters (INTEGER, BIGINT, DOUBLE with NaN), both directions and both NULL
    /// placements, with many ties and NULLs, the answer equals a full sort's, and rows were dropped.
    func testTopNBoundaryDropsRowsWithoutChangingTheAnswer() throws {
        var r = OpRandom(23)
        let n = 40_000
        let ints = OpFixtures.column(.integer, (0..<n).map { _ in r.chance(0.1) ? .null : .integer(Int32(r.int(-500...500))) })
        let bigs = OpFixtures.column(.bigint, (0..<n).map { _ in r.chance(0.1) ? .null : .bigint(Int64(r.int(0...3000)) * 1_000_003) })
        let doubles = OpFixtures.column(.double, (0..<n).map { _ -> Value in
            if r.chance(0.1) { return .null }
            if r.chance(0.02) { return .double(.nan) }
            return .double(Double(r.int(-2000...2000)) / 8)
        })
        let tie = OpFixtures.column(.integer, (0..<n).map { _ in .integer(Int32(r.int(0...3))) })
        let id = OpFixtures.column(.integer, (0..<n).map { .integer(Int32($0)) })
        let columns = [ints, bigs, doubles, tie, id]
        for (column, type) in [(0, DataType.integer), (1, .bigint), (2, .double)] {
            for ascending in [true, false] {
                for nullsFirst in [false, true] {
                    let keys = [SortKey(expression: .column(column, type), ascending: ascending, nullsFirst: nullsFirst),
                                SortKey(expression: .column(3, .integer), ascending: !ascending, nullsFirst: false)]
                    let what = "column \(column) ascending \(ascending) nullsFirst \(nullsFirst)"
                    let top = TopNOperator(child: OpFixtures.values(columns, batchSize: 1000), keys: keys, limit: 40, offset: 300)
                    let reference = LimitOperator(child: SortOperator(child: OpFixtures.values(columns, batchSize: 1000), keys: keys), limit: 40, offset: 300)
                    // Compared as text: NaN is not equal to itself as a Value.
                    let text = { (rows: [[Value]]) in rows.map { $0.map(\.description) } }
                    XCTAssertEqual(text(try OpFixtures.rows(top)), text(try OpFixtures.rows(reference)), what)
                    // (Descending DOUBLE puts the NaNs first: once they fill the 340 rows the boundary is NaN, which
                    // filters nothing, so fewer rows are dropped there.)
                    XCTAssertGreaterThan(top.statistics.extra["boundary_rows_dropped"] ?? 0, n / 4, what)
                }
            }
        }
    }

    func testLimitOffsetAcrossBatches() throws {
        let c = OpFixtures.column(.integer, (0..<100).map { .integer($0) })
        let op = LimitOperator(child: OpFixtures.values([c], batchSize: 7), limit: 10, offset: 15)
        XCTAssertEqual(try OpFixtures.rows(op).map { $0[0] }, (15..<25).map { Value.integer(Int32($0)) })
    }

    func testDistinctUnionAndSetOperations() throws {
        let l = OpFixtures.column(.integer, [1, 1, 1, 2, 2, 3, -1].map { $0 < 0 ? Value.null : .integer(Int32($0)) })
        let r = OpFixtures.column(.integer, [1, 2, 2, 2, 4, -1, -1].map { $0 < 0 ? Value.null : .integer(Int32($0)) })
        func run(_ kind: SetOperationOperator.Kind, _ all: Bool) throws -> [[Value]] {
            OpFixtures.sorted(try OpFixtures.rows(SetOperationOperator(left: OpFixtures.values([l], batchSize: 3), right: OpFixtures.values([r], batchSize: 2), kind: kind, all: all)))
        }
        let v = { (xs: [Int]) in OpFixtures.sorted(xs.map { [$0 < 0 ? Value.null : .integer(Int32($0))] }) }
        XCTAssertEqual(try run(.intersect, true), v([1, 2, 2, -1]))
        XCTAssertEqual(try run(.intersect, false), v([1, 2, -1]))
        XCTAssertEqual(try run(.except, true), v([1, 1, 3]))
        XCTAssertEqual(try run(.except, false), v([3]))
        let distinct = DistinctOperator(child: UnionAllOperator(children: [OpFixtures.values([l], batchSize: 2), OpFixtures.values([r], batchSize: 3)]))
        XCTAssertEqual(OpFixtures.sorted(try OpFixtures.rows(distinct)), v([1, 2, 3, 4, -1]))
        XCTAssertEqual(try OpFixtures.rows(UnionAllOperator(children: [OpFixtures.values([l]), OpFixtures.values([r])])).count, 14)
    }

    func testExplainRendersTree() throws {
        let c = OpFixtures.column(.integer, [.integer(1)])
        let op = LimitOperator(child: FilterOperator(child: OpFixtures.values([c]), predicate: .constant(.boolean(true), .boolean)), limit: 5)
        _ = try OpFixtures.rows(op)
        let lines = ExplainFormatter.render(op, analyze: true)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("Limit 5 (rows=1 time="), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("  -> Filter true"), lines[1])
        XCTAssertEqual(ExplainFormatter.render(op, analyze: false)[2], "    -> Values rows=1")
    }
}
