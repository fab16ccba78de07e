import XCTest
@testable import Tarn
import Storage

/// IN lists and OR / AND of conditions on one column become `ColumnPredicate`s (`anyOf` / `allOf`) that skip a lake
/// table's files and row groups by statistics; the rows stay those of the same filter written so it is not recognised.
final class ColumnPredicateTests: XCTestCase {
    func testInAndOrSkipDataAndKeepTheAnswer() throws {
        let lake = try TestLake()
        try lake.run("CREATE TABLE t(id BIGINT, d DATE, s VARCHAR)")
        for k in 0..<6 {
            // One file per INSERT: ids [1000k, 1000k + 1000), dates of month k + 1, NULL s every 7th row.
            try lake.run("""
                INSERT INTO t SELECT x, DATE '2024-01-01' + CAST(\(k * 31) + x % 28 AS INTEGER),
                    CASE WHEN x % 7 = 0 THEN NULL ELSE 's' || CAST(x % 13 AS VARCHAR) END
                FROM generate_series(\(k * 1000), \(k * 1000 + 999)) g(x)
                """)
        }
        let filters = [
            "id IN (5, 4500, 99999)",
            "id NOT IN (5, 4500)",
            "id < 10 OR id >= 5990",
            "id BETWEEN 100 AND 200 OR id BETWEEN 3000 AND 3001 OR id = 5999",
            "(id < 10 OR id > 5990) AND id IN (3, 5995, 2000)",
            "d IN (DATE '2024-01-05', DATE '2024-04-02') OR d IS NULL",
            "s IN ('s1', 's12') OR s IS NULL",
            "s NOT IN ('s1') AND (id < 1500 OR id > 4500)",
            "id IN (1, NULL)",
        ]
        for f in filters {
            // `id + 0` and `s || ''` hide the column from the predicate recognizer: the plain filter evaluated on every row.
            let hidden = f.replacingOccurrences(of: "id", with: "(id + 0)").replacingOccurrences(of: "s ", with: "(s || '') ")
                .replacingOccurrences(of: "d IN", with: "(d + 0) IN").replacingOccurrences(of: "d IS", with: "(d + 0) IS")
            let got = try lake.rows("SELECT count(*), sum(id), count(s) FROM t WHERE \(f)")
            let want = try lake.rows("SELECT count(*), sum(id), count(s) FROM t WHERE \(hidden)")
            XCTAssertEqual(got, want, "WHERE \(f)")
        }
        let plan = try lake.rows("EXPLAIN ANALYZE SELECT count(*) FROM t WHERE id IN (5, 4500)").map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("row_groups_skipped=4") || plan.contains("files_skipped=4"), "IN (5, 4500) reads 2 of 6 files:\n\(plan)")
        let or = try lake.rows("EXPLAIN ANALYZE SELECT count(*) FROM t WHERE id < 10 OR id >= 5990").map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(or.contains("row_groups_skipped=4") || or.contains("files_skipped=4"), "the OR reads 2 of 6 files:\n\(or)")
    }

    func testSecretPasswordsAreScrubbedFromStatementText() {
        let text = "CREATE SECRET s (TYPE postgres, PASSWORD 'it''s s3cret', HOST 'h'); CREATE SECRET t (TYPE mysql, password bare, USER u)"
        let scrubbed = CredentialScrubber.scrub(text)
        XCTAssertFalse(scrubbed.contains("s3cret") || scrubbed.contains("bare"), scrubbed)
        XCTAssertTrue(scrubbed.contains("PASSWORD '***', HOST 'h'") && scrubbed.contains("password ***, USER u"), scrubbed)
    }

    func testSecretsAreStoredListedRedactedAndDropped() throws {
        let lake = try TestLake()
        try lake.run("CREATE SECRET pg (TYPE postgres, HOST 'db', PORT 5433, USER 'etl', PASSWORD 'pw-123', DATABASE 'ops')")
        try lake.run("CREATE SECRET (TYPE mysql, HOST 'crm', USER 'u', PASSWORD 'pw-456')")
        let listed = try lake.rows("SELECT name, type, persistent, secret_string FROM duckdb_secrets() ORDER BY name")
        XCTAssertEqual(listed, [
            ["__default_mysql", "mysql", "true", "name=__default_mysql;type=mysql;host=crm;password=redacted;user=u"],
            ["pg", "postgres", "true", "name=pg;type=postgres;database=ops;host=db;password=redacted;port=5433;user=etl"],
        ])
        let again = try Database.open(lake.path).connect()
        XCTAssertEqual(try again.secret("pg")?.parameters["password"], "pw-123", "kept in the catalog across sessions")
        XCTAssertEqual(try again.secret("pg")?.connectionString(overriding: "dbname=other").parameters["dbname"], "other")
        XCTAssertNotNil(lake.error("CREATE SECRET pg (TYPE postgres, HOST 'x')")?.message.contains("already exists"))
        try lake.run("CREATE SECRET IF NOT EXISTS pg (TYPE postgres, HOST 'x')")
        XCTAssertEqual(try lake.rows("SELECT secret_string FROM tarn.secrets WHERE name = 'pg'").first?.first?.contains("host=db"), true)
        let unknown = lake.error("CREATE SECRET q (TYPE postgres, PASWORD 'pw-789')")
        XCTAssertTrue(unknown?.message.contains("unknown parameter 'pasword'") == true && unknown?.message.contains("pw-789") == false)
        XCTAssertNotNil(lake.error("CREATE SECRET q (TYPE oracle, HOST 'x')"))
        try lake.run("DROP SECRET pg")
        XCTAssertTrue(lake.error("DROP SECRET pg")?.message.contains("no secret named 'pg'") == true)
        try lake.run("DROP SECRET IF EXISTS pg")
        XCTAssertTrue(lake.error("ATTACH '' AS x (TYPE postgres, SECRET pg)")?.message.contains("no secret named 'pg'") == true)
        XCTAssertTrue(lake.error("ATTACH '' AS x (TYPE postgres, SECRET __default_mysql)")?.message.contains("TYPE mysql") == true)
    }
}
