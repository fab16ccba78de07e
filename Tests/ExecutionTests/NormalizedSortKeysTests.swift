import XCTest
@testable import Execution
import Storage

/// The normalised sort-key images (`NormalizedSortKeys`) against the comparator they stand in for
/// (`RowComparator.compare`): for every key type, ASC / DESC, NULLS FIRST / LAST and ties, two rows' images order
/// them as the comparator does, equal images only where the comparator sees a tie (or a string was cut), and the
/// permutation sorted by images (on one and on two threads) equals a stable sort by the comparator.
final class NormalizedSortKeysTests: XCTestCase {
    private var generator = SeededGenerator(seed: 21)

    /// A column of `n` values of `type` drawn from a small domain (many ties), every 7th-ish row NULL when `nulls`.
    private func column(_ type: DataType, _ n: Int, nulls: Bool) -> Column {
        var builder = ColumnBuilder(type: type, capacity: n)
        let strings = ["", "a", "a\u{0}", "a\u{0}b", "ab", "abc", "b", "B", "é", "日本", "campaign-10", "campaign-9",
                       String(repeating: "x", count: 40) + "1", String(repeating: "x", count: 40) + "0", String(repeating: "x", count: 40),
                       String(repeating: "y", count: 32), String(repeating: "y", count: 31)]
        for _ in 0 ..< n {
            if nulls && generator.next() % 7 == 0 { builder.appendNull(); continue }
            let r = generator.next()
            switch type {
            case .boolean: builder.append(bool: r % 2 == 0)
            case .integer: builder.append(int32: [Int32.min, -5, -1, 0, 1, 7, Int32.max][Int(r % 7)])
            case .bigint: builder.append(int64: [Int64.min, -3_000_000_000, -1, 0, 2, 1 << 40, Int64.max][Int(r % 7)])
            case .double: builder.append(double: [-Double.infinity, -2.5, -0.0, 0.0, 1e-300, 3.25, Double.infinity, Double.nan][Int(r % 8)])
            case .varchar: builder.append(string: strings[Int(r % UInt64(strings.count))])
            default:
                let big: [Int128] = [Int128(Int64.min) * 1_000_000, -1, 0, 1, Int128(Int64.max) * 3, Int128(1) << 100]
                builder.append(int128: big[Int(r % UInt64(big.count))])
            }
        }
        return builder.finish()
    }

    private let types: [DataType] = [.boolean, .integer, .bigint, .double, .varchar, .decimal(precision: 38, scale: 2)]

    private func directions() -> [(Bool, Bool)] { [(true, true), (true, false), (false, true), (false, false)] }

    /// Checks every pair of rows of `columns` under `keys`: images agree with the comparator.
    private func checkPairs(_ columns: [Column], _ keys: [SortKey], _ label: String) {
        let comparator = RowComparator(columns: columns, keys: keys)
        let layout = comparator.normalizedLayout
        let n = columns[0].count
        let images = NormalizedSortKeys(layout: layout, data: comparator.keys.map(\.data), validity: comparator.keys.map(\.validity), count: n)
        for i in 0 ..< n {
            for j in 0 ..< n {
                let expected = comparator.compare(i, j).signum()
                let got = images.compare(i, images, j).signum()
                if got != 0 {
                    XCTAssertEqual(got, expected, "\(label): rows \(i), \(j): \(columns.map { [$0.value(at: i), $0.value(at: j)] })")
                } else if layout.exact {
                    XCTAssertEqual(expected, 0, "\(label): exact images tie, rows \(i), \(j) differ: \(columns.map { [$0.value(at: i), $0.value(at: j)] })")
                }
            }
        }
    }

    func testEveryTypeAndDirectionOrdersAsTheComparator() {
        for type in types {
            for nulls in [false, true] {
                let c = column(type, 60, nulls: nulls)
                for (ascending, nullsFirst) in directions() {
                    let key = SortKey(expression: .column(0, type), ascending: ascending, nullsFirst: nullsFirst)
                    checkPairs([c], [key], "\(type) asc=\(ascending) nullsFirst=\(nullsFirst) nulls=\(nulls)")
                }
            }
        }
    }

