import Foundation
import Storage
import SQL
import Transforms

/// `ATTACH 'ops.db' AS ops (TYPE sqlite)` / `DETACH ops`: operational SQLite databases readable as `ops.<table>`
/// for the rest of the session (read-only).
extension StatementRunner {
    func attach(_ path: String, _ alias: String, _ options: [String: Expression]) throws -> StatementResult {
        let values = try StatementOptions.values(options, statement: "ATTACH")
        for key in values.keys where key != "type" && key != "read_only" && key != "readonly" {
            throw TarnError.semantic("ATTACH: unknown option '\(key)'")
        }
        let type = values["type"]?.description.lowercased() ?? "sqlite"
        guard type == "sqlite" || type == "sqlite3" else {
            throw TarnError.unsupported("ATTACH: only SQLite databases can be attached (TYPE sqlite), not '\(type)'")
        }
        let key = alias.lowercased()
        guard key != "tarn" else { throw TarnError.semantic("ATTACH: the name 'tarn' is reserved (tarn.loaded_files)") }
        if session.attachedDatabases[key] != nil { throw TarnError.semantic("a database is already attached as '\(alias)'; DETACH it first") }
        guard FileManager.default.fileExists(atPath: path) else { throw TarnError.io("ATTACH: no such database file: \(path)") }
        let source = try SQLiteSource(path: path)
        session.attachedDatabases[key] = AttachedDatabase(alias: alias, path: path, source: source)
        return message("ATTACH")
    }

    func detach(_ alias: String) throws -> StatementResult {
        guard session.attachedDatabases.removeValue(forKey: alias.lowercased()) != nil else {
            throw TarnError.semantic("no database is attached as '\(alias)'")
        }
        return message("DETACH")
    }
}
