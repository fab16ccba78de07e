import Foundation
import XCTest
@testable import Storage

/// `Lake.check()` and `quarantine`: a clean lake passes; a deleted file, a flipped byte anywhere in a data file
/// and an orphan are each reported; quarantined orphans leave a clean lake.
final class LakeCheckTests: XCTestCase {
    private func lakeWithTwoVersions() throws -> (Lake, String, TableSnapshot) {
        let (lake, dir) = try LakeTestSupport.temporaryLake("check")
        let t = TableName(name: "people")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        for range in [0..<300, 300..<340] {
            let writer = try lake.beginWrite(t)
            try writer.append(LakeTestSupport.peopleBatch(range))
            _ = try writer.commit(operation: "WRITE", parameters: "{}")
        }
        return (lake, dir, try lake.snapshot(of: t))
    }

    func testCleanLakePasses() throws {
        let (lake, dir, snapshot) = try lakeWithTwoVersions()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try lake.check()
        XCTAssertEqual(report.problems, [])
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(report.filesChecked, 2)
        XCTAssertEqual(report.bytesChecked, snapshot.files.reduce(0) { $0 + $1.byteSize })
    }

    func testDeletedFileIsMissing() throws {
        let (lake, dir, snapshot) = try lakeWithTwoVersions()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let victim = snapshot.files[1]
        try FileManager.default.removeItem(atPath: victim.path)
        let report = try lake.check()
        XCTAssertEqual(report.problems.map(\.kind), [.missing])
        XCTAssertEqual(report.problems.first?.path, victim.relativePath)
    }

    /// Every single byte of a data file is covered by a check: flipping any one of them is reported.
    func testFlippedByteAnywhereIsDamage() throws {
        let (lake, dir, snapshot) = try lakeWithTwoVersions()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let victim = try XCTUnwrap(snapshot.files.min { $0.byteSize < $1.byteSize })
        let original = try Data(contentsOf: URL(fileURLWithPath: victim.path))
        var undetected: [Int] = []
        for offset in 0..<original.count {
            var bytes = original
            bytes[offset] ^= 0x10
            try bytes.write(to: URL(fileURLWithPath: victim.path))
            let report = try lake.check()
            if report.problems.map(\.kind) != [.damaged] || report.problems.first?.path != victim.relativePath {
                undetected.append(offset)
            }
        }
        try original.write(to: URL(fileURLWithPath: victim.path))
        XCTAssertEqual(undetected, [], "byte offsets whose flip went unreported in a \(original.count)-byte file")
        XCTAssertTrue(try lake.check().isClean)
    }

    func testTruncatedFileIsDamage() throws {
        let (lake, dir, snapshot) = try lakeWithTwoVersions()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let victim = snapshot.files[0]
        let original = try Data(contentsOf: URL(fileURLWithPath: victim.path))
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: victim.path))
        XCTAssertEqual(try lake.check().problems.map(\.kind), [.damaged])
    }

    func testOrphanIsReportedAndQuarantined() throws {
        let (lake, dir, snapshot) = try lakeWithTwoVersions()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let orphan = "data/\(snapshot.tableUUID)/left-by-a-crashed-writer.tarn"
        try Data("partial".utf8).write(to: URL(fileURLWithPath: dir + "/" + orphan))
        let report = try lake.check()
        XCTAssertEqual(report.problems.map(\.kind), [.orphan])
        XCTAssertEqual(report.orphans, [orphan])

        let moved = try lake.quarantine(report.orphans)
        XCTAssertEqual(moved, ["quarantine/" + orphan])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/quarantine/" + orphan))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/" + orphan))
        XCTAssertTrue(try lake.check().isClean)
        XCTAssertEqual(try LakeTestSupport.rows(try lake.snapshot(of: TableName(name: "people"))).count, 340)
    }

    func testQuarantineRefusesPathsOutsideData() throws {
        let (lake, dir, _) = try lakeWithTwoVersions()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try lake.quarantine(["catalog.db"]))
        XCTAssertThrowsError(try lake.quarantine(["data/../catalog.db"]))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/catalog.db"))
    }
}
