import XCTest
@testable import Execution
import Storage

/// Key tables checked against a dictionary of row keys: equal keys get equal ids, distinct keys distinct ids
/// in first-seen order, `keyColumns` gives the keys back, `lookup` finds known keys and nothing else.
final class GroupKeyTableTests: XCTestCase {
    /// Assigns `batches` (each a list of key columns) and checks ids, keys and lookups against a reference.
    func check(_ table: GroupKeyTable, _ batches: [[Column]], probes: [[Column]] = [], file: StaticString = #filePath, line: UInt = #line) {
        var reference: [String: Int32] = [:]
        var order: [[Value]] = []
        func key(_ columns: [Column], _ i: Int) -> [Value] { columns.map { $0.value(at: i) } }
        for batch in batches {
            let n = batch[0].count
            var ids: [Int32] = []
            table.assign(batch, count: n, groupIDs: &ids)
            for i in 0..<n {
                let k = key(batch, i)
                let text = k.map(\.description).joined(separator: "|")
                if let known = reference[text] {
                    XCTAssertEqual(ids[i], known, "row \(i) key \(text)", file: file, line: line)
                } else {
                    XCTAssertEqual(Int(ids[i]), order.count, "new key \(text) gets the next id", file: file, line: line)
                    reference[text] = Int32(order.count)
                    order.append(k)
                }
            }
        }
        XCTAssertEqual(table.groupCount, order.count, file: file, line: line)
        let columns = table.keyColumns()
        for (g, expected) in order.enumerated() {
            XCTAssertEqual(key(columns, g), expected, "keyColumns row \(g)", file: file, line: line)
        }
        for probe in probes {
            let n = probe[0].count
            var ids: [Int32] = []
            table.lookup(probe, count: n, groupIDs: &ids)
            for i in 0..<n {
                let text = key(probe, i).map(\.description).joined(separator: "|")
                XCTAssertEqual(ids[i], reference[text] ?? -1, "lookup \(text)", file: file, line: line)
            }
        }
        XCTAssertEqual(table.groupCount, order.count, "lookup creates no groups", file: file, line: line)
    }

    /// `n` rows of (INTEGER with NULLs, dictionary VARCHAR with NULLs, plain VARCHAR with NULLs, BOOLEAN with
    /// NULLs, DATE), values drawn from `spread` distinct ones per column.
    static func keys(_ n: Int, seed: UInt64, spread: Int, intBase: Int32 = 0) -> [Column] {
        var r = OpRandom(seed)
        var k: [Value] = [], s: [String?] = [], t: [Value] = [], b: [Value] = [], d: [Value] = []
        for _ in 0..<n {
            k.append(r.chance(0.03) ? .null : .integer(intBase &+ Int32(r.int(-spread...spread))))
            s.append(r.chance(0.03) ? nil : "s\(r.int(0...spread))")
            t.append(r.chance(0.03) ? .null : .varchar(r.chance(0.02) ? "" : "t\(r.int(0...spread))"))
            b.append(r.chance(0.1) ? .null : .boolean(r.chance(0.5)))
            d.append(.date(Int32(19_700 + r.int(0...spread))))
        }
        return [OpFixtures.column(.integer, k), OpFixtures.dictionaryColumn(s), OpFixtures.column(.varchar, t),
                OpFixtures.column(.boolean, b), OpFixtures.column(.date, d)]
    }

    func testCompositeKeysArePacked() {
        XCTAssertTrue(GroupKeyTables.make(for: [.integer, .varchar, .varchar, .boolean, .date]) is PackedKeyTable)
        XCTAssertTrue(GroupKeyTables.make(for: [.varchar, .double]) is CompositeKeyTable)
    }

    /// Field widths grow batch after batch (small spread first, then larger), with NULLs in every column.
    func testPackedTableGrowingFields() {
        let batches = [Self.keys(300, seed: 1, spread: 2), Self.keys(2_000, seed: 2, spread: 30), Self.keys(5_000, seed: 3, spread: 400)]
        let probes = [Self.keys(3_000, seed: 4, spread: 600), Self.keys(100, seed: 5, spread: 1)]
        let table = PackedKeyTable(types: [.integer, .varchar, .varchar, .boolean, .date])
        check(table, batches, probes: probes)
    }

