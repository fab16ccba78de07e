import Foundation
import XCTest
@testable import Storage

/// Morsels, statistics skipping, scan counters and damaged files.
final class LakeScanTests: XCTestCase {
    /// 10 row groups of 100 rows: ids 0..<1000 in order, so each group covers one id range.
    private func makeTable() throws -> (Lake, TableSnapshot) {
        let (lake, _) = try LakeTestSupport.temporaryLake("scan")
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        let w = try lake.beginWrite(t)
        w.options.rowGroupSize = 100
        w.targetRowsPerFile = 500
        try w.append(LakeTestSupport.peopleBatch(0..<1000))
        try w.commit(operation: "WRITE")
        return (lake, try lake.snapshot(of: t))
    }

    func testPredicateMatchingOneRowGroupGivesOneMorsel() throws {
        let (_, snapshot) = try makeTable()
        XCTAssertEqual(snapshot.files.count, 2)
        XCTAssertEqual(snapshot.rowGroupCount, 10)
        XCTAssertEqual(try snapshot.morsels(matching: []).count, 10)

        let plan = try snapshot.scanPlan(matching: [ColumnPredicate(column: 0, comparison: .equal, value: .bigint(742))])
        XCTAssertEqual(plan.morsels.count, 1)
        XCTAssertEqual(plan.morsels[0].rowGroup, 2)
        XCTAssertEqual(plan.rowGroupsTotal, 10)
        XCTAssertEqual(plan.rowGroupsSkipped, 9)
        XCTAssertEqual(plan.filesSkipped, 1, "the first file is skipped by catalog statistics alone")
        let batch = try snapshot.read(plan.morsels[0], columns: [0])
        XCTAssertTrue((0..<batch.count).contains { batch.row($0) == [.bigint(742)] })

        func count(_ p: [ColumnPredicate]) throws -> Int { try snapshot.morsels(matching: p).count }
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .less, value: .bigint(150))]), 2)
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .lessOrEqual, value: .bigint(100))]), 2)
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .greater, value: .bigint(899))]), 1)
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .greaterOrEqual, value: .bigint(899))]), 2)
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .greater, value: .bigint(5000))]), 0)
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .notEqual, value: .bigint(5))]), 10)
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .equal, value: .null)]), 0)
        // A conjunction.
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .greaterOrEqual, value: .bigint(250)),
                                  ColumnPredicate(column: 2, comparison: .less, value: .double(200))]), 2)
        // NULL handling: `id` has no NULLs, `name` has some in every group.
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .isNull)]), 0)
        XCTAssertEqual(try count([ColumnPredicate(column: 1, comparison: .isNull)]), 10)
        XCTAssertEqual(try count([ColumnPredicate(column: 1, comparison: .isNotNull)]), 10)
        // Strings compare as UTF-8 bytes.
        XCTAssertEqual(try count([ColumnPredicate(column: 1, comparison: .equal, value: .varchar("zzz"))]), 0)
        // Doubtful predicates keep everything: mismatched types, unknown columns.
        XCTAssertEqual(try count([ColumnPredicate(column: 0, comparison: .equal, value: .varchar("742"))]), 10)
        XCTAssertEqual(try count([ColumnPredicate(column: 9, comparison: .equal, value: .bigint(1))]), 10)
    }

    func testCountersAddUp() throws {
        let (_, snapshot) = try makeTable()
        let plan = try snapshot.scanPlan(matching: [ColumnPredicate(column: 0, comparison: .less, value: .bigint(200))])
        for m in plan.morsels { _ = try snapshot.read(m, columns: [0, 1]) }
        let totals = snapshot.counters.snapshot()
        XCTAssertEqual(totals.rowGroupsTotal, 10)
        XCTAssertEqual(totals.rowGroupsSkipped, 8)
        XCTAssertEqual(totals.filesSkipped, 1)
        XCTAssertEqual(totals.rowsRead, 200)
        XCTAssertGreaterThan(totals.bytesRead, 0)
        XCTAssertLessThanOrEqual(totals.bytesRead, plan.bytesToRead)
    }

    func testParallelReadsOfOneSnapshot() throws {
        let (_, snapshot) = try makeTable()
        let morsels = try snapshot.morsels(matching: [])
        let sums = LockedSums()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var total: Int64 = 0
            for m in morsels {
                guard let batch = try? snapshot.read(m, columns: [0]), case let .int64(ids) = batch.columns[0].data else { return }
                total += ids.reduce(0, +)
            }
            sums.add(total)
            _ = worker
        }
        XCTAssertEqual(sums.values, [Int64](repeating: 499_500, count: 8))
    }

    func testReadersDoNotWaitForAWriter() throws {
        let (lake, snapshot) = try makeTable()
        let other = try Lake.open(at: lake.path)
        // While another connection holds the write lock, reading the catalog still works (WAL).
        try other.catalog.writeTransaction { tx in
            try tx.execute("UPDATE lake_metadata SET value = value WHERE key = 'format_version'")
            XCTAssertEqual(try lake.snapshot(of: snapshot.name).version, snapshot.version)
        }
    }

    func testDamagedFileErrorNamesTheFile() throws {
        let (lake, snapshot) = try makeTable()
        let file = snapshot.files[1].path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        for i in stride(from: 16, to: min(bytes.count / 2, 400), by: 1) { bytes[i] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: file))
        let fresh = try lake.snapshot(of: snapshot.name)
        do {
            for m in try fresh.morsels(matching: []) { _ = try fresh.read(m, columns: [0, 1, 2]) }
            XCTFail("reading a damaged file should fail")
        } catch let e as TarnError {
            XCTAssertTrue(e.kind == .corruption || e.kind == .io, "\(e)")
            XCTAssertTrue(e.message.contains(file), "error should name the file: \(e)")
        }
    }
}

/// Results gathered from concurrent workers.
private final class LockedSums: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Int64] = []
    func add(_ v: Int64) { lock.lock(); values.append(v); lock.unlock() }
}
