import XCTest
@testable import Tarn
@testable import Storage

/// A query whose rows stream straight out of a table scan without a filter (projections and LIMIT only) reads
/// through the process-wide chunk cache without filling it; a filtered scan (lookups read the same row groups again)
/// and a scan under an aggregate fill it. All give the same rows.
final class StreamingScanCacheTests: XCTestCase {
    func testStreamingScansDoNotFillTheChunkCache() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT generate_series AS id, 'label ' || (generate_series % 1000) AS s, generate_series * 0.5 AS x FROM generate_series(1, 300000)")
        let cache = ChunkPayloadCache.shared
        let budget = cache.budget
        defer { cache.resetBudget(to: budget) }
        cache.resetBudget(to: 64 << 20)  // other tests' SET memory_limit may have lowered it for the whole process
        cache.removeAll()
        let all = try db.rows("SELECT id, s, x FROM t")
        XCTAssertEqual(all.count, 300_000)
        XCTAssertEqual(cache.cachedBytes, 0, "SELECT … FROM t streams: nothing kept")
        let streamed = try db.rows("SELECT id, s, x FROM t WHERE id % 1000 = 7")
        XCTAssertEqual(streamed.count, 300)
        XCTAssertGreaterThan(cache.cachedBytes, 0, "a filtered scan keeps the chunks its filter read")
        cache.removeAll()

        XCTAssertEqual(try db.rows("SELECT count(*), sum(id), max(s), sum(x) FROM t WHERE id % 1000 = 7"), [["300", "44852100", "label 7", "22426050.0"]])
        XCTAssertGreaterThan(cache.cachedBytes, 0, "an aggregate's scan fills the cache for the next query")
        XCTAssertEqual(try db.rows("SELECT id, s, x FROM t WHERE id % 1000 = 7"), streamed, "same rows from cached chunks")
    }
}
