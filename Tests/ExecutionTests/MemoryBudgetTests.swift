import XCTest
import Foundation
@testable import Execution
import Storage

/// The memory budget, reservations, size texts and spill files that issue 21's operators build on.
final class MemoryBudgetTests: XCTestCase {
    func testBudgetRefusesWhatDoesNotFitAndTracksPeak() {
        let budget = MemoryBudget(limit: 1000)
        XCTAssertTrue(budget.tryReserve(600))
        XCTAssertFalse(budget.tryReserve(401), "600 + 401 > 1000")
        XCTAssertEqual(budget.used, 600, "a refused reservation reserves nothing")
        XCTAssertTrue(budget.tryReserve(400))
        budget.release(700)
        XCTAssertEqual(budget.used, 300)
        XCTAssertEqual(budget.peak, 1000)
        XCTAssertEqual(MemoryBudget(limit: Int.max).limitText, "unlimited")
    }

    func testReservationGrowsShrinksAndGivesBackOnRelease() throws {
        let budget = MemoryBudget(limit: 2_000_000)
        let sort = MemoryReservation(budget, owner: "sort")
        XCTAssertTrue(sort.tryResize(to: 1_500_000))
        let other = MemoryReservation(budget, owner: "hash aggregate")
        XCTAssertFalse(other.tryResize(to: 600_000), "the two together exceed the limit")
        XCTAssertEqual(other.bytes, 0)
        XCTAssertTrue(sort.tryResize(to: 1_000_000), "shrinking always succeeds")
        try other.resize(to: 900_000)
        XCTAssertEqual(budget.used, 1_900_000)
        XCTAssertThrowsError(try other.grow(by: 200_000)) { error in
            let e = error as? TarnError
            XCTAssertEqual(e?.kind, .outOfMemory)
            XCTAssertTrue(e?.message.hasPrefix("out of memory: hash aggregate needs more than memory_limit 2MB; raise it with SET memory_limit") ?? false,
                          e?.message ?? "")
            XCTAssertEqual(e?.description, e?.message, "the kind label is not repeated before the message")
        }
        sort.release()
        XCTAssertEqual(budget.used, 900_000)
        do { let scoped = MemoryReservation(budget, owner: "window"); XCTAssertTrue(scoped.tryGrow(by: 50_000)) }
        XCTAssertEqual(budget.used, 900_000, "a reservation gives its bytes back when it goes away")
    }

    func testSizeTextsParseLikeDuckDBAndRejectGarbage() throws {
        XCTAssertEqual(try MemorySize.parse("2GB", setting: "memory_limit"), 2_000_000_000)
        XCTAssertEqual(try MemorySize.parse("2 gb", setting: "memory_limit"), 2_000_000_000)
        XCTAssertEqual(try MemorySize.parse("1.5GiB", setting: "memory_limit"), 1_610_612_736)
        XCTAssertEqual(try MemorySize.parse("64KB", setting: "memory_limit"), 64_000)
        XCTAssertEqual(try MemorySize.parse("64kib", setting: "memory_limit"), 65_536)
        XCTAssertEqual(try MemorySize.parse("512MiB", setting: "memory_limit"), 536_870_912)
        XCTAssertEqual(try MemorySize.parse("1TB", setting: "memory_limit"), 1_000_000_000_000)
        XCTAssertEqual(try MemorySize.parse("123456", setting: "memory_limit"), 123_456)
        for garbage in ["", "lots", "2 GBs", "GB", "-1GB", "0", "1e3XB"] {
            XCTAssertThrowsError(try MemorySize.parse(garbage, setting: "memory_limit"), garbage) { error in
                XCTAssertTrue((error as? TarnError)?.message.contains("memory_limit") ?? false)
            }
        }
        XCTAssertEqual(MemorySize.format(2_000_000_000), "2GB")
        XCTAssertEqual(MemorySize.format(65_536), "64KiB")
        XCTAssertEqual(MemorySize.format(1_500_000_000), "1.5GB")
        XCTAssertGreaterThan(MemorySize.defaultLimit, 0)
        XCTAssertLessThan(Double(MemorySize.defaultLimit), Double(ProcessInfo.processInfo.physicalMemory))
    }

