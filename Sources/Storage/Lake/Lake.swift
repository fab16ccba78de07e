import Foundation

/// A lake on local disk: immutable data files under `data/` and a transactional SQLite catalog
/// (`catalog.db`) holding schemas, tables, columns, views and every table version (snapshot).
///
/// Layout: `catalog.db` (+ WAL files) and `data/<table-uuid>/<file-uuid>.tarn`. Every write is one SQLite
/// transaction (`BEGIN IMMEDIATE`) that adds the table's next version; data files are written and fsynced
/// before it, so a crash leaves each table at its previous or its new version. See `TableWriter` for conflicts
/// and `vacuum` for deleting files. Several processes may open the same lake; readers never block writers.
public final class Lake: @unchecked Sendable {
    public let path: String
    public let readOnly: Bool
    /// The catalog database. Other modules may create their own tables in it (`catalog.execute(ddl)`) and
    /// query them (`catalog.query`); use `TableWriter.commit(operation:parameters:extra:)` to write them
    /// atomically with a table version.
    public let catalog: CatalogDatabase
    /// Table versions this process already loaded (read-only catalog state; see `SnapshotCache`).
    let snapshots = SnapshotCache()
    /// Held shared by every running statement, exclusively by VACUUM (see `LakeActivityLock`).
    public let activity: LakeActivityLock
    /// How long VACUUM waits for running statements before it gives up, changing nothing.
    public var vacuumWaitSeconds: Double = 30

    /// Folder holding the tables' data folders.
    public var dataPath: String { path + "/data" }

    init(path: String, readOnly: Bool, catalog: CatalogDatabase) {
        self.path = path; self.readOnly = readOnly; self.catalog = catalog
        activity = LakeActivityLock(lakePath: path)
    }

    /// Opens the lake in `path`, creating the directory and catalog when missing (unless `readOnly`).
    public static func open(at path: String, readOnly: Bool = false) throws -> Lake {
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        let fm = FileManager.default
        let catalogPath = root + "/catalog.db"
        if readOnly {
            guard fm.fileExists(atPath: catalogPath) else { throw TarnError.io("no lake at \(root): \(catalogPath) does not exist") }
        } else {
            do {
                try fm.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
            } catch {
                throw TarnError.io("cannot create the lake directory \(root): \(error.localizedDescription)")
            }
        }
        let catalog = try CatalogDatabase(path: catalogPath, readOnly: readOnly)
        // An initialized catalog needs no write on open (opening never waits for another process's commit).
        let initialized = (try? catalog.query("SELECT value FROM lake_metadata WHERE key = 'format_version'"))?.isEmpty == false
        if !readOnly && !initialized {
            try catalog.writeTransaction { tx in
                for statement in LakeCatalogSchema.statements { try tx.execute(statement) }
                try tx.execute("INSERT OR IGNORE INTO lake_metadata(key, value) VALUES ('format_version', ?)", [.text(LakeCatalogSchema.formatVersion)])
                try tx.execute("INSERT OR IGNORE INTO schemas(name, created_at) VALUES (?, ?)", [.text(TableName.defaultSchema), .integer(Lake.now())])
            }
        }
        return Lake(path: root, readOnly: readOnly, catalog: catalog)
    }

