import XCTest
@testable import Execution
import Storage

/// The window layout's partition-first path (hash grouping, counting sort, a sort per partition on two threads) must give
/// the same permutation, partitions and peer groups as one stable sort by (partition keys, order keys, row).
final class WindowLayoutTests: XCTestCase {
    func reference(_ partitions: [Column], _ orders: [Column], _ orderKeys: [SortKey], _ n: Int) -> [Int32] {
        let partitionKeys = partitions.map { _ in SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: true) }
        return RowComparator(columns: partitions + orders, keys: partitionKeys + orderKeys).sortedPermutation(n)
    }

    func randomColumns(_ n: Int, seed: UInt64) -> (strings: Column, dictionary: Column, ints: Column, doubles: Column) {
        var generator = SeededGenerator(seed: seed)
        let words = ["", "a", "ab", "b", "campaign-10", "campaign-9", "zz"]
        let choices: [String?] = (0..<n).map { _ in
            Int.random(in: 0..<10, using: &generator) == 0 ? nil : words[Int.random(in: 0..<words.count, using: &generator)]
        }
        let strings = OpFixtures.column(.varchar, choices.map { $0.map(Value.varchar) ?? .null })
        let dictionary = OpFixtures.dictionaryColumn(choices.reversed())
        let ints = OpFixtures.column(.integer, (0..<n).map { _ in
            Int.random(in: 0..<12, using: &generator) == 0 ? .null : .integer(Int32.random(in: -3...3, using: &generator))
        })
        let doubles = OpFixtures.column(.double, (0..<n).map { _ in
            Int.random(in: 0..<15, using: &generator) == 0 ? .null : .double(Double(Int.random(in: -4...4, using: &generator)) / 2)
        })
        return (strings, dictionary, ints, doubles)
    }

    func testPartitionFirstLayoutEqualsOneSort() throws {
        let n = 5_000
        for seed in 1...4 as ClosedRange<UInt64> {
            let (strings, dictionary, ints, doubles) = randomColumns(n, seed: seed)
            let cases: [([Column], [Column], [SortKey])] = [
                ([strings], [doubles, ints], [SortKey(expression: .constant(.null, .null), ascending: false, nullsFirst: false),
                                              SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: true)]),
                ([ints, strings], [doubles], [SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: false)]),
                ([ints], [], []),
                ([], [strings, ints], [SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: true),
                                       SortKey(expression: .constant(.null, .null), ascending: false, nullsFirst: true)]),
                ([dictionary, ints], [strings], [SortKey(expression: .constant(.null, .null), ascending: false, nullsFirst: true)]),
                ([doubles], [ints], [SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: true)]),
            ]
            for (index, (partitions, orders, keys)) in cases.enumerated() {
                let layout = try WindowLayout(partitionColumns: partitions, orderColumns: orders, orderKeys: keys, count: n, threads: 2)
                XCTAssertEqual(layout.perm, reference(partitions, orders, keys, n), "seed \(seed) case \(index)")
                let partitionComparator = RowComparator(columns: partitions, keys: partitions.map { _ in
                    SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: true)
                })
                for p in 1..<n {
                    let samePartition = partitionComparator.compare(Int(layout.perm[p - 1]), Int(layout.perm[p])) == 0
                    XCTAssertEqual(layout.partitionStart[p] == layout.partitionStart[p - 1], samePartition, "seed \(seed) case \(index) position \(p)")
                    XCTAssertEqual(layout.partitionEnd[p - 1] == Int32(p), !samePartition)
                }
            }
        }
    }

    func testOnePartitionSortsInSlicesLikeOneSort() throws {
        // Above RowComparator.parallelSortMinimumRows the unpartitioned sort runs in slices on two threads and merges.
        let n = RowComparator.parallelSortMinimumRows + 4_321
        let (strings, _, ints, _) = randomColumns(n, seed: 99)
        let keys = [SortKey(expression: .constant(.null, .null), ascending: false, nullsFirst: true),
                    SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: false)]
        let layout = try WindowLayout(partitionColumns: [], orderColumns: [ints, strings], orderKeys: keys, count: n, threads: 2)
        XCTAssertEqual(layout.perm, reference([], [ints, strings], keys, n))
        XCTAssertEqual(layout.partitionStart.first, 0)
        XCTAssertEqual(layout.partitionEnd.last, Int32(n))
    }

    func testEmptyInput() throws {
        let empty = OpFixtures.column(.varchar, [])
        let layout = try WindowLayout(partitionColumns: [empty], orderColumns: [], orderKeys: [], count: 0, threads: 2)
        XCTAssertEqual(layout.perm, [])
    }
}
