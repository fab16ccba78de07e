import XCTest
@testable import Tarn
import Storage

/// ROW and MAP values: Trino-only spellings with the expected values of Trino's documentation (language/types.md
/// "ROW" and "MAP", functions/map.md, functions/json.md "Cast from JSON", sql/select.md "UNNEST"), clear errors for what
/// they do not support, tables with ROW / MAP columns written and read back, and `map_zip_with` (Trino only). The spellings DuckDB shares are
/// compared with DuckDB in Tests/differential/queries/39_maps_rows.sql.
final class MapRowTests: XCTestCase {
    func testRowExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        // types.md, ROW: CAST(ROW(1, 2e0) AS ROW(x BIGINT, y DOUBLE)), and "SELECT CAST(ROW(1, 2e0) AS ROW(x BIGINT, y DOUBLE)).x" → 1.
        XCTAssertEqual(try db.rows("SELECT CAST(ROW(1, 2e0) AS ROW(x BIGINT, y DOUBLE)).x, CAST(ROW(1, 2e0) AS ROW(x BIGINT, y DOUBLE)).y"),
                       [["1", "2.0"]])
        XCTAssertEqual(try db.rows("SELECT typeof(CAST(ROW(1, 2e0) AS ROW(x BIGINT, y DOUBLE)))"), [["struct(x bigint, y double)"]])
        // Field access on a column: r.x, (r).x, t.r.x, r['x'] and r[1], case-insensitive names; a NULL row gives NULL fields.
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES (1, CAST(ROW(10, 'a') AS ROW(x INTEGER, \"Y\" VARCHAR))), (2, NULL)) AS v(id, r)")
        XCTAssertEqual(try db.rows("SELECT id, r.x, (r).y, t.r.Y, r['x'], r[2] FROM t ORDER BY id"),
                       [["1", "10", "a", "a", "10", "a"], ["2", "NULL", "NULL", "NULL", "NULL", "NULL"]])
        // DuckDB's struct literal and STRUCT type spelling are the same values.
        XCTAssertEqual(try db.rows("SELECT {'x': 1, 'y': 'b'}, {'x': 1, 'y': 'b'}.y, CAST({'x': 1} AS STRUCT(x BIGINT))"),
                       [["{'x': 1, 'y': b}", "b", "{'x': 1}"]])
    }

    func testMapExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        // map.md: MAP(ARRAY[1,3], ARRAY[2,4]) → {1 -> 2, 3 -> 4}; element_at of an absent key is NULL; m[key].
        XCTAssertEqual(try db.rows("SELECT MAP(ARRAY[1, 3], ARRAY[2, 4]), element_at(MAP(ARRAY[1, 3], ARRAY[2, 4]), 3), element_at(MAP(ARRAY[1], ARRAY[2]), 5), MAP(ARRAY['k'], ARRAY[7])['k']"),
                       [["{1=2, 3=4}", "4", "NULL", "7"]])
        // map.md: map_from_entries(ARRAY[(1, 'x'), (2, 'y')]) → {1 -> 'x', 2 -> 'y'}; map_entries(MAP(ARRAY[1, 2], ARRAY['x', 'y']))
        // → [ROW(1, 'x'), ROW(2, 'y')]; map_keys / map_values; cardinality; map_concat (the last value wins).
        XCTAssertEqual(try db.rows("SELECT map_from_entries(ARRAY[ROW(1, 'x'), ROW(2, 'y')]), map_entries(MAP(ARRAY[1, 2], ARRAY['x', 'y']))"),
                       [["{1=x, 2=y}", "[{'key': 1, 'value': x}, {'key': 2, 'value': y}]"]])
        XCTAssertEqual(try db.rows("SELECT map_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2])), map_values(MAP(ARRAY['a', 'b'], ARRAY[1, 2])), cardinality(MAP(ARRAY['a', 'b'], ARRAY[1, 2])), map_concat(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), MAP(ARRAY['b', 'c'], ARRAY[3, 4]))"),
                       [["[a, b]", "[1, 2]", "2", "{a=1, b=3, c=4}"]])
        // select.md: SELECT * FROM UNNEST(map_from_entries(ARRAY[('SQL',1974),('Java', 1995)])) AS t(language, first_appeared_year).
        XCTAssertEqual(try db.rows("SELECT * FROM UNNEST(map_from_entries(ARRAY[ROW('SQL', 1974), ROW('Java', 1995)])) AS t(language, first_appeared_year)"),
                       [["SQL", "1974"], ["Java", "1995"]])
        // An array of rows unnests to one column per field (select.md: UNNEST of ARRAY[ROW(…)]).
        XCTAssertEqual(try db.rows("SELECT * FROM UNNEST(ARRAY[ROW('a', 1), ROW('b', 2)]) AS t(name, n)"), [["a", "1"], ["b", "2"]])
        // json.md, Cast from JSON: objects and arrays to ROW (by name / by position) and objects to MAP.
        XCTAssertEqual(try db.rows(#"SELECT CAST(json_parse('{"v1":123,"v2":"abc","v3":true}') AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN)), CAST(json_parse('[123,"abc",true]') AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN)), CAST(json_parse('{"k1": 1, "k2": 23, "k3": 456}') AS MAP(VARCHAR, INTEGER))"#),
                       [["{'v1': 123, 'v2': abc, 'v3': true}", "{'v1': 123, 'v2': abc, 'v3': true}", "{k1=1, k2=23, k3=456}"]])
        XCTAssertEqual(try db.rows(#"SELECT TRY_CAST('{"a": "x"}' AS MAP(VARCHAR, INTEGER)), CAST('[{"a": 1}, {"a": 2}]' AS ARRAY(ROW(a INTEGER)))"#),
                       [["NULL", "[{'a': 1}, {'a': 2}]"]])
    }

    func testMapAggregatesAndZipFromTrinoDocs() throws {
        let db = try TestLake()
        // aggregate.md: approx_most_frequent(3, x, 15) over 'A', 'B', 'A', 'C', 'A', 'B', 'C', 'D', 'E' → {A=3, B=2, C=2}
        // (Tarn counts exactly); histogram counts each value; map_agg keeps a key's first value and skips NULL keys.
        XCTAssertEqual(try db.rows("SELECT approx_most_frequent(3, x, 15) FROM (VALUES ('A'), ('B'), ('A'), ('C'), ('A'), ('B'), ('C'), ('D'), ('E')) AS t(x)"),
                       [["{A=3, B=2, C=2}"]])
        XCTAssertEqual(try db.rows("SELECT histogram(x), map_agg(x, n) FROM (VALUES ('a', 1), ('b', 2), ('a', 3), (NULL, 4)) AS t(x, n)"),
                       [["{a=2, b=1}", "{a=1, b=2}"]])
        XCTAssertEqual(try db.rows("SELECT g, histogram(x)['a'] FROM (VALUES (1, 'a'), (1, 'a'), (2, 'b')) AS t(g, x) GROUP BY g ORDER BY g"),
                       [["1", "2"], ["2", "NULL"]])
        // map.md: multimap_from_entries(ARRAY[(1, 'x'), (2, 'y'), (1, 'z')]) → {1 -> ['x', 'z'], 2 -> ['y']};
        // aggregate.md: map_union over map(ARRAY['banana'], ARRAY[10.0]) and map(ARRAY['apple'], ARRAY[7.0]) →
        // {banana=10.0, apple=7.0}; multimap_agg collects each key's values.
        XCTAssertEqual(try db.rows("SELECT multimap_from_entries(ARRAY[ROW(1, 'x'), ROW(2, 'y'), ROW(1, 'z')])"), [["{1=[x, z], 2=[y]}"]])
        XCTAssertEqual(try db.rows("SELECT map_union(x) FROM (VALUES (map(ARRAY['banana'], ARRAY[10.0])), (map(ARRAY['apple'], ARRAY[7.0]))) AS t(x)"),
                       [["{banana=10.0, apple=7.0}"]])
        XCTAssertEqual(try db.rows("SELECT multimap_agg(k, v) FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS t(k, v)"), [["{a=[1, 3], b=[2]}"]])
        // array.md: zip(ARRAY[1, 2], ARRAY['1b', null, '3b']) → [ROW(1, '1b'), ROW(2, null), ROW(null, '3b')].
        XCTAssertEqual(try db.rows("SELECT zip(ARRAY[1, 2], ARRAY['1b', null, '3b'])"),
                       [["[{'field0': 1, 'field1': 1b}, {'field0': 2, 'field1': NULL}, {'field0': NULL, 'field1': 3b}]"]])
        XCTAssertEqual(try db.rows("SELECT n, s FROM UNNEST(zip(ARRAY[1, 2], ARRAY['a', 'b'])) AS u(n, s)"), [["1", "a"], ["2", "b"]])
        XCTAssertTrue(db.error("SELECT approx_most_frequent(0, x, 10) FROM (VALUES (1)) AS t(x)")?.message.contains("buckets") ?? false)
    }

    func testOperationsMapsAndRowsDoNotSupportFailClearly() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER, r ROW(x INTEGER), m MAP(VARCHAR, INTEGER)); INSERT INTO t VALUES (1, ROW(1), MAP(ARRAY['a'], ARRAY[1]))")
        for (sql, words) in [("SELECT MAP(ARRAY['a', 'a'], ARRAY[1, 2])", "Duplicate map keys (a) are not allowed"),
                             ("SELECT MAP(ARRAY['a', NULL], ARRAY[1, 2])", "map key cannot be null"),
                             ("SELECT MAP(ARRAY['a'], ARRAY[1, 2])", "same length"),
                             ("SELECT r.nope FROM t", "has no field 'nope'"),
                             ("SELECT r[3] FROM t", "out of range"),
                             ("SELECT CAST('[1' AS ROW(x INTEGER))", "cannot cast"),
                             ("SELECT CAST(ROW(1, 2) AS ROW(x INTEGER))", "cannot cast"),
                             ("SELECT {'x': 1, 'x': 2}", "given twice")] {
            let message = db.error(sql)?.message ?? ""
            XCTAssertTrue(message.contains(words), "\(sql): \(message)")
        }
        // Types are stored as text with bounded nesting: a deeper one is refused before anything is written.
        let deep = String(repeating: "ROW(a ", count: 70) + "INTEGER" + String(repeating: ")", count: 70)
        XCTAssertTrue(db.error("CREATE TABLE deep (x \(deep))")?.message.contains("at most 64 levels of nesting") ?? false)
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["1"]])
    }

    func testMapZipWithFromTrinoDocs() throws {
        let db = try TestLake()
        // map.md, map_zip_with: "SELECT map_zip_with(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']), MAP(ARRAY[1, 2, 3],
        // ARRAY['d', 'e', 'f']), (k, v1, v2) -> concat(v1, v2)); -- {1 -> ad, 2 -> be, 3 -> cf}".
        XCTAssertEqual(try db.rows("SELECT map_zip_with(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']), MAP(ARRAY[1, 2, 3], ARRAY['d', 'e', 'f']), (k, v1, v2) -> concat(v1, v2))"),
                       [["{1=ad, 2=be, 3=cf}"]])
        // "SELECT map_zip_with(MAP(ARRAY['k1', 'k2'], ARRAY[1, 2]), MAP(ARRAY['k2', 'k3'], ARRAY[4, 9]), (k, v1, v2) -> (v1, v2));
        // -- {k1 -> ROW(1, null), k2 -> ROW(2, 4), k3 -> ROW(null, 9)}": a key of one map only gets NULL for the other.
        XCTAssertEqual(try db.rows("SELECT map_zip_with(MAP(ARRAY['k1', 'k2'], ARRAY[1, 2]), MAP(ARRAY['k2', 'k3'], ARRAY[4, 9]), (k, v1, v2) -> (v1, v2))"),
                       [["{k1={'field0': 1, 'field1': NULL}, k2={'field0': 2, 'field1': 4}, k3={'field0': NULL, 'field1': 9}}"]])
        // "SELECT map_zip_with(MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 8, 27]), MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 2, 3]),
        // (k, v1, v2) -> k || CAST(v1 / v2 AS VARCHAR)); -- {a -> a1, b -> b4, c -> c9}".
        XCTAssertEqual(try db.rows("SELECT map_zip_with(MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 8, 27]), MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 2, 3]), (k, v1, v2) -> k || CAST(v1 / v2 AS VARCHAR))"),
                       [["{a=a1, b=b4, c=c9}"]])
        // Over table rows: a NULL map gives NULL, keys are matched whatever their order, the body reads the row's columns,
        // and INTEGER keys meet BIGINT keys in their common type.
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES (1, MAP(ARRAY['x', 'y'], ARRAY[1, 2]), MAP(ARRAY['y', 'x'], ARRAY[10, 20]), 100), (2, NULL, MAP(ARRAY['x'], ARRAY[1]), 0), (3, MAP(ARRAY[], ARRAY[]), MAP(ARRAY['z'], ARRAY[5]), 1)) v(id, a, b, bonus)")
        XCTAssertEqual(try db.rows("SELECT id, map_zip_with(a, b, (k, v1, v2) -> coalesce(v1, 0) + coalesce(v2, 0) + bonus) FROM t ORDER BY id"),
                       [["1", "{x=121, y=112}"], ["2", "NULL"], ["3", "{z=6}"]])
        XCTAssertEqual(try db.rows("SELECT map_zip_with(MAP(ARRAY[1], ARRAY['a']), MAP(ARRAY[CAST(1 AS BIGINT), 2], ARRAY['b', 'c']), (k, v1, v2) -> v1 || v2)"),
                       [["{1=ab, 2=NULL}"]])
        // Forty keys a side (hashed matching): every key of both maps, shared keys with both values.
        XCTAssertEqual(try db.rows("SELECT cardinality(z), z[1], z[39], z[41], z[50] FROM (SELECT map_zip_with(MAP(sequence(1, 40), sequence(1, 40)), MAP(sequence(11, 50), sequence(11, 50)), (k, v1, v2) -> coalesce(v1, 0) * 100 + coalesce(v2, 0)) AS z)"),
                       [["50", "100", "3939", "41", "50"]])
        for (sql, words) in [("SELECT map_zip_with(MAP(ARRAY[1], ARRAY[1]), ARRAY[1], (k, a, b) -> a)", "needs a MAP as argument 2"),
                             ("SELECT map_zip_with(MAP(ARRAY[1], ARRAY[1]), MAP(ARRAY[1], ARRAY[1]), (k, a) -> a)", "takes 3 parameters"),
                             ("SELECT map_zip_with(MAP(ARRAY[1], ARRAY[1]), MAP(ARRAY['a'], ARRAY[1]), (k, a, b) -> a)", "incompatible types")] {
            let message = db.error(sql)?.message ?? ""
            XCTAssertTrue(message.contains(words), "\(sql): \(message)")
        }
    }

    func testTablesWithRowAndMapColumnsRoundTrip() throws {
        let db = try TestLake()
        try db.run("""
            CREATE TABLE t (id INTEGER, r ROW(a BIGINT, "b c" VARCHAR, d ROW(e DATE)), m MAP(VARCHAR, DOUBLE), rs ARRAY(ROW(k VARCHAR, v INTEGER[])));
            INSERT INTO t VALUES (1, ROW(1, 'x', ROW(DATE '2024-01-02')), MAP(ARRAY['p', 'q'], ARRAY[1.5, 2]), ARRAY[ROW('a', ARRAY[1, 2])]),
                                 (2, NULL, NULL, NULL),
                                 (3, ROW(NULL, NULL, NULL), MAP(ARRAY[], ARRAY[]), ARRAY[])
            """)
        let expected = [["1", "{'a': 1, 'b c': x, 'd': {'e': 2024-01-02}}", "{p=1.5, q=2.0}", "[{'k': a, 'v': [1, 2]}]"],
                        ["2", "NULL", "NULL", "NULL"],
                        ["3", "{'a': NULL, 'b c': NULL, 'd': NULL}", "{}", "[]"]]
        XCTAssertEqual(try db.rows("SELECT * FROM t ORDER BY id"), expected)
        // A second session reads the files back; the types survive in the catalog and in the files' footers.
        let reopened = try Database.open(db.path).connect()
        XCTAssertEqual(try reopened.query("SELECT * FROM t ORDER BY id").map { $0.map(\.description) }, expected)
        XCTAssertEqual(try db.rows("DESCRIBE t").map { $0[1] },
                       ["INTEGER", "STRUCT(a BIGINT, \"b c\" VARCHAR, d STRUCT(e DATE))", "MAP(VARCHAR, DOUBLE)", "STRUCT(k VARCHAR, v INTEGER[])[]"])
        XCTAssertEqual(try db.rows("SELECT id, r.d.e, t.r.\"b c\", m['q'], rs[1].v[2] FROM t ORDER BY id"),
                       [["1", "2024-01-02", "x", "2.0", "2"], ["2", "NULL", "NULL", "NULL", "NULL"], ["3", "NULL", "NULL", "NULL", "NULL"]])
        // COPY TO CSV quotes their text (it holds the delimiter); JSON writes them as objects.
        let csv = db.path + "-t.csv", json = db.path + "-t.json"
        defer { for f in [csv, json] { try? FileManager.default.removeItem(atPath: f) } }
        try db.run("COPY (SELECT id, r, m FROM t WHERE id = 1) TO '\(csv)' (FORMAT csv)")
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8), "id,r,m\n1,\"{'a': 1, 'b c': x, 'd': {'e': 2024-01-02}}\",\"{p=1.5, q=2.0}\"\n")
        try db.run("COPY (SELECT id, r, m FROM t WHERE id = 1) TO '\(json)' (FORMAT json)")
        XCTAssertTrue(try String(contentsOfFile: json, encoding: .utf8).contains(#"{"id":1,"r":{"a":1,"b c":"x","d":{"e":"2024-01-02"}},"m":{"p":1.5,"q":2.0}}"#))
        // Many rows across row groups: row i holds MAP{'k': i} and ROW(i, i % 3); sums computed in Python from that rule.
        try db.run("CREATE TABLE big AS SELECT i, MAP(ARRAY['k'], ARRAY[i]) AS m, CAST(ROW(i, i % 3) AS ROW(a BIGINT, b BIGINT)) AS r FROM range(0, 50000) AS g(i)")
        XCTAssertEqual(try db.rows("SELECT count(*), sum(m['k']), sum(r.a), sum(r.b) FROM big"), [["50000", "1249975000", "1249975000", "49999"]])
    }

    func testReadJSONNestedKeepsObjectsAsRowsAndArraysAsArrays() throws {
        let db = try TestLake()
        let file = db.path + "-nested.json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try """
            {"id": 1, "user": {"name": "ann", "geo": {"city": "Paris"}}, "tags": ["a", "b"], "events": [{"k": "click", "n": 2}, {"k": "view", "n": 5}]}
            {"id": 2, "user": {"name": "bob", "age": 40}, "tags": [], "events": [{"k": "view", "n": 1.5}]}
            {"id": 3, "user": null, "tags": ["c"], "events": []}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        // Types are inferred from the sampled records: rows merge their fields by name, numbers widen to DOUBLE.
        XCTAssertEqual(try db.rows("DESCRIBE SELECT * FROM read_json('\(file)', nested => true)").map { $0[1] },
                       ["BIGINT", "STRUCT(name VARCHAR, geo STRUCT(city VARCHAR), age BIGINT)", "VARCHAR[]", "STRUCT(k VARCHAR, n DOUBLE)[]"])
        XCTAssertEqual(try db.rows("SELECT id, user.name, user.geo.city, user.age, tags FROM read_json('\(file)', nested => true) ORDER BY id"),
                       [["1", "ann", "Paris", "NULL", "[a, b]"], ["2", "bob", "NULL", "40", "[]"], ["3", "NULL", "NULL", "NULL", "[c]"]])
        // The Athena way: CROSS JOIN UNNEST over the array of objects, its fields as columns, without flattening.
        XCTAssertEqual(try db.rows("SELECT p.id, e.k, e.n FROM read_json('\(file)', nested => true) AS p CROSS JOIN UNNEST(p.events) AS e(k, n) ORDER BY 1, 2"),
                       [["1", "click", "2.0"], ["1", "view", "5.0"], ["2", "view", "1.5"]])
        // Declared ROW / MAP columns keep objects whole too (a MAP reads an object's members).
        XCTAssertEqual(try db.rows("SELECT id, user, user.name FROM read_json('\(file)', columns => 'id BIGINT, user ROW(name VARCHAR, age INTEGER)') ORDER BY id"),
                       [["1", "{'name': ann, 'age': NULL}", "ann"], ["2", "{'name': bob, 'age': 40}", "bob"], ["3", "NULL", "NULL"]])
        XCTAssertEqual(try db.rows("SELECT id, cardinality(user) FROM read_json('\(file)', columns => 'id BIGINT, user MAP(VARCHAR, VARCHAR)') ORDER BY id"),
                       [["1", "2"], ["2", "2"], ["3", "NULL"]])
        // The default still flattens objects into dotted names and keeps arrays as JSON text.
        XCTAssertEqual(try db.rows("SELECT \"user.geo.city\", tags FROM read_json('\(file)') WHERE id = 1"), [["Paris", #"["a", "b"]"#]])
    }
}