    func testSeveralKeysBreakTiesInOrder() {
        for first in types {
            for second in [DataType.varchar, .bigint, .double] {
                let a = column(first, 50, nulls: true), b = column(second, 50, nulls: true)
                for (ascending, nullsFirst) in directions() {
                    let keys = [SortKey(expression: .column(0, first), ascending: ascending, nullsFirst: nullsFirst),
                                SortKey(expression: .column(1, second), ascending: !ascending, nullsFirst: !nullsFirst)]
                    checkPairs([a, b], keys, "\(first), \(second) asc=\(ascending) nullsFirst=\(nullsFirst)")
                }
            }
        }
    }

    func testStringsThatFitAreExactAndLongOnesFallBack() {
        let short = Column(type: .varchar, data: .string(StringArray(["b", "a\u{0}", "a", "", "ab"])))
        let key = [SortKey(expression: .column(0, .varchar))]
        let shortLayout = RowComparator(columns: [short], keys: key).normalizedLayout
        XCTAssertTrue(shortLayout.exact)
        XCTAssertEqual(RowComparator(columns: [short], keys: key).sortedPermutation(5), [3, 2, 1, 4, 0])
        let long = Column(type: .varchar, data: .string(StringArray([String(repeating: "z", count: 50) + "b", String(repeating: "z", count: 50) + "a"])))
        let longLayout = RowComparator(columns: [long], keys: key).normalizedLayout
        XCTAssertFalse(longLayout.exact)
        XCTAssertEqual(RowComparator(columns: [long], keys: key).sortedPermutation(2), [1, 0], "ties of the cut prefix are decided in full")
    }

    /// The sorted permutation (one worker and two, above the parallel threshold) equals a stable sort by the comparator,
    /// with ranked strings (few distinct values over many rows) and plain ones.
    func testSortedPermutationIsTheStableComparatorOrder() throws {
        let n = RowComparator.parallelSortMinimumRows + 3_001
        let columns = [column(.bigint, n, nulls: true), column(.varchar, n, nulls: true), column(.double, n, nulls: false)]
        let keys = [SortKey(expression: .column(0, .bigint), ascending: false, nullsFirst: false),
                    SortKey(expression: .column(1, .varchar), ascending: true, nullsFirst: true),
                    SortKey(expression: .column(2, .double), ascending: false, nullsFirst: true)]
        let comparator = RowComparator(columns: columns, keys: keys)
        let expected = (0 ..< Int32(n)).sorted { a, b in
            let c = comparator.compare(Int(a), Int(b))
            return c != 0 ? c < 0 : a < b
        }
        XCTAssertEqual(comparator.sortedPermutation(n, workers: 1), expected)
        XCTAssertEqual(try comparator.sortedPermutation(n, checking: QueryProgress(), workers: 2), expected)
        XCTAssertEqual(try comparator.sortedPermutation(n, checking: nil, workers: 3), expected)
    }

    /// A merge compares images of different batches: one layout made from both (the longest string of either) orders
    /// rows across them as the byte order does.
    func testOneLayoutComparesAcrossBatches() {
        let left = StringArray(["campaign-1", "campaign-10", "b", ""]), right = StringArray(["campaign-2", "a", "campaign-100", "b"])
        let keys = [SortKey(expression: .column(0, .varchar), ascending: false, nullsFirst: true)]
        let layout = NormalizedSortKeys.Layout(keys: keys, kinds: [.string(prefix: 12, lengthByte: true)], nullable: [false])
        XCTAssertTrue(layout.exact)
        let a = NormalizedSortKeys(layout: layout, data: [.strings(left)], validity: [nil], count: 4)
        let b = NormalizedSortKeys(layout: layout, data: [.strings(right)], validity: [nil], count: 4)
        for i in 0 ..< 4 {
            for j in 0 ..< 4 {
                XCTAssertEqual(a.compare(i, b, j).signum(), -left.compare(i, right, j).signum(), "\(left.string(at: i)) vs \(right.string(at: j))")
            }
        }
    }
}
