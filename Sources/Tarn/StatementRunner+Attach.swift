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
        for key in values.keys where key != "type" && key != "read_only" && key != "readonly" {
            throw TarnError.semantic("ATTACH: unknown option '\(key)'")
        }
        let lowered = path.lowercased()
        let implied = lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") ? "postgres"
            : lowered.hasPrefix("mysql://") || lowered.hasPrefix("mariadb://") ? "mysql" : "sqlite"
        let type = values["type"]?.description.lowercased() ?? implied
        let key = alias.lowercased()
        guard key != "tarn" else { throw TarnError.semantic("ATTACH: the name 'tarn' is reserved (tarn.loaded_files)") }
        if session.attachedDatabases[key] != nil { throw TarnError.semantic("a database is already attached as '\(alias)'; DETACH it first") }
        switch type {
        case "postgres", "postgresql":
            let dsn = ConnectionString(path)
            let connection = try PostgresConnection(dsn)
            session.attachedDatabases[key] = AttachedDatabase(alias: alias, path: dsn.redacted, source: .postgres(connection))
            return message("ATTACH")
        case "mysql", "mariadb":
            let dsn = ConnectionString(path)
            let connection = try MySQLConnection(dsn)
            guard let database = try MySQLTable.currentDatabase(connection) else {
                throw TarnError.semantic("ATTACH: MySQL \(dsn.redacted) names no database (mysql://user@host:port/database)")
            }
            session.attachedDatabases[key] = AttachedDatabase(alias: alias, path: dsn.redacted, source: .mysql(connection, database: database))
            return message("ATTACH")
        case "sqlite", "sqlite3":
            break
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
