import XCTest
@testable import Tarn
import Storage
import Execution

/// ROW and MAP values as comparison, grouping, ordering and join keys (their order-preserving keys,
/// `ArrayKeyEncoding`): rows field by field with NULL fields after every value, maps equal whatever order their
/// entries were built in (Trino) and ordered as their entries sorted by key. DuckDB comparisons are in
/// Tests/differential/queries/46_row_map_keys_lateral.sql (maps built in key order, where DuckDB and Tarn agree).
final class RowMapKeyTests: XCTestCase {
    private func table(_ db: TestLake) throws {
        try db.run("""
            CREATE TABLE t (id INTEGER, r ROW(x INTEGER, y VARCHAR), m MAP(VARCHAR, INTEGER), a ARRAY(ROW(k INTEGER[])));
            INSERT INTO t VALUES (1, ROW(1, 'a'), MAP(ARRAY['a', 'b'], ARRAY[1, 2]), ARRAY[ROW(ARRAY[1, NULL])]),
                                 (2, ROW(1, NULL), MAP(ARRAY['b', 'a'], ARRAY[2, 1]), ARRAY[ROW(ARRAY[1, NULL])]),
                                 (3, NULL, NULL, NULL),
                                 (4, ROW(NULL, 'a'), MAP(ARRAY['a'], ARRAY[NULL]), ARRAY[ROW(NULL)]),
                                 (5, ROW(1, 'a'), MAP(ARRAY[], ARRAY[]), ARRAY[]),
                                 (6, ROW(0, 'z'), MAP(ARRAY['b'], ARRAY[0]), ARRAY[ROW(ARRAY[0])])
            """)
    }

    func testMapsWithTheSameEntriesAreEqualWhateverTheirOrder() throws {
        let db = try TestLake()
        try table(db)
        // Trino: two maps are equal when they hold the same entries; GROUP BY and DISTINCT give the entries in key order.
        XCTAssertEqual(try db.rows("SELECT MAP(ARRAY['b', 'a'], ARRAY[2, 1]) = MAP(ARRAY['a', 'b'], ARRAY[1, 2]), MAP(ARRAY['a'], ARRAY[1]) = MAP(ARRAY['a'], ARRAY[2]), MAP(ARRAY['a'], ARRAY[NULL]) = MAP(ARRAY['a'], ARRAY[NULL])"),
                       [["true", "false", "true"]])
        XCTAssertEqual(try db.rows("SELECT m, count(*), min(id) FROM t GROUP BY m ORDER BY m"),
                       [["{}", "1", "5"], ["{a=1, b=2}", "2", "1"], ["{a=NULL}", "1", "4"], ["{b=0}", "1", "6"], ["NULL", "1", "3"]])
        XCTAssertEqual(try db.rows("SELECT count(DISTINCT m), count(DISTINCT r), count(DISTINCT a) FROM t"), [["4", "4", "4"]])
        XCTAssertEqual(try db.rows("SELECT x.id, y.id FROM t x JOIN t y ON x.m = y.m AND x.id < y.id"), [["1", "2"]])
        // Ordering compares the sorted entries: {b=0} sorts after {a=…} because 'a' < 'b'.
        XCTAssertEqual(try db.rows("SELECT MAP(ARRAY['b'], ARRAY[1]) > MAP(ARRAY['c', 'a'], ARRAY[1, 1]), MAP(ARRAY['a'], ARRAY[1]) < MAP(ARRAY['a', 'b'], ARRAY[1, 0])"),
                       [["true", "true"]])
    }

    func testRowsCompareFieldByFieldWithNullFieldsLast() throws {
        let db = try TestLake()
        try table(db)
        XCTAssertEqual(try db.rows("SELECT id FROM t ORDER BY r, id"), [["6"], ["1"], ["5"], ["2"], ["4"], ["3"]])
        XCTAssertEqual(try db.rows("SELECT id FROM t ORDER BY r DESC NULLS FIRST, id"), [["3"], ["4"], ["2"], ["1"], ["5"], ["6"]])
        XCTAssertEqual(try db.rows("SELECT DISTINCT r FROM t ORDER BY r"),
                       [["{'x': 0, 'y': z}"], ["{'x': 1, 'y': a}"], ["{'x': 1, 'y': NULL}"], ["{'x': NULL, 'y': a}"], ["NULL"]])
        // DuckDB: NULL fields are equal in comparisons and joins; a NULL row compares as NULL.
        XCTAssertEqual(try db.rows("SELECT ROW(1, NULL) = ROW(1, NULL), ROW(1, NULL) < ROW(1, 2), CAST(NULL AS ROW(x INTEGER)) = ROW(1), ROW(1, 2) IN (ROW(0, 0), ROW(1, 2))"),
                       [["true", "false", "NULL", "true"]])
        XCTAssertEqual(try db.rows("SELECT x.id, y.id FROM t x JOIN t y ON x.r = y.r AND x.id < y.id"), [["1", "5"]])
        XCTAssertEqual(try db.rows("SELECT id FROM t WHERE r IN (SELECT r FROM t WHERE id IN (2, 6)) ORDER BY id"), [["2"], ["6"]])
        XCTAssertEqual(try db.rows("SELECT min(r), max(r), min(m), max(m) FROM t"),
                       [["{'x': 0, 'y': z}", "{'x': NULL, 'y': a}", "{}", "{b=0}"]])
        XCTAssertEqual(try db.rows("SELECT array_sort(array_agg(DISTINCT r)) FROM t WHERE id <= 5"),
                       [["[{'x': 1, 'y': a}, {'x': 1, 'y': NULL}, {'x': NULL, 'y': a}]"]])
    }

