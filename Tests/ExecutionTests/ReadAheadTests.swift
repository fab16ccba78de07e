import XCTest
import Foundation
@testable import Execution
import Storage

/// The read-ahead helpers against a plain single-threaded pull of the same operators: `OrderedMorselReader` (a scan
/// pipeline read on several threads, its batches in morsel order) and `BatchPrefetcher` (an operator run on a
/// thread of its own), with filtered-out morsels, cancellation and an early stop.
final class ReadAheadTests: XCTestCase {
    /// 300 batches of ids (every seventh batch empty), a key and a flag that a filter keeps rows by.
    private func pipeline() -> PhysicalOperator {
        let batches = (0 ..< 300).map { b -> Batch in
            let ids = (0 ..< (b % 7 == 3 ? 0 : 50 + b % 40)).map { Int64(b * 1000 + $0) }
            return Batch(columns: [
                Column(type: .bigint, data: .int64(ids)),
                Column(type: .boolean, data: .bool(ids.map { b % 11 == 5 ? false : $0 % 3 != 0 })),
            ], count: ids.count)
        }
        let filter = FilterOperator(child: ValuesOperator(types: [.bigint, .boolean], batches: batches), predicate: .column(1, .boolean))
        return ProjectionOperator(child: filter, expressions: [.column(0, .bigint)])
    }

    private func ids(_ batches: [Batch]) -> [Int64] {
        batches.flatMap { b -> [Int64] in
            guard case let .int64(v) = b.columns[0].data else { return [] }
            return v
        }
    }

    private func pulled(_ op: PhysicalOperator) throws -> [Batch] {
        let context = ExecutionContext()
        try op.open(context)
        defer { op.close() }
        var out: [Batch] = []
        while let b = try op.next() { if b.count > 0 { out.append(b) } }
        return out
    }

    func testOrderedReaderGivesThePullsBatchesInOrder() throws {
        let expected = try pulled(pipeline())
        XCTAssertGreaterThan(expected.count, 200)
        for workers in [2, 3] {
            let reader = try XCTUnwrap(try OrderedMorselReader.make(pipeline(), ExecutionContext(), workers: workers))
            var got: [Batch] = []
            while let b = try reader.next() { got.append(b) }
            reader.finish()
            XCTAssertEqual(got.map(\.count), expected.map(\.count), "\(workers) workers")
            XCTAssertEqual(ids(got), ids(expected))
        }
        XCTAssertNil(try OrderedMorselReader.make(pipeline(), ExecutionContext(), workers: 1), "one thread reads as before")
    }

    func testOrderedReaderStopsOnCancelAndWhenFinishedEarly() throws {
        let context = ExecutionContext()
        let reader = try XCTUnwrap(try OrderedMorselReader.make(pipeline(), context, workers: 2))
        XCTAssertNotNil(try reader.next())
        context.progress.cancel()
        XCTAssertThrowsError(try { while try reader.next() != nil {} }())
        reader.finish()
        let early = try XCTUnwrap(try OrderedMorselReader.make(pipeline(), ExecutionContext(), workers: 2))
        XCTAssertNotNil(try early.next())
        early.finish()
    }

    func testPrefetcherGivesTheOperatorsBatchesAndItsError() throws {
        let expected = try pulled(pipeline())
        let prefetcher = BatchPrefetcher(pipeline(), ExecutionContext(), depth: 2)
        var got: [Batch] = []
        while let b = try prefetcher.next() { got.append(b) }
        prefetcher.finish()
        XCTAssertEqual(ids(got), ids(expected))

        let context = ExecutionContext()
        context.progress.cancel()
        let cancelled = BatchPrefetcher(pipeline(), context)
        XCTAssertThrowsError(try { while try cancelled.next() != nil {} }())
        cancelled.finish()

        let early = BatchPrefetcher(pipeline(), ExecutionContext(), depth: 1)
        XCTAssertNotNil(try early.next())
        early.finish()
        XCTAssertNil(try early.next(), "nothing more after finish")
    }
}
