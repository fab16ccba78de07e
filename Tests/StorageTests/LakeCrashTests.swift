import Foundation
import XCTest
@testable import Storage

/// kill -9 a writer process at random moments: every table must be at a whole version, and VACUUM must clean up.
///
/// Needs the `lake-stress` executable (built by `swift build`; see `LakeTestSupport.stressBinary`).
final class LakeCrashTests: XCTestCase {
    func testKilledWritersLeaveWholeVersions() throws {
        let started = Date()
        let (lake, path) = try LakeTestSupport.temporaryLake("crash")
        _ = try LakeTestSupport.stressBinary()
        var generator = SystemRandomNumberGenerator()
        let rowsPerBatch = 200
        var versionsSeen: [Int64] = []
        var orphansSeen = 0
        for iteration in 0..<50 {
            let seed = Int64(iteration + 1)
            let table = TableName(name: "t\(iteration)")
            let overwrite = iteration % 3 == 2
            let (process, output) = try LakeTestSupport.launch([overwrite ? "overwrite" : "append", path, table.name,
                                                                "--batches", "100000", "--rows", "\(rowsPerBatch)", "--seed", "\(seed)"])
            usleep(UInt32.random(in: 30_000...450_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the writer should have been killed: \(LakeTestSupport.output(output))")

            // A fresh connection, as a new process would open the lake.
            let reader = try Lake.open(at: path)
            guard try reader.tableExists(table) else { versionsSeen.append(-1); continue }
            let latest = try reader.snapshot(of: table)
            versionsSeen.append(latest.version)
            // Version v holds batches 0..<v (append) or just batch v-1 (overwrite).
            for version in Set([latest.version, max(0, latest.version - 1)]) {
                let snapshot = try reader.snapshot(of: table, at: .version(version))
                let batches = overwrite ? max(0, Int(version) - 1)..<Int(version) : 0..<Int(version)
                XCTAssertEqual(try LakeTestSupport.rows(snapshot), LakeTestSupport.stressRows(seed: seed, batches: batches, rows: rowsPerBatch).sorted(),
                               "iteration \(iteration): table \(table) version \(version) is not whole")
            }
            XCTAssertEqual(try reader.history(of: table).count, Int(latest.version) + 1)

            // Orphans of the crash go with a zero-retention VACUUM; the data folder then holds exactly the latest files.
            orphansSeen += LakeTestSupport.dataFilesOnDisk(path).subtracting(try LakeTestSupport.dataFilesInCatalog(reader)).count
            _ = try reader.vacuum(nil, retentionHours: 0)
            var live = Set<String>()
            for name in try reader.tableNames(schema: nil) { live.formUnion(try reader.snapshot(of: name).files.map(\.relativePath)) }
            XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path), live, "iteration \(iteration): VACUUM left files behind")
            try? FileManager.default.removeItem(atPath: output)
        }
        XCTAssertEqual(try Lake.open(at: path).catalog.query("PRAGMA integrity_check"), [[.text("ok")]])
        let elapsed = Date().timeIntervalSince(started)
        print("crash test: 50 kills in \(String(format: "%.1f", elapsed)) s; \(orphansSeen) orphan files removed; versions reached: \(versionsSeen)")
        XCTAssertGreaterThan(orphansSeen, 0, "some kills should have hit a writer between writing a file and committing")
        XCTAssertTrue(versionsSeen.contains { $0 > 1 }, "some writers should have committed before being killed")
        _ = lake
    }
}
