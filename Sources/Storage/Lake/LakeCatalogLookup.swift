/// Catalog lookups shared by the lake's operations, each run inside a caller's transaction: schema, table and
/// view records, version resolution for time travel, and loading a snapshot's files.
extension Lake {
    /// A table's catalog row.
    struct TableRecord {
        var id: Int64
        var uuid: String
        var nextColumnId: Int32
        var oldestReadableVersion: Int64
        var createdAt: Int64
    }

    func schemaId(_ tx: CatalogTransaction, _ name: String) throws -> Int64? {
        try tx.query("SELECT schema_id FROM schemas WHERE name = ?", [.text(name)]).first?[0].int64
    }

    func schemaNames(_ tx: CatalogTransaction) throws -> [String] {
        try tx.query("SELECT name FROM schemas ORDER BY name").compactMap { $0[0].string }
    }

    func tableRecord(_ tx: CatalogTransaction, _ name: TableName) throws -> TableRecord? {
        guard let row = try tx.query("""
            SELECT t.table_id, t.uuid, t.next_column_id, t.oldest_readable_version, t.created_at
            FROM tables t JOIN schemas s USING (schema_id) WHERE s.name = ? AND t.name = ?
            """, [.text(name.schema), .text(name.name)]).first else { return nil }
        return try Lake.tableRecord(row)
    }

    func tableRecord(_ tx: CatalogTransaction, id: Int64) throws -> TableRecord? {
        guard let row = try tx.query("""
            SELECT table_id, uuid, next_column_id, oldest_readable_version, created_at FROM tables WHERE table_id = ?
            """, [.integer(id)]).first else { return nil }
        return try Lake.tableRecord(row)
    }

    private static func tableRecord(_ row: CatalogRow) throws -> TableRecord {
        guard let id = row[0].int64, let uuid = row[1].string, let next = row[2].int64.flatMap({ Int32(exactly: $0) }),
              let oldest = row[3].int64, let created = row[4].int64 else {
            throw TarnError.corruption("the lake catalog holds a damaged table record")
        }
        return TableRecord(id: id, uuid: uuid, nextColumnId: next, oldestReadableVersion: oldest, createdAt: created)
    }

    func viewId(_ tx: CatalogTransaction, _ name: TableName) throws -> Int64? {
        try tx.query("SELECT v.view_id FROM views v JOIN schemas s USING (schema_id) WHERE s.name = ? AND v.name = ?",
                     [.text(name.schema), .text(name.name)]).first?[0].int64
    }

    func requireTable(_ tx: CatalogTransaction, _ name: TableName) throws -> TableRecord {
        if let record = try tableRecord(tx, name) { return record }
        throw try unknownTable(tx, name)
    }

    func unknownTable(_ tx: CatalogTransaction, _ name: TableName) throws -> TarnError {
        if try viewId(tx, name) != nil { return TarnError.semantic("'\(name)' is a view, not a table") }
        let candidates = try tx.query("SELECT t.name FROM tables t JOIN schemas s USING (schema_id) WHERE s.name = ?",
                                      [.text(name.schema)]).compactMap { $0[0].string }
        let prefix = name.schema == TableName.defaultSchema ? "" : name.schema + "."
        let hint = NameSuggestion.closest(to: name.name, among: candidates).map { " (did you mean '\(prefix)\($0)'?)" } ?? ""
        return TarnError.semantic("table '\(name)' does not exist" + hint)
    }

    func latestVersion(_ tx: CatalogTransaction, _ record: TableRecord) throws -> Int64 {
        guard let v = try tx.query("SELECT max(version) FROM snapshots WHERE table_id = ?", [.integer(record.id)]).first?[0].int64 else {
            throw TarnError.corruption("the lake catalog has no version for table #\(record.id)")
        }
        return v
    }

    func resolveVersion(_ tx: CatalogTransaction, _ name: TableName, _ record: TableRecord, _ selector: SnapshotSelector) throws -> Int64 {
        let latest = try latestVersion(tx, record)
        let version: Int64
        switch selector {
        case .latest:
            return latest
        case let .version(v):
            guard v >= 0, v <= latest else {
                throw TarnError.semantic("version \(v) of table '\(name)' does not exist (versions are 0 to \(latest))")
            }
            version = v
        case let .timestamp(t):
            guard let v = try tx.query("SELECT max(version) FROM snapshots WHERE table_id = ? AND committed_at <= ?",
                                       [.integer(record.id), .integer(t)]).first?[0].int64 else {
                let created = try tx.query("SELECT committed_at FROM snapshots WHERE table_id = ? ORDER BY version LIMIT 1",
                                           [.integer(record.id)]).first?[0].int64 ?? record.createdAt
                throw TarnError.semantic("timestamp \(ValueFormatting.format(timestamp: t)) is before table '\(name)' was created (\(ValueFormatting.format(timestamp: created)))")
            }
            version = v
        }
        if version < record.oldestReadableVersion {
            throw TarnError.semantic("version \(version) of table '\(name)' is no longer available: VACUUM deleted its data files (the oldest readable version is \(record.oldestReadableVersion))")
        }
        return version
    }

