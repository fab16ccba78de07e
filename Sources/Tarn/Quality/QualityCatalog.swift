import Foundation
import Storage
import Transforms

/// The catalog tables behind expectations, drop accounting and surrogate keys, written in the same SQLite
/// transaction as the table version they describe (`TableWriter.commit(…, extra:)`):
/// - `tarn_expectations`: each table's expectations (by table uuid), in declaration order;
/// - `tarn_quality_results`: per committed version, rows checked and failed per expectation, and rows each
///   table-function rule dropped;
/// - `tarn_violations`: every row an `ON VIOLATION DROP ROW` expectation dropped, as JSON text;
/// - `tarn_key_maps`: surrogate keys given to natural keys, per dimension (never changed once given).
enum QualityCatalog {
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS tarn_expectations(
            table_uuid TEXT NOT NULL, table_name TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL,
            condition TEXT NOT NULL, action TEXT NOT NULL, PRIMARY KEY (table_uuid, name))
        """,
        """
        CREATE TABLE IF NOT EXISTS tarn_quality_results(
            table_uuid TEXT NOT NULL, table_name TEXT NOT NULL, version INTEGER NOT NULL, source TEXT NOT NULL,
            name TEXT NOT NULL, action TEXT NOT NULL, rows_checked INTEGER NOT NULL, rows_failed INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS tarn_violations(
            table_uuid TEXT NOT NULL, table_name TEXT NOT NULL, version INTEGER NOT NULL, expectation TEXT NOT NULL,
            action TEXT NOT NULL, row_json TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS tarn_violations_by_table ON tarn_violations(table_uuid, version)",
        """
        CREATE TABLE IF NOT EXISTS tarn_key_maps(
            dimension TEXT NOT NULL, natural_key TEXT NOT NULL, surrogate_key INTEGER NOT NULL, assigned_at INTEGER NOT NULL,
            PRIMARY KEY (dimension, natural_key), UNIQUE (dimension, surrogate_key))
        """,
    ]

    /// Creates the tables when missing (cheap after the first call per lake path).
    static func ensure(_ lake: Lake) throws {
        guard !lake.readOnly else { return }
        if try exists(lake) { return }
        try lake.catalog.writeTransaction { tx in for s in statements { try tx.execute(s) } }
    }

    static func exists(_ lake: Lake) throws -> Bool {
        try !lake.catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_key_maps'").isEmpty
    }

    /// A stored expectation.
    struct StoredExpectation: Sendable {
        var name: String
        var condition: String
        var action: String
    }

    static func expectations(_ lake: Lake, tableUUID: String) throws -> [StoredExpectation] {
        guard try exists(lake) else { return [] }
        return try lake.catalog.query("SELECT name, condition, action FROM tarn_expectations WHERE table_uuid = ? ORDER BY position",
                                      [.text(tableUUID)]).map {
            StoredExpectation(name: $0[0].string ?? "", condition: $0[1].string ?? "", action: $0[2].string ?? "KEEP")
        }
    }

    /// Replaces the table's expectations (inside a commit's transaction).
    static func replaceExpectations(_ tx: CatalogTransaction, tableUUID: String, tableName: String, _ list: [StoredExpectation]) throws {
        try tx.execute("DELETE FROM tarn_expectations WHERE table_uuid = ?", [.text(tableUUID)])
        for (i, e) in list.enumerated() {
            try tx.execute("INSERT INTO tarn_expectations(table_uuid, table_name, position, name, condition, action) VALUES (?, ?, ?, ?, ?, ?)",
                           [.text(tableUUID), .text(tableName), .integer(Int64(i)), .text(e.name), .text(e.condition), .text(e.action)])
        }
    }

    /// The uuid and newest version of a table, inside a transaction (after a commit recorded its version).
    static func tableIdentity(_ tx: CatalogTransaction, _ name: TableName) throws -> (uuid: String, version: Int64) {
        guard let row = try tx.query("""
            SELECT t.uuid, (SELECT max(version) FROM snapshots v WHERE v.table_id = t.table_id)
            FROM tables t JOIN schemas s USING (schema_id) WHERE s.name = ? AND t.name = ?
            """, [.text(name.schema), .text(name.name)]).first, let uuid = row[0].string, let version = row[1].int64 else {
            throw TarnError(.internal, "table '\(name)' is not in the catalog after its commit")
        }
        return (uuid, version)
    }

    /// The key map of a dimension and its next free key.
    static func keyMap(_ lake: Lake, dimension: String) throws -> (keys: [String: Int64], next: Int64) {
        guard try exists(lake) else { return ([:], 1) }
        var keys: [String: Int64] = [:]
        var highest: Int64 = 0
        for row in try lake.catalog.query("SELECT natural_key, surrogate_key FROM tarn_key_maps WHERE dimension = ?", [.text(dimension)]) {
            guard let natural = row[0].string, let key = row[1].int64 else { continue }
            keys[natural] = key
            highest = max(highest, key)
        }
        return (keys, highest + 1)
    }

    /// Records new key assignments; a natural key given another key concurrently is a conflict.
    static func recordKeys(_ tx: CatalogTransaction, _ assignments: [DropLedger.KeyAssignment]) throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        for a in assignments {
            if let existing = try tx.query("SELECT surrogate_key FROM tarn_key_maps WHERE dimension = ? AND natural_key = ?",
                                           [.text(a.dimension), .text(a.naturalKey)]).first?[0].int64 {
                if existing == a.key { continue }
                throw TarnError(.conflict, "surrogate key of '\(a.naturalKey)' in dimension \(a.dimension) was assigned concurrently (\(existing)); nothing was written")
            }
            do {
                try tx.execute("INSERT INTO tarn_key_maps(dimension, natural_key, surrogate_key, assigned_at) VALUES (?, ?, ?, ?)",
                               [.text(a.dimension), .text(a.naturalKey), .integer(a.key), .integer(now)])
            } catch {
                throw TarnError(.conflict, "surrogate key \(a.key) of dimension \(a.dimension) was given to another natural key concurrently; nothing was written")
            }
        }
    }
}
