import Foundation
import XCTest
@testable import Storage

/// Two writer processes on one lake: appends both commit; conflicting overwrites leave one winner and nothing else.
///
/// Needs the `lake-stress` executable (built by `swift build`; see `LakeTestSupport.stressBinary`).
final class LakeConcurrencyTests: XCTestCase {
    func testTwoProcessesAppendingToOneTable() throws {
        let (lake, path) = try LakeTestSupport.temporaryLake("concurrent")
        let table = TableName(name: "shared")
        let batches = 20, rows = 150
        // Both processes also race to create the table (IF NOT EXISTS inside the commit transaction).
        let (p1, o1) = try LakeTestSupport.launch(["append", path, table.name, "--batches", "\(batches)", "--rows", "\(rows)", "--seed", "101"])
        let (p2, o2) = try LakeTestSupport.launch(["append", path, table.name, "--batches", "\(batches)", "--rows", "\(rows)", "--seed", "202"])
        p1.waitUntilExit(); p2.waitUntilExit()
        XCTAssertEqual(p1.terminationStatus, 0, LakeTestSupport.output(o1))
        XCTAssertEqual(p2.terminationStatus, 0, LakeTestSupport.output(o2))

        let latest = try lake.snapshot(of: table)
        XCTAssertEqual(latest.rowCount, 2 * batches * rows)
        XCTAssertEqual(latest.version, Int64(2 * batches))
        // Every version is whole: it holds exactly the batches committed up to it.
        var expected: [String] = []
        for info in try lake.history(of: table).reversed() {
            if info.operation == "WRITE" {
                let p = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(info.parameters.utf8)) as? [String: Int])
                let seed = try XCTUnwrap(p["seed"]), batch = try XCTUnwrap(p["batch"])
                expected += LakeTestSupport.stressRows(seed: Int64(seed), batches: batch..<(batch + 1), rows: rows)
            }
            XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: table, at: .version(info.version))), expected.sorted(),
                           "version \(info.version) is not whole")
        }
        // The CLI's own checker agrees.
        let (verify, output) = try LakeTestSupport.launch(["verify", path, table.name])
        verify.waitUntilExit()
        XCTAssertEqual(verify.terminationStatus, 0, LakeTestSupport.output(output))
    }

    func testConflictingOverwritesFromTwoProcesses() throws {
        let (lake, path) = try LakeTestSupport.temporaryLake("conflict")
        let table = TableName(name: "target")
        try lake.createTable(table, schema: try Self.stressSchema())
        // Both read version 0, write their file, then wait before committing: the second commit must conflict.
        let (p1, o1) = try LakeTestSupport.launch(["overwrite-once", path, table.name, "--rows", "50", "--seed", "7", "--hold-ms", "1500"])
        let (p2, o2) = try LakeTestSupport.launch(["overwrite-once", path, table.name, "--rows", "50", "--seed", "8", "--hold-ms", "1500"])
        p1.waitUntilExit(); p2.waitUntilExit()
        let statuses = [p1.terminationStatus, p2.terminationStatus].sorted()
        XCTAssertEqual(statuses, [0, 3], "one commit wins, the other reports a conflict:\n\(LakeTestSupport.output(o1))\n\(LakeTestSupport.output(o2))")
        let loserOutput = LakeTestSupport.output(p1.terminationStatus == 3 ? o1 : o2)
        XCTAssertTrue(loserOutput.contains("conflict"), loserOutput)
        let winnerSeed: Int64 = p1.terminationStatus == 0 ? 7 : 8

        let latest = try lake.snapshot(of: table)
        XCTAssertEqual(latest.version, 1)
        XCTAssertEqual(try LakeTestSupport.rows(latest), LakeTestSupport.stressRows(seed: winnerSeed, batches: 0..<1, rows: 50).sorted())
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path), try LakeTestSupport.dataFilesInCatalog(lake), "the loser's data file was deleted")
    }

    /// The schema `lake-stress` creates (its first column is NOT NULL).
    static func stressSchema() throws -> Schema {
        Schema([Field(name: "id", type: .bigint, nullable: false), Field(name: "seed", type: .bigint), Field(name: "batch", type: .integer),
                Field(name: "value", type: .double), Field(name: "payload", type: .varchar)])
    }
}
