import Storage

/// Server users, kept in the lake's catalog (`server_users`) as SCRAM-SHA-256 verifiers, never passwords; with
/// `--allow-md5`, also PostgreSQL's md5 verifier of users created or changed while it is on (column `md5`).
public final class UserStore: @unchecked Sendable {
    /// One user: its verifier and whether it may only read.
    public struct User: Sendable, Equatable {
        public var name: String
        public var verifier: ScramVerifier
        public var readOnly: Bool
        /// `md5…` (see `MD5Password`), or nil.
        public var md5: String?
    }

    let catalog: CatalogDatabase

    public init(catalog: CatalogDatabase) { self.catalog = catalog }

    private func ensureTable() throws {
        try catalog.execute("CREATE TABLE IF NOT EXISTS server_users(name TEXT PRIMARY KEY, verifier TEXT NOT NULL, read_only INTEGER NOT NULL DEFAULT 0, md5 TEXT)")
        try ensureMD5Column()
    }

    /// Lakes whose users were stored before md5 support get the column.
    private func ensureMD5Column() throws {
        let columns = try catalog.query("SELECT name FROM pragma_table_info('server_users')").compactMap { $0.first?.string }
        if !columns.contains("md5") { try catalog.execute("ALTER TABLE server_users ADD COLUMN md5 TEXT") }
    }

    /// Creates or replaces user `name` with a verifier derived from `password` (and its md5 verifier when
    /// `storeMD5`, unless the password was given as a SCRAM verifier).
    public func setUser(_ name: String, password: String, readOnly: Bool, storeMD5: Bool = false) throws {
        try ensureTable()
        try catalog.execute("INSERT OR REPLACE INTO server_users(name, verifier, read_only, md5) VALUES (?, ?, ?, ?)",
                            [.text(name), .text(Self.verifier(for: password).encoded), .integer(readOnly ? 1 : 0),
                             Self.md5(name, password, storeMD5)])
    }

    private static func md5(_ name: String, _ password: String, _ store: Bool) -> CatalogValue {
        guard store, ScramVerifier(encoded: password) == nil else { return .null }
        return .text(MD5Password.verifier(user: name, password: password))
    }

    /// A password written as a SCRAM-SHA-256 verifier is kept as is; anything else is derived.
    static func verifier(for password: String) -> ScramVerifier {
        ScramVerifier(encoded: password) ?? ScramVerifier.make(password: password)
    }

    /// Changes the password and/or the READ ONLY flag of an existing user; false when there is no such user.
    public func alterUser(_ name: String, password: String?, readOnly: Bool?, storeMD5: Bool = false) throws -> Bool {
        guard try user(name) != nil else { return false }
        if let password {
            try catalog.execute("UPDATE server_users SET verifier = ?, md5 = ? WHERE name = ?",
                                [.text(Self.verifier(for: password).encoded), Self.md5(name, password, storeMD5), .text(name)])
        }
        if let readOnly {
            try catalog.execute("UPDATE server_users SET read_only = ? WHERE name = ?", [.integer(readOnly ? 1 : 0), .text(name)])
        }
        return true
    }

    /// Removes a user; false when there was none.
    public func dropUser(_ name: String) throws -> Bool {
        guard try user(name) != nil else { return false }
        try catalog.execute("DELETE FROM server_users WHERE name = ?", [.text(name)])
        return true
    }

    /// The user named `name`, or nil when unknown (or when no user was ever created).
    public func user(_ name: String) throws -> User? {
        let exists = try catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_users'")
        guard !exists.isEmpty else { return nil }
        try ensureMD5Column()
        guard let row = try catalog.query("SELECT verifier, read_only, md5 FROM server_users WHERE name = ?", [.text(name)]).first,
              row.count == 3, let text = row[0].string, let verifier = ScramVerifier(encoded: text) else { return nil }
        return User(name: name, verifier: verifier, readOnly: (row[1].int64 ?? 0) != 0, md5: row[2].string)
    }

    /// Number of users defined.
    public func count() throws -> Int {
        let exists = try catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_users'")
        guard !exists.isEmpty else { return 0 }
        return Int(try catalog.query("SELECT count(*) FROM server_users").first?.first?.int64 ?? 0)
    }
}
