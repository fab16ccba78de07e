import Foundation

/// Views: SQL text and column names stored in the catalog. Views and tables share one namespace per schema.
extension Lake {
    public func createView(_ name: TableName, sql: String, columnNames: [String], orReplace: Bool, ifNotExists: Bool) throws {
        try requireWritable()
        try catalog.writeTransaction { tx in
            guard let schemaId = try schemaId(tx, name.schema) else {
                throw TarnError.semantic("schema '\(name.schema)' does not exist" + NameSuggestion.hint(for: name.schema, among: try schemaNames(tx)))
            }
            if try tableRecord(tx, name) != nil {
                throw TarnError.semantic("cannot create view '\(name)': a table with that name already exists")
            }
            if let existing = try viewId(tx, name) {
                if ifNotExists { return }
                guard orReplace else { throw TarnError.semantic("view '\(name)' already exists") }
                try tx.execute("DELETE FROM views WHERE view_id = ?", [.integer(existing)])
            }
            try tx.execute("INSERT INTO views(schema_id, name, sql, column_names, created_at) VALUES (?, ?, ?, ?, ?)",
                           [.integer(schemaId), .text(name.name), .text(sql), .text(CatalogEncoding.encodeStrings(columnNames)), .integer(Lake.now())])
        }
    }

    public func dropView(_ name: TableName, ifExists: Bool) throws {
        try requireWritable()
        try catalog.writeTransaction { tx in
            guard let id = try viewId(tx, name) else {
                if ifExists { return }
                if try tableRecord(tx, name) != nil { throw TarnError.semantic("'\(name)' is a table, not a view; use DROP TABLE") }
                let candidates = try tx.query("SELECT v.name FROM views v JOIN schemas s USING (schema_id) WHERE s.name = ?", [.text(name.schema)]).compactMap { $0[0].string }
                throw TarnError.semantic("view '\(name)' does not exist" + NameSuggestion.hint(for: name.name, among: candidates))
            }
            try tx.execute("DELETE FROM views WHERE view_id = ?", [.integer(id)])
        }
    }

    /// The stored view, or nil when there is none of that name.
    public func view(_ name: TableName) throws -> ViewInfo? {
        guard let row = try catalog.query("SELECT v.sql, v.column_names FROM views v JOIN schemas s USING (schema_id) WHERE s.name = ? AND v.name = ?",
                                          [.text(name.schema), .text(name.name)]).first else { return nil }
        return ViewInfo(name: name, sql: row[0].string ?? "", columnNames: CatalogEncoding.decodeStrings(row[1].string ?? "[]"))
    }

    /// Views of one schema, or of all schemas when nil.
    public func viewNames(schema: String?) throws -> [TableName] {
        let rows: [CatalogRow]
        if let schema {
            rows = try catalog.query("SELECT s.name, v.name FROM views v JOIN schemas s USING (schema_id) WHERE s.name = ? ORDER BY v.name", [.text(schema.lowercased())])
        } else {
            rows = try catalog.query("SELECT s.name, v.name FROM views v JOIN schemas s USING (schema_id) ORDER BY s.name, v.name")
        }
        return rows.map { TableName(schema: $0[0].string ?? "", name: $0[1].string ?? "") }
    }
}