    /// Integers far apart need more than 64 bits together: the table turns into a CompositeKeyTable midway,
    /// keeping every group id.
    func testPackedTableFallsBackWhenKeysDoNotFit() {
        var r = OpRandom(9)
        func batch(_ n: Int, wide: Bool) -> [Column] {
            var a: [Value] = [], b: [Value] = [], s: [String?] = []
            for _ in 0..<n {
                let x = Int64(r.int(0...50))
                a.append(r.chance(0.05) ? .null : .bigint(wide ? x << 40 : x))
                b.append(.bigint(wide ? -(x << 38) : x))
                s.append(r.chance(0.05) ? nil : "k\(r.int(0...20))")
            }
            return [OpFixtures.column(.bigint, a), OpFixtures.column(.bigint, b), OpFixtures.dictionaryColumn(s)]
        }
        let table = PackedKeyTable(types: [.bigint, .bigint, .varchar])
        check(table, [batch(500, wide: false), batch(500, wide: true), batch(500, wide: false)], probes: [batch(300, wide: true)])
    }

    /// Int64.min and Int64.max in one column cannot be offset-coded in 64 bits.
    func testPackedTableExtremeIntegers() {
        let a = OpFixtures.column(.bigint, [.bigint(.min), .bigint(.max), .bigint(0), .null, .bigint(.min), .bigint(-1)])
        let b = OpFixtures.column(.boolean, [.boolean(true), .boolean(false), .null, .null, .boolean(true), .boolean(true)])
        let probeA = OpFixtures.column(.bigint, [.bigint(.max), .bigint(.min), .bigint(5), .null])
        let probeB = OpFixtures.column(.boolean, [.boolean(false), .boolean(true), .boolean(true), .null])
        check(PackedKeyTable(types: [.bigint, .boolean]), [[a, b]], probes: [[probeA, probeB]])
        // Lookup before any value: only an all-NULL key could match.
        let empty = PackedKeyTable(types: [.bigint, .boolean])
        var ids: [Int32] = []
        empty.lookup([probeA, probeB], count: 4, groupIDs: &ids)
        XCTAssertEqual(ids, [-1, -1, -1, -1])
    }

    /// Lookups of keys whose integer lies outside the stored field width, and of unknown strings.
    func testPackedTableLookupOutsideKnownRange() {
        let table = PackedKeyTable(types: [.integer, .varchar])
        let ints = OpFixtures.column(.integer, [.integer(10), .integer(11), .integer(12)])
        let strings = OpFixtures.dictionaryColumn(["a", "b", nil])
        let probeInts = OpFixtures.column(.integer, [.integer(10), .integer(1_000_000), .integer(-1_000_000), .integer(12), .integer(12)])
        let probeStrings = OpFixtures.column(.varchar, [.varchar("a"), .varchar("a"), .varchar("b"), .varchar("zz"), .null])
        check(table, [[ints, strings]], probes: [[probeInts, probeStrings]])
    }

    /// Clustered integer keys (rising, then falling, 4 rows a key, one key in 4 used, like TPC-H's order keys)
    /// span far more than the fixed perfect-hash limit but stay dense: the table keeps its perfect-hash array,
    /// grown towards the side the keys move to, and every id and lookup stays right; a sparse batch then moves
    /// it to hashing with the same ids.
    func testIntegerTableStaysDirectForDenseClusteredKeys() {
        func batch(_ keys: [Int64], nullEvery: Int = 0) -> [Column] {
            let values: [Value] = keys.enumerated().map { i, k in nullEvery > 0 && i % nullEvery == nullEvery - 1 ? .null : .bigint(k) }
            return [OpFixtures.column(.bigint, values)]
        }
        var batches: [[Column]] = []
        var next: Int64 = 0   // from 0: growing upwards from a base of 0 once overflowed the Int64 room check
        for _ in 0..<6 {   // rising: 6 × 120k keys span ~720k > directLimit (262k)
            var keys: [Int64] = []
            for _ in 0..<30_000 { keys += [next, next, next, next]; next += 4 }
            batches.append(batch(keys, nullEvery: 997))
        }
        var low: Int64 = -1
        for _ in 0..<3 {   // falling below the first key
            var keys: [Int64] = []
            for _ in 0..<20_000 { keys += [low, low]; low -= 8 }
            batches.append(batch(keys))
        }
        let table = IntegerKeyTable(type: .bigint)
        let probes = [batch([1, 2, 5, next - 4, next, next + 4, low + 8, low, -1, 0, .max, .min], nullEvery: 5)]
        check(table, batches, probes: probes)
        XCTAssertTrue(table.isDirect, "dense clustered keys keep the perfect-hash array")
        // Keys far apart: hashing takes over, every earlier group keeps its id.
        batches.append(batch([Int64.max, Int64.min, 3, 7, Int64.max - 1]))
        let hashed = IntegerKeyTable(type: .bigint)
        check(hashed, batches, probes: probes)
        XCTAssertFalse(hashed.isDirect)
    }

