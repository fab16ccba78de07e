import Foundation
import Storage

/// The loader's own tables in the lake catalog, written in the same SQLite transaction as the table version
/// they describe (`TableWriter.commit(…, extra:)`):
/// - `tarn_loaded_files`: one row per file loaded into a table (identity: table uuid + absolute path);
/// - `tarn_load_rejects`: the records a load did not take, with file, line, column, raw text and reason.
public enum LoadCatalog {
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS tarn_loaded_files(
            table_uuid TEXT NOT NULL, table_name TEXT NOT NULL, path TEXT NOT NULL,
            size INTEGER NOT NULL, modified_at INTEGER NOT NULL, content_hash TEXT NOT NULL,
            version INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,
            loaded_at INTEGER NOT NULL, PRIMARY KEY (table_uuid, path))
        """,
        """
        CREATE TABLE IF NOT EXISTS tarn_load_rejects(
            table_uuid TEXT NOT NULL, table_name TEXT NOT NULL, path TEXT NOT NULL, line INTEGER NOT NULL,
            column_name TEXT, raw TEXT NOT NULL, reason TEXT NOT NULL, version INTEGER NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS tarn_load_rejects_by_table ON tarn_load_rejects(table_uuid, version)",
    ]

    /// A file recorded as loaded.
    public struct LoadedFile: Sendable {
        public var tableName: String
        public var path: String
        public var size: Int64
        public var modifiedAt: Int64
        public var contentHash: String
        public var version: Int64
        public var rowsLoaded: Int64
        public var rowsRejected: Int64
        public var loadedAt: Int64
    }

    /// Creates the tables when missing (a no-op on a read-only lake).
    public static func ensure(_ lake: Lake) throws {
        guard !lake.readOnly else { return }
        if try exists(lake) { return }
        try lake.catalog.writeTransaction { tx in for s in statements { try tx.execute(s) } }
    }

    static func exists(_ lake: Lake) throws -> Bool {
        try !lake.catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_load_rejects'").isEmpty
    }

    /// The catalog uuid of a table (stable across renames, new for a re-created table).
    public static func tableUUID(_ lake: Lake, _ table: TableName) throws -> String? {
        try lake.catalog.query("""
            SELECT t.uuid FROM tables t JOIN schemas s ON s.schema_id = t.schema_id WHERE s.name = ? AND t.name = ?
            """, [.text(table.schema), .text(table.name)]).first?[0].string
    }

    /// Files loaded into the table with `uuid` (all tables when nil), by path.
    public static func loadedFiles(_ lake: Lake, tableUUID uuid: String?) throws -> [LoadedFile] {
        guard try exists(lake) else { return [] }
        let sql = """
            SELECT table_name, path, size, modified_at, content_hash, version, rows_loaded, rows_rejected, loaded_at
            FROM tarn_loaded_files \(uuid == nil ? "" : "WHERE table_uuid = ?") ORDER BY loaded_at, path
            """
        return try lake.catalog.query(sql, uuid.map { [.text($0)] } ?? []).map { r in
            LoadedFile(tableName: r[0].string ?? "", path: r[1].string ?? "", size: r[2].int64 ?? 0, modifiedAt: r[3].int64 ?? 0,
                       contentHash: r[4].string ?? "", version: r[5].int64 ?? 0, rowsLoaded: r[6].int64 ?? 0,
                       rowsRejected: r[7].int64 ?? 0, loadedAt: r[8].int64 ?? 0)
        }
    }

    /// Rejected records of the table with `uuid`, in load order.
    public static func rejects(_ lake: Lake, tableUUID uuid: String) throws -> [(path: String, line: Int64, column: String?, raw: String, reason: String, version: Int64)] {
        guard try exists(lake) else { return [] }
        return try lake.catalog.query("""
            SELECT path, line, column_name, raw, reason, version FROM tarn_load_rejects WHERE table_uuid = ? ORDER BY version, rowid
            """, [.text(uuid)]).map { r in
            (r[0].string ?? "", r[1].int64 ?? 0, r[2].string, r[3].string ?? "", r[4].string ?? "", r[5].int64 ?? 0)
        }
    }

    static func hex(_ hash: UInt64) -> String {
        let s = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
