import XCTest
import Foundation
@testable import Tarn
import Execution
import Storage

/// A cancelled query stops soon, even inside a nested-loop join whose cross product is enormous (it built all pairs of
/// a probe batch before looking at the cancel flag, so Ctrl-C went unanswered while memory grew).
final class CancellationTests: XCTestCase {
    func testNonEquiSelfJoinStopsWithinASecondOfCancel() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT generate_series AS x FROM generate_series(1, 200000)")
        let statement = try XCTUnwrap(db.session.parse("SELECT count(*) FROM t a JOIN t b ON a.x < b.x + 1 AND a.x % 7 <> b.x % 5").first)
        let progress = QueryProgress()
        let finished = DispatchSemaphore(value: 0)
        final class Outcome: @unchecked Sendable { var error: Error?; var ended = Date.distantFuture }
        let outcome = Outcome()
        let session = db.session
        Thread.detachNewThread {
            do { _ = try session.execute(statement, progress: progress) } catch { outcome.error = error }
            outcome.ended = Date()
            finished.signal()
        }
        Thread.sleep(forTimeInterval: 1.0)
        let cancelled = Date()
        progress.cancel()
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "the join did not stop within 10 s of cancel")
        XCTAssertEqual((outcome.error as? TarnError)?.kind, .cancelled, "\(String(describing: outcome.error))")
        XCTAssertLessThan(outcome.ended.timeIntervalSince(cancelled), 1.0, "stopped \(outcome.ended.timeIntervalSince(cancelled)) s after cancel")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["200000"]], "the session still works")
    }
}