    func loadSnapshot(_ tx: CatalogTransaction, _ name: TableName, _ record: TableRecord, version: Int64) throws -> TableSnapshot {
        guard let row = try tx.query("SELECT committed_at, schema_json FROM snapshots WHERE table_id = ? AND version = ?",
                                     [.integer(record.id), .integer(version)]).first,
              let timestamp = row[0].int64, let schemaText = row[1].string else {
            throw TarnError.semantic("version \(version) of table '\(name)' does not exist")
        }
        try requireReaderFeatures(tx, name, tableId: record.id)
        let (schema, ids) = try CatalogEncoding.decodeSchema(schemaText)
        var files = try tx.query("""
            SELECT file_id, path, row_count, byte_size, row_group_count, column_stats, added_version FROM data_files
            WHERE table_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?) ORDER BY file_id
            """, [.integer(record.id), .integer(version), .integer(version)]).map { r -> DataFileInfo in
            guard let id = r[0].int64, let rel = r[1].string, let rows = r[2].int64, let bytes = r[3].int64,
                  let groups = r[4].int64, let added = r[6].int64 else {
                throw TarnError.corruption("the lake catalog holds a damaged data file record for table '\(name)'")
            }
            return DataFileInfo(path: path + "/" + rel, relativePath: rel, rowCount: Int(rows), byteSize: Int(bytes),
                                rowGroupCount: Int(groups), addedVersion: added,
                                columnStatistics: CatalogEncoding.decodeStatistics(r[5].string ?? ""), fileId: id)
        }
        let vectors = try deletionVectors(tx, tableId: record.id, condition: "f.added_version <= ? AND (f.removed_version IS NULL OR f.removed_version > ?)",
                                          [.integer(version), .integer(version)])
        if !vectors.isEmpty {
            for i in files.indices { files[i].deletionVector = vectors[files[i].fileId] }
        }
        return TableSnapshot(name: name, version: version, schema: schema, columnIds: ids, timestamp: timestamp, files: files,
                             tableId: record.id, tableUUID: record.uuid, nextColumnId: record.nextColumnId)
    }

    /// Whether the catalog has the `deletion_vectors` table (lakes made before it have none until their first one).
    func hasDeletionVectorTable(_ tx: CatalogTransaction) throws -> Bool {
        !(try tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'deletion_vectors'").isEmpty)
    }

    /// The deletion vectors of the table's file entries (`data_files` aliased `f`) satisfying `condition`, by file id.
    func deletionVectors(_ tx: CatalogTransaction, tableId: Int64, condition: String, _ parameters: [CatalogValue]) throws -> [Int64: DeletionVector] {
        guard try hasDeletionVectorTable(tx) else { return [:] }
        var out: [Int64: DeletionVector] = [:]
        for r in try tx.query("""
            SELECT d.file_id, d.physical_rows, d.deleted_rows, d.positions, f.path, f.row_count FROM deletion_vectors d
            JOIN data_files f ON f.file_id = d.file_id WHERE f.table_id = ? AND \(condition)
            """, [.integer(tableId)] + parameters) {
            let file = r[4].string ?? "?"
            guard let id = r[0].int64, let physical = r[1].int64, let deleted = r[2].int64, let text = r[3].string,
                  let live = r[5].int64, live + deleted == physical else {
                throw TarnError.corruption("the lake catalog holds a damaged deletion vector record for \(file)")
            }
            out[id] = try DeletionVector.decode(text, physicalRows: Int(physical), count: Int(deleted), file: file)
        }
        return out
    }

    static func versionInfo(_ r: CatalogRow) -> VersionInfo {
        VersionInfo(version: r[0].int64 ?? 0, timestamp: r[1].int64 ?? 0, operation: r[2].string ?? "", parameters: r[3].string ?? "{}",
                    rowsAdded: Int(r[4].int64 ?? 0), rowsRemoved: Int(r[5].int64 ?? 0),
                    filesAdded: Int(r[6].int64 ?? 0), filesRemoved: Int(r[7].int64 ?? 0))
    }

    /// Checks a table schema: at least one column, non-empty unique names.
    static func validate(_ schema: Schema, table: TableName) throws {
        guard !schema.fields.isEmpty else { throw TarnError.semantic("table '\(table)' must have at least one column") }
        var seen = Set<String>()
        for f in schema.fields {
            guard !f.name.isEmpty else { throw TarnError.semantic("table '\(table)' has a column with an empty name") }
            guard seen.insert(f.name.lowercased()).inserted else {
                throw TarnError.semantic("table '\(table)' has two columns named '\(f.name)'")
            }
            try validateStorable(f, table: table)
        }
    }

    /// The file format records up to seven levels of array nesting: deeper types are refused before anything is written.
    static func validateStorable(_ field: Field, table: TableName) throws {
        if DataTypeTag.arrayDepth(field.type) > DataTypeTag.maxArrayDepth {
            throw TarnError.semantic("column '\(field.name)' of table '\(table)' has type \(field.type): at most \(DataTypeTag.maxArrayDepth) levels of arrays can be stored")
        }
        // ROW / MAP types are stored as their text, which must read back as the same type.
        if field.type.containsRowOrMap, DataType.parse(field.type.description) != field.type {
            throw TarnError.semantic("column '\(field.name)' of table '\(table)' has type \(field.type), which cannot be stored (at most \(DataType.maxTypeNesting) levels of nesting)")
        }
    }
}
