import Foundation
import XCTest
@testable import Storage

/// Versions, history, time travel, restore, vacuum and conflicts between writers in one process.
final class LakeVersioningTests: XCTestCase {
    private let t = TableName(name: "events")

    /// v0 create, v1 rows 0..<10, v2 rows 10..<20, v3 delete the first file, v4 overwrite with 100..<105.
    private func makeHistory() throws -> (Lake, String) {
        let (lake, path) = try LakeTestSupport.temporaryLake("versions")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        for range in [0..<10, 10..<20] {
            let w = try lake.beginWrite(t)
            try w.append(LakeTestSupport.peopleBatch(range))
            try w.commit(operation: "WRITE")
        }
        let d = try lake.beginWrite(t)
        try d.removeFile(at: 0)
        try d.commit(operation: "DELETE", parameters: "{\"predicate\":\"id < 10\"}")
        let o = try lake.beginWrite(t)
        try o.removeAllFiles()
        try o.append(LakeTestSupport.peopleBatch(100..<105))
        try o.commit(operation: "OVERWRITE")
        return (lake, path)
    }

    func testHistoryIsNewestFirst() throws {
        let (lake, _) = try makeHistory()
        let history = try lake.history(of: t)
        XCTAssertEqual(history.map(\.version), [4, 3, 2, 1, 0])
        XCTAssertEqual(history.map(\.operation), ["OVERWRITE", "DELETE", "WRITE", "WRITE", "CREATE TABLE"])
        XCTAssertEqual(history[1].parameters, "{\"predicate\":\"id < 10\"}")
        XCTAssertEqual(history[1].rowsRemoved, 10)
        XCTAssertEqual(history[1].filesRemoved, 1)
        XCTAssertEqual(history[0].rowsAdded, 5)
        XCTAssertEqual(history[0].rowsRemoved, 10)
        XCTAssertTrue(zip(history, history.dropFirst()).allSatisfy { $0.timestamp > $1.timestamp }, "timestamps strictly increase")
    }

    func testTimeTravelByVersionAndTimestamp() throws {
        let (lake, _) = try makeHistory()
        let expected: [Int64: Range<Int>?] = [0: nil, 1: 0..<10, 2: 0..<20, 3: 10..<20, 4: 100..<105]
        for (version, range) in expected {
            let snapshot = try lake.snapshot(of: t, at: .version(version))
            XCTAssertEqual(snapshot.version, version)
            XCTAssertEqual(try LakeTestSupport.rows(snapshot), range.map { LakeTestSupport.rows(LakeTestSupport.peopleBatch($0)) } ?? [])
        }
        let history = try lake.history(of: t)
        for info in history {
            XCTAssertEqual(try lake.snapshot(of: t, at: .timestamp(info.timestamp)).version, info.version)
            XCTAssertEqual(try lake.snapshot(of: t, at: .timestamp(info.timestamp + 1)).version, info.version)
        }
        XCTAssertEqual(try lake.snapshot(of: t, at: .timestamp(Int64.max)).version, 4)
        XCTAssertThrowsError(try lake.snapshot(of: t, at: .version(9))) {
            XCTAssertEqual(($0 as? TarnError)?.message, "version 9 of table 'events' does not exist (versions are 0 to 4)")
        }
        XCTAssertThrowsError(try lake.snapshot(of: t, at: .version(-1)))
        let created = history.last?.timestamp ?? 0
        XCTAssertThrowsError(try lake.snapshot(of: t, at: .timestamp(created - 1))) {
            XCTAssertTrue(($0 as? TarnError)?.message.contains("is before table 'events' was created") ?? false, "\($0)")
        }
    }

