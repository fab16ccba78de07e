import Foundation
import Storage
import SQL
import Transforms
import Connectors

/// `ATTACH 'ops.db' AS ops (TYPE sqlite)`, `ATTACH 'postgresql://…' AS ops (TYPE postgres)`, `ATTACH 'mysql://…' AS crm
/// (TYPE mysql)` / `DETACH ops`: operational databases readable as `ops.<table>` for the rest of the session (read-only).
extension StatementRunner {
    func attach(_ path: String, _ alias: String, _ options: [String: Expression]) throws -> StatementResult {
        let values = try StatementOptions.values(options, statement: "ATTACH")
        for key in values.keys where !["type", "read_only", "readonly", "secret"].contains(key) {
            throw TarnError.semantic("ATTACH: unknown option '\(key)'")
        }
        let secretName = values["secret"].map(Self.optionText)
        let lowered = path.lowercased()
        // Without TYPE: the DSN's scheme, else the named secret's type, else a SQLite file.
        let secretType = try secretName.flatMap { try session.secret($0.lowercased())?.type }
        if let secretName, secretType == nil {
            throw TarnError.semantic("ATTACH: no secret named '\(secretName)' (CREATE SECRET \(secretName) (TYPE postgres, HOST …, USER …, PASSWORD …))")
        }
        let implied = lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") ? "postgres"
            : lowered.hasPrefix("mysql://") || lowered.hasPrefix("mariadb://") ? "mysql" : secretType ?? "sqlite"
        let type = values["type"]?.description.lowercased() ?? implied
        let key = alias.lowercased()
        guard key != "tarn" else { throw TarnError.semantic("ATTACH: the name 'tarn' is reserved (tarn.loaded_files)") }
        if session.attachedDatabases[key] != nil { throw TarnError.semantic("a database is already attached as '\(alias)'; DETACH it first") }
        switch type {
        case "postgres", "postgresql":
            let dsn = try attachSecret(named: secretName, type: "postgres")?.connectionString(overriding: path) ?? ConnectionString(path)
            let connection = try PostgresConnection(dsn)
            session.attachedDatabases[key] = AttachedDatabase(alias: alias, path: dsn.redacted, source: .postgres(connection))
            return message("ATTACH")
        case "mysql", "mariadb":
            let dsn = try attachSecret(named: secretName, type: "mysql")?.connectionString(overriding: path) ?? ConnectionString(path)
            let connection = try MySQLConnection(dsn)
            guard let database = try MySQLTable.currentDatabase(connection) else {
                throw TarnError.semantic("ATTACH: MySQL \(dsn.redacted) names no database (mysql://user@host:port/database)")
            }
            session.attachedDatabases[key] = AttachedDatabase(alias: alias, path: dsn.redacted, source: .mysql(connection, database: database))
            return message("ATTACH")
        case "sqlite", "sqlite3":
            if secretName != nil { throw TarnError.semantic("ATTACH: SECRET is for TYPE postgres or mysql") }
        default:
            throw TarnError.unsupported("ATTACH: TYPE must be sqlite, postgres or mysql, not '\(type)'")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw TarnError.io("ATTACH: no such database file: \(path)") }
        let source = try SQLiteSource(path: path)
        session.attachedDatabases[key] = AttachedDatabase(alias: alias, path: path, source: .sqlite(source))
        return message("ATTACH")
    }

    func detach(_ alias: String) throws -> StatementResult {
        guard session.attachedDatabases.removeValue(forKey: alias.lowercased()) != nil else {
            throw TarnError.semantic("no database is attached as '\(alias)'")
        }
        return message("DETACH")
    }
}
