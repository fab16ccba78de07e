import Foundation
import XCTest
@testable import Tarn
import Storage

/// `CREATE TABLE … TBLPROPERTIES (…)` (and Trino's `WITH (…)`): the properties are stored with the table's first
/// version, exactly as `ALTER TABLE … SET TBLPROPERTIES` right after would store them, checked the same way, and a
/// CREATE whose properties are refused creates nothing.
final class CreateTablePropertiesTests: XCTestCase {
    private func properties(_ db: TestLake, _ table: String) throws -> [String: String] {
        try db.database.lake.properties(of: TableName(name: table))
    }

    private func markedFiles(_ db: TestLake) throws -> Int64 {
        try db.database.lake.catalog.query("SELECT count(*) FROM deletion_vectors").first?[0].int64 ?? -1
    }

    func testPropertiesAreStoredAsAlterTableWouldStoreThem() throws {
        let db = try TestLake()
        try db.run("""
            CREATE TABLE created (id INTEGER) USING delta COMMENT 'orders' PARTITIONED BY (id)
                TBLPROPERTIES ('Owner' = 'ops', 'freshness' = '2 hours', 'deletion_vectors' = 'false')
            """)
        try db.run("CREATE TABLE altered (id INTEGER)")
        try db.run("ALTER TABLE altered SET TBLPROPERTIES ('Owner' = 'ops', 'freshness' = '2 hours', 'deletion_vectors' = 'false')")
        XCTAssertEqual(try properties(db, "created"), ["owner": "ops", "freshness": "2 hours", "deletion_vectors": "false"])
        XCTAssertEqual(try properties(db, "created"), try properties(db, "altered"))
        XCTAssertEqual(try db.database.lake.history(of: TableName(name: "created")).count, 1, "properties are no version of their own")
        // Without TBLPROPERTIES a table still starts with deletion vectors on.
        try db.run("CREATE TABLE plain (id INTEGER)")
        XCTAssertEqual(try properties(db, "plain"), ["deletion_vectors": "true"])
        // An empty value leaves the key out, as ALTER's removes it: no deletion_vectors property at all.
        try db.run("CREATE TABLE cleared (id INTEGER) TBLPROPERTIES ('deletion_vectors' = '')")
        XCTAssertEqual(try properties(db, "cleared"), [:])
    }

    func testDeletionVectorsOffAtCreateMakesDeleteRewriteFiles() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE off TBLPROPERTIES ('deletion_vectors' = 'false') AS SELECT i AS id FROM generate_series(1, 1000) g(i)")
        XCTAssertEqual(try properties(db, "off"), ["deletion_vectors": "false"])
        let before = try db.database.lake.snapshot(of: TableName(name: "off")).files.map(\.path)
        try db.run("DELETE FROM off WHERE id % 3 = 0")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM off"), [["667"]])
        XCTAssertEqual(try markedFiles(db), 0, "copy-on-write: no deletion vector")
        let after = try db.database.lake.snapshot(of: TableName(name: "off")).files.map(\.path)
        XCTAssertTrue(Set(before).isDisjoint(with: after), "the file holding deleted rows was rewritten: \(before) → \(after)")

