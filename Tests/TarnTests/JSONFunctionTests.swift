import XCTest
@testable import Tarn
import Storage

/// JSON functions DuckDB does not share, checked against the examples of Trino's documentation (the expected values
/// are the documented results); the shared ones are compared with DuckDB in Tests/differential/queries/27_json.sql.
final class JSONFunctionTests: XCTestCase {
    func testTrinoDocumentationExamples() throws {
        let db = try TestLake()
        let doc = #"{"store": {"book": [{"author": "Nigel Rees", "price": 8.95}, {"author": "Evelyn Waugh", "price": 12.99}]}}"#
        XCTAssertEqual(try db.rows("""
            SELECT json_array_get('["a", [3, 9], "c"]', 0), json_array_get('["a", [3, 9], "c"]', 1),
                   json_array_get('["a", [3, 9], "c"]', 10), json_array_get('["c", [3, 9], "a"]', -1)
            """), [[#""a""#, "[3,9]", "NULL", #""a""#]])
        XCTAssertEqual(try db.rows("SELECT json_array_length('[1, 2, 3]'), json_extract_scalar('[1, 2, 3]', '$[2]')"), [["3", "3"]])
        XCTAssertEqual(try db.rows("SELECT json_extract_scalar('\(doc)', '$.store.book[0].author'), json_extract('\(doc)', '$.store.book[1].price')"),
                       [["Nigel Rees", "12.99"]])
        XCTAssertEqual(try db.rows("""
            SELECT json_size('{"x": {"a": 1, "b": 2}}', '$.x'), json_size('{"x": [1, 2, 3]}', '$.x'), json_size('{"x": {"a": 1, "b": 2}}', '$.x.a')
            """), [["2", "3", "0"]])
        XCTAssertEqual(try db.rows("SELECT is_json_scalar('1'), is_json_scalar('[1, 2, 3]')"), [["true", "false"]])
        XCTAssertEqual(try db.rows("SELECT json_format('[1, 2, 3]'), json_parse('[1, 2, 3]'), json_parse('{\"a\" : \"b c\"}')"),
                       [["[1,2,3]", "[1,2,3]", #"{"a":"b c"}"#]])
        // Escapes are undone in scalar text, including surrogate pairs.
        XCTAssertEqual(try db.rows(#"SELECT json_extract_scalar('{"s": "tab\there \u00e9 \ud83d\ude00"}', '$.s')"#), [["tab\there é 😀"]])
    }

    func testBadJSONAndBadPathsAreErrorsThatSaySo() throws {
        let db = try TestLake()
        XCTAssertTrue(db.error("SELECT json_extract('{\"a\": ', '$.a')")?.message.contains("json_extract: not valid JSON") ?? false)
        XCTAssertTrue(db.error("SELECT json_extract('{}', '$.a[')")?.message.contains("invalid JSON path") ?? false)
        XCTAssertEqual(try db.rows("SELECT json_valid('{\"a\": '), json_extract_scalar('{\"a\": {\"b\": 1}}', '$.a')"), [["false", "NULL"]])
        // Deep nesting is bounded: not valid JSON past 256 levels, never a crash.
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        XCTAssertEqual(try db.rows("SELECT json_valid('\(deep)')"), [["false"]])
        let fine = String(repeating: "[", count: 200) + "1" + String(repeating: "]", count: 200)
        XCTAssertEqual(try db.rows("SELECT json_valid('\(fine)')"), [["true"]])
    }
}
