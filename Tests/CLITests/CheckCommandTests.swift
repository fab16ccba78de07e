import Foundation
import XCTest

/// `tarn check LAKE [--repair]` end to end: exit status and report lines for a clean lake, a damaged file,
/// a missing file and an orphan.
final class CheckCommandTests: XCTestCase {
    private func makeLake() throws -> String {
        let lake = TarnProcess.temporaryDirectory("check") + "/lake"
        let made = try TarnProcess.run([lake, "-c", "CREATE TABLE t AS SELECT * FROM generate_series(1, 500); INSERT INTO t VALUES (7)"])
        XCTAssertEqual(made.status, 0, made.stderr)
        return lake
    }

    private func dataFiles(_ lake: String) -> [String] {
        let fm = FileManager.default
        return ((try? fm.subpathsOfDirectory(atPath: lake + "/data")) ?? []).filter { $0.hasSuffix(".tarn") }.sorted()
            .map { lake + "/data/" + $0 }
    }

    func testCleanLakeExitsZero() throws {
        let lake = try makeLake()
        let out = try TarnProcess.run(["check", lake])
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("checked 2 data files"), out.stdout)
        XCTAssertTrue(out.stdout.contains("0 damaged or missing, 0 orphans"), out.stdout)
    }

    func testDamageMissingAndOrphanAreReported() throws {
        let lake = try makeLake()
        let files = dataFiles(lake)
        XCTAssertEqual(files.count, 2)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: files[0]))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: files[0]))
        try FileManager.default.removeItem(atPath: files[1])
        let orphan = (files[0] as NSString).deletingLastPathComponent + "/orphan.tarn"
        try Data("x".utf8).write(to: URL(fileURLWithPath: orphan))

        let out = try TarnProcess.run(["check", lake])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stdout.contains("damaged: data/"), out.stdout)
        XCTAssertTrue(out.stdout.contains("missing: data/"), out.stdout)
        XCTAssertTrue(out.stdout.contains("orphan: data/") && out.stdout.contains("orphan.tarn"), out.stdout)

        let repaired = try TarnProcess.run(["check", lake, "--repair"])
        XCTAssertEqual(repaired.status, 1, "damage remains after moving the orphan")
        XCTAssertFalse(FileManager.default.fileExists(atPath: orphan))
        let quarantined = try FileManager.default.subpathsOfDirectory(atPath: lake + "/quarantine")
        XCTAssertTrue(quarantined.contains { $0.hasSuffix("orphan.tarn") }, "\(quarantined)")
        XCTAssertFalse(try TarnProcess.run(["check", lake]).stdout.contains("orphan: "))
    }

    func testOnlyAnOrphanIsRepaired() throws {
        let lake = try makeLake()
        let folder = (dataFiles(lake)[0] as NSString).deletingLastPathComponent
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/stray.tarn"))
        XCTAssertEqual(try TarnProcess.run(["check", lake]).status, 1)
        XCTAssertEqual(try TarnProcess.run(["check", lake, "--repair"]).status, 0)
        XCTAssertEqual(try TarnProcess.run(["check", lake]).status, 0)
    }

    func testNoLakeIsAnError() throws {
        let out = try TarnProcess.run(["check", TarnProcess.temporaryDirectory("check-none") + "/absent"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("no lake at"), out.stderr)
    }
}
