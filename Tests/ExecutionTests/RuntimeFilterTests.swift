import XCTest
@testable import Execution
import Storage

/// The split-block Bloom filter and the runtime filter a hash join hands its probe side's scan: never a false
/// negative (a build key always passes), few false positives, NULL keys never pass, an empty build passes nothing,
/// and an INTEGER probe column is tested by the same values as a BIGINT build key.
final class RuntimeFilterTests: XCTestCase {
    func testBloomFilterHasNoFalseNegativesAndFewFalsePositives() {
        var rng = SeededGenerator(seed: 7)
        for n in [1, 10, 1_000, 100_000] {
            let keys = (0 ..< n).map { _ in Int64.random(in: -1_000_000_000 ... 1_000_000_000, using: &rng) }
            var bloom = BlockedBloomFilter(expectedKeys: n)
            for k in keys { bloom.insert(hash: KeyHashing.hash(k)) }
            for k in keys { XCTAssertTrue(bloom.mayContain(hash: KeyHashing.hash(k)), "key \(k) of \(n) missing") }
            let inserted = Set(keys)
            var positives = 0, tried = 0
            while tried < 100_000 {
                let k = Int64.random(in: 2_000_000_000 ... 4_000_000_000, using: &rng)
                if inserted.contains(k) { continue }
                tried += 1
                if bloom.mayContain(hash: KeyHashing.hash(k)) { positives += 1 }
            }
            // 10 bits a key: about 1 % for a split-block filter; allow 3 %.
            XCTAssertLessThan(Double(positives) / Double(tried), 0.03, "false positives with \(n) keys")
        }
    }

    func testRuntimeFilterKeepsEveryMatchAndDropsNullsAndOutOfRange() throws {
        let build = Column(type: .bigint, data: .int64([5, 10, 10, 3_000_000_000, -7, 0]), validity: [1, 1, 1, 1, 1, 0])
        let filter = try XCTUnwrap(RuntimeFilter(keys: build, distinctKeys: 4))
        XCTAssertFalse(filter.isEmpty)
        XCTAssertEqual(filter.minimum, -7)
        XCTAssertEqual(filter.maximum, 3_000_000_000)
        // The NULL build row's stored 0 is not a key; a NULL probe row never passes.
        let probe = Column(type: .integer, data: .int32([5, 6, 10, -7, 0, 4_000, 0, -8]), validity: [1, 1, 1, 1, 1, 1, 0, 1])
        var kept: [Int32] = []
        filter.select(probe, rows: nil, into: &kept)
        XCTAssertTrue(Set([0, 2, 3]).isSubset(of: Set(kept)), "\(kept)")
        XCTAssertFalse(kept.contains(6), "a NULL probe key passed")
        XCTAssertFalse(kept.contains(7), "-8 is below the build minimum")
        var again: [Int32] = []
        filter.select(probe, rows: [2, 3, 7], into: &again)
        XCTAssertEqual(again, [2, 3])
    }

    /// A probe column clustered by the key (each key in a run of rows, as lineitem by l_orderkey) reuses the previous
    /// row's answer: the result is the same as testing every row, with and without NULLs and a row selection, and a
    /// first value equal to the sentinel the reuse starts from (Int64.min) is tested too.
    func testClusteredProbeKeysGiveTheSameRowsAsOneByOne() throws {
        var rng = SeededGenerator(seed: 11)
        let buildKeys = (0 ..< 3_000).map { _ in Int64.random(in: 0 ... 50_000_000, using: &rng) } + [Int64.min]
        let filter = try XCTUnwrap(RuntimeFilter(keys: Column(type: .bigint, data: .int64(buildKeys)), distinctKeys: buildKeys.count))
        XCTAssertNotNil(filter.bloom, "a wide sparse key range is held by the Bloom filter")
        var probe: [Int64] = [Int64.min, Int64.min, 0]
        while probe.count < 20_000 {
            let key = Bool.random(using: &rng) ? buildKeys.randomElement(using: &rng) ?? 0 : Int64.random(in: 0 ... 50_000_000, using: &rng)
            probe += Array(repeating: key, count: Int.random(in: 1 ... 6, using: &rng))
        }
        let validity = probe.indices.map { UInt8($0 % 97 == 5 ? 0 : 1) }
        for column in [Column(type: .bigint, data: .int64(probe)), Column(type: .bigint, data: .int64(probe), validity: validity)] {
            let expected = probe.indices.filter { i in
                column.validity.map { $0[i] != 0 } ?? true
                    && probe[i] >= filter.minimum && probe[i] <= filter.maximum
                    && (filter.bloom?.mayContain(hash: KeyHashing.hash(probe[i])) ?? true)
            }.map(Int32.init)
            XCTAssertTrue(expected.contains(0) && expected.count < probe.count)
            var kept: [Int32] = []
            filter.select(column, rows: nil, into: &kept)
            XCTAssertEqual(kept, expected)
            let rows = probe.indices.filter { $0 % 3 != 1 }.map(Int32.init)
            var some: [Int32] = [7]
            filter.select(column, rows: rows, into: &some)
            XCTAssertEqual(some, [7] + expected.filter { $0 % 3 != 1 })
        }
    }

    func testEmptyAndAllNullBuildSidesPassNothing() throws {
        let nulls = Column(type: .integer, data: .int32([1, 2]), validity: [0, 0])
        let filter = try XCTUnwrap(RuntimeFilter(keys: nulls, distinctKeys: 1))
        XCTAssertTrue(filter.isEmpty)
        var kept: [Int32] = []
        filter.select(Column(type: .integer, data: .int32([1, 2, 3])), rows: nil, into: &kept)
        XCTAssertEqual(kept, [])
        XCTAssertNil(RuntimeFilter(keys: Column(type: .double, data: .double([1.5])), distinctKeys: 1), "no filter on DOUBLE keys")
    }

    func testNarrowKeyRangeIsAnExactBitmap() throws {
        let filter = try XCTUnwrap(RuntimeFilter(keys: Column(type: .integer, data: .int32([70, 5, 9, 5])), distinctKeys: 3))
        XCTAssertNil(filter.bloom)
        var kept: [Int32] = []
        filter.select(Column(type: .integer, data: .int32((0 ..< 100).map(Int32.init))), rows: nil, into: &kept)
        XCTAssertEqual(kept, [5, 9, 70])
    }

    func testLargeBuildSideKeepsOnlyTheRange() throws {
        let build = Column(type: .bigint, data: .int64([1, 1 << 40]))
        let filter = try XCTUnwrap(RuntimeFilter(keys: build, distinctKeys: RuntimeFilter.maximumBloomKeys + 1))
        XCTAssertNil(filter.bloom)
        var kept: [Int32] = []
        filter.select(Column(type: .bigint, data: .int64([0, 1, 2, 1 << 40, 1 << 41])), rows: nil, into: &kept)
        XCTAssertEqual(kept, [1, 2, 3])
    }
}
