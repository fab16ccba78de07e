import XCTest
import Foundation

/// `tarn --memory-limit` / `--temp-directory`, the out-of-memory error in a script (an error line and exit 1, not a
/// crash), and spill folders of a dead process removed when the next `tarn` starts.
final class MemoryLimitCLITests: XCTestCase {
    private var lake = ""
    override func setUp() { lake = TarnProcess.temporaryDirectory("memory") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: lake) }

    func testMemoryLimitOptionIsTheSessionsSetting() throws {
        let out = try TarnProcess.run([lake, "--memory-limit", "64KiB", "--format", "csv", "-c",
                                       "SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, "value\r\n64KiB\r\n")
        let bad = try TarnProcess.run([lake, "--memory-limit", "lots", "-c", "SELECT 1"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("memory_limit 'lots' is not a size"), bad.stderr)
    }

    func testOutOfMemoryIsAnErrorLineNotACrash() throws {
        let out = try TarnProcess.run([lake, "--memory-limit", "64KB", "-c",
                                       "SELECT count(*) FROM (SELECT DISTINCT generate_series % 50000 AS x FROM generate_series(1, 200000)) d"])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.hasPrefix("error: statement 1, line 1, column 1: out of memory: DISTINCT needs more than memory_limit 64KB; raise it with SET memory_limit"),
                      out.stderr)
        // The sort spills instead, in the folder --temp-directory names, and leaves nothing there.
        let spill = (lake as NSString).appendingPathComponent("spill")
        let sorted = try TarnProcess.run([lake, "--memory-limit", "256KB", "--temp-directory", spill, "--format", "csv", "-c",
                                          "SELECT x FROM (SELECT generate_series * 7919 % 100003 AS x FROM generate_series(1, 100000)) t ORDER BY x DESC LIMIT 3 OFFSET 99997"])
        XCTAssertEqual(sorted.status, 0, sorted.stderr)
        XCTAssertEqual(sorted.stdout, "x\r\n3\r\n2\r\n1\r\n")   // i * 7919 mod a prime: distinct, smallest 1, 2, 3
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spill), [], "spill folders left behind")
    }

    func testSpillFoldersOfADeadProcessGoWhenTheNextTarnStarts() throws {
        let tmp = TarnProcess.temporaryDirectory("tmpdir")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exit 0"]
        try child.run()
        child.waitUntilExit()
        let stale = (tmp as NSString).appendingPathComponent("tarn-spill/tarn-\(child.processIdentifier)-3")
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: stale + "/1-sort-run.tspill", contents: Data(repeating: 7, count: 100))
        let out = try TarnProcess.run([lake, "-c", "SELECT 1"], environment: ["TMPDIR": tmp])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "the crashed process's spill folder is still there")
    }
}
