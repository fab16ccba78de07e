import XCTest
@testable import Tarn

/// Lambdas with Trino-only spellings (`transform`, `filter`, `reduce` with an output lambda, `any_match` /
/// `all_match` / `none_match`, `zip_with`), with the examples and results of Trino's documentation
/// (functions/array.md, functions/lambda.md), and the errors for misused lambdas. The spellings DuckDB shares are
/// compared with DuckDB in Tests/differential/queries/40_lambdas.sql.
final class LambdaTests: XCTestCase {
    func testTransformAndFilterExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        // array.md, transform: [] / [6, 7] / [6, 1, 7] / [x0, abc0, z0] / [[1, 2], [3]].
        XCTAssertEqual(try db.rows("SELECT transform(ARRAY[], x -> x + 1), transform(ARRAY[5, 6], x -> x + 1), transform(ARRAY[5, NULL, 6], x -> coalesce(x, 0) + 1), transform(ARRAY['x', 'abc', 'z'], x -> x || '0')"),
                       [["[]", "[6, 7]", "[6, 1, 7]", "[x0, abc0, z0]"]])
        XCTAssertEqual(try db.rows("SELECT transform(ARRAY[ARRAY[1, NULL, 2], ARRAY[3, NULL]], a -> filter(a, x -> x IS NOT NULL))"), [["[[1, 2], [3]]"]])
        // array.md, filter: [] / [5, 7] / [5, 7].
        XCTAssertEqual(try db.rows("SELECT filter(ARRAY[], x -> true), filter(ARRAY[5, -6, NULL, 7], x -> x > 0), filter(ARRAY[5, NULL, 7, NULL], x -> x IS NOT NULL)"),
                       [["[]", "[5, 7]", "[5, 7]"]])
        // lambda.md: squares per row, and a lambda capturing the row's column (n -> n * factor).
        XCTAssertEqual(try db.rows("SELECT numbers, transform(numbers, n -> n * n) AS squared_numbers FROM (VALUES (ARRAY[1, 2]), (ARRAY[3, 4]), (ARRAY[5, 6, 7])) AS t(numbers) ORDER BY cardinality(numbers), numbers[1]"),
                       [["[1, 2]", "[1, 4]"], ["[3, 4]", "[9, 16]"], ["[5, 6, 7]", "[25, 36, 49]"]])
        XCTAssertEqual(try db.rows("SELECT factor, transform(numbers, n -> n * factor) FROM (VALUES (ARRAY[1, 2], 10), (ARRAY[3, 4], 100)) AS t(numbers, factor) ORDER BY factor"),
                       [["10", "[10, 20]"], ["100", "[300, 400]"]])
    }

    func testReduceExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        // array.md, reduce: 0 / 75 / NULL / 75 / 75 / 2147483648 (a BIGINT state), and the average through an output lambda.
        XCTAssertEqual(try db.rows("SELECT reduce(ARRAY[], 0, (s, x) -> s + x, s -> s), reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s), reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + x, s -> s)"),
                       [["0", "75", "NULL"]])
        XCTAssertEqual(try db.rows("SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s), reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> IF(x IS NULL, s, s + x), s -> s), reduce(ARRAY[2147483647, 1], BIGINT '0', (s, x) -> s + x, s -> s)"),
                       [["75", "75", "2147483648"]])
        XCTAssertEqual(try db.rows("SELECT reduce(ARRAY[2.0, 4.0, 6.0], 0.0, (s, x) -> s + x, s -> s / 3)"), [["4.0"]])
        // Rows of different lengths fold together; a NULL array gives NULL.
        XCTAssertEqual(try db.rows("SELECT k, reduce(a, 1, (s, x) -> s * x, s -> s * k) FROM (VALUES (1, ARRAY[2, 3, 4]), (2, ARRAY[5]), (3, ARRAY[]), (4, NULL)) AS t(k, a) ORDER BY k"),
                       [["1", "24"], ["2", "10"], ["3", "3"], ["4", "NULL"]])
    }

    func testMatchAndZipWithFromTrinoDocs() throws {
        let db = try TestLake()
        // array.md, all_match: TRUE when all match (also for an empty array), FALSE when one does not, else NULL when
        // the predicate is NULL for one; any_match: TRUE when one matches, FALSE when none does (also empty), else
        // NULL; none_match: TRUE when none matches (also empty), FALSE when one does, else NULL.
        XCTAssertEqual(try db.rows("SELECT all_match(ARRAY[1, 2], x -> x > 0), all_match(ARRAY[1, -2, NULL], x -> x > 0), all_match(ARRAY[1, NULL], x -> x > 0), all_match(ARRAY[], x -> x > 0)"),
                       [["true", "false", "NULL", "true"]])
        XCTAssertEqual(try db.rows("SELECT any_match(ARRAY[-1, 2, NULL], x -> x > 0), any_match(ARRAY[-1, -2], x -> x > 0), any_match(ARRAY[-1, NULL], x -> x > 0), any_match(ARRAY[], x -> x > 0)"),
                       [["true", "false", "NULL", "false"]])
        XCTAssertEqual(try db.rows("SELECT none_match(ARRAY[-1, -2], x -> x > 0), none_match(ARRAY[1, NULL], x -> x > 0), none_match(ARRAY[-1, NULL], x -> x > 0), none_match(ARRAY[], x -> x > 0), any_match(NULL, x -> x > 0)"),
                       [["true", "false", "NULL", "true", "NULL"]])
        // array.md, zip_with: [4, 6] / [ad, be, cf] / [a, NULL, f] (the shorter array padded with NULLs).
        XCTAssertEqual(try db.rows("SELECT zip_with(ARRAY[1, 2], ARRAY[3, 4], (x, y) -> x + y), zip_with(ARRAY['a', 'b', 'c'], ARRAY['d', 'e', 'f'], (x, y) -> concat(x, y)), zip_with(ARRAY['a'], ARRAY['d', NULL, 'f'], (x, y) -> coalesce(x, y))"),
                       [["[4, 6]", "[ad, be, cf]", "[a, NULL, f]"]])
    }

    func testMapLambdasFromTrinoDocs() throws {
        let db = try TestLake()
        // map.md, transform_keys: {} / {2 -> a, 3 -> b, 4 -> c} / {1 -> 1, 4 -> 2, 9 -> 3} / {a1 -> 1, b2 -> 2} (the empty
        // map's keys typed INTEGER here: Tarn types MAP(ARRAY[], …)'s keys VARCHAR, where k + 1 does not apply).
        XCTAssertEqual(try db.rows("SELECT cardinality(transform_keys(MAP(CAST(ARRAY[] AS INTEGER[]), ARRAY[]), (k, v) -> k + 1)), transform_keys(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k + 1), transform_keys(MAP(ARRAY ['a', 'b', 'c'], ARRAY [1, 2, 3]), (k, v) -> v * v), transform_keys(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))"),
                       [["0", "{2=a, 3=b, 4=c}", "{1=1, 4=2, 9=3}", "{a1=1, b2=2}"]])
        // map.md, transform_values: {1 -> 11, 2 -> 22, 3 -> 33} / {a -> a1, b -> b2, c -> c3}.
        XCTAssertEqual(try db.rows("SELECT transform_values(MAP(ARRAY [1, 2, 3], ARRAY [10, 20, 30]), (k, v) -> v + k), transform_values(MAP(ARRAY ['a', 'b', 'c'], ARRAY [1, 2, 3]), (k, v) -> k || CAST(v as VARCHAR))"),
                       [["{1=11, 2=22, 3=33}", "{a=a1, b=b2, c=c3}"]])
        // map.md, map_filter: {} / {10 -> a, 30 -> c} / {k1 -> 20, k3 -> 15}.
        XCTAssertEqual(try db.rows("SELECT cardinality(map_filter(MAP(ARRAY[], ARRAY[]), (k, v) -> true)), map_filter(MAP(ARRAY[10, 20, 30], ARRAY['a', NULL, 'c']), (k, v) -> v IS NOT NULL), map_filter(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[20, 3, 15]), (k, v) -> v > 10)"),
                       [["0", "{10=a, 30=c}", "{k1=20, k3=15}"]])
        // transform_keys fails on a repeated new key (Trino: duplicate map keys are not allowed).
        XCTAssertTrue(db.error("SELECT transform_keys(MAP(ARRAY[1, 2], ARRAY[3, 4]), (k, v) -> 0)")?.message.contains("Duplicate map keys") ?? false)
        XCTAssertTrue(db.error("SELECT map_filter(MAP(ARRAY[1], ARRAY[3]), x -> true)")?.message.contains("takes 2 parameters, not 1") ?? false)
    }

    func testLambdasOverTableColumns() throws {
        let db = try TestLake()
        try db.run("CREATE SCHEMA s")
        try db.run("CREATE TABLE s.t (id INTEGER, tags VARCHAR[], bump INTEGER)")
        try db.run("INSERT INTO s.t VALUES (1, ARRAY['a', 'bb'], 1), (2, ARRAY['ccc'], 2), (3, NULL, 3), (4, ARRAY[], 4)")
        XCTAssertEqual(try db.rows("SELECT id, transform(tags, x -> length(x) + bump), filter(tags, x -> length(x) > bump), any_match(tags, x -> x = 'bb') FROM s.t ORDER BY id"),
                       [["1", "[2, 3]", "[bb]", "true"], ["2", "[5]", "[ccc]", "false"], ["3", "NULL", "NULL", "NULL"], ["4", "[]", "[]", "false"]])
        // A lambda parameter shadows a column of the same name; GROUP BY the same lambda expression matches it.
        XCTAssertEqual(try db.rows("SELECT transform(tags, id -> id || '!') FROM s.t WHERE id = 1"), [["[a!, bb!]"]])
        XCTAssertEqual(try db.rows("SELECT cardinality(filter(tags, x -> x <> 'a')) AS n, count(*) FROM s.t WHERE tags IS NOT NULL GROUP BY cardinality(filter(tags, x -> x <> 'a')) ORDER BY n"),
                       [["0", "1"], ["1", "2"]])
        // Inside a correlated subquery, the body reads the outer row's column.
        XCTAssertEqual(try db.rows("SELECT id, (SELECT transform(ARRAY[10, 20], x -> x + o.bump)) FROM s.t o WHERE id <= 2 ORDER BY id"),
                       [["1", "[11, 21]"], ["2", "[12, 22]"]])
    }

    func testMisusedLambdasAreClearErrors() throws {
        let db = try TestLake()
        let misplaced = db.error("SELECT abs((x, y) -> x)")
        XCTAssertTrue(misplaced?.message.contains("a lambda is only allowed as an argument of a higher-order function") ?? false, "\(String(describing: misplaced))")
        XCTAssertEqual(misplaced?.column, 12)
        let arity = db.error("SELECT transform(ARRAY[1], (x, y, z) -> x)")
        XCTAssertTrue(arity?.message.contains("takes 1 or 2 parameters, not 3") ?? false, "\(String(describing: arity))")
        XCTAssertEqual(arity?.column, 28)
        XCTAssertTrue(db.error("SELECT reduce(ARRAY[1], 0, x -> x, s -> s)")?.message.contains("takes 2 parameters, not 1") ?? false)
        let type = db.error("SELECT filter(ARRAY[1], x -> x + 1)")
        XCTAssertTrue(type?.message.contains("the lambda must return BOOLEAN, not INTEGER") ?? false, "\(String(describing: type))")
        XCTAssertTrue(db.error("SELECT reduce(ARRAY[1], 0, (s, x) -> 'a', s -> s)")?.message.contains("does not fit the state's type") ?? false)
        XCTAssertTrue(db.error("SELECT transform(1, x -> x)")?.message.contains("needs an ARRAY") ?? false)
        XCTAssertTrue(db.error("SELECT transform(ARRAY[1], x -> sum(x))")?.message.contains("not allowed in a lambda body") ?? false)
        XCTAssertTrue(db.error("SELECT transform(ARRAY[1])")?.message.contains("transform takes (value, lambda) arguments") ?? false)
        XCTAssertTrue(db.error("SELECT list_reduce(ARRAY[], (s, x) -> s + x)")?.message.contains("an empty list has nothing to reduce") ?? false)
    }
}
