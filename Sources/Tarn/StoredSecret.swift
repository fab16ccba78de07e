import Foundation
import Storage
import Connectors

/// Connection settings for ATTACH kept under a name (`CREATE SECRET ops (TYPE postgres, HOST …, PASSWORD …)`):
/// the server type and its parameters. The password is handed to the client library only; every listing shows the
/// secret `redacted`.
struct StoredSecret: Sendable {
    var name: String
    /// `postgres` or `mysql`.
    var type: String
    /// Lower-case keys (`host`, `port`, `user`, `password`, `database`, …), values as given.
    var parameters: [String: String]
    /// Kept in the lake's catalog (true) or for the session only (`CREATE TEMPORARY SECRET`).
    var persistent: Bool

    /// The parameters each type accepts (`database` and `dbname` mean the same).
    static let allowedKeys: [String: Set<String>] = [
        "postgres": ["host", "hostaddr", "port", "user", "password", "database", "dbname", "sslmode", "connect_timeout", "application_name"],
        "mysql": ["host", "port", "user", "password", "database", "dbname", "socket"],
    ]

    /// The secret a nameless `CREATE SECRET (TYPE postgres, …)` defines, and ATTACH uses when it names none.
    static func defaultName(_ type: String) -> String { "__default_\(type)" }

    /// `postgres`, `mysql`, or nil for another type.
    static func canonicalType(_ type: String) -> String? {
        switch type.lowercased() {
        case "postgres", "postgresql": return "postgres"
        case "mysql", "mariadb": return "mysql"
        default: return nil
        }
    }

    /// DuckDB's `secret_string` form: `name=ops;type=postgres;host=…;password=redacted;…` (keys sorted).
    var redacted: String {
        let shown = parameters.keys.sorted().map { key in "\(key)=\(key == "password" ? "redacted" : parameters[key] ?? "")" }
        return (["name=\(name)", "type=\(type)"] + shown).joined(separator: ";")
    }

    /// The connection string ATTACH uses: these parameters, with whatever `dsn` names itself taking precedence.
    func connectionString(overriding dsn: String) -> ConnectionString {
        ConnectionString(dsn, over: parameters)
    }
}
