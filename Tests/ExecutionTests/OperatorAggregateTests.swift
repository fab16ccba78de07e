import XCTest
@testable import Execution
import Storage

final class OperatorAggregateTests: XCTestCase {
    /// Columns: 0 k INTEGER, 1 s VARCHAR (dictionary), 2 x BIGINT, 3 d DOUBLE, 4 b BOOLEAN, 5 t VARCHAR (plain).
    static func randomTable(_ n: Int, seed: UInt64) -> [Column] {
        var r = OpRandom(seed)
        var k: [Value] = [], s: [String?] = [], x: [Value] = [], d: [Value] = [], b: [Value] = [], t: [Value] = []
        for _ in 0..<n {
            k.append(r.chance(0.05) ? .null : .integer(Int32(r.int(0...40))))
            s.append(r.chance(0.05) ? nil : "g\(r.int(0...9))")
            x.append(r.chance(0.1) ? .null : .bigint(Int64(r.int(-1000...1000))))
            d.append(r.chance(0.1) ? .null : .double(Double(r.int(-100_000...100_000)) / 37))
            b.append(r.chance(0.1) ? .null : .boolean(r.chance(0.7)))
            t.append(r.chance(0.1) ? .null : .varchar("v\(r.int(0...30))"))
        }
        return [OpFixtures.column(.integer, k), OpFixtures.dictionaryColumn(s), OpFixtures.column(.bigint, x),
                OpFixtures.column(.double, d), OpFixtures.column(.boolean, b), OpFixtures.column(.varchar, t)]
    }

    static let x = BoundExpression.column(2, .bigint), d = BoundExpression.column(3, .double)
    static let calls: [AggregateCall] = [
        AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
        AggregateCall(kind: .count, arguments: [x], resultType: .bigint),
        AggregateCall(kind: .sum, arguments: [x], resultType: .bigint),
        AggregateCall(kind: .sum, arguments: [d], resultType: .double),
        AggregateCall(kind: .avg, arguments: [x], resultType: .double),
        AggregateCall(kind: .min, arguments: [x], resultType: .bigint),
        AggregateCall(kind: .max, arguments: [d], resultType: .double),
        AggregateCall(kind: .min, arguments: [.column(5, .varchar)], resultType: .varchar),
        AggregateCall(kind: .max, arguments: [.column(1, .varchar)], resultType: .varchar),
        AggregateCall(kind: .varianceSamp, arguments: [d], resultType: .double),
        AggregateCall(kind: .stddevPop, arguments: [x], resultType: .double),
        AggregateCall(kind: .median, arguments: [x], resultType: .double),
        AggregateCall(kind: .quantileCont, arguments: [d], resultType: .double, parameters: [.double(0.25)]),
        AggregateCall(kind: .boolAnd, arguments: [.column(4, .boolean)], resultType: .boolean),
        AggregateCall(kind: .boolOr, arguments: [.column(4, .boolean)], resultType: .boolean),
        AggregateCall(kind: .count, arguments: [x], distinct: true, resultType: .bigint),
        AggregateCall(kind: .sum, arguments: [x], distinct: true, resultType: .bigint),
        AggregateCall(kind: .sum, arguments: [x], filter: .column(4, .boolean), resultType: .bigint),
        AggregateCall(kind: .stringAgg, arguments: [.column(5, .varchar)], resultType: .varchar, parameters: [.varchar("|")]),
        AggregateCall(kind: .mode, arguments: [x], resultType: .bigint),
        AggregateCall(kind: .approxDistinct, arguments: [.column(5, .varchar)], resultType: .bigint),
        AggregateCall(kind: .total, arguments: [x], resultType: .double),
        AggregateCall(kind: .approxPercentile, arguments: [x], resultType: .bigint, parameters: [.double(0.9)]),
    ]

