import XCTest
@testable import Execution
import Storage

final class OperatorScanTests: XCTestCase {
    var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "tarn-operator-scan-\(UUID().uuidString)"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// A table (id BIGINT, grp VARCHAR, v DOUBLE) of `rows` rows in row groups of 1000, ids ascending.
    func makeTable(rows: Int) throws -> TableSnapshot {
        let lake = try Lake.open(at: directory)
        let name = TableName(name: "t")
        try lake.createTable(name, schema: Schema([Field(name: "id", type: .bigint), Field(name: "grp", type: .varchar), Field(name: "v", type: .double)]))
        let writer = try lake.beginWrite(name)
        writer.options.rowGroupSize = 1000
        let ids = (0..<rows).map { Value.bigint(Int64($0)) }
        let groups = (0..<rows).map { Value.varchar("g\($0 % 7)") }
        let values = (0..<rows).map { $0 % 11 == 0 ? Value.null : .double(Double($0) / 4) }
        try writer.append(Batch(columns: [OpFixtures.column(.bigint, ids), OpFixtures.column(.varchar, groups), OpFixtures.column(.double, values)]))
        try writer.commit(operation: "INSERT")
        return try lake.snapshot(of: name)
    }

    func testScanSkipsRowGroupsAndReportsStatistics() throws {
        let snapshot = try makeTable(rows: 10_000)
        let scan = TableScanOperator(snapshot: snapshot, columns: [0, 2],
                                     predicates: [ColumnPredicate(column: 0, comparison: .greaterOrEqual, value: .bigint(7_500))])
        let context = ExecutionContext()
        let rows = try PlanExecutor.collect(scan, context).reduce(0) { $0 + $1.count }
        XCTAssertGreaterThanOrEqual(rows, 2_500)
        XCTAssertLessThan(rows, 10_000)
        XCTAssertEqual(scan.statistics.extra["row_groups_total"], 10)
        XCTAssertGreaterThanOrEqual(scan.statistics.extra["row_groups_skipped"] ?? 0, 7)
        XCTAssertGreaterThan(scan.statistics.extra["bytes_read"] ?? 0, 0)
        XCTAssertEqual(context.progress.rowsScanned, rows)
        let line = ExplainFormatter.render(scan, analyze: true)[0]
        XCTAssertTrue(line.contains("row_groups_total=10"), line)
    }

    func testParallelScanAggregateMatchesSingleThread() throws {
        let snapshot = try makeTable(rows: 20_000)
        let make = {
            HashAggregateOperator(child: TableScanOperator(snapshot: snapshot, columns: [1, 2, 0]), groupKeys: [.column(0, .varchar)], aggregates: [
                AggregateCall(kind: .sum, arguments: [.column(1, .double)], resultType: .double),
                AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
                AggregateCall(kind: .max, arguments: [.column(2, .bigint)], resultType: .bigint),
            ])
        }
        let serial = OpFixtures.sorted(try OpFixtures.rows(make(), threads: 1))
        let parallel = OpFixtures.sorted(try OpFixtures.rows(make(), threads: 2))
        XCTAssertEqual(serial.count, 7)
        for (a, b) in zip(serial, parallel) { for (x, y) in zip(a, b) { opAssertClose(y, x, "parallel scan") } }
        XCTAssertEqual(serial.reduce(Int64(0)) { $0 + ($1[2].int64Value ?? 0) }, 20_000)
    }

    /// Filters proven by row-group statistics are skipped only where proven: NULLs (here only in the first five
    /// row groups) and row groups straddling a bound still filter, at exact row-group boundaries too.
    func testFiltersProvenByStatisticsStillExcludeNullsAndBoundaryRows() throws {
        let lake = try Lake.open(at: directory)
        let name = TableName(name: "p")
        try lake.createTable(name, schema: Schema([Field(name: "id", type: .bigint), Field(name: "n", type: .bigint)]))
        let writer = try lake.beginWrite(name)
        writer.options.rowGroupSize = 1000
        let ids = (0..<10_000).map { Value.bigint(Int64($0)) }
        let ns = (0..<10_000).map { (i: Int) -> Value in
            if i < 5000 && i % 11 == 0 { return .null }
            return .bigint(Int64(i % 97))
        }
        try writer.append(Batch(columns: [OpFixtures.column(.bigint, ids), OpFixtures.column(.bigint, ns)]))
        try writer.commit(operation: "INSERT")
        let snapshot = try lake.snapshot(of: name)
        let id = BoundExpression.column(0, .bigint), n = BoundExpression.column(1, .bigint)
        for (lo, hi) in [(2000, 7000), (2000, 6999), (1999, 7001), (0, 10_000)] {
            let conjuncts = [try ExprTest.call(">=", [id, ExprTest.lit(.bigint(Int64(lo)))]),
                             try ExprTest.call("<", [id, ExprTest.lit(.bigint(Int64(hi)))]),
                             try ExprTest.call(">=", [n, ExprTest.lit(.bigint(0))])]
            let predicates = [ColumnPredicate(column: 0, comparison: .greaterOrEqual, value: .bigint(Int64(lo))),
                              ColumnPredicate(column: 0, comparison: .less, value: .bigint(Int64(hi))),
                              ColumnPredicate(column: 1, comparison: .greaterOrEqual, value: .bigint(0))]
            for threads in [1, 2] {
                let scan = TableScanOperator(snapshot: snapshot, columns: [0, 1], predicates: predicates, filter: .and(conjuncts),
                                             predicateConjuncts: [0, 1, 2])
                let op = HashAggregateOperator(child: scan, groupKeys: [], aggregates: [
                    AggregateCall(kind: .countStar, arguments: [], resultType: .bigint),
                    AggregateCall(kind: .sum, arguments: [.column(1, .bigint)], resultType: .bigint)])
                let rows = try OpFixtures.rows(op, threads: threads)
                let kept = (lo..<hi).filter { !($0 < 5000 && $0 % 11 == 0) }
                XCTAssertEqual(rows, [[.bigint(Int64(kept.count)), .bigint(Int64(kept.reduce(0) { $0 + $1 % 97 }))]], "\(lo)..<\(hi)")
            }
        }
        // A row group proven for every conjunct runs no filter; one proven for some runs only the others.
        let conjuncts = [try ExprTest.call(">=", [id, ExprTest.lit(.bigint(3000))]), try ExprTest.call(">=", [n, ExprTest.lit(.bigint(0))])]
        let morsels = try snapshot.morsels(matching: [ColumnPredicate(column: 0, comparison: .greaterOrEqual, value: .bigint(3000)),
                                                      ColumnPredicate(column: 1, comparison: .greaterOrEqual, value: .bigint(0))])
        let filters = TableScanOperator.filters(.and(conjuncts), [0, 1], morsels)
        XCTAssertEqual(morsels.count, 7)
        XCTAssertEqual(filters.map { $0 == nil }, [false, false, true, true, true, true, true])
        XCTAssertEqual(filters.compactMap { $0 }.map(OperatorExpressions.describe), [">=(#1, 0)", ">=(#1, 0)"])
    }
}
