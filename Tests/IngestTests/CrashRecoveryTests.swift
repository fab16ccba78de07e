import Foundation
import XCTest
@testable import Tarn
import Storage

/// A loader killed (SIGKILL) at random moments and re-run ends with every row exactly once.
final class CrashRecoveryTests: XCTestCase {
    func testKilledLoaderRerunLoadsEveryRowExactlyOnce() throws {
        let binary = try tarnBinary()
        let f = try IngestFixture()
        let filesCount = 12, rowsPerFile = 4000
        for i in 0..<filesCount {
            try f.write(String(format: "2024-01-%02d/part.json", i + 1), campaignLines((i * rowsPerFile)..<((i + 1) * rowsPerFile)))
        }
        let copy = "COPY INTO t FROM '\(f.rawPath)' PATTERN '**/*.json'"
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for round in 0..<24 {
            // Each round adds one more file, so loads keep having work to do.
            try f.write("late/round\(round).json", campaignLines((100_000 + round * 500)..<(100_000 + (round + 1) * 500)))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [f.lakePath, "-c", copy]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...400_000, using: &generator))
            if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
            process.waitUntilExit()
        }
        // A final, uninterrupted run completes the load.
        let finish = Process()
        finish.executableURL = URL(fileURLWithPath: binary)
        finish.arguments = [f.lakePath, "-c", copy]
        finish.standardOutput = FileHandle.nullDevice
        try finish.run()
        finish.waitUntilExit()
        XCTAssertEqual(finish.terminationStatus, 0)

        let expected = filesCount * rowsPerFile + 24 * 500
        let check = try Database.open(f.lakePath).connect()
        let rows = try check.query("SELECT count(*), count(DISTINCT ad_id) FROM t").first?.map(\.description)
        XCTAssertEqual(rows, [String(expected), String(expected)], "after \(kills) kills")
        let files = try check.query("SELECT count(*), sum(rows_loaded) FROM tarn.loaded_files").first?.map(\.description)
        XCTAssertEqual(files, [String(filesCount + 24), String(expected)])
        XCTAssertGreaterThanOrEqual(kills, 1, "no run was killed mid-load; the test proves nothing")
    }
}
