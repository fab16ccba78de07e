import Foundation
import XCTest
@testable import Tarn
import Storage

/// A fresh lake in a temporary directory for one test, removed afterwards.
final class TestLake {
    let path: String
    let database: Database
    let session: Session

    init() throws {
        path = NSTemporaryDirectory() + "tarn-test-" + UUID().uuidString
        database = try Database.open(path)
        session = database.connect()
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func run(_ sql: String, file: StaticString = #filePath, line: UInt = #line) throws -> [StatementResult] {
        try session.execute(sql)
    }

    /// Rows of the last statement rendered as strings (NULL as "NULL").
    func rows(_ sql: String) throws -> [[String]] {
        try session.query(sql).map { $0.map(\.description) }
    }

    /// The error a statement raises (fails the test when it succeeds).
    func error(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> TarnError? {
        do {
            try session.execute(sql)
            XCTFail("expected an error from: \(sql)", file: file, line: line)
            return nil
        } catch let e as TarnError {
            return e
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }
}
