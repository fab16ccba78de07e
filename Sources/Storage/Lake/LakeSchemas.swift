import Foundation

/// Schemas (namespaces) of the lake. `main` always exists and cannot be dropped.
extension Lake {
    public func createSchema(_ name: String, ifNotExists: Bool) throws {
        try requireWritable()
        let name = name.lowercased()
        try catalog.writeTransaction { tx in
            if try schemaId(tx, name) != nil {
                if ifNotExists { return }
                throw TarnError.semantic("schema '\(name)' already exists")
            }
            try tx.execute("INSERT INTO schemas(name, created_at) VALUES (?, ?)", [.text(name), .integer(Lake.now())])
        }
    }

    /// Drops a schema; with `cascade` also its tables (and their data) and views. `main` cannot be dropped.
    public func dropSchema(_ name: String, ifExists: Bool, cascade: Bool) throws {
        try requireWritable()
        let name = name.lowercased()
        if name == TableName.defaultSchema { throw TarnError.semantic("schema '\(name)' cannot be dropped") }
        let droppedFolders: [String] = try catalog.writeTransaction { tx in
            guard let id = try schemaId(tx, name) else {
                if ifExists { return [] }
                throw TarnError.semantic("schema '\(name)' does not exist" + NameSuggestion.hint(for: name, among: try schemaNames(tx)))
            }
            let uuids = try tx.query("SELECT uuid FROM tables WHERE schema_id = ?", [.integer(id)]).compactMap { $0[0].string }
            let views = try tx.query("SELECT count(*) FROM views WHERE schema_id = ?", [.integer(id)]).first?[0].int64 ?? 0
            if !cascade && (uuids.count > 0 || views > 0) {
                throw TarnError.semantic("schema '\(name)' is not empty (\(uuids.count) tables, \(views) views); use DROP SCHEMA \(name) CASCADE")
            }
            try tx.execute("DELETE FROM schemas WHERE schema_id = ?", [.integer(id)])
            return uuids
        }
        for uuid in droppedFolders { try? FileManager.default.removeItem(atPath: dataPath + "/" + uuid) }
    }

    public func schemaNames() throws -> [String] {
        try catalog.readTransaction { try schemaNames($0) }
    }

    public func schemaExists(_ name: String) throws -> Bool {
        try catalog.readTransaction { try schemaId($0, name.lowercased()) != nil }
    }
}
