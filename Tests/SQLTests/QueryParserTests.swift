import XCTest
import Storage
@testable import SQL

final class QueryParserTests: XCTestCase {
    func testSelectClauses() {
        XCTAssertEqual(stmt("SELECT DISTINCT a, b AS x, c y FROM t WHERE a > 1 GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 1, 2 DESC LIMIT 10 OFFSET 5"),
                       "(query (select-distinct (a (as b x) (as c y)) (from (table t)) (where (> a 1)) (group 1 2) (having (> (count *) 1))) (order 1 (2 DESC)) (limit 10) (offset 5))")
        XCTAssertEqual(stmt("SELECT ALL 1"), "(query (select (1)))")
        XCTAssertEqual(stmt("select * from t limit all"), "(query (select (*) (from (table t))))")
        XCTAssertEqual(stmt("SELECT a FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY"), "(query (select (a) (from (table t))) (limit 3) (offset 2))")
        XCTAssertEqual(stmt("SELECT a FROM t GROUP BY ALL"), "(query (select (a) (from (table t)) (group-by-all)))")
        XCTAssertEqual(stmt("SELECT a, row_number() OVER w AS rn FROM t WINDOW w AS (ORDER BY a) QUALIFY rn = 1"),
                       "(query (select (a (as (row_number (over (w))) rn)) (from (table t)) (window w ((order a))) (qualify (= rn 1))))")
    }

    func testStars() {
        XCTAssertEqual(stmt("SELECT *, t.* FROM t"), "(query (select (* t.*) (from (table t))))")
        XCTAssertEqual(stmt("SELECT * EXCLUDE (a, b) FROM t"), "(query (select ((exclude * a b)) (from (table t))))")
        XCTAssertEqual(stmt("SELECT * EXCEPT (a) FROM t"), "(query (select ((exclude * a)) (from (table t))))")
    }

    func testAliasesAndKeywordNames() {
        XCTAssertEqual(stmt("SELECT date, year value, key AS \"Type\" FROM data history"),
                       "(query (select (date (as year value) (as key Type)) (from (as (table data) history))))")
        XCTAssertEqual(stmt("SELECT a AS 'x' FROM t"), "(query (select ((as a x)) (from (table t))))")
        XCTAssertEqual(stmt("SELECT a x, a x FROM t"), "(query (select ((as a x) (as a x)) (from (table t))))")
    }

    func testJoins() {
        XCTAssertEqual(stmt("SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y) CROSS JOIN d"),
                       "(query (select (*) (from (join CROSS (join LEFT (join INNER (table a) (table b) (on (= a.x b.x))) (table c) (using y)) (table d)))))")
        XCTAssertEqual(stmt("SELECT * FROM a NATURAL JOIN b, c FULL JOIN d ON TRUE RIGHT JOIN e ON 1 = 1"),
                       "(query (select (*) (from (join INNER (table a) (table b) NATURAL) (join RIGHT (join FULL (table c) (table d) (on TRUE)) (table e) (on (= 1 1))))))")
        XCTAssertEqual(stmt("SELECT * FROM ( tab0 AS cor0 CROSS JOIN tab0 cor1 )"),
                       "(query (select (*) (from (join CROSS (as (table tab0) cor0) (as (table tab0) cor1)))))")
        XCTAssertEqual(stmt("SELECT * FROM tab1 AS cor0 CROSS JOIN tab1, tab2 cor1"),
                       "(query (select (*) (from (join CROSS (as (table tab1) cor0) (table tab1)) (as (table tab2) cor1))))")
        XCTAssertEqual(stmt("SELECT * FROM ((SELECT 1 AS a) x JOIN y ON TRUE)"),
                       "(query (select (*) (from (join INNER (as (subquery (query (select ((as 1 a))))) x) (table y) (on TRUE)))))")
    }

