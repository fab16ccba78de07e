/// A table or view name in the lake: schema (default `main`) and name, both compared case-insensitively.
public struct TableName: Sendable, Hashable, CustomStringConvertible {
    public var schema: String
    public var name: String
    public init(schema: String = TableName.defaultSchema, name: String) {
        self.schema = schema.lowercased()
        self.name = name.lowercased()
    }
    public static let defaultSchema = "main"
    public var description: String { schema == Self.defaultSchema ? name : "\(schema).\(name)" }
}

/// Which version of a table to read.
public enum SnapshotSelector: Sendable, Hashable {
    case latest
    case version(Int64)
    /// The version current at this instant (microseconds since epoch, UTC).
    case timestamp(Int64)
}

/// One committed version of a table, as `DESCRIBE HISTORY` shows it.
public struct VersionInfo: Sendable {
    public var version: Int64
    /// Commit time, microseconds since epoch (UTC).
    public var timestamp: Int64
    /// `CREATE TABLE`, `WRITE` (insert), `DELETE`, `UPDATE`, `ADD COLUMNS`, `RESTORE`, `OVERWRITE`, …
    public var operation: String
    /// Operation parameters as a JSON object text.
    public var parameters: String
    public var rowsAdded: Int
    public var rowsRemoved: Int
    public var filesAdded: Int
    public var filesRemoved: Int
    public init(version: Int64, timestamp: Int64, operation: String, parameters: String, rowsAdded: Int, rowsRemoved: Int, filesAdded: Int, filesRemoved: Int) {
        self.version = version; self.timestamp = timestamp; self.operation = operation; self.parameters = parameters
        self.rowsAdded = rowsAdded; self.rowsRemoved = rowsRemoved; self.filesAdded = filesAdded; self.filesRemoved = filesRemoved
    }
}

/// A stored view: its SQL text is re-parsed and bound each time the view is used.
public struct ViewInfo: Sendable {
    public var name: TableName
    public var sql: String
    public var columnNames: [String]
    public init(name: TableName, sql: String, columnNames: [String]) { self.name = name; self.sql = sql; self.columnNames = columnNames }
}

/// Outcome of a VACUUM.
public struct VacuumResult: Sendable {
    public var filesDeleted: Int
    public var bytesDeleted: Int
    /// Paths (deleted, or that would be with dry run).
    public var paths: [String]
    public init(filesDeleted: Int, bytesDeleted: Int, paths: [String]) { self.filesDeleted = filesDeleted; self.bytesDeleted = bytesDeleted; self.paths = paths }
}
