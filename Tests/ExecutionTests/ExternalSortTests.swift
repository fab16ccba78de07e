import XCTest
import Foundation
@testable import Execution
import Storage

/// The external merge sort against the in-memory sort of the same operator: same rows in the same order, with ties
/// (stability), NULLS FIRST / LAST, DESC, strings and doubles with NaN, over many runs merged in several passes.
final class ExternalSortTests: XCTestCase {
    private func input(rows: Int) -> [Batch] {
        var batches: [Batch] = []
        var start = 0
        while start < rows {
            let n = min(700, rows - start)   // odd batch sizes: runs end mid-batch
            let ids = (start ..< start + n).map { Int64($0) }
            let keys = ids.map { ($0 * 7919) % 37 - 18 }
            let keyValidity: [UInt8] = ids.map { $0 % 9 == 0 ? 0 : 1 }
            let strings = StringArray(ids.map { "s\(($0 * 31) % 53)" })
            let doubles = ids.map { $0 % 13 == 0 ? Double.nan : Double(($0 * 17) % 29) / 4 }
            batches.append(Batch(columns: [
                Column(type: .bigint, data: .int64(ids)),
                Column(type: .bigint, data: .int64(keys), validity: keyValidity),
                Column(type: .varchar, data: .string(strings)),
                Column(type: .double, data: .double(doubles)),
            ], count: n))
            start += n
        }
        return batches
    }

    private func sorted(_ keys: [SortKey], limit: Int, fanIn: Int = SortOperator.defaultMergeFanIn,
                        root: String) throws -> (rows: [[Value]], runs: Int, passes: Int, spill: SpillDirectory) {
        let types: [DataType] = [.bigint, .bigint, .varchar, .double]
        let sort = SortOperator(child: ValuesOperator(types: types, batches: input(rows: 12_000)), keys: keys, mergeFanIn: fanIn)
        var settings = SessionSettings()
        settings.memoryLimit = limit
        settings.tempDirectory = root
        let context = ExecutionContext(settings: settings)
        let batches = try PlanExecutor.collect(sort, context)
        return (batches.flatMap { b in (0 ..< b.count).map { b.row($0) } }, sort.statistics.extra["spilled_runs"] ?? 0,
                sort.statistics.extra["merge_passes"] ?? 0, context.spill)
    }

    func testSpilledSortEqualsInMemorySortOverSeveralMergePasses() throws {
        let root = NSTemporaryDirectory() + "tarn-sort-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let orders: [[SortKey]] = [
            [SortKey(expression: .column(1, .bigint), ascending: true, nullsFirst: false)],
            [SortKey(expression: .column(1, .bigint), ascending: false, nullsFirst: true), SortKey(expression: .column(2, .varchar), ascending: true)],
            [SortKey(expression: .column(2, .varchar), ascending: false), SortKey(expression: .column(3, .double), ascending: true)],
            [SortKey(expression: .column(3, .double), ascending: false, nullsFirst: false)],
        ]
        for keys in orders {
            let memory = try sorted(keys, limit: Int.max, root: root)
            XCTAssertEqual(memory.runs, 0)
            XCTAssertEqual(memory.rows.count, 12_000)
            // Fan-ins of 2, 3 and 5 make loser trees of every shape (a power of two and not) over the passes.
            for fanIn in [SortOperator.defaultMergeFanIn, 2, 3, 5] {
                let spilled = try sorted(keys, limit: 64_000, fanIn: fanIn, root: root)
                XCTAssertGreaterThan(spilled.runs, 6, "the input should spill into several runs")
                XCTAssertEqual(spilled.passes > 0, fanIn < spilled.runs, "merge passes")
                XCTAssertTrue(spilled.rows.map { $0.map(\.description) } == memory.rows.map { $0.map(\.description) },
                              "spilled sort (fan-in \(fanIn)) differs from the in-memory sort for \(keys.map { SortOperator.describe([$0]) })")
                XCTAssertGreaterThan(spilled.spill.bytesWritten, 0)
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spilled.spill.folderPath ?? root).filter { $0.hasSuffix(".tspill") }, [],
                               "the sort deletes its runs when it closes")
            }
        }
    }
}