    /// Straightforward per-group reference for `calls`.
    static func reference(_ rows: [[Value]]) -> [Value] {
        func nums(_ c: Int) -> [Double] { rows.compactMap { $0[c].doubleValue } }
        func ints(_ c: Int) -> [Int64] { rows.compactMap { $0[c].int64Value } }
        func quantile(_ v: [Double], _ q: Double) -> Value {
            if v.isEmpty { return .null }
            let s = v.sorted(), pos = q * Double(s.count - 1)
            let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
            return .double(s[lo] + (pos - Double(lo)) * (s[hi] - s[lo]))
        }
        func variance(_ v: [Double], sample: Bool) -> Double? {
            if v.isEmpty || (sample && v.count < 2) { return nil }
            let m = v.reduce(0, +) / Double(v.count)
            return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(sample ? v.count - 1 : v.count)
        }
        let xs = ints(2), ds = nums(3)
        let strings5 = rows.compactMap { if case let .varchar(s) = $0[5] { return s } else { return nil } }
        let strings1 = rows.compactMap { if case let .varchar(s) = $0[1] { return s } else { return nil } }
        let bools = rows.compactMap { if case let .boolean(b) = $0[4] { return b } else { return nil } }
        let distinctX = Array(Set(xs))
        let filtered = rows.filter { $0[4] == .boolean(true) }.compactMap { $0[2].int64Value }
        var modeBest: (Int64, Int)? = nil
        var counts: [Int64: Int] = [:]
        for v in xs { counts[v, default: 0] += 1 }
        for v in xs where modeBest == nil || counts[v, default: 0] > modeBest?.1 ?? 0 { modeBest = (v, counts[v, default: 0]) }
        let sortedX = xs.sorted()
        return [
            .bigint(Int64(rows.count)),
            .bigint(Int64(xs.count)),
            xs.isEmpty ? .null : .bigint(xs.reduce(0, +)),
            ds.isEmpty ? .null : .double(ds.reduce(0, +)),
            xs.isEmpty ? .null : .double(Double(xs.reduce(0, +)) / Double(xs.count)),
            xs.min().map { .bigint($0) } ?? .null,
            ds.max().map { .double($0) } ?? .null,
            strings5.min().map { .varchar($0) } ?? .null,
            strings1.max().map { .varchar($0) } ?? .null,
            variance(ds, sample: true).map { .double($0) } ?? .null,
            variance(xs.map { Double($0) }, sample: false).map { .double($0.squareRoot()) } ?? .null,
            quantile(xs.map { Double($0) }, 0.5),
            quantile(ds, 0.25),
            bools.isEmpty ? .null : .boolean(bools.allSatisfy { $0 }),
            bools.isEmpty ? .null : .boolean(bools.contains(true)),
            .bigint(Int64(distinctX.count)),
            distinctX.isEmpty ? .null : .bigint(distinctX.reduce(0, +)),
            filtered.isEmpty ? .null : .bigint(filtered.reduce(0, +)),
            strings5.isEmpty ? .null : .varchar(strings5.joined(separator: "|")),
            modeBest.map { .bigint($0.0) } ?? .null,
            .bigint(Int64(Set(strings5).count)),
            .double(Double(xs.reduce(0, +))),
            sortedX.isEmpty ? .null : .bigint(sortedX[Int((0.9 * Double(sortedX.count - 1)).rounded())]),
        ]
    }

