import XCTest
import Storage
@testable import SQL

final class ExpressionParserTests: XCTestCase {
    func testLiterals() {
        XCTAssertEqual(expr("42"), "42")
        XCTAssertEqual(expr("12.50"), "12.50")
        XCTAssertEqual(expr("1E0"), "1E0")
        XCTAssertEqual(expr("2.5e-3"), "2.5e-3")
        XCTAssertEqual(expr(".5"), ".5")
        XCTAssertEqual(expr("99999999999999999999999"), "99999999999999999999999")
        XCTAssertEqual(expr("'it''s'"), "'it''s'")
        XCTAssertEqual(expr("NULL"), "NULL")
        XCTAssertEqual(expr("true"), "TRUE")
        XCTAssertEqual(expr("DATE '2024-01-01'"), "(DATE '2024-01-01')")
        XCTAssertEqual(expr("TIMESTAMP '2026-01-01 10:00:00'"), "(TIMESTAMP '2026-01-01 10:00:00')")
        XCTAssertEqual(expr("INTERVAL '3' DAY"), "(INTERVAL '3' DAY)")
        XCTAssertEqual(expr("INTERVAL 3 DAYS"), "(INTERVAL '3' DAY)")
        XCTAssertEqual(expr("INTERVAL -'2' MONTH"), "(INTERVAL '-2' MONTH)")
        XCTAssertEqual(expr("INTERVAL '-2' HOUR"), "(INTERVAL '-2' HOUR)")
    }

    func testLiteralKinds() throws {
        guard case .literal(.integer("7")) = try Parser.parseExpression("7").kind else { return XCTFail() }
        guard case .literal(.decimal("7.0")) = try Parser.parseExpression("7.0").kind else { return XCTFail() }
        guard case .literal(.double("7e1")) = try Parser.parseExpression("7e1").kind else { return XCTFail() }
        guard case .literal(.typed(type: "DATE", text: "2024-02-03")) = try Parser.parseExpression("date '2024-02-03'").kind else { return XCTFail() }
    }

    func testArithmeticPrecedence() {
        XCTAssertEqual(expr("1 + 2 * 3"), "(+ 1 (* 2 3))")
        XCTAssertEqual(expr("1 - 2 - 3"), "(- (- 1 2) 3)")
        XCTAssertEqual(expr("(1 + 2) * 3"), "(* (+ 1 2) 3)")
        XCTAssertEqual(expr("a / b % c"), "(% (/ a b) c)")
        XCTAssertEqual(expr("a || b + c"), "(|| a (+ b c))")
        XCTAssertEqual(expr("a + b || c"), "(|| (+ a b) c)")
        XCTAssertEqual(expr("- 2 * 3"), "(* (- 2) 3)")
        XCTAssertEqual(expr("1<<63 < a | 2 & 3"), "(< (bitwise_left_shift 1 63) (bitwise_and (bitwise_or a 2) 3))")
    }

    func testUnaryChains() {
        XCTAssertEqual(expr("- + - col1"), "(- (+ (- col1)))")
        XCTAssertEqual(expr("NOT - col"), "(NOT (- col))")
        XCTAssertEqual(expr("+ + MIN(x)"), "(+ (+ (MIN x)))")
        XCTAssertEqual(expr("20 / - - 96"), "(/ 20 (- (- 96)))")
        XCTAssertEqual(expr("1 + NOT 0"), "(+ 1 (NOT 0))")
        XCTAssertEqual(expr("NOT NOT a"), "(NOT (NOT a))")
    }

    func testBooleanPrecedence() {
        XCTAssertEqual(expr("a OR b AND c"), "(OR a (AND b c))")
        XCTAssertEqual(expr("NOT a = b AND c"), "(AND (NOT (= a b)) c)")
        XCTAssertEqual(expr("a = 1 OR NOT b < 2"), "(OR (= a 1) (NOT (< b 2)))")
        XCTAssertEqual(expr("a < b = c"), "(= (< a b) c)")
        XCTAssertEqual(expr("a <> b"), "(<> a b)")
        XCTAssertEqual(expr("a != b"), "(<> a b)")
        XCTAssertEqual(expr("a == b"), "(= a b)")
        XCTAssertEqual(expr("a >= b + 1"), "(>= a (+ b 1))")
    }

