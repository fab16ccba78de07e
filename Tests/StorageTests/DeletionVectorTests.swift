import Foundation
import XCTest
@testable import Storage

/// Deletion vectors: their catalog encoding, reads that leave the deleted rows out (including the morsel positions a
/// filtered scan asks for), versions and time travel, RESTORE, conflicts between writers marking the same file, and
/// `tarn check`'s row counts.
final class DeletionVectorTests: XCTestCase {
    private let t = TableName(name: "events")

    func testEncodingRoundTripsSparseAndDense() throws {
        for (positions, rows) in [([UInt32]([3, 9, 10, 4000]), 5000), (Array(stride(from: UInt32(0), to: 5000, by: 2)), 5000), ([0], 1)] {
            let vector = DeletionVector(sorted: positions)
            let text = vector.encoded(physicalRows: rows)
            XCTAssertEqual(text.first, positions.count * 4 > (rows + 7) / 8 ? "B" : "L")
            XCTAssertEqual(try DeletionVector.decode(text, physicalRows: rows, count: positions.count, file: "f"), vector)
        }
        // Damage is reported, not read as fewer deletions.
        let text = DeletionVector(sorted: [1, 2]).encoded(physicalRows: 100)
        XCTAssertThrowsError(try DeletionVector.decode(text, physicalRows: 2, count: 2, file: "f"))   // row 2 beyond the file
        XCTAssertThrowsError(try DeletionVector.decode(text, physicalRows: 100, count: 3, file: "f"))
        XCTAssertThrowsError(try DeletionVector.decode("X" + text.dropFirst(), physicalRows: 100, count: 2, file: "f"))
    }

