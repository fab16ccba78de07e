import XCTest
import Storage
@testable import SQL

final class StatementParserTests: XCTestCase {
    func testCreateSchemaAndTable() {
        XCTAssertEqual(stmt("CREATE SCHEMA IF NOT EXISTS adtech_db"), "(create-schema IF-NOT-EXISTS adtech_db)")
        XCTAssertEqual(stmt("CREATE TABLE t1(a INTEGER, b INTEGER, c INTEGER, d INTEGER, e INTEGER)"),
                       "(create-table t1 (a INTEGER) (b INTEGER) (c INTEGER) (d INTEGER) (e INTEGER))")
        XCTAssertEqual(stmt("CREATE OR REPLACE TABLE IF NOT EXISTS s.t (id BIGINT NOT NULL, name VARCHAR(20) DEFAULT 'x', amount DECIMAL(10,2), ts TIMESTAMP, ok BOOLEAN)"),
                       "(create-table OR-REPLACE IF-NOT-EXISTS s.t (id BIGINT NOT-NULL) (name VARCHAR(20) (default 'x')) (amount DECIMAL(10,2)) (ts TIMESTAMP) (ok BOOLEAN))")
        XCTAssertEqual(stmt("CREATE TABLE t2(y INTEGER PRIMARY KEY)"), "(create-table t2 (y INTEGER))")
        XCTAssertEqual(stmt("CREATE TABLE t7(a TEXT, UNIQUE (a(1)))"), "(create-table t7 (a TEXT))")
        XCTAssertEqual(stmt("CREATE TABLE c (v DOUBLE, CONSTRAINT positive EXPECT (v > 0) ON VIOLATION DROP ROW, CONSTRAINT present EXPECT (v IS NOT NULL) ON VIOLATION FAIL UPDATE, CONSTRAINT soft EXPECT (v < 10))"),
                       "(create-table c (v DOUBLE) (expect positive (> v 0) DROP-ROW) (expect present (IS-NOT-NULL v) FAIL-UPDATE) (expect soft (< v 10) KEEP))")
        XCTAssertEqual(stmt("CREATE TABLE x AS SELECT 1 AS a"), "(create-table x (as (query (select ((as 1 a))))))")
        XCTAssertEqual(stmt("CREATE OR REFRESH INCREMENTAL TABLE silver AS SELECT * FROM bronze"),
                       "(create-table OR-REFRESH INCREMENTAL silver (as (query (select (*) (from (table bronze))))))")
    }

    func testCreateTableProperties() {
        XCTAssertEqual(stmt("CREATE TABLE t (a INT) TBLPROPERTIES ('deletion_vectors' = 'false', 'Owner' = 'ops')"),
                       "(create-table t (a INT) (tblproperties 'deletion_vectors'='false' 'owner'='ops'))")
        XCTAssertEqual(stmt("CREATE OR REPLACE TABLE t USING delta TBLPROPERTIES ('k' = 'v') COMMENT 'c' AS SELECT 1 AS a"),
                       "(create-table OR-REPLACE t (tblproperties 'k'='v') (as (query (select ((as 1 a))))))")
        XCTAssertEqual(stmt("CREATE TABLE t TBLPROPERTIES ('a' = '1') PARTITIONED BY (x) TBLPROPERTIES ('a' = '2', 'b' = '3') AS SELECT 1 AS x"),
                       "(create-table t (tblproperties 'a'='2' 'b'='3') (as (query (select ((as 1 x))))))")
        // Trino's WITH: the properties Tarn knows are kept, connector options skipped whatever their value.
        XCTAssertEqual(stmt("CREATE TABLE t (a INT) WITH (format = 'PARQUET', partitioned_by = ARRAY['a'], bucket_count = 8, deletion_vectors = 'false', \"auto_optimize\" = 'true')"),
                       "(create-table t (a INT) (tblproperties 'auto_optimize'='true' 'deletion_vectors'='false'))")
        XCTAssertEqual(stmt("CREATE TABLE t WITH (format = 'ORC', bucketed_by = ARRAY['a', 'b']) AS SELECT 1 AS a"),
                       "(create-table t (as (query (select ((as 1 a))))))")
        XCTAssertEqual(stmt("CREATE TABLE t WITH () AS SELECT 1 AS a"), "(create-table t (as (query (select ((as 1 a))))))")
        XCTAssertEqual(stmt("CREATE TABLE t (a INT) WITH (fillfactor = 70, autovacuum_enabled, format 'ORC')"), "(create-table t (a INT))")
        // A query starting with WITH is still a CTE.
        XCTAssertEqual(stmt("CREATE TABLE t AS WITH c AS (SELECT 1 AS a) SELECT a FROM c").hasPrefix("(create-table t (as (query (with"), true)
        XCTAssertEqual(stmt("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'true')"),
                       "(alter-table t (set-tblproperties 'auto_optimize'='true'))")
    }