    /// A worker of a parallel GROUP BY over a table clustered by a sparse key (TPC-H's order keys, one in 4 used,
    /// 4 rows a key) gets only some row groups — here every third, the other worker being quicker — in batches
    /// smaller than a row group: its keys span 12 values per key, with gaps. The table keeps its perfect-hash
    /// array (a hash table of ~1M groups would miss the cache on every insert).
    func testIntegerTableStaysDirectForEveryThirdRowGroup() {
        let table = IntegerKeyTable(type: .bigint)
        var batches: [[Column]] = []
        let keysPerGroup = 2_000, keysPerBatch = 250
        for group in stride(from: 0, to: 60, by: 3) {
            for first in stride(from: 0, to: keysPerGroup, by: keysPerBatch) {
                var keys: [Value] = []
                for k in first..<(first + keysPerBatch) {
                    let key = Int64((group * keysPerGroup + k) * 4 + 1)
                    keys += [.bigint(key), .bigint(key), .bigint(key), .bigint(key)]
                }
                batches.append([OpFixtures.column(.bigint, keys)])
            }
        }
        let probes = [[OpFixtures.column(.bigint, [.bigint(1), .bigint(5), .bigint(3), .bigint(Int64(keysPerGroup * 4 + 1)), .null])]]
        check(table, batches, probes: probes)
        XCTAssertTrue(table.isDirect, "keys 1 in 12 of their span, clustered, stay in the perfect-hash array")
    }

    /// A hash join's build table sized from its first rows' rate of new keys: packed composite keys and sparse
    /// integer keys past the first chunk (the table reserved once, not regrown) keep every id and lookup right,
    /// with few distinct keys (reserving little) and with all distinct (reserving all).
    func testTablesReservedFromTheFirstRowsKeepEveryKey() {
        for distinct in [300, 150_000] {
            let n = 150_000
            let a = (0..<n).map { Value.integer(Int32(($0 % distinct) * 7)) }
            let b = (0..<n).map { Value.bigint(Int64(($0 % distinct) / 3) - 1_000) }
            let sparse = (0..<n).map { Value.bigint(Int64($0 % distinct) * 1_000_003) }
            let half = n / 2
            func split(_ columns: [Column]) -> [[Column]] { [columns.map { $0.slice(0..<half) }, columns.map { $0.slice(half..<n) }] }
            let packed = PackedKeyTable(types: [.integer, .bigint])
            var ids: [Int32] = []
            packed.assign([OpFixtures.column(.integer, Array(a[..<1_000])), OpFixtures.column(.bigint, Array(b[..<1_000]))], count: 1_000, groupIDs: &ids)
            packed.reserveGroups(distinct)
            let packedBatches = [[OpFixtures.column(.integer, Array(a[..<1_000])), OpFixtures.column(.bigint, Array(b[..<1_000]))]]
                + split([OpFixtures.column(.integer, a), OpFixtures.column(.bigint, b)])
            check(packed, packedBatches, probes: [[OpFixtures.column(.integer, [.integer(7), .integer(8), .null]), OpFixtures.column(.bigint, [.bigint(-1_000), .bigint(-1_000), .bigint(0)])]])
            let integers = IntegerKeyTable(type: .bigint)
            let first = [OpFixtures.column(.bigint, [.bigint(0), .bigint(Int64.max / 2)])]
            integers.assign(first, count: 2, groupIDs: &ids)
            XCTAssertFalse(integers.isDirect)
            integers.reserveGroups(distinct)
            check(integers, [first] + split([OpFixtures.column(.bigint, sparse)]),
                  probes: [[OpFixtures.column(.bigint, [.bigint(1_000_003), .bigint(1_000_004), .bigint(Int64.max / 2)])]])
        }
    }

    /// A join's build side larger than the rows it sizes its table from: every probe key finds exactly the build
    /// rows holding it, in ascending order, and NULL build keys are in no group.
    func testJoinHashTableOverManyRowsFindsEveryRow() throws {
        let n = JoinHashTable.sampleRows * 3 + 17
        let distinct = 70_001
        // Keys far apart: a hash table, not a perfect-hash array.
        let values = (0..<n).map { i -> Value in i % 1_000 == 999 ? .null : .bigint(Int64(i % distinct) * 1_000_003) }
        let keys = OpFixtures.column(.bigint, values)
        let batch = Batch(columns: [keys], count: n)
        let emitter = JoinEmitter(kind: .inner, nullAware: false, leftTypes: [.bigint], rightTypes: [.bigint], build: batch)
        let table = try JoinHashTable(batch: batch, keys: [keys], keyTypes: [.bigint], emitter: emitter)
        XCTAssertTrue(table.hasNullKey)
        let spacing: Int64 = 1_000_003
        let probe: [Int64] = [0, spacing, 4, Int64(distinct - 1) * spacing, Int64(distinct) * spacing, 999 * spacing]
        var ids: [Int32] = []
        table.lookup([OpFixtures.column(.bigint, probe.map { .bigint($0) })], count: probe.count, into: &ids)
        for (k, key) in probe.enumerated() {
            let expected: [Int32] = (0..<n).filter { i in i % 1_000 != 999 && Int64(i % distinct) * spacing == key }.map { Int32($0) }
            let g = Int(ids[k])
            let found: [Int32] = g < 0 ? [] : Array(table.rowsByGroup[Int(table.groupStart[g])..<Int(table.groupStart[g + 1])])
            XCTAssertEqual(found, expected, "key \(key)")
        }
        XCTAssertEqual(table.rowsByGroup.count, n - n / 1_000)
        // A join that only counts matches keeps the same groups and counts, without the rows.
        let counting = try JoinHashTable(batch: batch, keys: [keys], keyTypes: [.bigint], emitter: emitter, needsRows: false)
        XCTAssertEqual(counting.groupStart, table.groupStart)
        XCTAssertEqual(counting.rowsByGroup, [])
    }