    func testBetween() {
        XCTAssertEqual(expr("x BETWEEN 1 AND 2 AND y"), "(AND (BETWEEN x 1 2) y)")
        XCTAssertEqual(expr("x NOT BETWEEN a + 1 AND - b"), "(NOT-BETWEEN x (+ a 1) (- b))")
        XCTAssertEqual(expr("NOT x BETWEEN 1 AND 2"), "(NOT (BETWEEN x 1 2))")
    }

    func testInAndExists() {
        XCTAssertEqual(expr("a IN (1, 2, 3)"), "(IN a (1 2 3))")
        XCTAssertEqual(expr("a NOT IN ('x')"), "(NOT-IN a ('x'))")
        XCTAssertEqual(expr("1 IN ()"), "(IN 1 ())")
        XCTAssertEqual(expr("a IN (SELECT b FROM t)"), "(IN a (query (select (b) (from (table t)))))")
        XCTAssertEqual(expr("'a' IN t7"), "(IN 'a' (query (select (*) (from (table t7)))))")
        XCTAssertEqual(expr("EXISTS (SELECT 1)"), "(EXISTS (query (select (1))))")
        XCTAssertEqual(expr("NOT EXISTS (SELECT 1)"), "(NOT-EXISTS (query (select (1))))")
        XCTAssertEqual(expr("(SELECT max(a) FROM t) + 1"), "(+ (subquery (query (select ((max a)) (from (table t))))) 1)")
    }

    func testIsForms() {
        XCTAssertEqual(expr("a IS NULL"), "(IS-NULL a)")
        XCTAssertEqual(expr("a IS NOT NULL AND b"), "(AND (IS-NOT-NULL a) b)")
        XCTAssertEqual(expr("a IS TRUE"), "(IS-TRUE a)")
        XCTAssertEqual(expr("a IS NOT FALSE"), "(IS-NOT-FALSE a)")
        XCTAssertEqual(expr("a IS DISTINCT FROM b"), "(IS DISTINCT FROM a b)")
        XCTAssertEqual(expr("a IS NOT DISTINCT FROM b"), "(IS NOT DISTINCT FROM a b)")
        XCTAssertEqual(expr("a IS b"), "(IS NOT DISTINCT FROM a b)")
        XCTAssertEqual(expr("a IS NOT - 1"), "(IS DISTINCT FROM a (- 1))")
        XCTAssertEqual(expr("x NOT NULL AND y ISNULL AND z NOTNULL"), "(AND (AND (IS-NOT-NULL x) (IS-NULL y)) (IS-NOT-NULL z))")
        XCTAssertEqual(expr("x'303132' IN ()"), "(IN (BLOB '303132') ())")
    }

    func testLike() {
        XCTAssertEqual(expr("name LIKE 'a%'"), "(LIKE name 'a%')")
        XCTAssertEqual(expr("name NOT ILIKE 'a!%' ESCAPE '!'"), "(NOT-ILIKE name 'a!%' (ESCAPE '!'))")
    }

    func testCaseAndCasts() {
        XCTAssertEqual(expr("CASE WHEN a > 0 THEN 1 ELSE 0 END"), "(CASE (WHEN (> a 0) 1) (ELSE 0))")
        XCTAssertEqual(expr("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END"), "(CASE x (WHEN 1 'a') (WHEN 2 'b'))")
        XCTAssertEqual(expr("CAST(x AS SIGNED)"), "(CAST x SIGNED)")
        XCTAssertEqual(expr("CAST ( x AS DECIMAL(10, 2) )"), "(CAST x DECIMAL(10,2))")
        XCTAssertEqual(expr("TRY_CAST(x AS VARCHAR)"), "(TRY_CAST x VARCHAR)")
        XCTAssertEqual(expr("x::BIGINT + 1"), "(+ (CAST x BIGINT) 1)")
        XCTAssertEqual(expr("-x::INT"), "(- (CAST x INT))")
        XCTAssertEqual(expr("CAST(x AS DOUBLE PRECISION)"), "(CAST x DOUBLE)")
        XCTAssertEqual(expr("CAST(x AS TIMESTAMP WITH TIME ZONE)"), "(CAST x TIMESTAMP WITH TIME ZONE)")
        XCTAssertEqual(expr("CAST(x AS character varying(3))"), "(CAST x VARCHAR(3))")
    }

