import Foundation
import XCTest
@testable import Storage

/// Shared helpers of the lake tests: temporary lakes, small tables, row comparison, and the `lake-stress` binary.
enum LakeTestSupport {
    static func temporaryLake(_ label: String = "lake") throws -> (Lake, String) {
        let dir = NSTemporaryDirectory() + "tarn-\(label)-\(UUID().uuidString.prefix(8))"
        return (try Lake.open(at: dir), dir)
    }

    static let peopleSchema = Schema([
        Field(name: "id", type: .bigint, nullable: false),
        Field(name: "name", type: .varchar),
        Field(name: "score", type: .double),
    ])

    static func peopleBatch(_ ids: Range<Int>) -> Batch {
        var id = ColumnBuilder(type: .bigint), name = ColumnBuilder(type: .varchar), score = ColumnBuilder(type: .double)
        for i in ids {
            id.append(.bigint(Int64(i)))
            name.append(i % 5 == 0 ? .null : .varchar("p\(i)"))
            score.append(.double(Double(i) / 2))
        }
        return Batch(columns: [id.finish(), name.finish(), score.finish()], count: ids.count)
    }

    /// Every row of a snapshot as text keys, sorted.
    static func rows(_ snapshot: TableSnapshot) throws -> [String] {
        let batch = try snapshot.readAll()
        return (0..<batch.count).map { batch.row($0).map(\.description).joined(separator: "|") }.sorted()
    }

    static func rows(_ batch: Batch) -> [String] {
        (0..<batch.count).map { batch.row($0).map(\.description).joined(separator: "|") }.sorted()
    }

    /// Data files (lake-relative paths) present under `data/`.
    static func dataFilesOnDisk(_ lakePath: String) -> Set<String> {
        var result = Set<String>()
        let fm = FileManager.default
        for folder in (try? fm.contentsOfDirectory(atPath: lakePath + "/data")) ?? [] {
            for file in (try? fm.contentsOfDirectory(atPath: lakePath + "/data/" + folder)) ?? [] {
                result.insert("data/\(folder)/\(file)")
            }
        }
        return result
    }

    /// Paths of every data file any version in the catalog references.
    static func dataFilesInCatalog(_ lake: Lake) throws -> Set<String> {
        Set(try lake.catalog.query("SELECT path FROM data_files").compactMap { $0[0].string })
    }

    // MARK: the stress generator (an independent copy of `StressRows` in Sources/lake-stress/main.swift)

    static func stressRow(seed: Int64, batch: Int, index i: Int) -> String {
        let id = seed * 1_000_000_000 + Int64(batch) * 100_000 + Int64(i)
        let value = Double((seed &* 31 &+ Int64(batch) * 17 + Int64(i) * 7) % 1000) / 10
        let row: [Value] = [.bigint(id), .bigint(seed), .integer(Int32(batch)), .double(value),
                            i % 13 == 0 ? .null : .varchar("s\(seed)-b\(batch)-r\(i)")]
        return row.map(\.description).joined(separator: "|")
    }

    static func stressRows(seed: Int64, batches: Range<Int>, rows: Int) -> [String] {
        batches.flatMap { b in (0..<rows).map { stressRow(seed: seed, batch: b, index: $0) } }
    }

    // MARK: the lake-stress binary

    struct MissingBinary: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "lake-stress binary not found (searched: \(searched.joined(separator: ", "))). Build it first, e.g. "
                + "`swift build --scratch-path .build-lake --product lake-stress`, or set LAKE_STRESS_BIN."
        }
    }

    /// The built `lake-stress` executable: `$LAKE_STRESS_BIN`, else next to the test bundle/executable, else in
    /// `.build*/debug/` of the package. Throws (failing the test) when it is missing.
    static func stressBinary(file: String = #filePath) throws -> String {
        let fm = FileManager.default
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["LAKE_STRESS_BIN"] { candidates.append(env) }
        let testExecutable = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        candidates.append(testExecutable.deletingLastPathComponent().appendingPathComponent("lake-stress").path)
        // macOS: .../debug/TarnPackageTests.xctest/Contents/MacOS/TarnPackageTests
        candidates.append(testExecutable.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("lake-stress").path)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("lake-stress").path)
        }
        let packageRoot = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let builds = ((try? fm.contentsOfDirectory(atPath: packageRoot.path)) ?? []).filter { $0.hasPrefix(".build") }.sorted()
        for build in builds { candidates.append(packageRoot.path + "/" + build + "/debug/lake-stress") }
        for candidate in candidates where fm.isExecutableFile(atPath: candidate) { return candidate }
        throw MissingBinary(searched: candidates)
    }

    /// Starts `lake-stress` with arguments; output goes to a temporary file read by `output(of:)`.
    static func launch(_ arguments: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try stressBinary())
        process.arguments = arguments
        let outputPath = NSTemporaryDirectory() + "lake-stress-\(UUID().uuidString.prefix(8)).out"
        _ = fm.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return (process, outputPath)
    }

    private static var fm: FileManager { FileManager.default }

    static func output(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
