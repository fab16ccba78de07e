import Foundation
import XCTest
@testable import Storage

/// Creating tables, writing and reading them back, schemas, views and name errors.
final class LakeBasicsTests: XCTestCase {
    func testCreateInsertAndReadBack() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake()
        let t = TableName(name: "People")
        let created = try lake.createTable(t, schema: LakeTestSupport.peopleSchema, properties: ["owner": "ops"])
        // A new table has deletion vectors unless its properties say otherwise.
        XCTAssertEqual(try lake.properties(of: t), ["owner": "ops", "deletion_vectors": "true"])
        XCTAssertTrue(try lake.beginWrite(t).usesDeletionVectors)
        XCTAssertEqual(created.version, 0)
        XCTAssertEqual(created.rowCount, 0)
        XCTAssertEqual(created.columnIds, [1, 2, 3])
        XCTAssertTrue(try lake.tableExists(TableName(name: "people")))

        let writer = try lake.beginWrite(t)
        try writer.append(LakeTestSupport.peopleBatch(0..<1000))
        try writer.append(LakeTestSupport.peopleBatch(1000..<1500))
        let info = try writer.commit(operation: "WRITE", parameters: "{\"mode\":\"append\"}")
        XCTAssertEqual(info.version, 1)
        XCTAssertEqual(info.rowsAdded, 1500)
        XCTAssertEqual(info.filesAdded, 1)

