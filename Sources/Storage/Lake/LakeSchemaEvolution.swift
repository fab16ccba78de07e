/// ALTER TABLE … ADD / DROP / RENAME COLUMN: each is a new version that changes only the schema, never the data.
/// Files map to table columns by column id, so files written before an ADD COLUMN read the new column as NULL,
/// a dropped column's data is ignored, and a renamed column keeps its data. Old versions keep their old schema.
extension Lake {
    /// Adds a column at the end (operation `ADD COLUMNS`). A NOT NULL column can only be added to an empty table.
    @discardableResult
    public func addColumn(_ table: TableName, field: Field) throws -> VersionInfo {
        try requireWritable()
        let base = try snapshot(of: table)
        if let existing = base.schema.index(of: field.name) {
            throw TarnError.semantic("column '\(base.schema.fields[existing].name)' already exists in table '\(table)'")
        }
        guard !field.name.isEmpty else { throw TarnError.semantic("a column name cannot be empty") }
        if !field.nullable && base.rowCount > 0 {
            throw TarnError.semantic("cannot add NOT NULL column '\(field.name)' to table '\(table)': its existing rows would be NULL")
        }
        let id = base.nextColumnId
        let writer = TableWriter(lake: self, base: base, mode: .alterSchema(schema: Schema(base.schema.fields + [field]),
                                                                              columnIds: base.columnIds + [id], nextColumnId: id + 1))
        return try writer.commit(operation: "ADD COLUMNS", parameters: CatalogEncoding.object(["column": .string(field.name), "type": .string(field.type.description)]))
    }

    /// Drops a column (operation `DROP COLUMNS`); its data stays in old files for older versions.
    @discardableResult
    public func dropColumn(_ table: TableName, column: String) throws -> VersionInfo {
        try requireWritable()
        let base = try snapshot(of: table)
        guard let index = base.schema.index(of: column) else { throw unknownColumn(column, in: base) }
        guard base.schema.count > 1 else { throw TarnError.semantic("cannot drop '\(column)', the only column of table '\(table)'") }
        var fields = base.schema.fields, ids = base.columnIds
        let dropped = fields.remove(at: index)
        ids.remove(at: index)
        let writer = TableWriter(lake: self, base: base, mode: .alterSchema(schema: Schema(fields), columnIds: ids, nextColumnId: base.nextColumnId))
        return try writer.commit(operation: "DROP COLUMNS", parameters: CatalogEncoding.object(["column": .string(dropped.name)]))
    }

    /// Renames a column (operation `RENAME COLUMN`); its data and column id stay.
    @discardableResult
    public func renameColumn(_ table: TableName, from oldName: String, to newName: String) throws -> VersionInfo {
        try requireWritable()
        let base = try snapshot(of: table)
        guard let index = base.schema.index(of: oldName) else { throw unknownColumn(oldName, in: base) }
        guard !newName.isEmpty else { throw TarnError.semantic("a column name cannot be empty") }
        if let clash = base.schema.index(of: newName), clash != index {
            throw TarnError.semantic("column '\(base.schema.fields[clash].name)' already exists in table '\(table)'")
        }
        var fields = base.schema.fields
        let old = fields[index].name
        fields[index].name = newName
        let writer = TableWriter(lake: self, base: base, mode: .alterSchema(schema: Schema(fields), columnIds: base.columnIds, nextColumnId: base.nextColumnId))
        return try writer.commit(operation: "RENAME COLUMN", parameters: CatalogEncoding.object(["from": .string(old), "to": .string(newName)]))
    }

    private func unknownColumn(_ column: String, in snapshot: TableSnapshot) -> TarnError {
        TarnError.semantic("column '\(column)' does not exist in table '\(snapshot.name)'" + NameSuggestion.hint(for: column, among: snapshot.schema.names))
    }
}