    func testExpectationText() throws {
        let parsed = try Parser.parse("CREATE TABLE c (v INT, CONSTRAINT ok EXPECT ( v  >  0 AND v < 5 ))")
        guard case .createTable(let table) = parsed.first?.statement else { return XCTFail() }
        XCTAssertEqual(table.expectations.first?.conditionText, "v  >  0 AND v < 5")
    }

    func testCreateView() throws {
        XCTAssertEqual(stmt("CREATE OR REPLACE VIEW \"v\" (a, b) AS SELECT 1, 2"), "(create-view OR-REPLACE v (a b) (query (select (1 2))))")
        let parsed = try Parser.parse("CREATE VIEW s.v AS\n  SELECT a -- note\n  FROM t ;")
        guard case .createView(let view) = parsed.first?.statement else { return XCTFail() }
        XCTAssertEqual(view.name.parts, ["s", "v"])
        XCTAssertEqual(view.queryText, "SELECT a -- note\n  FROM t")
        XCTAssertEqual(try ASTPrinter.print(Parser.parseQuery(view.queryText)), ASTPrinter.print(view.query))
    }

    func testInsertDeleteUpdate() {
        XCTAssertEqual(stmt("INSERT INTO t1(e,c,b,d,a) VALUES(103,102,100,101,104)"),
                       "(insert t1 (e c b d a) (query (values (103 102 100 101 104))))")
        XCTAssertEqual(stmt("INSERT INTO t4n SELECT * FROM t4"), "(insert t4n (query (select (*) (from (table t4)))))")
        XCTAssertEqual(stmt("INSERT INTO t VALUES (1, 'a'), (2, NULL)"), "(insert t (query (values (1 'a') (2 NULL))))")
        XCTAssertEqual(stmt("INSERT OVERWRITE TABLE s.t SELECT 1"), "(insert-overwrite s.t (query (select (1))))")
        XCTAssertEqual(stmt("INSERT INTO t (a) (SELECT 1)"), "(insert t (a) (query (select (1))))")
        XCTAssertEqual(stmt("DELETE FROM t WHERE a = 1"), "(delete t (where (= a 1)))")
        XCTAssertEqual(stmt("DELETE FROM t"), "(delete t)")
        XCTAssertEqual(stmt("UPDATE t SET a = a + 1, b = 'x' WHERE c IS NULL"), "(update t (= a (+ a 1)) (= b 'x') (where (IS-NULL c)))")
    }

