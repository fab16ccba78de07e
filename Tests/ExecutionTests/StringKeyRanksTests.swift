import XCTest
@testable import Execution
import Storage

/// Plain string sort keys with few distinct values are compared as ranks (`StringKeyRanks`): the ranks order the
/// values byte-wise, equal values share a rank, and too many distinct values (or too few rows) keep the strings.
final class StringKeyRanksTests: XCTestCase {
    private func strings(_ values: [String]) -> Column {
        var s = StringArray()
        for v in values { s.append(v) }
        return Column(type: .varchar, data: .string(s), validity: nil)
    }

    func testRanksFollowByteOrderAndTies() throws {
        let words = ["", "a", "ab", "abc", "b", "B", "é", "e", "日本", "campaign-0010", "campaign-0009", "campaign-00100"]
        var g = SystemRandomNumberGenerator()
        let values = (0..<5_000).map { _ in words.randomElement(using: &g) ?? "" }
        let s = strings(values)
        let ranks = try XCTUnwrap(StringKeyRanks.ranks(s))
        for _ in 0..<20_000 {
            let i = Int.random(in: 0..<values.count, using: &g), j = Int.random(in: 0..<values.count, using: &g)
            let bytes = Array(values[i].utf8), other = Array(values[j].utf8)
            let expected = bytes == other ? 0 : (bytes.lexicographicallyPrecedes(other) ? -1 : 1)
            let got = ranks[i] == ranks[j] ? 0 : (ranks[i] < ranks[j] ? -1 : 1)
            XCTAssertEqual(got, expected, "'\(values[i])' vs '\(values[j])'")
        }
        XCTAssertEqual(Set(ranks).count, Set(values).count)
    }

    func testManyDistinctValuesOrFewRowsKeepTheStrings() {
        XCTAssertNil(StringKeyRanks.ranks(strings((0..<(StringKeyRanks.maximumDistinct + 10)).map { "v\($0)" })))
        XCTAssertNil(StringKeyRanks.ranks(strings(["b", "a"])))
    }

    func testASortOnRankedStringsMatchesTheByteOrder() {
        var g = SystemRandomNumberGenerator()
        let values: [String?] = (0..<4_000).map { _ in Int.random(in: 0..<10, using: &g) == 0 ? nil : "k\(Int.random(in: 0..<300, using: &g))" }
        var builder = ColumnBuilder(type: .varchar, capacity: values.count)
        for v in values { builder.append(v.map { .varchar($0) } ?? .null) }
        let column = builder.finish()
        let perm = RowComparator(columns: [column], keys: [SortKey(expression: .column(0, .varchar), ascending: false, nullsFirst: true)])
            .sortedPermutation(values.count)
        let sorted = perm.map { values[Int($0)] }
        let expected = values.enumerated().sorted { a, b in
            switch (a.element, b.element) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x == y ? a.offset < b.offset : Array(y.utf8).lexicographicallyPrecedes(Array(x.utf8))
            }
        }.map(\.element)
        XCTAssertEqual(sorted, expected)
    }
}
