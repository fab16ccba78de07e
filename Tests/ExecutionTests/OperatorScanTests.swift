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
}