    func testSpillFileGivesBackItsBatchesInOrderAndIsGoneAfterRemoveAll() throws {
        let root = NSTemporaryDirectory() + "tarn-spill-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = SpillDirectory(root: root)
        XCTAssertNil(directory.folderPath, "nothing is created before the first spill")
        let types: [DataType] = [.bigint, .varchar, .double, .null, .decimal(precision: 10, scale: 2)]
        let file = try directory.newFile(types: types, purpose: "sort run")
        var expected: [[Value]] = []
        for b in 0 ..< 20 {
            let n = 1000 + b
            let ints = (0 ..< n).map { Int64(b * 10_000 + $0) }
            let strings = StringArray((0 ..< n).map { "row \(b)-\($0)" })
            let validity: [UInt8] = (0 ..< n).map { $0 % 7 == 0 ? 0 : 1 }
            let batch = Batch(columns: [
                Column(type: .bigint, data: .int64(ints)),
                Column(type: .varchar, data: .string(strings), validity: validity),
                Column(type: .double, data: .double(ints.map { Double($0) / 3 })),
                Column.nulls(.null, count: n),
                Column(type: .decimal(precision: 10, scale: 2), data: .int64(ints.map { -$0 })),
            ], count: n)
            try file.append(batch)
            for i in 0 ..< n { expected.append(batch.row(i)) }
        }
        try file.finishWriting()
        XCTAssertEqual(file.rowCount, expected.count)
        let folder = try XCTUnwrap(directory.folderPath)
        XCTAssertTrue(folder.hasPrefix(root + "/tarn-\(getpid())-"), folder)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path))
        XCTAssertGreaterThan(directory.bytesWritten, 0)
        XCTAssertLessThan(directory.bytesWritten, expected.count * 40, "compressed")
        for _ in 0 ..< 2 {   // any number of passes
            let reader = try file.makeReader()
            var rows: [[Value]] = []
            while let batch = try reader.next() {
                XCTAssertEqual(batch.columns.map(\.type), types)
                for i in 0 ..< batch.count { rows.append(batch.row(i)) }
            }
            XCTAssertEqual(rows.count, expected.count)
            XCTAssertTrue(rows == expected, "rows read back differ from rows written")
        }
        let zeroColumns = try directory.newFile(types: [], purpose: "count only")
        try zeroColumns.append(Batch(columns: [], count: 5))
        try zeroColumns.finishWriting()
        XCTAssertEqual(try zeroColumns.makeReader().next()?.count, 5)
        directory.removeAll()
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
    }

    func testStaleFoldersOfDeadProcessesAreRemovedOthersKept() throws {
        let root = NSTemporaryDirectory() + "tarn-spill-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A process that has exited: its pid no longer runs.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exit 0"]
        try child.run()
        child.waitUntilExit()
        let dead = "\(root)/tarn-\(child.processIdentifier)-1"
        let alive = "\(root)/tarn-\(getppid())-1"
        let unrelated = "\(root)/someone-elses"
        for dir in [dead, alive, unrelated] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        FileManager.default.createFile(atPath: dead + "/1-sort-run.tspill", contents: Data([1, 2, 3]))
        XCTAssertEqual(SpillDirectory.removeStale(in: root), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead))
        XCTAssertTrue(FileManager.default.fileExists(atPath: alive))
        XCTAssertTrue(FileManager.default.fileExists(atPath: unrelated))
    }

    func testBatchEstimatedBytesCountsColumnBuffers() {
        let batch = Batch(columns: [
            Column(type: .bigint, data: .int64(Array(repeating: 1, count: 100))),
            Column(type: .varchar, data: .string(StringArray(Array(repeating: "abcd", count: 100))), validity: Array(repeating: 1, count: 100)),
        ], count: 100)
        XCTAssertEqual(batch.estimatedBytes, 800 + (400 + 101 * 8 + 100))
    }
}
