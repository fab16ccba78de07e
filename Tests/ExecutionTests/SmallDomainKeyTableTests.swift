import XCTest
@testable import Execution
import Storage

/// The perfect-hash key table for several VARCHAR keys, checked against `CompositeKeyTable` (same group ids in
/// the same order), with NULL keys, changing dictionaries, lookups of unknown values and the switch to the hash
/// table when the values get too many.
final class SmallDomainKeyTableTests: XCTestCase {
    private func batches(_ seed: UInt64, distinct: (Int, Int), batches: Int, rows: Int, plain: Bool = false) -> [[Column]] {
        var random = OpRandom(seed)
        return (0..<batches).map { b in
            var first: [String?] = [], second: [String?] = []
            for _ in 0..<rows {
                first.append(random.chance(0.05) ? nil : "k\(random.int(0...(distinct.0 - 1)))")
                second.append(random.chance(0.05) ? nil : "v\(random.int(0...(distinct.1 - 1)))-\(b % 2)")
            }
            if plain { return [ExprTest.column(first.map { $0.map(Value.varchar) ?? .null }, .varchar), OpFixtures.dictionaryColumn(second)] }
            return [OpFixtures.dictionaryColumn(first), OpFixtures.dictionaryColumn(second)]
        }
    }

    private func assertSameAsComposite(_ input: [[Column]], expectFallback: Bool, file: StaticString = #filePath, line: UInt = #line) {
        let small = SmallDomainKeyTable(types: [.varchar, .varchar])
        let reference = CompositeKeyTable(types: [.varchar, .varchar])
        var a: [Int32] = [], b: [Int32] = []
        for keys in input {
            let n = keys[0].count
            small.assign(keys, count: n, groupIDs: &a)
            reference.assign(keys, count: n, groupIDs: &b)
            XCTAssertEqual(a, b, "group ids", file: file, line: line)
        }
        XCTAssertEqual(small.groupCount, reference.groupCount, file: file, line: line)
        XCTAssertEqual(small.usesFallback, expectFallback, file: file, line: line)
        let x = small.keyColumns(), y = reference.keyColumns()
        for g in 0..<small.groupCount {
            XCTAssertEqual(x.map { $0.value(at: g) }, y.map { $0.value(at: g) }, "key of group \(g)", file: file, line: line)
        }
        // Lookups (no new groups): known keys find their group, unknown values give -1.
        var probe = input[0]
        let original = probe[0]
        probe[0] = OpFixtures.dictionaryColumn((0..<original.count).map { i -> String? in
            if i % 3 == 0 { return "unknown" }
            if case let .varchar(s) = original.value(at: i) { return s }
            return nil
        })
        small.lookup(probe, count: probe[0].count, groupIDs: &a)
        reference.lookup(probe, count: probe[0].count, groupIDs: &b)
        XCTAssertEqual(a, b, "lookup", file: file, line: line)
        XCTAssertTrue(a.contains(-1), file: file, line: line)
    }

    func testFewValuesWithNullsMatchCompositeTable() {
        assertSameAsComposite(batches(1, distinct: (3, 2), batches: 5, rows: 500), expectFallback: false)
    }

    func testPlainStringsAndGrowingDomains() {
        // 20 × 12 values (+ NULL): the bits grow batch by batch and stay within the perfect hash.
        assertSameAsComposite(batches(2, distinct: (20, 6), batches: 8, rows: 300, plain: true), expectFallback: false)
    }

    func testTooManyValuesFallBackKeepingGroupIDs() {
        // 200 × 100 values need more than 12 bits: the table moves its groups into the hash table mid-stream.
        assertSameAsComposite(batches(3, distinct: (3, 2), batches: 2, rows: 400) + batches(4, distinct: (200, 50), batches: 3, rows: 2000),
                              expectFallback: true)
    }

    func testGroupByThroughOperatorMatchesSingleKeyPaths() throws {
        let keys = batches(5, distinct: (4, 3), batches: 1, rows: 3000)[0]
        let values = OpFixtures.column(.bigint, (0..<3000).map { .bigint(Int64($0 % 17)) })
        for threads in [1, 2] {
            let op = HashAggregateOperator(child: OpFixtures.values(keys + [values], batchSize: 256),
                                           groupKeys: [.column(0, .varchar), .column(1, .varchar)],
                                           aggregates: [AggregateCall(kind: .sum, arguments: [.column(2, .bigint)], resultType: .bigint),
                                                        AggregateCall(kind: .countStar, arguments: [], resultType: .bigint)])
            let rows = try OpFixtures.rows(op, threads: threads)
            var expected: [String: (Int64, Int64)] = [:]
            for i in 0..<3000 {
                let k = "\(keys[0].value(at: i))|\(keys[1].value(at: i))"
                expected[k, default: (0, 0)].0 += Int64(i % 17)
                expected[k, default: (0, 0)].1 += 1
            }
            XCTAssertEqual(rows.count, expected.count)
            for r in rows {
                let e = expected["\(r[0])|\(r[1])"]
                XCTAssertEqual(r[2], .bigint(e?.0 ?? -1))
                XCTAssertEqual(r[3], .bigint(e?.1 ?? -1))
            }
        }
    }
}