    /// Keys at the ends of the Int64 range grow the perfect-hash array without overflowing or letting a far key
    /// alias a near one.
    func testIntegerTableDirectAtInt64Ends() {
        // Rising towards Int64.max and falling towards Int64.min, in two batches each, so the second grows the array.
        let rising = (0..<2_000).map { Value.bigint(Int64.max - Int64(1_999 - $0) * 3) }
        let falling = (0..<2_000).map { Value.bigint(Int64.min + Int64(1_999 - $0) * 3) }
        let probes = [[OpFixtures.column(.bigint, [.bigint(.max), .bigint(.min), .bigint(.min + 1), .bigint(.max - 1), .bigint(0)])]]
        for keys in [rising, falling] {
            let table = IntegerKeyTable(type: .bigint)
            check(table, [[OpFixtures.column(.bigint, Array(keys[..<1_000]))], [OpFixtures.column(.bigint, Array(keys[1_000...]))]], probes: probes)
            XCTAssertTrue(table.isDirect)
        }
    }

    /// The hash that routes groups to merge partitions depends on values only, not on the encoding.
    func testRowHashIgnoresEncoding() {
        let plain = OpFixtures.column(.varchar, [.varchar("x"), .null, .varchar(""), .varchar("yy")])
        let dictionary = OpFixtures.dictionaryColumn(["x", nil, "", "yy"])
        let ints = OpFixtures.column(.integer, [.integer(1), .integer(2), .null, .integer(4)])
        XCTAssertEqual(KeyHashing.rows([plain, ints], count: 4), KeyHashing.rows([dictionary, ints], count: 4))
        let hashes = KeyHashing.rows([plain, ints], count: 4)
        XCTAssertEqual(Set(hashes).count, 4)
    }

    /// The partitioned merge routes a group by `valueHashes()`: a packed table, a table that fell back to
    /// CompositeKeyTable and `KeyHashing.rows` of the keys must agree, or a group could be emitted twice.
    func testValueHashesAgreeAcrossTableKinds() {
        let types: [DataType] = [.integer, .varchar, .varchar, .boolean, .date]
        let batch = Self.keys(2_000, seed: 21, spread: 50)
        let packed = PackedKeyTable(types: types)
        var ids: [Int32] = []
        packed.assign(batch, count: 2_000, groupIDs: &ids)
        XCTAssertTrue(packed.isPacked)
        let composite = CompositeKeyTable(types: types)
        composite.assign(packed.keyColumns(), count: packed.groupCount, groupIDs: &ids)
        let expected = KeyHashing.rows(packed.keyColumns(), count: packed.groupCount)
        XCTAssertEqual(packed.valueHashes(), expected)
        XCTAssertEqual(composite.valueHashes(), expected)
        // A packed table that had to fall back keeps answering with the same hashes.
        let wide = PackedKeyTable(types: [.bigint, .varchar])
        let big = OpFixtures.column(.bigint, [.bigint(0), .bigint(1 << 62), .null, .bigint(-(1 << 62))])
        let names = OpFixtures.dictionaryColumn(["a", "b", "a", nil])
        wide.assign([big, names], count: 4, groupIDs: &ids)
        wide.assign([OpFixtures.column(.bigint, [.bigint(.min), .bigint(.max)]), OpFixtures.dictionaryColumn(["c", "d"])], count: 2, groupIDs: &ids)
        XCTAssertFalse(wide.isPacked)
        XCTAssertEqual(wide.valueHashes(), KeyHashing.rows(wide.keyColumns(), count: wide.groupCount))
        XCTAssertEqual(wide.keyColumns(of: [5, 0]).map { $0.value(at: 0) }, [.bigint(.max), .varchar("d")])
    }
}
