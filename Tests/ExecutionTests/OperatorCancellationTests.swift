import XCTest
import Foundation
@testable import Execution
import Storage

/// Every long loop of an operator looks at the cancel flag: cancelled from another thread while it works, an operator
/// throws `.cancelled` within a second (the shell's Ctrl-C and the server's CancelRequest rely on it). Inputs are sized
/// so that each operator is still busy (a debug build needs seconds) when the cancel comes.
final class OperatorCancellationTests: XCTestCase {
    private final class Run: @unchecked Sendable {
        let op: PhysicalOperator
        var error: Error?
        var ended = Date.distantFuture
        init(_ op: PhysicalOperator) { self.op = op }
    }

    /// Opens and drains `op` on another thread, cancels it after `delay` s, and checks it stopped within 1 s.
    private func assertStopsWithinASecond(_ op: PhysicalOperator, after delay: Double = 0.5, _ what: String,
                                          file: StaticString = #filePath, line: UInt = #line) {
        let progress = QueryProgress()
        let run = Run(op)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                let context = ExecutionContext(progress: progress)
                try run.op.open(context)
                while try run.op.next() != nil { try progress.checkCancelled() }
                run.op.close()
            } catch {
                run.op.close()
                run.error = error
            }
            run.ended = Date()
            finished.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        Thread.sleep(forTimeInterval: delay)
        let cancelled = Date()
        progress.cancel()
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success, "\(what) did not stop within 30 s of cancel", file: file, line: line)
        XCTAssertNotNil(run.error, "\(what) finished before the cancel came: make its input larger", file: file, line: line)
        if let error = run.error {
            XCTAssertEqual((error as? TarnError)?.kind, .cancelled, "\(what): \(error)", file: file, line: line)
        }
        let latency = run.ended.timeIntervalSince(cancelled)
        XCTAssertLessThan(latency, 1.0, "\(what) stopped \(latency) s after cancel", file: file, line: line)
    }

    private static func randomColumn(_ n: Int, seed: UInt64) -> Column {
        var state = seed
        var values = [Int64](repeating: 0, count: n)
        for i in 0..<n {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values[i] = Int64(bitPattern: state >> 11)
        }
        return Column(type: .bigint, data: .int64(values))
    }

    /// One sort of millions of rows takes seconds: the comparisons look at the flag.
    func testSortStops() {
        let op = SortOperator(child: OpFixtures.values([Self.randomColumn(3_000_000, seed: 1)], batchSize: 1 << 16),
                              keys: [SortKey(expression: .column(0, .bigint))])
        assertStopsWithinASecond(op, "ORDER BY over 3M rows")
    }

    func testWindowStops() {
        let call = WindowCall(kind: .rowNumber, arguments: [], partitionBy: [], orderBy: [SortKey(expression: .column(0, .bigint))],
                              frame: .defaultWithOrder, resultType: .bigint)
        let op = WindowOperator(child: OpFixtures.values([Self.randomColumn(3_000_000, seed: 2)], batchSize: 1 << 16), calls: [call])
        assertStopsWithinASecond(op, "row_number() OVER (ORDER BY x) over 3M rows")
    }

    /// Hashing millions of build keys takes seconds: the build is hashed in slices with a look at the flag between.
    func testHashJoinBuildStops() {
        let strings = (0..<1_500_000).map { "key \($0 &* 7919 % 1_000_003)" }
        let keys = OpFixtures.column(.varchar, strings.map { .varchar($0) })
        let left = OpFixtures.values([OpFixtures.column(.varchar, strings.prefix(10).map { .varchar($0) })], batchSize: 10)
        let right = OpFixtures.values([keys], batchSize: 1 << 16)
        let op = HashJoinOperator(left: left, right: right, kind: .inner, leftKeys: [.column(0, .varchar)], rightKeys: [.column(0, .varchar)])
        assertStopsWithinASecond(op, after: 0.8, "hash join build over 1.5M string keys")
    }

    /// A nested-loop join whose build side is wide: one left row meets 2M build rows, tested in bounded steps.
    func testNestedLoopJoinWithAWideBuildSideStops() {
        let left = OpFixtures.values([Self.randomColumn(1_000, seed: 3)], batchSize: 100)
        let right = OpFixtures.values([Self.randomColumn(2_000_000, seed: 4)], batchSize: 1 << 16)
        let op = NestedLoopJoinOperator(left: left, right: right, kind: .inner,
                                        condition: .call(OpFixtures.less, [.column(0, .bigint), .column(1, .bigint)], .boolean))
        assertStopsWithinASecond(op, after: 1.0, "a < b nested-loop join of 1k × 2M rows")
    }

    func testNestedLoopSemiJoinStops() {
        let left = OpFixtures.values([Self.randomColumn(20_000, seed: 5)], batchSize: 2048)
        let right = OpFixtures.values([Self.randomColumn(20_000, seed: 6)], batchSize: 2048)
        let op = NestedLoopJoinOperator(left: left, right: right, kind: .semi,
                                        condition: .call(OpFixtures.less, [.column(0, .bigint), .column(1, .bigint)], .boolean))
        assertStopsWithinASecond(op, "a < b semi join of 20k × 20k rows")
    }
}