    func check(keys keyColumns: [Int], threads: Int = 1, rows n: Int = 3000, file: StaticString = #filePath, line: UInt = #line) throws {
        let table = Self.randomTable(n, seed: UInt64(keyColumns.count * 31 + n))
        let keys = keyColumns.map { BoundExpression.column($0, table[$0].type) }
        let op = HashAggregateOperator(child: OpFixtures.values(table, batchSize: 97), groupKeys: keys, aggregates: Self.calls)
        let output = try OpFixtures.rows(op, threads: threads)
        let input = Batch(columns: table)
        var groups: [String: [[Value]]] = [:]
        var order: [String] = []
        for i in 0..<n {
            let row = input.row(i)
            let key = keyColumns.map { row[$0].description + ($0 == 0 || row[$0].isNull ? "" : "") }.joined(separator: "|")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        if keyColumns.isEmpty && groups.isEmpty { groups[""] = [] }
        XCTAssertEqual(output.count, max(groups.count, keyColumns.isEmpty ? 1 : 0), "group count", file: file, line: line)
        for row in output {
            let key = row.prefix(keyColumns.count).map(\.description).joined(separator: "|")
            guard let members = groups[key] else { XCTFail("unexpected group \(key)", file: file, line: line); continue }
            let expected = Self.reference(members)
            for (k, e) in expected.enumerated() {
                let got = row[keyColumns.count + k]
                if threads > 1 && Self.calls[k].kind == .stringAgg {
                    // Worker order differs; compare as multisets.
                    XCTAssertEqual(got.description.split(separator: "|").sorted(), e.description.split(separator: "|").sorted(), file: file, line: line)
                    continue
                }
                if threads > 1 && Self.calls[k].kind == .mode { continue }
                if Self.calls[k].kind == .approxPercentile {
                    // A KLL sketch: exact up to KLLSketch.k values, else within 1 % of the asked rank.
                    let xs = members.compactMap { $0[2].int64Value }.sorted()
                    if xs.count <= KLLSketch.k {
                        opAssertClose(got, e, "group \(key) approx_percentile (exact below \(KLLSketch.k) values)", file: file, line: line)
                    } else {
                        Self.assertRankClose(got, xs, 0.9, file: file, line: line)
                    }
                    continue
                }
                opAssertClose(got, e, "group \(key) \(Self.calls[k].kind.rawValue)#\(k)", file: file, line: line)
            }
        }
    }

    /// `got` occupies a rank within 1 % of `q·(n − 1)` among the sorted `xs` (ties count as any of their ranks).
    static func assertRankClose(_ got: Value, _ xs: [Int64], _ q: Double, file: StaticString = #filePath, line: UInt = #line) {
        guard let v = got.int64Value ?? got.doubleValue.map({ Int64($0) }) else { return XCTFail("approx_percentile gave \(got)", file: file, line: line) }
        let first = xs.firstIndex { $0 >= v } ?? xs.count, last = (xs.lastIndex { $0 <= v } ?? -1)
        let target = q * Double(xs.count - 1), slack = 0.01 * Double(xs.count)
        XCTAssertTrue(Double(first) - slack <= target && target <= Double(last) + slack,
                      "approx_percentile \(v) has ranks \(first)…\(last), asked \(target) of \(xs.count)", file: file, line: line)
    }

    func testIntegerKey() throws { try check(keys: [0]) }
    func testDictionaryStringKey() throws { try check(keys: [1]) }
    func testPlainStringKey() throws { try check(keys: [5]) }
    func testCompositeKey() throws { try check(keys: [0, 1]) }
    func testBooleanKey() throws { try check(keys: [4]) }
    func testNoKeys() throws { try check(keys: []) }
    func testNoKeysOnEmptyInput() throws { try check(keys: [], rows: 0) }
    func testGroupedEmptyInputHasNoRows() throws { try check(keys: [0], rows: 0) }

    func testSimpleAggregateOnEmptyInput() throws {
        let op = HashAggregateOperator(child: ValuesOperator(types: [.bigint], batches: []), groupKeys: [], aggregates: [
            AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
            AggregateCall(kind: .sum, arguments: [.column(0, .bigint)], resultType: .bigint),
            AggregateCall(kind: .total, arguments: [.column(0, .bigint)], resultType: .double),
            AggregateCall(kind: .max, arguments: [.column(0, .bigint)], resultType: .bigint),
        ])
        XCTAssertEqual(try OpFixtures.rows(op), [[.bigint(0), .null, .double(0), .null]])
    }

    func testSumOverflowIsAnError() {
        let c = OpFixtures.column(.bigint, [.bigint(.max), .bigint(1)])
        let op = HashAggregateOperator(child: OpFixtures.values([c]), groupKeys: [],
                                       aggregates: [AggregateCall(kind: .sum, arguments: [.column(0, .bigint)], resultType: .bigint)])
        XCTAssertThrowsError(try OpFixtures.rows(op)) { XCTAssertEqual(($0 as? TarnError)?.message, "bigint overflow") }
    }

    func testDecimalSumAndAverage() throws {
        let t = DataType.decimal(precision: 10, scale: 2)
        let c = OpFixtures.column(t, [.decimal(150, scale: 2), .decimal(275, scale: 2), .null, .decimal(-100, scale: 2)])
        let op = HashAggregateOperator(child: OpFixtures.values([c]), groupKeys: [], aggregates: [
            AggregateCall(kind: .sum, arguments: [.column(0, t)], resultType: .decimal(precision: 18, scale: 2)),
            AggregateCall(kind: .avg, arguments: [.column(0, t)], resultType: .decimal(precision: 18, scale: 4)),
        ])
        // sum 3.25; avg 3.25 / 3 = 1.08333… → 1.0833
        XCTAssertEqual(try OpFixtures.rows(op), [[.decimal(325, scale: 2), .decimal(10833, scale: 4)]])
    }

    func testParallelAgainstTheReference() throws {
        try check(keys: [4], threads: 2, rows: 8_000)
        try check(keys: [], threads: 2, rows: 8_000)
    }

    func testParallelMatchesSingleThreaded() throws {
        for keys in [[1], [0], [], [0, 5]] {
            let table = Self.randomTable(8_000, seed: 7)
            let calls = Self.calls.filter { !$0.distinct && $0.kind != .stringAgg && $0.kind != .mode }
            let make = { HashAggregateOperator(child: OpFixtures.values(table, batchSize: 500), groupKeys: keys.map { .column($0, table[$0].type) }, aggregates: calls) }
            let serial = OpFixtures.sorted(try OpFixtures.rows(make(), threads: 1))
            let parallel = OpFixtures.sorted(try OpFixtures.rows(make(), threads: 2))
            XCTAssertEqual(serial.count, parallel.count)
            // approx_percentile's sketch depends on how the workers' partial sketches merged: checked against the exact
            // ranks in `check(keys:threads:)` instead.
            let sketched = Set(calls.indices.filter { calls[$0].kind == .approxPercentile }.map { $0 + keys.count })
            for (a, b) in zip(serial, parallel) {
                for (i, (x, y)) in zip(a, b).enumerated() where !sketched.contains(i) { opAssertClose(y, x, "keys \(keys)") }
            }
        }
    }

    func testParallelPipelineThroughFilterAndProjection() throws {
        let table = Self.randomTable(10_000, seed: 3)
        let make = { () -> HashAggregateOperator in
            let filter = FilterOperator(child: OpFixtures.values(table, batchSize: 256), predicate: .column(4, .boolean))
            let projection = ProjectionOperator(child: filter, expressions: [.column(1, .varchar), .column(2, .bigint)])
            return HashAggregateOperator(child: projection, groupKeys: [.column(0, .varchar)],
                                         aggregates: [AggregateCall(kind: .sum, arguments: [.column(1, .bigint)], resultType: .bigint),
                                                      AggregateCall(kind: .countStar, arguments: [], resultType: .bigint)])
        }
        XCTAssertEqual(OpFixtures.sorted(try OpFixtures.rows(make(), threads: 1)), OpFixtures.sorted(try OpFixtures.rows(make(), threads: 2)))
        let op = make()
        _ = try OpFixtures.rows(op, threads: 2)
        let lines = ExplainFormatter.render(op, analyze: true)
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("HashAggregate"), lines[0])
        XCTAssertTrue(lines[2].contains("-> Filter"), lines[2])
    }