        let snapshot = try lake.snapshot(of: t)
        XCTAssertEqual(snapshot.version, 1)
        XCTAssertEqual(snapshot.rowCount, 1500)
        XCTAssertEqual(snapshot.files.count, 1)
        XCTAssertEqual(snapshot.files[0].rowCount, 1500)
        XCTAssertGreaterThan(snapshot.files[0].byteSize, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: snapshot.files[0].path))
        XCTAssertTrue(snapshot.files[0].relativePath.hasPrefix("data/\(snapshot.tableUUID)/"))
        XCTAssertEqual(try LakeTestSupport.rows(snapshot), LakeTestSupport.rows(LakeTestSupport.peopleBatch(0..<1500)))

        // Reading a subset of columns in another order.
        let morsels = try snapshot.morsels(matching: [])
        let batch = try snapshot.read(morsels[0], columns: [2, 0])
        XCTAssertEqual(batch.columns.count, 2)
        XCTAssertEqual(batch.columns[0].type, .double)
        XCTAssertEqual(batch.row(0), [.double(0), .bigint(0)])

        // Reopening the lake sees the same state.
        let reopened = try Lake.open(at: lake.path, readOnly: true)
        XCTAssertEqual(try reopened.snapshot(of: t).rowCount, 1500)
        XCTAssertThrowsError(try reopened.beginWrite(t))
    }

    func testWriterRollsOverToNewFiles() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake()
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        let writer = try lake.beginWrite(t)
        writer.targetRowsPerFile = 400
        try writer.append(LakeTestSupport.peopleBatch(0..<1000))
        try writer.commit(operation: "WRITE")
        let snapshot = try lake.snapshot(of: t)
        XCTAssertEqual(snapshot.files.map(\.rowCount), [400, 400, 200])
        XCTAssertEqual(try LakeTestSupport.rows(snapshot), LakeTestSupport.rows(LakeTestSupport.peopleBatch(0..<1000)))
    }

    func testAppendChecksTypesAndNotNull() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake()
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        let writer = try lake.beginWrite(t)
        let wrongType = Batch(columns: [Column.constant(.integer(1), type: .integer, count: 2),
                                        Column.constant(.varchar("a"), type: .varchar, count: 2),
                                        Column.constant(.double(1), type: .double, count: 2)])
        XCTAssertThrowsError(try writer.append(wrongType)) { XCTAssertEqual(($0 as? TarnError)?.kind, .semantic) }
        let nullId = Batch(columns: [Column.nulls(.bigint, count: 2), Column.constant(.null, type: .null, count: 2),
                                     Column.constant(.double(1), type: .double, count: 2)])
        XCTAssertThrowsError(try writer.append(nullId)) { XCTAssertEqual(($0 as? TarnError)?.kind, .constraint) }
        // An untyped NULL column takes the field's type.
        let untyped = Batch(columns: [Column.constant(.bigint(7), type: .bigint, count: 2), Column.nulls(.null, count: 2),
                                      Column.constant(.double(1), type: .double, count: 2)])
        try writer.append(untyped)
        try writer.commit(operation: "WRITE")
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t)), ["7|NULL|1.0", "7|NULL|1.0"])
    }

    func testAbortDeletesWrittenFiles() throws {
        let (lake, path) = try LakeTestSupport.temporaryLake()
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        let writer = try lake.beginWrite(t)
        writer.targetRowsPerFile = 100
        try writer.append(LakeTestSupport.peopleBatch(0..<250))
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path).count, 3, "two finished files and one open")
        writer.abort()
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path).count, 0)
        XCTAssertEqual(try lake.snapshot(of: t).version, 0)
        XCTAssertThrowsError(try writer.commit(operation: "WRITE"))
    }

    func testCreateTableAsSelectIsOneCommit() throws {
        let (lake, path) = try LakeTestSupport.temporaryLake()
        let t = TableName(name: "ctas")
        guard let writer = try lake.beginCreate(t, schema: LakeTestSupport.peopleSchema) else { return XCTFail("expected a writer") }
        try writer.append(LakeTestSupport.peopleBatch(0..<10))
        XCTAssertFalse(try lake.tableExists(t), "the table is invisible until the commit")
        let info = try writer.commit(operation: "CREATE TABLE AS SELECT")
        XCTAssertEqual(info.version, 0)
        XCTAssertEqual(info.rowsAdded, 10)
        XCTAssertEqual(try lake.snapshot(of: t).rowCount, 10)
        XCTAssertEqual(try lake.history(of: t).map(\.operation), ["CREATE TABLE AS SELECT"])

        // IF NOT EXISTS on an existing table: nothing to do.
        XCTAssertNil(try lake.beginCreate(t, schema: LakeTestSupport.peopleSchema, ifNotExists: true))
        XCTAssertThrowsError(try lake.beginCreate(t, schema: LakeTestSupport.peopleSchema)) {
            XCTAssertEqual(($0 as? TarnError)?.message, "table 't' already exists".replacingOccurrences(of: "'t'", with: "'ctas'"))
        }

        // A CTAS aborted leaves no table and no files.
        let other = TableName(name: "ctas2")
        let aborted = try XCTUnwrap(try lake.beginCreate(other, schema: LakeTestSupport.peopleSchema))
        try aborted.append(LakeTestSupport.peopleBatch(0..<10))
        aborted.abort()
        XCTAssertFalse(try lake.tableExists(other))

        // CREATE OR REPLACE … AS: next version of the same table, new schema, old rows gone.
        let schema2 = Schema([Field(name: "k", type: .varchar)])
        let replace = try XCTUnwrap(try lake.beginCreate(t, schema: schema2, orReplace: true))
        XCTAssertTrue(replace.replacesExistingTable)
        try replace.append(Batch(columns: [Column.constant(.varchar("x"), type: .varchar, count: 3)]))
        let replaced = try replace.commit(operation: "CREATE OR REPLACE TABLE AS SELECT")
        XCTAssertEqual(replaced.version, 1)
        XCTAssertEqual(replaced.rowsRemoved, 10)
        let latest = try lake.snapshot(of: t)
        XCTAssertEqual(latest.schema, schema2)
        XCTAssertEqual(latest.columnIds, [4], "replacement columns get fresh ids")
        XCTAssertEqual(try LakeTestSupport.rows(latest), ["x", "x", "x"])
        XCTAssertEqual(try lake.snapshot(of: t, at: .version(0)).schema, LakeTestSupport.peopleSchema)
        _ = path
    }

    func testSchemasAndDropTable() throws {
        let (lake, path) = try LakeTestSupport.temporaryLake()
        XCTAssertEqual(try lake.schemaNames(), ["main"])
        try lake.createSchema("Sales", ifNotExists: false)
        XCTAssertTrue(try lake.schemaExists("sales"))
        XCTAssertThrowsError(try lake.createSchema("sales", ifNotExists: false))
        try lake.createSchema("sales", ifNotExists: true)
        let t = TableName(schema: "sales", name: "orders")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        let w = try lake.beginWrite(t)
        try w.append(LakeTestSupport.peopleBatch(0..<5))
        try w.commit(operation: "WRITE")
        XCTAssertEqual(try lake.tableNames(schema: "sales"), [t])
        XCTAssertEqual(try lake.tableNames(schema: nil), [t])
        XCTAssertEqual(t.description, "sales.orders")
        XCTAssertThrowsError(try lake.createTable(TableName(schema: "nope", name: "x"), schema: LakeTestSupport.peopleSchema))
        XCTAssertThrowsError(try lake.dropSchema("sales", ifExists: false, cascade: false)) {
            XCTAssertTrue(($0 as? TarnError)?.message.contains("not empty") ?? false)
        }
        XCTAssertThrowsError(try lake.dropSchema("main", ifExists: false, cascade: true))
        try lake.dropSchema("sales", ifExists: false, cascade: true)
        XCTAssertFalse(try lake.tableExists(t))
        XCTAssertTrue(LakeTestSupport.dataFilesOnDisk(path).isEmpty)
        try lake.dropSchema("sales", ifExists: true, cascade: false)

        let u = TableName(name: "u")
        try lake.createTable(u, schema: LakeTestSupport.peopleSchema)
        let w2 = try lake.beginWrite(u)
        try w2.append(LakeTestSupport.peopleBatch(0..<5))
        try w2.commit(operation: "WRITE")
        try lake.dropTable(u, ifExists: false)
        XCTAssertFalse(try lake.tableExists(u))
        XCTAssertTrue(LakeTestSupport.dataFilesOnDisk(path).isEmpty)
        try lake.dropTable(u, ifExists: true)
        XCTAssertThrowsError(try lake.dropTable(u, ifExists: false))
    }

    func testErrorsForUnknownNames() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake()
        try lake.createTable(TableName(name: "customers"), schema: LakeTestSupport.peopleSchema)
        XCTAssertThrowsError(try lake.snapshot(of: TableName(name: "customer"))) { error in
            let e = error as? TarnError
            XCTAssertEqual(e?.kind, .semantic)
            XCTAssertEqual(e?.message, "table 'customer' does not exist (did you mean 'customers'?)")
        }
        XCTAssertThrowsError(try lake.snapshot(of: TableName(name: "zzz"))) {
            XCTAssertEqual(($0 as? TarnError)?.message, "table 'zzz' does not exist")
        }
        XCTAssertThrowsError(try lake.history(of: TableName(name: "zzz")))
        XCTAssertThrowsError(try lake.beginWrite(TableName(name: "zzz")))
        XCTAssertThrowsError(try lake.createTable(TableName(name: "dup"), schema: Schema([Field(name: "a", type: .integer), Field(name: "A", type: .integer)])))
        XCTAssertThrowsError(try lake.createTable(TableName(name: "empty"), schema: Schema([])))
    }

    func testViewsShareTheTableNamespace() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake()
        let t = TableName(name: "t"), v = TableName(name: "v")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        try lake.createView(v, sql: "SELECT id FROM t", columnNames: ["id"], orReplace: false, ifNotExists: false)
        XCTAssertEqual(try lake.view(v)?.sql, "SELECT id FROM t")
        XCTAssertEqual(try lake.view(v)?.columnNames, ["id"])
        XCTAssertNil(try lake.view(TableName(name: "nope")))
        XCTAssertEqual(try lake.viewNames(schema: nil), [v])
        XCTAssertEqual(try lake.viewNames(schema: "main"), [v])
        XCTAssertThrowsError(try lake.createView(v, sql: "SELECT 1", columnNames: ["x"], orReplace: false, ifNotExists: false))
        try lake.createView(v, sql: "SELECT 1", columnNames: ["x"], orReplace: false, ifNotExists: true)
        XCTAssertEqual(try lake.view(v)?.sql, "SELECT id FROM t")
        try lake.createView(v, sql: "SELECT 2", columnNames: ["y"], orReplace: true, ifNotExists: false)
        XCTAssertEqual(try lake.view(v)?.sql, "SELECT 2")
        XCTAssertThrowsError(try lake.createView(t, sql: "SELECT 1", columnNames: ["x"], orReplace: true, ifNotExists: false)) {
            XCTAssertEqual(($0 as? TarnError)?.message, "cannot create view 't': a table with that name already exists")
        }
        XCTAssertThrowsError(try lake.createTable(v, schema: LakeTestSupport.peopleSchema)) {
            XCTAssertEqual(($0 as? TarnError)?.message, "cannot create table 'v': a view with that name already exists")
        }
        XCTAssertThrowsError(try lake.snapshot(of: v)) { XCTAssertEqual(($0 as? TarnError)?.message, "'v' is a view, not a table") }
        XCTAssertThrowsError(try lake.dropView(t, ifExists: false))
        try lake.dropView(v, ifExists: false)
        XCTAssertNil(try lake.view(v))
        try lake.dropView(v, ifExists: true)
        XCTAssertThrowsError(try lake.dropView(v, ifExists: false))
    }

    func testExtraCatalogWorkCommitsWithTheVersion() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake()
        try lake.catalog.execute("CREATE TABLE IF NOT EXISTS loaded_files(path TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)

        let w = try lake.beginWrite(t)
        try w.append(LakeTestSupport.peopleBatch(0..<3))
        let info = try w.commit(operation: "COPY INTO", parameters: "{}") { tx in
            try tx.execute("INSERT INTO loaded_files(path, version) VALUES (?, ?)", [.text("a.csv"), .integer(1)])
        }
        XCTAssertEqual(info.version, 1)
        XCTAssertEqual(try lake.catalog.query("SELECT path, version FROM loaded_files"), [[.text("a.csv"), .integer(1)]])

        // A failing extra step rolls back the version too, and deletes the files written.
        let w2 = try lake.beginWrite(t)
        try w2.append(LakeTestSupport.peopleBatch(3..<6))
        XCTAssertThrowsError(try w2.commit(operation: "COPY INTO", parameters: "{}") { tx in
            try tx.execute("INSERT INTO loaded_files(path, version) VALUES (?, ?)", [.text("a.csv"), .integer(2)])
        })
        XCTAssertEqual(try lake.snapshot(of: t).version, 1)
        XCTAssertEqual(try lake.catalog.query("SELECT count(*) FROM loaded_files"), [[.integer(1)]])
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(lake.path), try LakeTestSupport.dataFilesInCatalog(lake))
    }
}
