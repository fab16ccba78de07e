import XCTest
@testable import Tarn
import Storage

/// ARRAY values: Trino-only spellings with the expected values of Trino's documentation (functions/array.md,
/// functions/regexp.md, functions/string.md, sql/select.md "UNNEST"), the errors of operations arrays do not support,
/// and tables with ARRAY columns written and read back. The spellings DuckDB shares are compared with DuckDB in
/// Tests/differential/queries/38_arrays.sql.
final class ArrayTests: XCTestCase {
    func testArrayFunctionExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        // array.md: array_distinct, array_join with a NULL replacement, array_max / array_min, array_position (0 when
        // absent), array_remove, array_sort (NULLs last), cardinality, contains, element_at (negative from the end).
        XCTAssertEqual(try db.rows("SELECT array_distinct(ARRAY[1, 2, 1, 3, 2]), array_join(ARRAY[1, NULL, 2], ', ', 'x'), array_join(ARRAY['a', NULL, 'b'], '-')"),
                       [["[1, 2, 3]", "1, x, 2", "a-b"]])
        XCTAssertEqual(try db.rows("SELECT array_max(ARRAY[1, 7, 3]), array_min(ARRAY[4, 2]), array_max(ARRAY[1, NULL]), array_position(ARRAY[5, 6, 7], 7), array_position(ARRAY[5], 9)"),
                       [["7", "2", "NULL", "3", "0"]])
        XCTAssertEqual(try db.rows("SELECT array_remove(ARRAY[1, 2, 1, NULL], 1), array_sort(ARRAY[3, 2, 5, 1, 2]), array_sort(ARRAY['b', NULL, 'a'])"),
                       [["[2, NULL]", "[1, 2, 2, 3, 5]", "[a, b, NULL]"]])
        XCTAssertEqual(try db.rows("SELECT cardinality(ARRAY[1, 2, 3]), contains(ARRAY[1, 2], 2), contains(ARRAY[1, NULL], 3), contains(ARRAY[1, NULL], 1)"),
                       [["3", "true", "NULL", "true"]])
        XCTAssertEqual(try db.rows("SELECT element_at(ARRAY[1, 2, 3], 1), element_at(ARRAY[1, 2, 3], -1), element_at(ARRAY[1, 2, 3], 4)"),
                       [["1", "3", "NULL"]])
        // flatten, concat / || (also with an element), slice(x, start, length) with a negative start.
        XCTAssertEqual(try db.rows("SELECT flatten(ARRAY[ARRAY[1, 2], ARRAY[3]]), concat(ARRAY[1], ARRAY[2, 3]), ARRAY[1] || 2, 0 || ARRAY[1], ARRAY[1] || NULL"),
                       [["[1, 2, 3]", "[1, 2, 3]", "[1, 2]", "[0, 1]", "NULL"]])
        XCTAssertEqual(try db.rows("SELECT slice(ARRAY[1, 2, 3, 4], 2, 2), slice(ARRAY[1, 2, 3, 4], -2, 5), slice(ARRAY[1, 2], 3, 1)"),
                       [["[2, 3]", "[3, 4]", "[]"]])
        XCTAssertTrue(db.error("SELECT slice(ARRAY[1, 2], 0, 1)")?.message.contains("indices start at 1") ?? false)
        // Set functions (array.md: "without duplicates"; arrays_overlap NULL when only NULLs could match) and
        // trim_array(ARRAY[1, 2, 3, 4], 1) → [1, 2, 3], (…, 2) → [1, 2].
        XCTAssertEqual(try db.rows("SELECT array_union(ARRAY[1, 2, 2], ARRAY[3, 1]), array_intersect(ARRAY[1, 2, 3, 2], ARRAY[2, 3, 4]), array_except(ARRAY[1, 2, 3, 1], ARRAY[2])"),
                       [["[1, 2, 3]", "[2, 3]", "[1, 3]"]])
        XCTAssertEqual(try db.rows("SELECT arrays_overlap(ARRAY[1, 2], ARRAY[2, 3]), arrays_overlap(ARRAY[1, NULL], ARRAY[3]), arrays_overlap(ARRAY[1], ARRAY[3]), trim_array(ARRAY[1, 2, 3, 4], 1), trim_array(ARRAY[1, 2, 3, 4], 2)"),
                       [["true", "NULL", "false", "[1, 2, 3]", "[1, 2]"]])
        XCTAssertTrue(db.error("SELECT trim_array(ARRAY[1], 2)")?.message.contains("size to trim") ?? false)
        // sequence(start, stop [, step]) over integers and dates (step 1 or -1 by direction).
        XCTAssertEqual(try db.rows("SELECT sequence(1, 5), sequence(5, 1), sequence(0, 10, 5), sequence(DATE '2024-02-27', DATE '2024-03-01')"),
                       [["[1, 2, 3, 4, 5]", "[5, 4, 3, 2, 1]", "[0, 5, 10]", "[2024-02-27, 2024-02-28, 2024-02-29, 2024-03-01]"]])
        XCTAssertTrue(db.error("SELECT sequence(1, 5, -1)")?.message.contains("step must be positive for an increasing sequence") ?? false)
        XCTAssertNotNil(db.error("SELECT sequence(1, 5, 0)"))
    }

    func testStringAndRegexArraysFromTrinoDocs() throws {
        let db = try TestLake()
        // string.md: split('a.b.c', '.'); regexp.md: regexp_split('1a 2b 14m', '\s*[a-z]+\s*') → [1, 2, 14, ],
        // regexp_extract_all('1a 2b 14m', '\d+') → [1, 2, 14], with group 2 of '(\d+)([a-z]+)' → [a, b, m].
        XCTAssertEqual(try db.rows(#"SELECT split('a.b.c', '.'), regexp_split('1a 2b 14m', '\s*[a-z]+\s*'), regexp_extract_all('1a 2b 14m', '\d+'), regexp_extract_all('1a 2b 14m', '(\d+)([a-z]+)', 2)"#),
                       [["[a, b, c]", "[1, 2, 14, ]", "[1, 2, 14]", "[a, b, m]"]])
    }

    func testUnnestExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        // select.md, UNNEST with two arrays: as many rows as the longer one, the other padded with NULL.
        XCTAssertEqual(try db.rows("""
            SELECT numbers, animals, n, a
            FROM (VALUES (ARRAY[2, 5], ARRAY['dog', 'cat', 'bird']), (ARRAY[7, 8, 9], ARRAY['cow', 'pig'])) AS x (numbers, animals)
            CROSS JOIN UNNEST(numbers, animals) AS t (n, a)
            ORDER BY numbers[1], n
            """), [["[2, 5]", "[dog, cat, bird]", "2", "dog"], ["[2, 5]", "[dog, cat, bird]", "5", "cat"],
                   ["[2, 5]", "[dog, cat, bird]", "NULL", "bird"], ["[7, 8, 9]", "[cow, pig]", "7", "cow"],
                   ["[7, 8, 9]", "[cow, pig]", "8", "pig"], ["[7, 8, 9]", "[cow, pig]", "9", "NULL"]])
        // select.md, WITH ORDINALITY.
        XCTAssertEqual(try db.rows("""
            SELECT numbers, n, a FROM (VALUES (ARRAY[2, 5]), (ARRAY[7, 8, 9])) AS x (numbers)
            CROSS JOIN UNNEST(numbers) WITH ORDINALITY AS t (n, a) ORDER BY numbers[1], a
            """), [["[2, 5]", "2", "1"], ["[2, 5]", "5", "2"], ["[7, 8, 9]", "7", "1"], ["[7, 8, 9]", "8", "2"], ["[7, 8, 9]", "9", "3"]])
        // A NULL or empty array contributes no rows; array_agg puts them back together.
        XCTAssertEqual(try db.rows("""
            SELECT k, array_agg(x ORDER BY x DESC) FROM (VALUES (1, ARRAY[3, 1, 2]), (2, NULL), (3, ARRAY[])) AS v (k, xs)
            CROSS JOIN UNNEST(xs) AS u (x) GROUP BY k
            """), [["1", "[3, 2, 1]"]])
    }

    func testOperationsArraysDoNotSupportFailClearly() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, xs INTEGER[]); INSERT INTO t VALUES (1, [1, 2]), (2, [3])")
        // Comparing, sorting, grouping and joining on arrays works (Tests/differential/queries/41_array_keys_lateral.sql),
        // and so do min / max and array_agg(DISTINCT) of arrays (44_array_aggregates.sql).
        for (sql, words) in [("SELECT sum(xs) FROM t", "sum(INTEGER[]) is not supported"),
                             ("SELECT min_by(id, xs) FROM t", "min_by cannot order by a value of type INTEGER[]"),
                             ("SELECT xs = 1 FROM t", "cannot compare"),
                             ("SELECT id[1] FROM t", "subscripts need an ARRAY"),
                             ("SELECT * FROM UNNEST(1)", "UNNEST needs an ARRAY"),
                             ("SELECT unnest(xs) + 1 FROM t", "not inside an expression"),
                             ("SELECT ARRAY[1, 'a']", "incompatible types"),
                             ("SELECT CAST('abc' AS INTEGER[])", "not a JSON array"),
                             ("SELECT CAST('[1, \"q\"]' AS INTEGER[])", "cannot cast 'q' to INTEGER"),
                             ("SELECT CAST(ARRAY[1] AS DATE[])", "cannot cast INTEGER[] to DATE[]")] {
            let message = db.error(sql)?.message ?? ""
            XCTAssertTrue(message.contains(words), "\(sql): \(message)")
        }
        // An array is fine as the value max_by returns.
        XCTAssertEqual(try db.rows("SELECT max_by(xs, id), min_by(xs, id) FROM t"), [["[3]", "[1, 2]"]])
        // Nothing changed by the failed statements.
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["2"]])
    }

    func testTablesWithArrayColumnsRoundTrip() throws {
        let db = try TestLake()
        try db.run("""
            CREATE TABLE t (id INTEGER, tags VARCHAR[], nums ARRAY(BIGINT), days LIST(DATE), grid INTEGER[][], prices DECIMAL(10,2)[]);
            INSERT INTO t VALUES (1, ['a', 'b'], ARRAY[1, 2], NULL, [[1], [2, 3]], [1.50, 2]),
                                 (2, NULL, ARRAY[], [DATE '2024-01-01'], NULL, NULL),
                                 (3, ['c', NULL], ARRAY[NULL, 5], [], [[], NULL, [4]], [])
            """)
        let expected = [["1", "[a, b]", "[1, 2]", "NULL", "[[1], [2, 3]]", "[1.50, 2.00]"],
                        ["2", "NULL", "[]", "[2024-01-01]", "NULL", "NULL"],
                        ["3", "[c, NULL]", "[NULL, 5]", "[]", "[[], NULL, [4]]", "[]"]]
        XCTAssertEqual(try db.rows("SELECT * FROM t ORDER BY id"), expected)
        // A second session on the same lake reads the files back (not a cache); types survive in the catalog.
        let reopened = try Database.open(db.path).connect()
        XCTAssertEqual(try reopened.query("SELECT * FROM t ORDER BY id").map { $0.map(\.description) }, expected)
        XCTAssertEqual(try db.rows("DESCRIBE t").map { $0[1] },
                       ["INTEGER", "VARCHAR[]", "BIGINT[]", "DATE[]", "INTEGER[][]", "DECIMAL(10,2)[]"])
        // SUMMARIZE skips min / max of arrays; COPY TO CSV quotes their text (it holds the delimiter), JSON writes arrays.
        XCTAssertEqual(try db.rows("SUMMARIZE t").map { [$0[0], $0[2]] }.last ?? [], ["prices", "NULL"])
        let csv = db.path + "-t.csv", json = db.path + "-t.json"
        defer { for f in [csv, json] { try? FileManager.default.removeItem(atPath: f) } }
        try db.run("COPY (SELECT id, tags, grid FROM t ORDER BY id) TO '\(csv)' (FORMAT csv)")
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8),
                       "id,tags,grid\n1,\"[a, b]\",\"[[1], [2, 3]]\"\n2,,\n3,\"[c, NULL]\",\"[[], NULL, [4]]\"\n")
        try db.run("COPY (SELECT id, tags FROM t WHERE id = 3) TO '\(json)' (FORMAT json)")
        XCTAssertTrue(try String(contentsOfFile: json, encoding: .utf8).contains(#"{"id":3,"tags":["c",null]}"#))
        XCTAssertTrue(db.error("COPY t TO '\(db.path)-t.parquet' (FORMAT parquet)")?.message.contains("writing ARRAY columns to Parquet is not supported") ?? false)
        // Many rows across row groups and a CTAS of a computed array column: row i holds [1 … m] with m = i % 7 + 1, so
        // the lengths sum to Σm = 199,997 and the elements to Σm(m+1)/2 = 599,984 (computed in Python from that rule).
        try db.run("CREATE TABLE big AS SELECT i, sequence(1, i % 7 + 1) AS s FROM range(0, 50000) AS r(i)")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(cardinality(s)), sum(s[1]), max(element_at(s, -1)) FROM big"),
                       [["50000", "199997", "50000", "7"]])
        XCTAssertEqual(try db.rows("SELECT sum(x) FROM big CROSS JOIN UNNEST(s) AS u(x)"), [["599984"]])
    }

    func testArraysThroughASpillingSort() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE s AS SELECT i, sequence(0, i % 20) AS xs, string_split('a b ' || CAST(i AS VARCHAR), ' ') AS ws FROM range(0, 30000) AS r(i)")
        let query = "SELECT i, xs, ws FROM s ORDER BY i DESC"
        let unlimited = try db.rows(query)
        XCTAssertEqual(unlimited.count, 30000)
        XCTAssertEqual(unlimited[0], ["29999", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]", "[a, b, 29999]"])
        try db.run("SET memory_limit = '1MB'")
        XCTAssertEqual(try db.rows(query), unlimited)
        let plan = try db.rows("EXPLAIN ANALYZE " + query).map { $0[0] }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("spilled_runs"), plan)
    }

    func testJSONArraysCastAndUnnestedFromALandingFile() throws {
        let db = try TestLake()
        // Trino json.md, "Cast from JSON": CAST(JSON '[1,23,456]' AS ARRAY(INTEGER)) → [1, 23, 456] and
        // CAST(JSON '[[1, 23], [456]]' AS ARRAY(ARRAY(INTEGER))) → [[1, 23], [456]] (Tarn's JSON values are text).
        XCTAssertEqual(try db.rows("SELECT CAST(json_parse('[1,23,456]') AS ARRAY(INTEGER)), CAST(json_parse('[[1, 23], [456]]') AS ARRAY(ARRAY(INTEGER)))"),
                       [["[1, 23, 456]", "[[1, 23], [456]]"]])
        XCTAssertEqual(try db.rows("SELECT TRY_CAST('[1, \"x\"]' AS ARRAY(INTEGER)), CAST('[\"a\", null]' AS ARRAY(VARCHAR)), CAST('[a, NULL]' AS VARCHAR[])"),
                       [["NULL", "[a, NULL]", "[a, NULL]"]])
        // An API payload with nested arrays: read_json keeps them as JSON text; UNNEST(CAST(… AS ARRAY(…))) queries them
        // without flattening, arrays of objects through json_extract_scalar on each element.
        let file = db.path + "-payload.json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try """
            {"id": 1, "user": {"name": "ann"}, "tags": ["a", "b"], "events": [{"k": "click", "n": 2}, {"k": "view", "n": 5}]}
            {"id": 2, "user": {"name": "bob"}, "tags": [], "events": [{"k": "view", "n": 1}]}
            {"id": 3, "user": {"name": "cy"}, "tags": ["c"], "events": []}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try db.rows("""
            SELECT p.id, u.tag FROM read_json('\(file)') AS p CROSS JOIN UNNEST(CAST(p.tags AS ARRAY(VARCHAR))) AS u(tag) ORDER BY 1, 2
            """), [["1", "a"], ["1", "b"], ["3", "c"]])
        XCTAssertEqual(try db.rows("""
            SELECT json_extract_scalar(e, '$.k') AS k, sum(CAST(json_extract_scalar(e, '$.n') AS INTEGER)) AS n
            FROM read_json('\(file)') CROSS JOIN UNNEST(CAST(events AS ARRAY(VARCHAR))) AS u(e) GROUP BY 1 ORDER BY 1
            """), [["click", "2"], ["view", "6"]])
        // Declared ARRAY columns read JSON arrays as arrays: in read_json's columns and in COPY INTO a table, where a
        // field that is not an array of the element type rejects its row (counted, not stored as NULL).
        XCTAssertEqual(try db.rows("""
            SELECT id, u.tag FROM read_json('\(file)', columns => 'id BIGINT, tags VARCHAR[]') CROSS JOIN UNNEST(tags) AS u(tag) ORDER BY 1, 2
            """), [["1", "a"], ["1", "b"], ["3", "c"]])
        let landing = db.path + "-landing.json"
        defer { try? FileManager.default.removeItem(atPath: landing) }
        try """
            {"id": 1, "tags": ["a", "b"], "scores": [1, 2.5]}
            {"id": 2, "tags": [], "scores": null}
            {"id": 3, "tags": "oops", "scores": [1]}
            {"id": 4, "tags": ["d"], "scores": [1, "x"]}
            """.write(toFile: landing, atomically: true, encoding: .utf8)
        try db.run("CREATE TABLE p (id BIGINT, tags VARCHAR[], scores DOUBLE[])")
        let load = try db.rows("COPY INTO p FROM '\(landing)' FORMAT json")
        XCTAssertEqual(load.first.map { [$0[1], $0[2]] }, ["2", "2"])
        XCTAssertEqual(try db.rows("SELECT * FROM p ORDER BY id"), [["1", "[a, b]", "[1.0, 2.5]"], ["2", "[]", "NULL"]])
    }
}
