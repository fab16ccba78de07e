import Storage

/// Server users, kept in the lake's catalog (`server_users`) as SCRAM-SHA-256 verifiers, never passwords.
public final class UserStore: @unchecked Sendable {
    /// One user: its verifier and whether it may only read.
    public struct User: Sendable, Equatable {
        public var name: String
        public var verifier: ScramVerifier
        public var readOnly: Bool
    }

    let catalog: CatalogDatabase

    public init(catalog: CatalogDatabase) { self.catalog = catalog }

    private func ensureTable() throws {
        try catalog.execute("CREATE TABLE IF NOT EXISTS server_users(name TEXT PRIMARY KEY, verifier TEXT NOT NULL, read_only INTEGER NOT NULL DEFAULT 0)")
    }

    /// Creates or replaces user `name` with a verifier derived from `password`.
    public func setUser(_ name: String, password: String, readOnly: Bool) throws {
        try ensureTable()
        try catalog.execute("INSERT OR REPLACE INTO server_users(name, verifier, read_only) VALUES (?, ?, ?)",
                            [.text(name), .text(Self.verifier(for: password).encoded), .integer(readOnly ? 1 : 0)])
    }

    /// A password written as a SCRAM-SHA-256 verifier is kept as is; anything else is derived.
    static func verifier(for password: String) -> ScramVerifier {
        ScramVerifier(encoded: password) ?? ScramVerifier.make(password: password)
    }

    /// Changes the password and/or the READ ONLY flag of an existing user; false when there is no such user.
    public func alterUser(_ name: String, password: String?, readOnly: Bool?) throws -> Bool {
        guard try user(name) != nil else { return false }
        if let password {
            try catalog.execute("UPDATE server_users SET verifier = ? WHERE name = ?", [.text(Self.verifier(for: password).encoded), .text(name)])
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
        guard let row = try catalog.query("SELECT verifier, read_only FROM server_users WHERE name = ?", [.text(name)]).first,
              row.count == 2, let text = row[0].string, let verifier = ScramVerifier(encoded: text) else { return nil }
        return User(name: name, verifier: verifier, readOnly: (row[1].int64 ?? 0) != 0)
    }

    /// Number of users defined.
    public func count() throws -> Int {
        let exists = try catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_users'")
        guard !exists.isEmpty else { return 0 }
        return Int(try catalog.query("SELECT count(*) FROM server_users").first?.first?.int64 ?? 0)
    }
}
