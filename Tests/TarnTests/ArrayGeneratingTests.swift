import XCTest
@testable import Tarn

/// Trino's `repeat` and `ngrams` with the examples of Trino's documentation (functions/array.md).
final class ArrayGeneratingTests: XCTestCase {
    func testRepeatAndNgramsFromTrinoDocs() throws {
        let db = try TestLake()
        // array.md, ngrams: bigrams, the whole array when n exceeds its length, [[]] for an empty array.
        XCTAssertEqual(try db.rows("SELECT ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 2), ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 3), ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 4)"),
                       [["[[foo, bar], [bar, baz], [baz, foo]]", "[[foo, bar, baz], [bar, baz, foo]]", "[[foo, bar, baz, foo]]"]])
        XCTAssertEqual(try db.rows("SELECT ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 5), ngrams(ARRAY[1, 2, 3, 4], 2), ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 1), ngrams(ARRAY[], 2)"),
                       [["[[foo, bar, baz, foo]]", "[[1, 2], [2, 3], [3, 4]]", "[[foo], [bar], [baz], [foo]]", "[[]]"]])
        XCTAssertTrue(db.error("SELECT ngrams(ARRAY[1], 0)")?.message.contains("N must be positive") ?? false)
        // array.md defines repeat(element, count) as element repeated count times (no example there): count 0 gives [],
        // a NULL element NULLs, a NULL count NULL.
        XCTAssertEqual(try db.rows("SELECT repeat(1, 4), repeat('x', 0), repeat(NULL, 2), repeat(ARRAY[1], 2), repeat(3, NULL)"),
                       [["[1, 1, 1, 1]", "[]", "[NULL, NULL]", "[[1], [1]]", "NULL"]])
        XCTAssertTrue(db.error("SELECT repeat(1, -1)")?.message.contains("count must be between 0 and 10000") ?? false)
    }
}
