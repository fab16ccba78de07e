import Foundation
import XCTest
@testable import Tarn
import Storage

/// A fresh lake plus a scratch folder for raw files, both removed afterwards.
final class IngestFixture {
    let root: String
    let lakePath: String
    let rawPath: String
    let database: Database
    let session: Session

    init(_ name: String = #function) throws {
        root = NSTemporaryDirectory() + "tarn-ingest-" + UUID().uuidString.prefix(8)
        lakePath = root + "/lake"
        rawPath = root + "/raw"
        try FileManager.default.createDirectory(atPath: rawPath, withIntermediateDirectories: true)
        database = try Database.open(lakePath)
        session = database.connect()
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` to `raw/<relative>` (creating folders).
    func write(_ relative: String, _ text: String) throws {
        let path = rawPath + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @discardableResult
    func run(_ sql: String) throws -> [StatementResult] { try session.execute(sql) }

    func rows(_ sql: String) throws -> [[String]] { try session.query(sql).map { $0.map(\.description) } }

    func scalar(_ sql: String) throws -> String { try rows(sql).first?.first ?? "<no rows>" }

    /// The COPY result row as name → value.
    func copy(_ sql: String) throws -> [String: String] {
        guard let result = try session.execute(sql).last, let row = result.rows.first else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(result.columns.map(\.name), row.map(\.description)))
    }
}

/// NDJSON lines of simple campaign-like records `first..<last`.
func campaignLines(_ range: Range<Int>) -> String {
    range.map { i in
        #"{"campaign_id":"cmp\#(i % 7)","ad_id":"ad\#(i)","date":"2024-01-\#(String(format: "%02d", i % 28 + 1))","impressions":\#(1000 + i),"clicks":\#(i % 50),"spend":\#(Double(i) * 0.25)}"#
    }.joined(separator: "\n") + "\n"
}

/// The built `tarn` executable: `$TARN_BINARY`, else the newest `.build*/debug/tarn` of the package.
func tarnBinary() throws -> String {
    let fm = FileManager.default
    if let path = ProcessInfo.processInfo.environment["TARN_BINARY"], fm.isExecutableFile(atPath: path) { return path }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    var candidates: [String] = []
    // The binary built together with these tests first.
    let bundleFolder = Bundle(for: IngestFixture.self).bundleURL.deletingLastPathComponent().path
    candidates.append(bundleFolder + "/tarn")
    for entry in (try? fm.contentsOfDirectory(atPath: root)) ?? [] where entry.hasPrefix(".build") {
        candidates.append(root + "/" + entry + "/debug/tarn")
        for sub in (try? fm.contentsOfDirectory(atPath: root + "/" + entry)) ?? [] { candidates.append(root + "/" + entry + "/" + sub + "/debug/tarn") }
    }
    func modified(_ p: String) -> Date { ((try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date) ?? .distantPast }
    let existing = candidates.filter { fm.isExecutableFile(atPath: $0) }
    if fm.isExecutableFile(atPath: candidates[0]) { return candidates[0] }
    guard let newest = existing.max(by: { modified($0) < modified($1) }) else {
        XCTFail("the tarn binary was not found (looked next to the tests and in .build*/debug); build it: swift build --product tarn")
        throw XCTSkip("tarn binary missing")
    }
    return newest
}