    func testDropAndAlter() {
        XCTAssertEqual(stmt("DROP TABLE IF EXISTS s.t"), "(drop TABLE IF-EXISTS s.t)")
        XCTAssertEqual(stmt("DROP VIEW v"), "(drop VIEW v)")
        XCTAssertEqual(stmt("DROP SCHEMA s CASCADE"), "(drop SCHEMA s CASCADE)")
        XCTAssertEqual(stmt("DROP MODEL m"), "(drop MODEL m)")
        XCTAssertEqual(stmt("ALTER TABLE t ADD COLUMN IF NOT EXISTS c VARCHAR"), "(alter-table t (add-column IF-NOT-EXISTS (c VARCHAR)))")
        XCTAssertEqual(stmt("ALTER TABLE t ADD c INT NOT NULL DEFAULT 0"), "(alter-table t (add-column (c INT NOT-NULL (default 0))))")
        XCTAssertEqual(stmt("ALTER TABLE t DROP COLUMN c"), "(alter-table t (drop-column c))")
        XCTAssertEqual(stmt("ALTER TABLE t RENAME COLUMN a TO b"), "(alter-table t (rename-column a b))")
        XCTAssertEqual(stmt("ALTER TABLE t RENAME TO s.u"), "(alter-table t (rename-to s.u))")
        XCTAssertEqual(stmt("ALTER TABLE t ADD CONSTRAINT pos EXPECT (x > 0) ON VIOLATION DROP ROW"),
                       "(alter-table t (add (expect pos (> x 0) DROP-ROW)))")
        XCTAssertEqual(stmt("ALTER TABLE t DROP CONSTRAINT pos"), "(alter-table t (drop-constraint pos))")
    }

    func testCreateModel() {
        XCTAssertEqual(stmt("CREATE MODEL m AS mmm(TABLE weekly, date => 'week', channels => ARRAY['tv', 'search'], draws => 100)"),
                       "(create-model m (mmm (TABLE weekly) (=> date 'week') (=> channels (ARRAY 'tv' 'search')) (=> draws 100)))")
        XCTAssertEqual(stmt("CREATE OR REPLACE MODEL m AS mmm((SELECT * FROM w), date => 'week')"),
                       "(create-model OR-REPLACE m (mmm (query (select (*) (from (table w)))) (=> date 'week')))")
        XCTAssertEqual(stmt("CREATE MODEL IF NOT EXISTS \"Demo\" AS mmm(TABLE s.w)"), "(create-model IF-NOT-EXISTS Demo (mmm (TABLE s.w)))")
        XCTAssertEqual(stmt("DROP MODEL IF EXISTS m"), "(drop MODEL IF-EXISTS m)")
        assertSyntaxError("CREATE MODEL m mmm(TABLE w)", line: 1, column: 16, "expected AS")
        assertSyntaxError("CREATE MODEL m AS mmm", line: 1, column: 22, "expected '('")
        assertSyntaxError("CREATE OR REFRESH MODEL m AS mmm(TABLE w)", line: 1, column: 19, "OR REPLACE")
    }

    func testIntrospection() {
        XCTAssertEqual(stmt("SHOW TABLES"), "(show-tables)")
        XCTAssertEqual(stmt("SHOW TABLES IN adtech_db LIKE 'camp%'"), "(show-tables (in adtech_db) (like 'camp%'))")
        XCTAssertEqual(stmt("SHOW SCHEMAS"), "(show-schemas)")
        XCTAssertEqual(stmt("SHOW COLUMNS FROM s.t"), "(describe s.t)")
        XCTAssertEqual(stmt("DESCRIBE t"), "(describe t)")
        XCTAssertEqual(stmt("DESC t"), "(describe t)")
        XCTAssertEqual(stmt("DESCRIBE HISTORY s.t"), "(describe-history s.t)")
        XCTAssertEqual(stmt("DESCRIBE history"), "(describe history)")
        XCTAssertEqual(stmt("EXPLAIN SELECT 1"), "(explain (query (select (1))))")
        XCTAssertEqual(stmt("EXPLAIN ANALYZE SELECT 1"), "(explain ANALYZE (query (select (1))))")
    }