    func testFromItems() {
        XCTAssertEqual(stmt("SELECT * FROM adtech_db.processed_campaign_data"), "(query (select (*) (from (table adtech_db.processed_campaign_data))))")
        XCTAssertEqual(stmt("SELECT * FROM (SELECT 1) AS s(a)"), "(query (select (*) (from (as (subquery (query (select (1)))) s (a)))))")
        XCTAssertEqual(stmt("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(n, s)"),
                       "(query (select (*) (from (as (subquery (query (values (1 'a') (2 'b')))) v (n s)))))")
        XCTAssertEqual(stmt("SELECT * FROM read_json('x/*.json') j"), "(query (select (*) (from (as (table-function (read_json 'x/*.json')) j))))")
        XCTAssertEqual(stmt("SELECT * FROM fill_nulls(TABLE t, columns => ARRAY['a'])"),
                       "(query (select (*) (from (table-function (fill_nulls (TABLE t) (=> columns (ARRAY 'a')))))))")
        XCTAssertEqual(stmt("SELECT * FROM mmm(TABLE t VERSION AS OF 3, date => 'week')"),
                       "(query (select (*) (from (table-function (mmm (TABLE t (version-as-of 3)) (=> date 'week'))))))")
        XCTAssertEqual(stmt("SELECT * FROM mmm(TABLE t FOR TIMESTAMP AS OF '2026-01-01')"),
                       "(query (select (*) (from (table-function (mmm (TABLE t (timestamp-as-of '2026-01-01')))))))")
        XCTAssertEqual(stmt("SELECT * FROM f((SELECT a FROM t), 2)"),
                       "(query (select (*) (from (table-function (f (query (select (a) (from (table t)))) 2)))))")
        XCTAssertEqual(stmt("SELECT * FROM generate_series(1, 10) AS g(n)"), "(query (select (*) (from (as (table-function (generate_series 1 10)) g (n)))))")
        XCTAssertEqual(stmt("SELECT * FROM t1 NOT INDEXED"), "(query (select (*) (from (table t1))))")
    }

    func testTimeTravel() {
        XCTAssertEqual(stmt("SELECT * FROM t VERSION AS OF 3"), "(query (select (*) (from (table t (version-as-of 3)))))")
        XCTAssertEqual(stmt("SELECT * FROM t FOR VERSION AS OF 3 AS x"), "(query (select (*) (from (as (table t (version-as-of 3)) x))))")
        XCTAssertEqual(stmt("SELECT * FROM t TIMESTAMP AS OF '2026-01-01 10:00:00'"),
                       "(query (select (*) (from (table t (timestamp-as-of '2026-01-01 10:00:00')))))")
        XCTAssertEqual(stmt("SELECT * FROM t FOR TIMESTAMP AS OF TIMESTAMP '2026-01-01' x"),
                       "(query (select (*) (from (as (table t (timestamp-as-of (TIMESTAMP '2026-01-01'))) x))))")
        XCTAssertEqual(stmt("SELECT * FROM t AS x VERSION AS OF 2 WHERE x.a = 1"),
                       "(query (select (*) (from (as (table t (version-as-of 2)) x)) (where (= x.a 1))))")
    }

    func testSetOperations() {
        XCTAssertEqual(stmt("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"), "(query (UNION (select (1)) (INTERSECT (select (2)) (select (3)))))")
        XCTAssertEqual(stmt("SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3"), "(query (EXCEPT (UNION-ALL (select (1)) (select (2))) (select (3))))")
        XCTAssertEqual(stmt("SELECT 1 UNION DISTINCT SELECT 2 ORDER BY 1 LIMIT 1"), "(query (UNION (select (1)) (select (2))) (order 1) (limit 1))")
        XCTAssertEqual(stmt("(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2)"),
                       "(query (UNION (query (select (1)) (order 1) (limit 1)) (select (2))))")
        XCTAssertEqual(stmt("VALUES (1), (2)"), "(query (values (1) (2)))")
        XCTAssertEqual(stmt("TABLE t"), "(query (select (*) (from (table t))))")
    }

    func testWith() {
        XCTAssertEqual(stmt("WITH a AS (SELECT 1 AS x), b(y) AS (SELECT x FROM a) SELECT * FROM b"),
                       "(query (with (a (query (select ((as 1 x))))) (b (y) (query (select (x) (from (table a)))))) (select (*) (from (table b))))")
        XCTAssertEqual(stmt("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r"),
                       "(query (with-recursive (r (n) (query (UNION-ALL (select (1)) (select ((+ n 1)) (from (table r)) (where (< n 3))))))) (select (n) (from (table r))))")
    }

    func testCorrelatedSubqueries() {
        XCTAssertEqual(stmt("SELECT a, (SELECT count(*) FROM t1 AS x WHERE x.b < t1.b) FROM t1 WHERE EXISTS (SELECT 1 FROM t1 AS x WHERE x.b = t1.b) ORDER BY 1"),
                       "(query (select (a (subquery (query (select ((count *)) (from (as (table t1) x)) (where (< x.b t1.b)))))) (from (table t1)) (where (EXISTS (query (select (1) (from (as (table t1) x)) (where (= x.b t1.b))))))) (order 1))")
    }

    func testParseQueryAPI() throws {
        let query = try Parser.parseQuery("SELECT a FROM t;")
        XCTAssertEqual(ASTPrinter.print(query), "(query (select (a) (from (table t))))")
        XCTAssertThrowsError(try Parser.parseQuery("SELECT a FROM t; SELECT 2"))
        XCTAssertThrowsError(try Parser.parseExpression("a b"))
    }
}
