import Foundation

// CONTRACT STUB — the lake helper replaces these bodies; the public signatures are what the
// Planner and the facade call. Additions are fine; changes must be coordinated.

/// A lake on local disk: immutable data files under `data/` and a transactional SQLite catalog
/// (`catalog.db`) holding schemas, tables, columns, views and every table version (snapshot).
public final class Lake: @unchecked Sendable {
    public let path: String
    public let readOnly: Bool

    init(path: String, readOnly: Bool) { self.path = path; self.readOnly = readOnly }

    /// Opens the lake in `path`, creating the directory and catalog when missing (unless `readOnly`).
    public static func open(at path: String, readOnly: Bool = false) throws -> Lake {
        throw TarnError.unsupported("lake not implemented")
    }

    // MARK: schemas
    public func createSchema(_ name: String, ifNotExists: Bool) throws { throw TarnError.unsupported("todo") }
    public func dropSchema(_ name: String, ifExists: Bool, cascade: Bool) throws { throw TarnError.unsupported("todo") }
    public func schemaNames() throws -> [String] { [] }
    public func schemaExists(_ name: String) throws -> Bool { false }

    // MARK: tables
    /// Creates an empty table (version 0, operation `CREATE TABLE`). `orReplace` replaces an existing one
    /// as a new version of the same table (history kept, like Delta's CREATE OR REPLACE).
    @discardableResult
    public func createTable(_ name: TableName, schema: Schema, ifNotExists: Bool = false, orReplace: Bool = false,
                            properties: [String: String] = [:]) throws -> TableSnapshot { throw TarnError.unsupported("todo") }
    public func dropTable(_ name: TableName, ifExists: Bool) throws { throw TarnError.unsupported("todo") }
    public func tableExists(_ name: TableName) throws -> Bool { false }
    /// Tables of one schema, or of all schemas when nil.
    public func tableNames(schema: String?) throws -> [TableName] { [] }
    /// The table's state at a version; throws a clear error for unknown tables or versions not retained.
    public func snapshot(of name: TableName, at selector: SnapshotSelector = .latest) throws -> TableSnapshot { throw TarnError.unsupported("todo") }
    public func history(of name: TableName) throws -> [VersionInfo] { [] }
    /// Starts a write on the table's latest version. Nothing is visible until `commit`.
    public func beginWrite(_ name: TableName) throws -> TableWriter { throw TarnError.unsupported("todo") }
    /// Makes `selector`'s contents the table's new latest version (operation `RESTORE`).
    @discardableResult
    public func restore(_ name: TableName, to selector: SnapshotSelector) throws -> VersionInfo { throw TarnError.unsupported("todo") }
    /// Deletes data files no version within the retention period needs, and files no version ever committed.
    public func vacuum(_ name: TableName?, retentionHours: Double = 168, dryRun: Bool = false) throws -> VacuumResult { throw TarnError.unsupported("todo") }

    // MARK: views
    public func createView(_ name: TableName, sql: String, columnNames: [String], orReplace: Bool, ifNotExists: Bool) throws { throw TarnError.unsupported("todo") }
    public func dropView(_ name: TableName, ifExists: Bool) throws { throw TarnError.unsupported("todo") }
    public func view(_ name: TableName) throws -> ViewInfo? { nil }
    public func viewNames(schema: String?) throws -> [TableName] { [] }
}

/// A table as of one version: schema and the data files of that version. Immutable; safe to scan from
/// many threads. Scanning splits the table into morsels (one per row group that statistics did not skip).
public final class TableSnapshot: @unchecked Sendable {
    public let name: TableName
    public let version: Int64
    public let schema: Schema
    /// Commit time of this version (microseconds since epoch).
    public let timestamp: Int64

    init(name: TableName, version: Int64, schema: Schema, timestamp: Int64) {
        self.name = name; self.version = version; self.schema = schema; self.timestamp = timestamp
    }

    /// Total rows in this version.
    public var rowCount: Int { 0 }
    /// Total row groups in this version (before skipping).
    public var rowGroupCount: Int { 0 }

    /// The row groups whose statistics may satisfy every predicate (a conjunction); the others are skipped.
    public func morsels(matching predicates: [ColumnPredicate]) throws -> [ScanMorsel] { [] }

    /// Reads the given columns (indices into `schema`) of one morsel. Columns added after the file was
    /// written read as NULL. Damaged data throws `.corruption` naming the file and chunk.
    public func read(_ morsel: ScanMorsel, columns: [Int]) throws -> Batch { throw TarnError.unsupported("todo") }
}

/// One unit of scan work: a row group of a data file.
public struct ScanMorsel: Sendable {
    /// Index into the snapshot's file list.
    public var fileIndex: Int
    public var rowGroup: Int
    public var rowCount: Int
    /// Compressed bytes of the whole row group (for progress and skipping figures).
    public var byteSize: Int
    public init(fileIndex: Int, rowGroup: Int, rowCount: Int, byteSize: Int) {
        self.fileIndex = fileIndex; self.rowGroup = rowGroup; self.rowCount = rowCount; self.byteSize = byteSize
    }
}

/// Collects the changes of one statement to one table and commits them atomically as the next version.
/// Appends from two writers never conflict; removing a file another commit already removed does.
public final class TableWriter: @unchecked Sendable {
    public let base: TableSnapshot
    init(base: TableSnapshot) { self.base = base }

    /// Buffers and writes rows (columns in the base schema's order) into new data files.
    public func append(_ batch: Batch) throws { throw TarnError.unsupported("todo") }
    /// Removes a whole data file of the base snapshot (DELETE / UPDATE rewrite its surviving rows with `append`).
    public func removeFile(at fileIndex: Int) throws { throw TarnError.unsupported("todo") }
    /// Removes every file of the base snapshot (INSERT OVERWRITE, CREATE OR REPLACE … AS).
    public func removeAllFiles() throws { throw TarnError.unsupported("todo") }
    /// Commits as the next version. `parameters` is a JSON object text for the history.
    @discardableResult
    public func commit(operation: String, parameters: String = "{}") throws -> VersionInfo { throw TarnError.unsupported("todo") }
    /// Drops everything written; the table stays as it was.
    public func abort() {}
}
