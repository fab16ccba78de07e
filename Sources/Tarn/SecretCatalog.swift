import Foundation
import Storage

/// The catalog table `tarn_secrets` (name, type, parameters as JSON, created_at) behind persistent secrets. The
/// password is stored as given, in the lake's SQLite catalog: whoever can read the lake's folder can read it, as with
/// DuckDB's persistent secrets in `~/.duckdb/stored_secrets`.
enum SecretCatalog {
    static let create = """
        CREATE TABLE IF NOT EXISTS tarn_secrets(name TEXT PRIMARY KEY, type TEXT NOT NULL, parameters TEXT NOT NULL, created_at INTEGER NOT NULL)
        """

    static func exists(_ lake: Lake) throws -> Bool {
        try !lake.catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_secrets'").isEmpty
    }

    /// Stores `secret`; with `replace` an existing one of that name is overwritten, else it is an error.
    static func store(_ lake: Lake, _ secret: StoredSecret, replace: Bool) throws {
        let data = try JSONSerialization.data(withJSONObject: secret.parameters, options: [.sortedKeys])
        try lake.catalog.writeTransaction { tx in
            try tx.execute(create)
            if !replace, try !tx.query("SELECT 1 FROM tarn_secrets WHERE name = ?", [.text(secret.name)]).isEmpty {
                throw TarnError.semantic("a secret named '\(secret.name)' already exists (CREATE OR REPLACE SECRET, or DROP SECRET \(secret.name))")
            }
            try tx.execute("INSERT OR REPLACE INTO tarn_secrets(name, type, parameters, created_at) VALUES (?, ?, ?, ?)",
                           [.text(secret.name), .text(secret.type), .text(String(decoding: data, as: UTF8.self)),
                            .integer(Int64(Date().timeIntervalSince1970 * 1_000_000))])
        }
    }

    /// Removes secret `name`; false when there is none.
    static func drop(_ lake: Lake, _ name: String) throws -> Bool {
        guard try exists(lake) else { return false }
        return try lake.catalog.writeTransaction { tx in
            let found = try !tx.query("SELECT 1 FROM tarn_secrets WHERE name = ?", [.text(name)]).isEmpty
            if found { try tx.execute("DELETE FROM tarn_secrets WHERE name = ?", [.text(name)]) }
            return found
        }
    }

    static func lookup(_ lake: Lake, _ name: String) throws -> StoredSecret? {
        guard try exists(lake) else { return nil }
        return try lake.catalog.query("SELECT name, type, parameters FROM tarn_secrets WHERE name = ?", [.text(name)]).first.map(decode)
    }

    static func all(_ lake: Lake) throws -> [StoredSecret] {
        guard try exists(lake) else { return [] }
        return try lake.catalog.query("SELECT name, type, parameters FROM tarn_secrets ORDER BY name").map(decode)
    }

    private static func decode(_ row: CatalogRow) -> StoredSecret {
        let json = (try? JSONSerialization.jsonObject(with: Data((row[2].string ?? "{}").utf8))) as? [String: String] ?? [:]
        return StoredSecret(name: row[0].string ?? "", type: row[1].string ?? "", parameters: json, persistent: true)
    }
}