    /// 24k rows and ~15k groups over packed composite keys (INTEGER, dictionary and plain VARCHAR, BOOLEAN,
    /// DATE, all with NULLs), aggregated on 2 and 3 workers with the partitioned merge: the same groups and
    /// results as on one thread, each group once.
    func testParallelManyGroupsMatchesSingleThreaded() throws {
        let keys = GroupKeyTableTests.keys(24_000, seed: 11, spread: 60)
        let x = OpFixtures.column(.bigint, (0..<24_000).map { $0 % 13 == 0 ? .null : .bigint(Int64($0 % 1_000)) })
        let d = OpFixtures.column(.double, (0..<24_000).map { .double(Double($0 % 777) / 8) })
        let table = keys + [x, d]
        let xe = BoundExpression.column(5, .bigint), de = BoundExpression.column(6, .double)
        let calls = [
            AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
            AggregateCall(kind: .sum, arguments: [xe], resultType: .bigint),
            AggregateCall(kind: .sum, arguments: [de], resultType: .double),
            AggregateCall(kind: .min, arguments: [.column(2, .varchar)], resultType: .varchar),
            AggregateCall(kind: .max, arguments: [xe], resultType: .bigint),
            AggregateCall(kind: .avg, arguments: [de], resultType: .double),
            AggregateCall(kind: .median, arguments: [xe], resultType: .double),
            AggregateCall(kind: .approxDistinct, arguments: [xe], resultType: .bigint),
            AggregateCall(kind: .sum, arguments: [xe], filter: .column(3, .boolean), resultType: .bigint),
        ]
        for keyColumns in [[0, 1, 2, 3, 4], [1, 4], [0, 6]] {
            let make = { HashAggregateOperator(child: OpFixtures.values(table, batchSize: 1_000),
                                               groupKeys: keyColumns.map { .column($0, table[$0].type) }, aggregates: calls) }
            let serial = try OpFixtures.rows(make(), threads: 1)
            XCTAssertGreaterThan(serial.count, keyColumns.count == 5 ? 12_000 : 1_000)
            var byKey: [String: [Value]] = [:]
            for row in serial { byKey[row.prefix(keyColumns.count).map(\.description).joined(separator: "|")] = row }
            XCTAssertEqual(byKey.count, serial.count, "one row per group")
            for threads in [2, 3] {
                let parallel = try OpFixtures.rows(make(), threads: threads)
                XCTAssertEqual(serial.count, parallel.count, "keys \(keyColumns), \(threads) threads")
                var seen = Set<String>()
                for row in parallel {
                    let key = row.prefix(keyColumns.count).map(\.description).joined(separator: "|")
                    XCTAssertTrue(seen.insert(key).inserted, "group \(key) emitted once")
                    guard let expected = byKey[key] else { XCTFail("unexpected group \(key)"); continue }
                    for (u, v) in zip(expected, row) where u != v { opAssertClose(v, u, "keys \(keyColumns) group \(key)") }
                }
            }
        }
    }