        // The same statements without the property mark the rows instead.
        try db.run("CREATE TABLE on_ AS SELECT i AS id FROM generate_series(1, 1000) g(i)")
        let onBefore = try db.database.lake.snapshot(of: TableName(name: "on_")).files.map(\.path)
        try db.run("DELETE FROM on_ WHERE id % 3 = 0")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM on_"), [["667"]])
        XCTAssertEqual(try markedFiles(db), 1)
        XCTAssertEqual(try db.database.lake.snapshot(of: TableName(name: "on_")).files.map(\.path), onBefore)
    }

    func testColumnListFormAndOrReplace() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER) TBLPROPERTIES ('deletion_vectors' = 'false')")
        try db.run("INSERT INTO t SELECT i FROM generate_series(1, 100) g(i)")
        try db.run("DELETE FROM t WHERE id <= 10")
        XCTAssertEqual(try markedFiles(db), 0)
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t"), [["90"]])
        // CREATE OR REPLACE replaces the properties with its own (plus the default).
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('auto_optimize' = 'true')")
        try db.run("CREATE OR REPLACE TABLE t (id INTEGER, k VARCHAR) TBLPROPERTIES ('owner' = 'ops')")
        XCTAssertEqual(try properties(db, "t"), ["owner": "ops", "deletion_vectors": "true"])
        try db.run("CREATE OR REPLACE TABLE t TBLPROPERTIES ('deletion_vectors' = 'false') AS SELECT 1 AS id")
        XCTAssertEqual(try properties(db, "t"), ["deletion_vectors": "false"])
        // IF NOT EXISTS on an existing table changes nothing, its properties included.
        try db.run("CREATE TABLE IF NOT EXISTS t (id INTEGER) TBLPROPERTIES ('owner' = 'someone else')")
        XCTAssertEqual(try properties(db, "t"), ["deletion_vectors": "false"])
    }

    func testTrinoWithKeepsKnownPropertiesAndSkipsConnectorOptions() throws {
        let db = try TestLake()
        try db.run("""
            CREATE TABLE t WITH (format = 'PARQUET', partitioned_by = ARRAY['k'], bucket_count = 8, deletion_vectors = 'false')
            AS SELECT 1 AS id, 'a' AS k
            """)
        XCTAssertEqual(try properties(db, "t"), ["deletion_vectors": "false"])
        try db.run("CREATE TABLE u (id INTEGER) WITH (format = 'ORC')")
        XCTAssertEqual(try properties(db, "u"), ["deletion_vectors": "true"])
    }

    func testRefusedValuesCreateNothingAndReadAsAlterTableErrors() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE existing (id INTEGER)")
        let cases = [
            "('deletion_vectors' = 'maybe')",
            "('auto_optimize' = 'yes please')",
            "('auto_optimize.min_files' = '1')",
        ]
        for list in cases {
            let alter = db.error("ALTER TABLE existing SET TBLPROPERTIES \(list)")
            let create = db.error("CREATE TABLE bad (id INTEGER) TBLPROPERTIES \(list)")
            let ctas = db.error("CREATE TABLE bad TBLPROPERTIES \(list) AS SELECT 1 AS id")
            let trino = db.error("CREATE TABLE bad (id INTEGER) WITH \(list.replacingOccurrences(of: "('", with: "(").replacingOccurrences(of: "' =", with: " ="))")
            XCTAssertNotNil(alter?.message)
            XCTAssertEqual(create?.message, alter?.message, list)
            XCTAssertEqual(ctas?.message, alter?.message, list)
            XCTAssertEqual(trino?.message, alter?.message, list)
            XCTAssertEqual(create?.kind, .semantic)
            XCTAssertFalse(try db.database.lake.tableExists(TableName(name: "bad")), list)
        }
        XCTAssertEqual(db.error("CREATE TABLE bad (id INTEGER) TBLPROPERTIES ('deletion_vectors' = 'maybe')")?.message,
                       "table property 'deletion_vectors' must be 'true' or 'false', not 'maybe'")
        // A refused CREATE OR REPLACE leaves the table as it was.
        try db.run("INSERT INTO existing VALUES (1)")
        XCTAssertNotNil(db.error("CREATE OR REPLACE TABLE existing TBLPROPERTIES ('deletion_vectors' = 'no') AS SELECT 2 AS id"))
        XCTAssertEqual(try db.rows("SELECT id FROM existing"), [["1"]])
        XCTAssertEqual(try properties(db, "existing"), ["deletion_vectors": "true"])
        XCTAssertEqual(try db.database.lake.history(of: TableName(name: "existing")).count, 2)
    }

    func testANonLiteralValueIsASyntaxErrorAtTheValue() throws {
        let db = try TestLake()
        let error = db.error("CREATE TABLE t (id INTEGER)\n  TBLPROPERTIES ('deletion_vectors' = NULL)")
        XCTAssertEqual(error?.kind, .syntax)
        XCTAssertEqual(error?.message, "the value of table property 'deletion_vectors' must be a string, boolean or number literal")
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 39)
        XCTAssertFalse(try db.database.lake.tableExists(TableName(name: "t")))
    }

    /// Databricks writes booleans and numbers unquoted: `delta.enableDeletionVectors = false` turns them off.
    func testBooleanAndNumberValuesAreStoredAsText() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t (id INTEGER) TBLPROPERTIES (delta.enableDeletionVectors = false, 'auto_optimize.min_files' = 12)")
        XCTAssertEqual(try properties(db, "t")["delta.enabledeletionvectors"], "false")
        XCTAssertEqual(try properties(db, "t")["auto_optimize.min_files"], "12")
        try db.run("ALTER TABLE t SET TBLPROPERTIES ('deletion_vectors' = true)")
        XCTAssertEqual(try properties(db, "t")["deletion_vectors"], "true")
        // A key without a value is an error at the key (Spark: "Values must be specified"), as in Trino's WITH,
        // and changes nothing.
        for sql in ["ALTER TABLE t SET TBLPROPERTIES ('auto_optimize')", "ALTER TABLE t SET TBLPROPERTIES ('owner' = 'ops', auto_optimize)",
                    "CREATE TABLE u (id INTEGER) TBLPROPERTIES ('auto_optimize')", "CREATE TABLE u (id INTEGER) WITH (auto_optimize)"] {
            let error = db.error(sql)
            XCTAssertEqual(error?.kind, .syntax, sql)
            XCTAssertTrue(error?.message.contains("'auto_optimize'") ?? false, "\(sql): \(error?.message ?? "")")
            XCTAssertEqual(error?.column, (sql.range(of: "'auto_optimize'") ?? sql.range(of: "auto_optimize")).map { sql.distance(from: sql.startIndex, to: $0.lowerBound) + 1 }, sql)
        }
        XCTAssertNil(try properties(db, "t")["auto_optimize"])
        XCTAssertNil(try properties(db, "t")["owner"])
        XCTAssertFalse(try db.database.lake.tableExists(TableName(name: "u")))
    }

    func testTemporaryTablesRefuseProperties() throws {
        let db = try TestLake()
        XCTAssertEqual(db.error("CREATE TEMP TABLE t (id INTEGER) TBLPROPERTIES ('owner' = 'ops')")?.kind, .unsupported)
        // Trino's connector options are not properties: a TEMP table takes them as before.
        try db.run("CREATE TEMP TABLE u (id INTEGER) WITH (format = 'PARQUET')")
    }

    func testPublishTargetSetAtCreatePublishesTheFirstVersion() throws {
        let db = try TestLake()
        let folder = db.path + "-published"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try db.run("CREATE TABLE t TBLPROPERTIES ('delta.publish_to' = '\(folder)') AS SELECT 1 AS id")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/_delta_log/00000000000000000000.json"))
    }
}

/// `Lake.knownTableProperties` (which Trino's `WITH (…)` keeps) names every property key Tarn's own code reads.
final class KnownTablePropertiesTests: XCTestCase {
    func testEveryPropertyTarnReadsIsKnown() {
        for key in [AutoOptimize.propertyKey, AutoOptimize.minimumFilesKey, DeltaPublishing.propertyKey, "freshness"]
            + Lake.deletionVectorProperties {
            XCTAssertTrue(Lake.knownTableProperties.contains(key), key)
        }
    }
}