    /// Current time in microseconds since the epoch.
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }

    func requireWritable() throws {
        if readOnly { throw TarnError(.unsupported, "the lake at \(path) is open read-only") }
    }

    // MARK: tables

    /// Creates an empty table (version 0, operation `CREATE TABLE`). `orReplace` replaces an existing one
    /// as a new version of the same table (history kept, like Delta's CREATE OR REPLACE).
    @discardableResult
    public func createTable(_ name: TableName, schema: Schema, ifNotExists: Bool = false, orReplace: Bool = false,
                            properties: [String: String] = [:]) throws -> TableSnapshot {
        guard let writer = try beginCreate(name, schema: schema, ifNotExists: ifNotExists, orReplace: orReplace, properties: properties) else {
            return try snapshot(of: name)
        }
        let info = try writer.commit(operation: writer.replacesExistingTable ? "CREATE OR REPLACE TABLE" : "CREATE TABLE",
                                     parameters: CatalogEncoding.object(["columns": .int(Int64(schema.count))]))
        return try snapshot(of: name, at: .version(info.version))
    }

    /// Starts a CREATE TABLE … AS (CTAS): returns a writer on the new (not yet visible) table whose `commit`
    /// creates the table and its first data in one catalog transaction — version 0 for a new table, or the next
    /// version of an existing one with `orReplace` (its old files removed, its history kept).
    /// Returns nil when the table exists and `ifNotExists` is set (nothing to do). If another process creates
    /// the table before `commit`, the commit fails with `.conflict` (or, with `ifNotExists`, discards its data and
    /// returns the existing latest version).
    public func beginCreate(_ name: TableName, schema: Schema, ifNotExists: Bool = false, orReplace: Bool = false,
                            properties: [String: String] = [:]) throws -> TableWriter? {
        try requireWritable()
        try Lake.validate(schema, table: name)
        return try catalog.readTransaction { tx -> TableWriter? in
            guard try schemaId(tx, name.schema) != nil else {
                throw TarnError.semantic("schema '\(name.schema)' does not exist" + NameSuggestion.hint(for: name.schema, among: try schemaNames(tx)))
            }
            if try viewId(tx, name) != nil { throw TarnError.semantic("cannot create table '\(name)': a view with that name already exists") }
            if let record = try tableRecord(tx, name) {
                if ifNotExists && !orReplace { return nil }
                guard orReplace else { throw TarnError.semantic("table '\(name)' already exists") }
                let base = try loadSnapshot(tx, name, record, version: try latestVersion(tx, record))
                let ids = (0..<schema.count).map { base.nextColumnId + Int32($0) }
                return TableWriter(lake: self, base: base, mode: .replace(schema: schema, columnIds: ids, properties: properties))
            }
            let uuid = UUID().uuidString.lowercased()
            let ids = (0..<schema.count).map { Int32($0 + 1) }
            let base = TableSnapshot(name: name, version: -1, schema: schema, columnIds: ids, timestamp: 0, files: [],
                                     tableId: -1, tableUUID: uuid, nextColumnId: Int32(schema.count + 1))
            return TableWriter(lake: self, base: base, mode: .create(ifNotExists: ifNotExists, properties: properties))
        }
    }

    /// Drops the table and deletes its data files (its history goes with it).
    public func dropTable(_ name: TableName, ifExists: Bool) throws {
        try requireWritable()
        let uuid: String? = try catalog.writeTransaction { tx in
            guard let record = try tableRecord(tx, name) else {
                if ifExists { return nil }
                if try viewId(tx, name) != nil { throw TarnError.semantic("'\(name)' is a view, not a table; use DROP VIEW") }
                throw try unknownTable(tx, name)
            }
            try tx.execute("DELETE FROM tables WHERE table_id = ?", [.integer(record.id)])
            return record.uuid
        }
        if let uuid { try? FileManager.default.removeItem(atPath: dataPath + "/" + uuid) }
    }

    public func tableExists(_ name: TableName) throws -> Bool {
        try catalog.readTransaction { try tableRecord($0, name) != nil }
    }

    /// Tables of one schema, or of all schemas when nil.
    public func tableNames(schema: String?) throws -> [TableName] {
        try catalog.readTransaction { tx in
            let rows: [CatalogRow]
            if let schema {
                rows = try tx.query("SELECT s.name, t.name FROM tables t JOIN schemas s USING (schema_id) WHERE s.name = ? ORDER BY t.name", [.text(schema.lowercased())])
            } else {
                rows = try tx.query("SELECT s.name, t.name FROM tables t JOIN schemas s USING (schema_id) ORDER BY s.name, t.name")
            }
            return rows.map { TableName(schema: $0[0].string ?? "", name: $0[1].string ?? "") }
        }
    }

    /// The table's state at a version; throws a clear error for unknown tables or versions not retained.
    /// Versions already loaded are taken from `snapshots` (see `SnapshotCache`) unless this runs inside a
    /// write transaction.
    public func snapshot(of name: TableName, at selector: SnapshotSelector = .latest) throws -> TableSnapshot {
        let cacheable = !catalog.isInTransaction
        return try catalog.readTransaction { tx in
            let record = try requireTable(tx, name)
            let version = try resolveVersion(tx, name, record, selector)
            if cacheable, let entry = snapshots.entry(tableUUID: record.uuid, version: version) {
                return TableSnapshot(name: name, version: version, cached: entry, tableId: record.id, tableUUID: record.uuid,
                                     nextColumnId: record.nextColumnId)
            }
            let loaded = try loadSnapshot(tx, name, record, version: version)
            guard cacheable else { return loaded }
            let entry = SnapshotCache.Entry(schema: loaded.schema, columnIds: loaded.columnIds, timestamp: loaded.timestamp, files: loaded.files)
            snapshots.store(entry, tableUUID: record.uuid, version: version)
            return TableSnapshot(name: name, version: version, cached: entry, tableId: record.id, tableUUID: record.uuid,
                                 nextColumnId: record.nextColumnId)
        }
    }

    /// The properties given to `createTable` / `beginCreate` (replaced by CREATE OR REPLACE).
    public func properties(of name: TableName) throws -> [String: String] {
        try catalog.readTransaction { tx in
            let record = try requireTable(tx, name)
            let text = try tx.query("SELECT properties FROM tables WHERE table_id = ?", [.integer(record.id)]).first?[0].string ?? "{}"
            return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
    }

    /// Every version of the table, newest first (like Delta's DESCRIBE HISTORY).
    public func history(of name: TableName) throws -> [VersionInfo] {
        try catalog.readTransaction { tx in
            let record = try requireTable(tx, name)
            return try tx.query("""
                SELECT version, committed_at, operation, parameters, rows_added, rows_removed, files_added, files_removed
                FROM snapshots WHERE table_id = ? ORDER BY version DESC
                """, [.integer(record.id)]).map(Lake.versionInfo)
        }
    }

    /// Starts a write on the table's latest version. Nothing is visible until `commit`.
    public func beginWrite(_ name: TableName) throws -> TableWriter {
        try requireWritable()
        let base = try snapshot(of: name)
        let writer = TableWriter(lake: self, base: base, mode: .write)
        writer.usesDeletionVectors = Lake.enablesDeletionVectors(try properties(of: name))
        return writer
    }

    /// The table properties that make DELETE, UPDATE and MERGE record deletion vectors instead of rewriting files.
    public static let deletionVectorProperties = ["deletion_vectors", "delta.enabledeletionvectors"]

    /// The properties a new (or replaced) table starts with: `properties`, plus `deletion_vectors = 'true'` unless
    /// they set deletion vectors either way. New tables mark changed rows deleted by default; `deletion_vectors =
    /// 'false'` turns it off (docs/LAKE.md "Deletion vectors" and "Reader features"). A key with an empty value is
    /// left out, as `setProperties` removes it: `deletion_vectors = ''` makes a table with no such property.
    public static func newTableProperties(_ properties: [String: String]) -> [String: String] {
        var out = properties
        if !properties.keys.contains(where: { deletionVectorProperties.contains($0.lowercased()) }) { out["deletion_vectors"] = "true" }
        return out.filter { !$0.value.isEmpty }
    }

    /// Whether `properties` turn deletion vectors on (`deletion_vectors = 'true'`; Delta's name is accepted too).
    public static func enablesDeletionVectors(_ properties: [String: String]) -> Bool {
        properties.contains { deletionVectorProperties.contains($0.key.lowercased()) && $0.value.lowercased() == "true" }
    }

    /// Makes `selector`'s contents the table's new latest version (operation `RESTORE`).
    @discardableResult
    public func restore(_ name: TableName, to selector: SnapshotSelector) throws -> VersionInfo {
        try requireWritable()
        let target = try snapshot(of: name, at: selector)
        let base = try snapshot(of: name)
        let writer = TableWriter(lake: self, base: base, mode: .restore(target: target))
        var parameters: [String: CatalogEncoding.JSONScalar] = ["version": .int(target.version)]
        if case let .timestamp(t) = selector { parameters["timestamp"] = .string(ValueFormatting.format(timestamp: t)) }
        return try writer.commit(operation: "RESTORE", parameters: CatalogEncoding.object(parameters))
    }
}