    /// Adding rows gives the sorted union without duplicates, whatever the order and repeats of the new rows.
    func testAddingIsTheSortedUnion() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 50 {
            let old = Set((0 ..< Int.random(in: 0 ..< 40, using: &rng)).map { _ in UInt32.random(in: 0 ..< 100, using: &rng) })
            let more = (0 ..< Int.random(in: 0 ..< 40, using: &rng)).map { _ in UInt32.random(in: 0 ..< 100, using: &rng) }
            let vector = DeletionVector(sorted: old.sorted()).adding(more)
            XCTAssertEqual(vector.positions, old.union(more).sorted())
        }
    }

    func testLiveOrdinalsMapToFileRows() {
        let vector = DeletionVector(sorted: [0, 2, 3, 7])
        // Live rows: 1, 4, 5, 6, 8, 9, …
        XCTAssertEqual(vector.physicalRows(ofLive: [0, 1, 2, 3, 4, 5]), [1, 4, 5, 6, 8, 9])
        XCTAssertEqual(vector.physicalRows(ofLive: [4]), [8])
        XCTAssertEqual(vector.liveRows(groupStart: 4, rowCount: 4), [0, 1, 2])
        XCTAssertNil(vector.liveRows(groupStart: 8, rowCount: 4))
    }

    private func deletingLake(rows: Int = 30_000) throws -> (Lake, String) {
        let (lake, path) = try LakeTestSupport.temporaryLake("dv")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema, properties: ["deletion_vectors": "true"])
        let w = try lake.beginWrite(t)
        w.options.rowGroupSize = 10_000
        try w.append(LakeTestSupport.peopleBatch(0..<rows))
        try w.commit(operation: "WRITE")
        return (lake, path)
    }

    private func ids(_ snapshot: TableSnapshot) throws -> [Int64] {
        let batch = try snapshot.readAll()
        return (0..<batch.count).compactMap { batch.columns[0].value(at: $0).int64Value }.sorted()
    }

    func testDeletedRowsAreLeftOutEverywhereAndVersionsKeepThem() throws {
        let (lake, _) = try deletingLake()
        let w = try lake.beginWrite(t)
        XCTAssertTrue(w.usesDeletionVectors)
        // Every third row, and the whole second row group.
        let gone = Set(stride(from: 0, to: 30_000, by: 3)).union(10_000..<20_000)
        try w.deleteRows(inFile: 0, ordinals: gone.sorted())
        let info = try w.commit(operation: "DELETE")
        XCTAssertEqual(info.rowsRemoved, gone.count)
        XCTAssertEqual(info.filesRemoved, 0)
        let after = try lake.snapshot(of: t)
        XCTAssertEqual(after.rowCount, 30_000 - gone.count)
        XCTAssertEqual(after.files.count, 1)
        XCTAssertEqual(try ids(after), (0..<30_000).filter { !gone.contains($0) }.map(Int64.init))
        let morsels = try after.allMorsels()
        XCTAssertEqual(morsels.map(\.rowGroup), [0, 2], "the row group with no live row is skipped")
        XCTAssertEqual(morsels.reduce(0) { $0 + $1.rowCount }, after.rowCount)
        // Positions asked for are positions among the live rows.
        var bytes = 0
        let some = try after.read(morsels[1], columns: [0], rows: [0, 1, 5], bytesRead: &bytes)
        XCTAssertEqual((0..<some.count).compactMap { some.columns[0].value(at: $0).int64Value }, [20_000, 20_002, 20_008])
        // No answer from the chunk alone for a group with deletions.
        XCTAssertNil(try after.fusedInt64Sum(morsels[0], column: 0))
        XCTAssertNil(try after.sequenceRange(morsels[0], column: 0, comparison: .equal, value: 7))
        // A second deletion grows the vector; the first version still reads as it was.
        let w2 = try lake.beginWrite(t)
        try w2.deleteRows(inFile: 0, ordinals: [0, 1])   // live rows 1 and 2
        try w2.commit(operation: "DELETE")
        XCTAssertEqual(try ids(try lake.snapshot(of: t)).prefix(3), [4, 5, 7])
        XCTAssertEqual(try ids(try lake.snapshot(of: t, at: .version(2))).prefix(3), [1, 2, 4])
        XCTAssertEqual(try lake.snapshot(of: t, at: .version(1)).rowCount, 30_000)
        XCTAssertEqual(try lake.history(of: t).first?.rowsRemoved, 2)
        // RESTORE to the first deletion, and to before any.
        try lake.restore(t, to: .version(2))
        XCTAssertEqual(try ids(try lake.snapshot(of: t)), try ids(try lake.snapshot(of: t, at: .version(2))))
        try lake.restore(t, to: .version(1))
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 30_000)
        let problems = try lake.check().problems
        XCTAssertTrue(problems.isEmpty, "\(problems)")
    }

    func testDeletingEveryRowRemovesTheFile() throws {
        let (lake, _) = try deletingLake(rows: 10)
        let w = try lake.beginWrite(t)
        try w.deleteRows(inFile: 0, ordinals: [0, 1, 2])
        try w.commit(operation: "DELETE")
        let w2 = try lake.beginWrite(t)
        try w2.deleteRows(inFile: 0, ordinals: Array(0..<7))
        let info = try w2.commit(operation: "DELETE")
        XCTAssertEqual(info.rowsRemoved, 7)
        XCTAssertEqual(info.filesRemoved, 1)
        XCTAssertTrue(try lake.snapshot(of: t).files.isEmpty)
    }

    func testTwoWritersMarkingOneFileConflict() throws {
        let (lake, _) = try deletingLake(rows: 100)
        let a = try lake.beginWrite(t), b = try lake.beginWrite(t)
        try a.deleteRows(inFile: 0, ordinals: [1])
        try b.deleteRows(inFile: 0, ordinals: [2])
        try a.commit(operation: "DELETE")
        XCTAssertThrowsError(try b.commit(operation: "DELETE")) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .conflict)
        }
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 99)
        // A rewrite of the file conflicts with a concurrent deletion vector too.
        let c = try lake.beginWrite(t), d = try lake.beginWrite(t)
        try c.deleteRows(inFile: 0, ordinals: [0])
        try d.removeFile(at: 0)
        try c.commit(operation: "DELETE")
        XCTAssertThrowsError(try d.commit(operation: "DELETE"))
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 98)
    }

    /// New tables get deletion vectors by default; `deletion_vectors = 'false'` at creation, or a table whose
    /// properties lack the key (made before the default), keeps copy-on-write writers.
    func testNewTablesMarkRowsByDefaultAndThePropertyTurnsItOff() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake("dv-default")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        XCTAssertEqual(try lake.properties(of: t)["deletion_vectors"], "true")
        XCTAssertTrue(try lake.beginWrite(t).usesDeletionVectors)
        let off = TableName(name: "off"), older = TableName(name: "older"), delta = TableName(name: "delta_off")
        try lake.createTable(off, schema: LakeTestSupport.peopleSchema, properties: ["deletion_vectors": "false"])
        try lake.createTable(delta, schema: LakeTestSupport.peopleSchema, properties: ["delta.enableDeletionVectors": "false"])
        try lake.createTable(older, schema: LakeTestSupport.peopleSchema)
        try lake.setProperties(older, ["deletion_vectors": ""])   // removes the key, as in a table made before the default
        XCTAssertEqual(try lake.properties(of: older), [:])
        for name in [off, delta, older] {
            let w = try lake.beginWrite(name)
            try w.append(LakeTestSupport.peopleBatch(0..<10))
            try w.commit(operation: "WRITE")
            let d = try lake.beginWrite(name)
            XCTAssertFalse(d.usesDeletionVectors, "\(name)")
            XCTAssertThrowsError(try d.deleteRows(inFile: 0, ordinals: [1]), "\(name)")
            d.abort()
        }
    }

    func testVacuumKeepsAFileAVersionStillMarks() throws {
        let (lake, path) = try deletingLake(rows: 100)
        let w = try lake.beginWrite(t)
        try w.deleteRows(inFile: 0, ordinals: [5])
        try w.commit(operation: "DELETE")
        _ = try lake.vacuum(t, retentionHours: 0)
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path).count, 1)
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 99)
        XCTAssertTrue(try lake.check().problems.isEmpty)
    }
}
