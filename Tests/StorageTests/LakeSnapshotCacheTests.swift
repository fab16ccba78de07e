import Foundation
import XCTest
@testable import Storage

/// The per-lake cache of loaded table versions and their scan plans, and statistics that prove a predicate.
final class LakeSnapshotCacheTests: XCTestCase {
    private func append(_ lake: Lake, _ t: TableName, _ ids: Range<Int>) throws {
        let w = try lake.beginWrite(t)
        w.options.rowGroupSize = 100
        try w.append(LakeTestSupport.peopleBatch(ids))
        try w.commit(operation: "WRITE")
    }

    func testCachedVersionsSeeNewCommitsAndTimeTravel() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake("snapcache")
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        try append(lake, t, 0..<300)
        let first = try lake.snapshot(of: t)
        XCTAssertEqual(first.rowCount, 300)
        let again = try lake.snapshot(of: t)
        XCTAssertEqual(again.version, first.version)
        XCTAssertEqual(again.rowCount, 300)
        XCTAssertFalse(first === again, "each lookup gets its own snapshot (own counters)")
        XCTAssertGreaterThan(lake.snapshots.count, 0)

        // A new commit is seen by the next lookup; the old version stays readable by version.
        try append(lake, t, 300..<350)
        let latest = try lake.snapshot(of: t)
        XCTAssertEqual(latest.version, first.version + 1)
        XCTAssertEqual(latest.rowCount, 350)
        XCTAssertEqual(try lake.snapshot(of: t, at: .version(first.version)).rowCount, 300)
        XCTAssertEqual(try lake.snapshot(of: t, at: .version(first.version)).readAll().count, 300)
        XCTAssertEqual(try latest.readAll().count, 350)

        // Another process's commit (a second Lake on the same directory) is seen too.
        let other = try Lake.open(at: lake.path)
        try append(other, t, 350..<360)
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 360)

        // A dropped and re-created table does not see its predecessor's cached versions.
        try lake.dropTable(t, ifExists: false)
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        try append(lake, t, 0..<10)
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 10)
        XCTAssertEqual(try lake.snapshot(of: t).readAll().count, 10)
    }

    func testCachedPlansKeepPerSnapshotCounters() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake("snapcache-plan")
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        try append(lake, t, 0..<1000)
        let p = [ColumnPredicate(column: 0, comparison: .less, value: .bigint(150))]
        let a = try lake.snapshot(of: t)
        XCTAssertEqual(try a.scanPlan(matching: p).morsels.count, 2)
        let b = try lake.snapshot(of: t)
        XCTAssertEqual(try b.scanPlan(matching: p).morsels.count, 2)
        // Same predicate with a differently typed constant is planned on its own (no pruning across types).
        XCTAssertEqual(try b.scanPlan(matching: [ColumnPredicate(column: 0, comparison: .less, value: .double(150))]).morsels.count, 10)
        XCTAssertEqual(a.counters.snapshot().rowGroupsSkipped, 8)
        XCTAssertEqual(b.counters.snapshot().rowGroupsSkipped, 8)
    }

    func testStatisticsProvePredicatesPerRowGroup() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake("snapcache-proof")
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        try append(lake, t, 0..<1000)
        let snapshot = try lake.snapshot(of: t)
        // id < 250: groups 0 and 1 entirely, group 2 partly, the rest skipped.
        let plan = try snapshot.scanPlan(matching: [ColumnPredicate(column: 0, comparison: .less, value: .bigint(250)),
                                                    ColumnPredicate(column: 0, comparison: .isNotNull),
                                                    ColumnPredicate(column: 1, comparison: .isNotNull)])
        XCTAssertEqual(plan.morsels.map(\.rowGroup), [0, 1, 2])
        XCTAssertEqual(plan.morsels.map { $0.provenPredicates & 1 }, [1, 1, 0])
        XCTAssertTrue(plan.morsels.allSatisfy { $0.provenPredicates & 2 != 0 }, "id has no NULLs")
        XCTAssertTrue(plan.morsels.allSatisfy { $0.provenPredicates & 4 == 0 }, "name has NULLs in every group")
        // Boundaries: <= the group's max is proven, < its max is not; = needs min == max.
        func proven(_ c: ColumnPredicate.Comparison, _ v: Int64) -> Bool {
            let s = ColumnStatistics(min: .bigint(100), max: .bigint(199), nullCount: 0, rowCount: 100)
            return StatisticsPruning.mustMatch(ColumnPredicate(column: 0, comparison: c, value: .bigint(v)), statistics: s, rowCount: 100)
        }
        XCTAssertTrue(proven(.lessOrEqual, 199)); XCTAssertFalse(proven(.less, 199)); XCTAssertTrue(proven(.less, 200))
        XCTAssertTrue(proven(.greaterOrEqual, 100)); XCTAssertFalse(proven(.greater, 100)); XCTAssertTrue(proven(.greater, 99))
        XCTAssertFalse(proven(.equal, 100)); XCTAssertTrue(proven(.notEqual, 99)); XCTAssertFalse(proven(.notEqual, 150))
        let withNull = ColumnStatistics(min: .bigint(100), max: .bigint(199), nullCount: 1, rowCount: 100)
        XCTAssertFalse(StatisticsPruning.mustMatch(ColumnPredicate(column: 0, comparison: .less, value: .bigint(500)), statistics: withNull, rowCount: 100))
        XCTAssertFalse(StatisticsPruning.mustMatch(ColumnPredicate(column: 0, comparison: .less, value: .double(500)),
                                                   statistics: ColumnStatistics(min: .bigint(1), max: .bigint(2), nullCount: 0, rowCount: 100), rowCount: 100))
        XCTAssertTrue(StatisticsPruning.mustMatch(ColumnPredicate(column: 0, comparison: .isNull), statistics: nil, rowCount: 100))
        XCTAssertFalse(StatisticsPruning.mustMatch(ColumnPredicate(column: 0, comparison: .less, value: .bigint(5)), statistics: nil, rowCount: 100))
    }
}