    func testArraysOfRowsAndSetOperationsAndWindows() throws {
        let db = try TestLake()
        try table(db)
        XCTAssertEqual(try db.rows("SELECT a, count(*) FROM t GROUP BY a ORDER BY a"),
                       [["[]", "1"], ["[{'k': [0]}]", "1"], ["[{'k': [1, NULL]}]", "2"], ["[{'k': NULL}]", "1"], ["NULL", "1"]])
        XCTAssertEqual(try db.rows("SELECT r FROM t WHERE id <= 2 UNION SELECT r FROM t WHERE id >= 5 ORDER BY r"),
                       [["{'x': 0, 'y': z}"], ["{'x': 1, 'y': a}"], ["{'x': 1, 'y': NULL}"]])
        XCTAssertEqual(try db.rows("SELECT m FROM t INTERSECT SELECT MAP(ARRAY['b', 'a'], ARRAY[2, 1])"), [["{a=1, b=2}"]])
        XCTAssertEqual(try db.rows("SELECT r FROM t EXCEPT SELECT r FROM t WHERE id <> 4"), [["{'x': NULL, 'y': a}"]])
        XCTAssertEqual(try db.rows("SELECT id, count(*) OVER (PARTITION BY m), row_number() OVER (PARTITION BY r ORDER BY a DESC) FROM t ORDER BY id"),
                       [["1", "2", "1"], ["2", "2", "1"], ["3", "1", "1"], ["4", "1", "1"], ["5", "1", "2"], ["6", "1", "1"]])
        XCTAssertEqual(try db.rows("SELECT array_sort(ARRAY[ROW(2, 'b'), ROW(1, NULL), ROW(1, 'a')])"),
                       [["[{'field0': 1, 'field1': a}, {'field0': 1, 'field1': NULL}, {'field0': 2, 'field1': b}]"]])
    }

    func testKeysDecodeToTheSameValues() throws {
        // GROUP BY returns values decoded from their keys: every value of a varied table comes back as it went in.
        let db = try TestLake()
        try db.run("""
            CREATE TABLE v AS SELECT i, CAST(ROW(i % 7 - 3, CAST(i AS VARCHAR) || 'é', i % 5 = 0, i * 1.25, DATE '2024-01-01' + CAST(i AS INTEGER),
                ARRAY[i, NULL], MAP(ARRAY['k' || CAST(i % 3 AS VARCHAR), 'z'], ARRAY[CAST(i AS DECIMAL(38, 2)), NULL]))
                AS ROW(a INTEGER, s VARCHAR, b BOOLEAN, d DOUBLE, day DATE, l BIGINT[], m MAP(VARCHAR, DECIMAL(38, 2)))) AS r
            FROM range(-50, 50) AS g(i)
            """)
        XCTAssertEqual(try db.rows("SELECT count(*) FROM (SELECT r FROM v GROUP BY r) g JOIN v ON CAST(g.r AS VARCHAR) = CAST(v.r AS VARCHAR)"), [["100"]])
        // And the key order is the fields' order: sorting by the row equals sorting by its fields.
        XCTAssertEqual(try db.rows("SELECT i FROM v ORDER BY r, i"), try db.rows("SELECT i FROM v ORDER BY r.a, r.s, i"))
        let keys = try ArrayKeyEncoding.encode(Column.constant(.row([.integer(1), .null], fields: [RowField(name: "x", type: .integer), RowField(name: "y", type: .varchar)]),
                                                               type: .row([RowField(name: "x", type: .integer), RowField(name: "y", type: .varchar)]), count: 1))
        XCTAssertEqual(keys.value(at: 0), .varchar("#IAAAAAAB$"))
    }
}