    func testFunctionCalls() {
        XCTAssertEqual(expr("COUNT ( * )"), "(COUNT *)")
        XCTAssertEqual(expr("count(DISTINCT a)"), "(count DISTINCT a)")
        XCTAssertEqual(expr("MIN ( ALL - + 32 )"), "(MIN (- (+ 32)))")
        XCTAssertEqual(expr("coalesce(a, nullif(b, 0), 1)"), "(coalesce a (nullif b 0) 1)")
        XCTAssertEqual(expr("tarn.fn(1)"), "(tarn.fn 1)")
        XCTAssertEqual(expr("sum(x) FILTER (WHERE x > 0)"), "(sum x (filter (> x 0)))")
        XCTAssertEqual(expr("array_agg(x ORDER BY y DESC)"), "(array_agg x (order (y DESC)))")
        XCTAssertEqual(expr("current_date"), "(current_date)")
        XCTAssertEqual(expr("CURRENT_TIMESTAMP"), "(CURRENT_TIMESTAMP)")
        XCTAssertEqual(expr("now()"), "(now)")
        XCTAssertEqual(expr("EXTRACT(YEAR FROM d)"), "(EXTRACT YEAR d)")
        XCTAssertEqual(expr("ARRAY['a', 'b']"), "(ARRAY 'a' 'b')")
        XCTAssertEqual(expr("f(levels => ARRAY['a'], n => 2)"), "(f (=> levels (ARRAY 'a')) (=> n 2))")
        XCTAssertEqual(expr("fill_nulls(TABLE t, 'x')"), "(fill_nulls (TABLE t) 'x')")
        XCTAssertEqual(expr("left(s, 2)"), "(left s 2)")
        XCTAssertEqual(expr("position('a' IN s)"), "(position 'a' s)")
        XCTAssertEqual(expr("substring(s FROM 2 FOR 3)"), "(substring s 2 3)")
        XCTAssertEqual(expr("first_value(x IGNORE NULLS) OVER (ORDER BY t)"), "(first_value x IGNORE-NULLS (over ((order t))))")
        XCTAssertEqual(expr("last_value(x) IGNORE NULLS OVER w"), "(last_value x IGNORE-NULLS (over (w)))")
    }

    func testWindows() {
        XCTAssertEqual(expr("row_number() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST)"),
                       "(row_number (over ((partition a b) (order (c DESC NULLS-LAST)))))")
        XCTAssertEqual(expr("sum(x) OVER (ORDER BY d ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)"),
                       "(sum x (over ((order d) (ROWS (PRECEDING 2) CURRENT-ROW))))")
        XCTAssertEqual(expr("sum(x) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"),
                       "(sum x (over ((RANGE UNBOUNDED-PRECEDING UNBOUNDED-FOLLOWING))))")
        XCTAssertEqual(expr("sum(x) OVER (ROWS 3 PRECEDING)"), "(sum x (over ((ROWS (PRECEDING 3) CURRENT-ROW))))")
        XCTAssertEqual(expr("sum(x) OVER (w ORDER BY y)"), "(sum x (over (w (order y))))")
    }

    func testNamesAndKeywordsAsNames() {
        XCTAssertEqual(expr("t.c"), "t.c")
        XCTAssertEqual(expr("s.t.c"), "s.t.c")
        XCTAssertEqual(expr("\"Mixed Case\".\"col\""), "Mixed Case.col")
        XCTAssertEqual(expr("`back`"), "back")
        XCTAssertEqual(expr("date + year + value + key + type + version + timestamp + history + data"),
                       "(+ (+ (+ (+ (+ (+ (+ (+ date year) value) key) type) version) timestamp) history) data)")
        XCTAssertEqual(expr("comment || first || last || position"), "(|| (|| (|| comment first) last) position)")
        XCTAssertEqual(expr("date(x)"), "(date x)")
    }

    func testColumnPartsAndLocations() throws {
        let e = try Parser.parseExpression("  a +\n  \"B\".c")
        guard case .binary(.add, let left, let right) = e.kind else { return XCTFail() }
        XCTAssertEqual(left.location, SourceLocation(line: 1, column: 3, offset: 2))
        guard case .column(let parts) = right.kind else { return XCTFail() }
        XCTAssertEqual(parts, ["B", "c"])
        XCTAssertEqual(right.location.line, 2)
        XCTAssertEqual(right.location.column, 3)
    }

    func testCommentsInsideExpressions() {
        XCTAssertEqual(expr("1 /* one */ + -- plus\n 2"), "(+ 1 2)")
    }
}