    func testMaintenance() {
        XCTAssertEqual(stmt("RESTORE TABLE t TO VERSION AS OF 3"), "(restore t (version-as-of 3))")
        XCTAssertEqual(stmt("RESTORE TABLE t TO TIMESTAMP AS OF '2026-01-01'"), "(restore t (timestamp-as-of '2026-01-01'))")
        XCTAssertEqual(stmt("VACUUM t"), "(vacuum t)")
        XCTAssertEqual(stmt("VACUUM t RETAIN 168 HOURS DRY RUN"), "(vacuum t (retain 168.0) DRY-RUN)")
    }

    func testSession() {
        XCTAssertEqual(stmt("SET threads = 4"), "(set threads 4)")
        XCTAssertEqual(stmt("SET spark.sql.ansi.enabled TO true"), "(set spark.sql.ansi.enabled TRUE)")
        XCTAssertEqual(stmt("SET mode = strict"), "(set mode 'strict')")
        XCTAssertEqual(stmt("PRAGMA threads = 2"), "(set threads 2)")
        XCTAssertEqual(stmt("RESET threads"), "(reset threads)")
        XCTAssertEqual(stmt("USE adtech_db"), "(use adtech_db)")
        XCTAssertEqual(stmt("BEGIN"), "(BEGIN)")
        XCTAssertEqual(stmt("BEGIN TRANSACTION"), "(BEGIN)")
        XCTAssertEqual(stmt("COMMIT"), "(COMMIT)")
        XCTAssertEqual(stmt("ROLLBACK"), "(ROLLBACK)")
    }

    func testCopyAndAttach() {
        XCTAssertEqual(stmt("COPY INTO raw FROM '/data/in' PATTERN '*.json' FORMAT json OPTIONS (header = true, delimiter = ';') MERGE SCHEMA STRICT"),
                       "(copy-into raw '/data/in' (delimiter ';') (format 'json') (header TRUE) (merge_schema TRUE) (pattern '*.json') (strict TRUE))")
        XCTAssertEqual(stmt("COPY INTO raw FROM 'x.csv'"), "(copy-into raw 'x.csv')")
        XCTAssertEqual(stmt("COPY (SELECT * FROM t) TO 'out.csv' (FORMAT csv, HEADER true, DELIMITER ',')"),
                       "(copy-to (query (select (*) (from (table t)))) 'out.csv' (delimiter ',') (format 'csv') (header TRUE))")
        XCTAssertEqual(stmt("COPY t TO 'out.csv'"), "(copy-to (query (select (*) (from (table t)))) 'out.csv')")
        XCTAssertEqual(stmt("ATTACH 'ops.db' AS ops (TYPE sqlite)"), "(attach 'ops.db' ops (type 'sqlite'))")
        XCTAssertEqual(stmt("ATTACH 'ops.db' AS ops"), "(attach 'ops.db' ops)")
        XCTAssertEqual(stmt("DETACH ops"), "(detach ops)")
    }

    func testMultipleStatementsTextAndLocation() throws {
        let sql = "SELECT 1;\n  -- comment\n  SELECT 'a;b' ;;\nINSERT INTO t VALUES (1)"
        let parsed = try Parser.parse(sql)
        XCTAssertEqual(parsed.map(\.text), ["SELECT 1", "SELECT 'a;b'", "INSERT INTO t VALUES (1)"])
        XCTAssertEqual(parsed.map(\.location.line), [1, 3, 4])
        XCTAssertEqual(parsed.map(\.location.column), [1, 3, 1])
        XCTAssertEqual(try Parser.parse("").count, 0)
        XCTAssertEqual(try Parser.parse(" ;; -- only a comment\n /* and this */ ").count, 0)
    }

    func testKeywordList() {
        XCTAssertTrue(SQLKeywords.all.contains("SELECT"))
        XCTAssertTrue(SQLKeywords.all.contains("QUALIFY"))
        XCTAssertEqual(SQLKeywords.all, SQLKeywords.all.sorted())
        XCTAssertEqual(Set(SQLKeywords.all).count, SQLKeywords.all.count)
    }
}
