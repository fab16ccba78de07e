import Foundation
import XCTest
@testable import Tarn
import Storage
import Transforms

/// A fresh folder per test, removed afterwards; helpers to run SQL and read single values.
class TransformTestCase: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tarn-transform-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func openSession() throws -> Session { try Database.open(folder + "/lake").connect() }

    func int(_ session: Session, _ sql: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
        let rows = try session.query(sql)
        guard let v = rows.first?.first?.int64Value else {
            XCTFail("no integer from \(sql): \(rows)", file: file, line: line)
            return -1
        }
        return v
    }

    /// Writes dirty campaign landings (`raw/{date}/{stamp}.json`) like `tarn generate campaigns`, and the first time
    /// also their weekly sales feed (`sales/weekly_sales.csv`, as `--sales` does), which the example pipeline loads.
    func writeRaw(rows: Int, files: Int, days: Int, firstDay: Int = 0, seed: UInt64 = 42) throws {
        var options = CampaignGenerator.Options(seed: seed, clean: false, days: days)
        options.firstDate += Int32(firstDay)
        let generator = CampaignGenerator(options: options)
        try CampaignLandingWriter(generator: generator).write(rows: rows, files: files, to: folder + "/raw")
        if !FileManager.default.fileExists(atPath: folder + "/sales") {
            try CampaignSalesFeed(generator: generator, rows: rows).writeCSV(to: folder + "/sales")
        }
    }

    /// The example pipeline, copied next to the raw folder.
    func examplePipeline(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("examples/\(name)/pipeline.sql"), encoding: .utf8)
    }
}
