import XCTest
@testable import Tarn

/// Scans that run their filter before decoding their other columns (`EarlyFilter`), decode a few kept rows one by one
/// (`SelectiveChunkDecoder`) and answer comparisons on sequence columns from the chunk header (`sequenceRange`): each
/// query's rows equal the same query with the filter hidden behind arithmetic the scan cannot use (`id + 0`), which
/// reads every column whole and filters after.
final class EarlyFilterScanTests: XCTestCase {
    func testEarlyFilteredScansEqualFilteringAfterTheScan() throws {
        let db = try TestLake()
        // id: a sequence per row group (delta, equal steps); step: a sequence of step 3; k: few values (dictionary /
        // frame of reference) with NULLs; s: strings, dictionary; u: unique strings (plain); x: doubles with NULLs.
        try db.run("""
            CREATE TABLE t AS SELECT generate_series AS id, generate_series * 3 - 1000 AS step,
                CASE WHEN generate_series % 11 = 0 THEN NULL ELSE generate_series % 37 END AS k,
                'city ' || (generate_series % 25) AS s, 'user-' || generate_series || '-x' AS u,
                CASE WHEN generate_series % 7 = 0 THEN NULL ELSE generate_series * 0.25 END AS x,
                generate_series % 2 = 0 AS even
            FROM generate_series(1, 400000)
            """)
        let filters = [
            "id = 123457", "id = 0", "id = 400000", "id = 400001", "123457 = id", "id < 3", "id <= 3", "id > 399998",
            "id >= 399998", "id = 250000 AND k IS NULL", "id = 250001 AND k IS NULL", "id BETWEEN 122870 AND 122890",
            "step = 2", "step = 3", "step = -997", "step > 1199990", "id = 200000 OR id = 7", "id IN (5, 122880, 122881, 399999)",
            "k = 5 AND id < 2000", "s = 'city 3' AND id > 399900", "u = 'user-77-x'", "x = 1000.25", "x IS NULL AND id < 100",
            "even AND id < 10", "id < 0",
        ]
        for filter in filters {
            let hidden = filter.replacingOccurrences(of: "id", with: "(id + 0)").replacingOccurrences(of: "step", with: "(step + 0)")
            let columns = "id, step, k, s, u, x, even"
            let early = try db.rows("SELECT \(columns) FROM t WHERE \(filter) ORDER BY id")
            let late = try db.rows("SELECT \(columns) FROM t WHERE \(hidden) ORDER BY id")
            XCTAssertEqual(early, late, filter)
            // Under an aggregate the scan may keep the selection deferred: the same rows count.
            XCTAssertEqual(try db.rows("SELECT count(*), sum(k), max(u), sum(x) FROM t WHERE \(filter)"),
                           try db.rows("SELECT count(*), sum(k), max(u), sum(x) FROM t WHERE \(hidden)"), filter)
        }
        XCTAssertEqual(try db.rows("SELECT id, s, u FROM t WHERE id = 123457"), [["123457", "city 7", "user-123457-x"]])
    }
}
