import XCTest
@testable import Tarn
import Storage

/// An aggregate's ORDER BY is honoured or refused, never ignored (it was ignored: `string_agg(x, ',' ORDER BY x)`
/// concatenated in input order). DuckDB has no `listagg … WITHIN GROUP`, so that spelling is checked here against
/// Trino's documentation: `listagg(value, ',') WITHIN GROUP (ORDER BY value)` over ('a'), ('c'), ('b') is 'a,b,c'.
final class OrderedAggregateTests: XCTestCase {
    private func lake() throws -> TestLake {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES ('g', 'b', 2), ('g', 'a', 1), ('g', 'c', 3), ('h', 'z', 1), ('h', 'y', 2)) v(k, x, n)")
        return db
    }

    func testListaggWithinGroupFollowsItsOrder() throws {
        let db = try lake()
        XCTAssertEqual(try db.rows("SELECT listagg(value, ',') WITHIN GROUP (ORDER BY value) FROM (VALUES 'a', 'c', 'b') t(value)"),
                       [["a,b,c"]])
        XCTAssertEqual(try db.rows("SELECT k, listagg(x, '-') WITHIN GROUP (ORDER BY n DESC) FROM t GROUP BY k ORDER BY k"),
                       [["g", "c-b-a"], ["h", "y-z"]])
        XCTAssertEqual(try db.rows("SELECT k, string_agg(x, ',' ORDER BY x) FROM t GROUP BY k ORDER BY k"), [["g", "a,b,c"], ["h", "y,z"]])
    }

    func testOrderedSetAggregatesTakeTheirArgumentFromTheOrder() throws {
        let db = try lake()
        XCTAssertEqual(try db.rows("""
            SELECT k, percentile_cont(0.25) WITHIN GROUP (ORDER BY n), percentile_cont(0.25) WITHIN GROUP (ORDER BY n DESC)
            FROM t GROUP BY k ORDER BY k
            """), [["g", "1.5", "2.5"], ["h", "1.25", "1.75"]])
        XCTAssertEqual(try db.rows("SELECT mode() WITHIN GROUP (ORDER BY k) FROM t"), [["g"]])
    }

    func testOrdersThatCannotBeHonouredAreRefused() throws {
        let db = try lake()
        XCTAssertEqual(db.error("SELECT string_agg(x, ',' ORDER BY x), string_agg(x, ';' ORDER BY n) FROM t")?.kind, .unsupported)
        XCTAssertEqual(db.error("SELECT first(x ORDER BY n) FROM t")?.kind, .unsupported)
        XCTAssertEqual(db.error("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n, x) FROM t")?.kind, .semantic)
    }
}
