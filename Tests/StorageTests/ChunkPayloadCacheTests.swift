import XCTest
@testable import Storage

/// The decompressed-chunk cache keeps what `load` marks worth keeping, serves it again without loading, and
/// stays within its budget.
final class ChunkPayloadCacheTests: XCTestCase {
    func testKeepsOnlyPayloadsMarkedWorthKeeping() {
        let cache = ChunkPayloadCache(budget: 1 << 20)
        var loads = 0
        let plain = cache.payload(path: "f", offset: 0) { loads += 1; return ([1, 2, 3], false) }
        XCTAssertEqual(plain, [1, 2, 3])
        XCTAssertEqual(cache.cachedBytes, 0, "an uncompressed chunk is left to the page cache")
        _ = cache.payload(path: "f", offset: 0) { loads += 1; return ([1, 2, 3], false) }
        XCTAssertEqual(loads, 2)

        let unpacked = cache.payload(path: "f", offset: 8) { loads += 1; return ([UInt8](repeating: 7, count: 100), true) }
        XCTAssertEqual(unpacked.count, 100)
        XCTAssertEqual(cache.cachedBytes, 100)
        let again = cache.payload(path: "f", offset: 8) { loads += 1; return ([], true) }
        XCTAssertEqual(again, [UInt8](repeating: 7, count: 100), "served from the cache, not loaded again")
        XCTAssertEqual(loads, 3)
    }

    func testReadsThroughWithoutAdmitting() {
        let cache = ChunkPayloadCache(budget: 1 << 20)
        var loads = 0
        _ = cache.payload(path: "h", offset: 0, admit: false) { loads += 1; return ([UInt8](repeating: 1, count: 100), true) }
        XCTAssertEqual(cache.cachedBytes, 0, "a streaming scan leaves the cache as it was")
        _ = cache.payload(path: "h", offset: 0) { loads += 1; return ([UInt8](repeating: 1, count: 100), true) }
        XCTAssertEqual(cache.cachedBytes, 100)
        let hit = cache.payload(path: "h", offset: 0, admit: false) { loads += 1; return ([], true) }
        XCTAssertEqual(hit.count, 100, "a cached chunk still serves a streaming scan")
        XCTAssertEqual(loads, 2)
    }

    func testStaysWithinBudget() {
        let cache = ChunkPayloadCache(budget: 1000)
        for offset in 0..<20 {
            _ = cache.payload(path: "g", offset: offset) { ([UInt8](repeating: UInt8(offset), count: 200), true) }
            XCTAssertLessThanOrEqual(cache.cachedBytes, 1000)
        }
        var loaded = false
        _ = cache.payload(path: "g", offset: 19) { loaded = true; return ([], true) }
        XCTAssertFalse(loaded, "the most recent payload survives eviction")
    }
}