    func testRestoreMakesANewVersion() throws {
        let (lake, _) = try makeHistory()
        let info = try lake.restore(t, to: .version(2))
        XCTAssertEqual(info.version, 5)
        XCTAssertEqual(info.operation, "RESTORE")
        XCTAssertEqual(info.parameters, "{\"version\":2}")
        XCTAssertEqual(info.rowsAdded, 20)
        XCTAssertEqual(info.rowsRemoved, 5)
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t)), LakeTestSupport.rows(LakeTestSupport.peopleBatch(0..<20)))
        let v1Time = try lake.history(of: t).first { $0.version == 1 }?.timestamp ?? 0
        try lake.restore(t, to: .timestamp(v1Time))
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t)), LakeTestSupport.rows(LakeTestSupport.peopleBatch(0..<10)))
        XCTAssertEqual(try lake.snapshot(of: t).version, 6)
        // Appending after a restore works as usual.
        let w = try lake.beginWrite(t)
        try w.append(LakeTestSupport.peopleBatch(50..<51))
        try w.commit(operation: "WRITE")
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 11)
    }

    func testVacuumHonoursRetentionAndMarksVersionsUnreadable() throws {
        let (lake, path) = try makeHistory()
        let allFiles = LakeTestSupport.dataFilesOnDisk(path)
        XCTAssertEqual(allFiles.count, 3)
        // Default retention (7 days): the removals are recent, nothing goes.
        XCTAssertEqual(try lake.vacuum(t).filesDeleted, 0)
        // Make versions 0…3 ten hours old; version 4 (the overwrite) stays recent.
        try lake.catalog.execute("UPDATE snapshots SET committed_at = committed_at - 36000000000 WHERE version <= 3")
        let dry = try lake.vacuum(t, retentionHours: 5, dryRun: true)
        XCTAssertEqual(dry.filesDeleted, 1, "only the file removed by the old DELETE (v3)")
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path), allFiles, "dry run deletes nothing")
        let result = try lake.vacuum(t, retentionHours: 5)
        XCTAssertEqual(result.paths, dry.paths)
        XCTAssertGreaterThan(result.bytesDeleted, 0)
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path).count, 2)
        // Versions 1 and 2 needed the deleted file.
        XCTAssertThrowsError(try lake.snapshot(of: t, at: .version(2))) {
            XCTAssertEqual(($0 as? TarnError)?.message,
                           "version 2 of table 'events' is no longer available: VACUUM deleted its data files (the oldest readable version is 3)")
        }
        XCTAssertThrowsError(try lake.restore(t, to: .version(1)))
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t, at: .version(3))), LakeTestSupport.rows(LakeTestSupport.peopleBatch(10..<20)))

        // Retention 0: everything not in the latest version goes; the latest version stays whole.
        let all = try lake.vacuum(nil, retentionHours: 0)
        XCTAssertEqual(all.filesDeleted, 1)
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path), Set(try lake.snapshot(of: t).files.map(\.relativePath)))
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t)), LakeTestSupport.rows(LakeTestSupport.peopleBatch(100..<105)))
        XCTAssertThrowsError(try lake.snapshot(of: t, at: .version(3)))
        XCTAssertEqual(try lake.history(of: t).count, 5, "history is kept")
    }

    func testVacuumRemovesOrphansOnlyAfterRetention() throws {
        let (lake, path) = try makeHistory()
        let snapshot = try lake.snapshot(of: t)
        let orphan = "\(path)/data/\(snapshot.tableUUID)/crashed-writer.tarn"
        let strayFolder = "\(path)/data/not-a-table"
        try FileManager.default.createDirectory(atPath: strayFolder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: orphan, contents: Data([1, 2, 3]))
        _ = FileManager.default.createFile(atPath: strayFolder + "/x.tarn", contents: Data([1]))
        XCTAssertEqual(try lake.vacuum(nil).filesDeleted, 0, "recent orphans may belong to running writers")
        let result = try lake.vacuum(nil, retentionHours: 0)
        XCTAssertTrue(result.paths.contains(orphan))
        XCTAssertFalse(FileManager.default.fileExists(atPath: orphan))
        XCTAssertFalse(FileManager.default.fileExists(atPath: strayFolder))
    }

    func testConcurrentAppendsBothCommit() throws {
        let (a, path) = try makeHistory()
        let b = try Lake.open(at: path)
        let wa = try a.beginWrite(t), wb = try b.beginWrite(t)
        try wa.append(LakeTestSupport.peopleBatch(200..<210))
        try wb.append(LakeTestSupport.peopleBatch(300..<310))
        XCTAssertEqual(try wa.commit(operation: "WRITE").version, 5)
        XCTAssertEqual(try wb.commit(operation: "WRITE").version, 6)
        XCTAssertEqual(try b.snapshot(of: t).rowCount, 25)
    }

    func testConflictingWritesFailAndLeaveNothing() throws {
        let (a, path) = try makeHistory()
        let b = try Lake.open(at: path)
        // Two deletes of the same file.
        let da = try a.beginWrite(t), db = try b.beginWrite(t)
        try da.removeFile(at: 0)
        try db.removeFile(at: 0)
        try db.append(LakeTestSupport.peopleBatch(101..<103))
        try da.commit(operation: "DELETE")
        XCTAssertThrowsError(try db.commit(operation: "DELETE")) { error in
            let e = error as? TarnError
            XCTAssertEqual(e?.kind, .conflict)
            XCTAssertTrue(e?.message.contains("was already removed by concurrent version 5 (DELETE)") ?? false, "\(error)")
        }
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path), try LakeTestSupport.dataFilesInCatalog(a), "the loser's files are gone")

        // An overwrite while someone appended.
        let oa = try a.beginWrite(t), ab = try b.beginWrite(t)
        try oa.removeAllFiles()
        try oa.append(LakeTestSupport.peopleBatch(0..<1))
        try ab.append(LakeTestSupport.peopleBatch(1..<2))
        try ab.commit(operation: "WRITE")
        XCTAssertThrowsError(try oa.commit(operation: "OVERWRITE")) { XCTAssertEqual(($0 as? TarnError)?.kind, .conflict) }

        // A write based on a schema that changed.
        let wa = try a.beginWrite(t)
        try wa.append(LakeTestSupport.peopleBatch(7..<8))
        try b.addColumn(t, field: Field(name: "extra", type: .integer))
        XCTAssertThrowsError(try wa.commit(operation: "WRITE")) {
            XCTAssertTrue(($0 as? TarnError)?.message.contains("schema of table 'events' changed") ?? false, "\($0)")
        }

        // A write to a table dropped meanwhile.
        let wd = try a.beginWrite(t)
        try wd.append(LakeTestSupport.peopleBatch(0..<1).withExtraNullColumn())
        try b.dropTable(t, ifExists: false)
        XCTAssertThrowsError(try wd.commit(operation: "WRITE")) { XCTAssertEqual(($0 as? TarnError)?.kind, .conflict) }
        XCTAssertTrue(LakeTestSupport.dataFilesOnDisk(path).isEmpty)
    }
}

extension Batch {
    func withExtraNullColumn() -> Batch { Batch(columns: columns + [Column.nulls(.integer, count: count)], count: count) }
}
