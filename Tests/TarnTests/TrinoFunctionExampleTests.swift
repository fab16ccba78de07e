import XCTest
@testable import Tarn
import Storage

/// Functions added for Trino coverage that DuckDB does not share (the shared ones are compared with DuckDB in
/// Tests/differential/queries/35_function_breadth.sql). Expected values are the examples of Trino's documentation
/// (docs/src/main/sphinx/functions/*.md) where it gives one, else the example of PostgreSQL's documentation or a value
/// derived here by an independent route (named in each comment).
final class TrinoFunctionExampleTests: XCTestCase {
    func testRegexpExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        XCTAssertEqual(try db.rows(#"SELECT regexp_count('1a 2b 14m', '\s*[a-z]+\s*')"#), [["3"]])
        let text = "'I have 23 apples, 5 pears and 13 oranges'"
        XCTAssertEqual(try db.rows(#"""
            SELECT regexp_position(\#(text), '\b\d+\b'), regexp_position(\#(text), '\b\d+\b', 5),
                   regexp_position(\#(text), '\b\d+\b', 12), regexp_position(\#(text), '\b\d+\b', 12, 1),
                   regexp_position(\#(text), '\b\d+\b', 12, 2), regexp_position(\#(text), '\b\d+\b', 12, 3)
            """#), [["8", "8", "19", "19", "31", "-1"]])
        XCTAssertTrue(db.error(#"SELECT regexp_position('abc', 'b', 0)"#)?.message.contains("start must be positive") ?? false)
    }

    func testStringExamples() throws {
        let db = try TestLake()
        // Trino string.md: luhn_check('79927398713') → true, luhn_check('79927398714') → false.
        XCTAssertEqual(try db.rows("SELECT luhn_check('79927398713'), luhn_check('79927398714')"), [["true", "false"]])
        XCTAssertTrue(db.error("SELECT luhn_check('7992-7398')")?.message.contains("not a string of digits") ?? false)
        // Soundex codes of the US National Archives' description: Robert/Rupert R163, Tymczak T522, Pfister P236,
        // Honeyman H555 (H and W do not separate letters with the same code).
        XCTAssertEqual(try db.rows("SELECT soundex('Robert'), soundex('Rupert'), soundex('Tymczak'), soundex('Pfister'), soundex('Honeyman'), soundex('')"),
                       [["R163", "R163", "T522", "P236", "H555", ""]])
        // Textbook distances: kitten → sitting needs 3 edits; 'karolin' and 'kathrin' differ in 3 places.
        XCTAssertEqual(try db.rows("SELECT levenshtein_distance('kitten', 'sitting'), hamming_distance('karolin', 'kathrin'), levenshtein_distance('', 'abc')"),
                       [["3", "3", "3"]])
        XCTAssertTrue(db.error("SELECT hamming_distance('ab', 'abc')")?.message.contains("same length") ?? false)
        XCTAssertEqual(try db.rows("SELECT codepoint('é'), chr(233), chr(128512) = '😀', translate('abcd', 'bd', 'x')"), [["233", "é", "true", "axc"]])
        XCTAssertTrue(db.error("SELECT codepoint('ab')")?.message.contains("one character") ?? false)
        XCTAssertTrue(db.error("SELECT chr(1114112)")?.message.contains("not a valid Unicode code point") ?? false)
        // 'é' as e + combining acute (NFD) composes to the single code point (NFC) and back.
        XCTAssertEqual(try db.rows("SELECT length(normalize('e' || chr(769))), length(normalize(chr(233), 'NFD')), normalize('ﬁ', 'NFKC')"),
                       [["1", "2", "fi"]])
    }

    func testDateTimeExamplesFromTrinoDocs() throws {
        let db = try TestLake()
        // Trino datetime.md: human_readable_seconds(96), (3762), (56363463).
        XCTAssertEqual(try db.rows("SELECT human_readable_seconds(96), human_readable_seconds(3762), human_readable_seconds(56363463), human_readable_seconds(0)"),
                       [["1 minute, 36 seconds", "1 hour, 2 minutes, 42 seconds", "93 weeks, 1 day, 8 hours, 31 minutes, 3 seconds", "0 seconds"]])
        // Trino datetime.md: from_iso8601_date('2020-05-11'), ('2020-W10') → 2020-03-02, ('2020-123') → 2020-05-02.
        XCTAssertEqual(try db.rows("SELECT from_iso8601_date('2020-05-11'), from_iso8601_date('2020-W10'), from_iso8601_date('2020-123')"),
                       [["2020-05-11", "2020-03-02", "2020-05-02"]])
        XCTAssertTrue(db.error("SELECT from_iso8601_date('2020-13-01')")?.message.contains("not an ISO-8601 date") ?? false)
        // An offset names another moment: 11:15 at +01:00 is 10:15 UTC.
        XCTAssertEqual(try db.rows("SELECT from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00'), to_iso8601(DATE '2020-05-11'), to_iso8601(TIMESTAMP '2020-05-11 11:15:05.055')"),
                       [["2020-05-11 10:15:05.055", "2020-05-11", "2020-05-11T11:15:05.055000"]])
        XCTAssertEqual(try db.rows("SELECT last_day_of_month(DATE '2024-02-10'), last_day_of_month(TIMESTAMP '2023-12-31 23:00:00'), from_unixtime_nanos(1500000000123456789), current_timezone()"),
                       [["2024-02-29", "2023-12-31", "2017-07-14 02:40:00.123456", "UTC"]])
    }

    func testMathAndStatistics() throws {
        let db = try TestLake()
        // PostgreSQL's documentation example (same semantics as Trino): width_bucket(5.35, 0.024, 10.06, 5) → 3.
        XCTAssertEqual(try db.rows("SELECT width_bucket(5.35, 0.024, 10.06, 5), width_bucket(-1, 0, 10, 5), width_bucket(10, 0, 10, 5), width_bucket(9, 10, 0, 5)"),
                       [["3", "0", "6", "1"]])
        XCTAssertTrue(db.error("SELECT width_bucket(1, 0, 0, 5)")?.message.contains("bounds cannot equal") ?? false)
        XCTAssertEqual(try db.rows("SELECT to_base(255, 16), to_base(-5, 2), from_base('ff', 16), from_base('-101', 2), to_base(35, 36)"),
                       [["ff", "-101", "255", "-5", "z"]])
        XCTAssertTrue(db.error("SELECT from_base('12', 2)")?.message.contains("not a valid base-2 number") ?? false)
        XCTAssertTrue(db.error("SELECT to_base(1, 37)")?.message.contains("radix must be between 2 and 36") ?? false)
        XCTAssertEqual(try db.rows("SELECT is_nan(nan()), is_infinite(infinity()), is_finite(e()), e() = exp(1)"), [["true", "true", "true", "true"]])

        func number(_ sql: String) throws -> Double { try XCTUnwrap(Double(try db.rows(sql)[0][0])) }
        // Φ(1.96) = 0.9750021048517795 (standard normal table); the inverse takes it back.
        XCTAssertEqual(try number("SELECT normal_cdf(0, 1, 1.96)"), 0.9750021048517795, accuracy: 1e-15)
        XCTAssertEqual(try number("SELECT inverse_normal_cdf(0, 1, 0.9750021048517795)"), 1.96, accuracy: 1e-12)
        XCTAssertEqual(try number("SELECT inverse_normal_cdf(10, 2, normal_cdf(10, 2, 7.5))"), 7.5, accuracy: 1e-10)
        XCTAssertEqual(try number("SELECT inverse_normal_cdf(0, 1, 0.001)"), -3.090232306167813, accuracy: 1e-12)
        // For whole a and b, I_x(a, b) is a binomial tail: P(Bin(a + b − 1, x) ≥ a). Checked at several points.
        for (a, b, x) in [(2, 3, 0.5), (1, 1, 0.3), (5, 2, 0.8), (3, 7, 0.15), (10, 10, 0.42)] {
            let n = a + b - 1
            var tail = 0.0
            for j in a...n {
                var choose = 1.0
                for k in 0..<j { choose = choose * Double(n - k) / Double(k + 1) }
                tail += choose * pow(x, Double(j)) * pow(1 - x, Double(n - j))
            }
            XCTAssertEqual(try number("SELECT beta_cdf(\(a), \(b), \(x))"), tail, accuracy: 1e-12, "beta_cdf(\(a), \(b), \(x))")
            XCTAssertEqual(try number("SELECT inverse_beta_cdf(\(a), \(b), \(tail))"), x, accuracy: 1e-9, "inverse_beta_cdf(\(a), \(b), \(tail))")
        }
        XCTAssertTrue(db.error("SELECT beta_cdf(0, 1, 0.5)")?.message.contains("a and b must be > 0") ?? false)
        XCTAssertTrue(db.error("SELECT inverse_normal_cdf(0, 1, 1)")?.message.contains("between 0 and 1") ?? false)
        // Wilson score interval at z = 1.96 for 1,250 successes of 1,310 trials, from its closed form
        // (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n) evaluated here.
        let p = 1250.0 / 1310, z = 1.96, n = 1310.0
        let center = p + z * z / (2 * n), spread = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        XCTAssertEqual(try number("SELECT wilson_interval_lower(1250, 1310, 1.96)"), (center - spread) / (1 + z * z / n), accuracy: 1e-15)
        XCTAssertEqual(try number("SELECT wilson_interval_upper(1250, 1310, 1.96)"), (center + spread) / (1 + z * z / n), accuracy: 1e-15)
    }

    func testSkewnessIsTrinosPopulationCoefficient() throws {
        // Trino's skewness is √n·M3 / M2^1.5 (DuckDB's differs: it applies the sample correction, so it is not in the
        // differential file); checked against a two-pass computation here, over enough rows that both workers'
        // partial moments are merged.
        let db = try TestLake()
        try db.run("CREATE TABLE s AS SELECT i, CAST(i % 97 AS DOUBLE) * (i % 89) / 100.0 AS x FROM range(1, 200001) r(i)")
        let xs = (1...200_000).map { Double($0 % 97) * Double($0 % 89) / 100.0 }
        func skewness(_ v: [Double]) -> Double {
            let n = Double(v.count), mean = v.reduce(0, +) / n
            let m2 = v.reduce(0) { $0 + pow($1 - mean, 2) }, m3 = v.reduce(0) { $0 + pow($1 - mean, 3) }
            return n.squareRoot() * m3 / pow(m2, 1.5)
        }
        let whole = try XCTUnwrap(Double(try db.rows("SELECT skewness(x) FROM s")[0][0]))
        XCTAssertEqual(whole, skewness(xs), accuracy: 1e-9)
        let byGroup = try db.rows("SELECT i % 3, skewness(x) FROM s GROUP BY 1 ORDER BY 1")
        for g in 0..<3 {
            let expected = skewness(xs.enumerated().filter { ($0.offset + 1) % 3 == g }.map(\.element))
            XCTAssertEqual(try XCTUnwrap(Double(byGroup[g][1])), expected, accuracy: 1e-9)
        }
        XCTAssertEqual(try db.rows("SELECT skewness(x), kurtosis(x) FROM (VALUES (1.0), (2.0)) v(x)"), [["NULL", "NULL"]])
        XCTAssertEqual(try db.rows("SELECT bitwise_and_agg(x), bitwise_or_agg(x) FROM (VALUES (12), (10), (NULL)) v(x)"), [["8", "14"]])
    }

    func testTryTurnsEvaluationErrorsIntoNullRowByRow() throws {
        // Trino's conditional.md: try() gives NULL where the expression fails (division by zero, a bad cast, an
        // overflow), and the value elsewhere; errors that are not evaluation errors (unknown names) still fail.
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM (VALUES (1, 0), (4, 2), (3, 0), (9, 3)) v(a, b)")
        XCTAssertEqual(try db.rows("SELECT a, try(a / b), coalesce(try(a / b), -1) FROM t ORDER BY a"),
                       [["1", "NULL", "-1"], ["3", "NULL", "-1"], ["4", "2", "2"], ["9", "3", "3"]])
        XCTAssertEqual(try db.rows("SELECT try(1 / 0), try(CAST('x' AS INTEGER)), try(9223372036854775807 + 1), try(10 / 2)"),
                       [["NULL", "NULL", "NULL", "5"]])
        XCTAssertTrue(db.error("SELECT try(nope) FROM t")?.message.contains("column 'nope' does not exist") ?? false)
        XCTAssertTrue(db.error("SELECT a / b FROM t")?.message.contains("division by zero") ?? false)
    }

    func testJSONPathFunctions() throws {
        let db = try TestLake()
        let doc = #"'{"customer": {"name": "Ann", "tags": ["a", "b"], "vip": true, "none": null}}'"#
        XCTAssertEqual(try db.rows("""
            SELECT json_value(\(doc), 'lax $.customer.name'), json_value(\(doc), 'strict $.customer.tags[1]'),
                   json_value(\(doc), '$.customer.tags'), json_value(\(doc), '$.customer.none'),
                   json_query(\(doc), 'lax $.customer.tags'), json_exists(\(doc), '$.customer.vip'), json_exists(\(doc), '$.nope')
            """), [["Ann", "b", "NULL", "NULL", #"["a","b"]"#, "true", "false"]])
        // Trino json.md: json_array_contains('[1, 2, 3]', 2) → true.
        XCTAssertEqual(try db.rows(#"""
            SELECT json_array_contains('[1, 2, 3]', 2), json_array_contains('[1, 2.5]', 2.5), json_array_contains('["x", true]', 'x'),
                   json_array_contains('["x", true]', true), json_array_contains('[1, 2]', 5), json_array_contains('{"a": 1}', 1)
            """#), [["true", "true", "true", "true", "false", "NULL"]])
    }

    func testTarnFunctionsListsEveryKind() throws {
        let db = try TestLake()
        let kinds = try db.rows("SELECT function_type, count(*) > 0 FROM tarn_functions() GROUP BY 1 ORDER BY 1")
        XCTAssertEqual(kinds.map { $0[0] }, ["aggregate", "scalar", "special", "table", "window"])
        XCTAssertEqual(try db.rows("""
            SELECT function_name, function_type FROM duckdb_functions()
            WHERE function_name IN ('sum', 'levenshtein_distance', 'row_number', 'coalesce', 'read_parquet') ORDER BY 1
            """), [["coalesce", "special"], ["levenshtein_distance", "scalar"], ["read_parquet", "table"], ["row_number", "window"], ["sum", "aggregate"]])
        // Every scalar it lists resolves (an unknown name would fail with "does not exist").
        for row in try db.rows("SELECT function_name FROM tarn_functions() WHERE function_type = 'scalar'") {
            do { _ = try db.rows("SELECT \(row[0])()") } catch let e as TarnError {
                XCTAssertFalse(e.message.contains("does not exist"), "\(row[0]) is listed but does not exist")
            }
        }
    }
}