    /// DISTINCT aggregates over many groups: one shared argument (parallel two-phase path) and a mix
    /// (single-threaded), against one thread.
    func testParallelDistinctManyGroups() throws {
        let keys = GroupKeyTableTests.keys(30_000, seed: 12, spread: 40)
        let x = OpFixtures.column(.bigint, (0..<30_000).map { $0 % 11 == 0 ? .null : .bigint(Int64($0 % 17)) })
        let table = keys + [x]
        let xe = BoundExpression.column(5, .bigint)
        let shared = [AggregateCall(kind: .count, arguments: [xe], distinct: true, resultType: .bigint),
                      AggregateCall(kind: .sum, arguments: [xe], distinct: true, resultType: .bigint)]
        let mixed = shared + [AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
                              AggregateCall(kind: .count, arguments: [.column(1, .varchar)], distinct: true, resultType: .bigint)]
        for calls in [shared, mixed] {
            let make = { HashAggregateOperator(child: OpFixtures.values(table, batchSize: 700),
                                               groupKeys: [.column(0, .integer), .column(2, .varchar), .column(3, .boolean)], aggregates: calls) }
            let serial = OpFixtures.sorted(try OpFixtures.rows(make(), threads: 1))
            XCTAssertGreaterThan(serial.count, 5_000)
            XCTAssertEqual(serial, OpFixtures.sorted(try OpFixtures.rows(make(), threads: 2)))
        }
    }

    /// string_agg keeps scan order, so it runs on one thread even with many groups and threads = 2: the
    /// concatenations equal the single-threaded ones exactly, not just as multisets.
    func testStringAggKeepsScanOrderWithManyGroups() throws {
        let keys = GroupKeyTableTests.keys(20_000, seed: 13, spread: 30)
        let table = keys
        let calls = [AggregateCall(kind: .stringAgg, arguments: [.column(2, .varchar)], resultType: .varchar, parameters: [.varchar(",")]),
                     AggregateCall(kind: .countStar, arguments: [], resultType: .bigint)]
        let make = { HashAggregateOperator(child: OpFixtures.values(table, batchSize: 500),
                                           groupKeys: [.column(1, .varchar), .column(3, .boolean)], aggregates: calls) }
        let serial = try OpFixtures.rows(make(), threads: 1)
        XCTAssertEqual(serial, try OpFixtures.rows(make(), threads: 2))
    }
}
