/// One version's changed rows of one kind, readable as a snapshot (the table's schema at the range's end; files
/// written before a column was added read it as NULL).
public struct TableChange: Sendable {
    public let version: Int64
    /// Commit time of the version (microseconds since the epoch).
    public let timestamp: Int64
    public let kind: ChangeKind
    public let rows: TableSnapshot
}

extension Lake {
    /// The change data feed of `name` for versions `from...to` (to: the latest), oldest first: the rows each
    /// version inserted, deleted or updated (before and after). DELETE, UPDATE and MERGE recorded their rows when
    /// they committed; a version that only added files (INSERT, COPY INTO, CTAS) inserted their rows; one that
    /// removed or replaced whole files (DELETE without WHERE, INSERT OVERWRITE, RESTORE) deleted the removed
    /// files' rows and inserted the added ones; OPTIMIZE and schema changes change no row.
    public func changes(of name: TableName, from: Int64, to: Int64? = nil) throws -> (schema: TableSnapshot, changes: [TableChange]) {
        try catalog.readTransaction { tx in
            let record = try requireTable(tx, name)
            let latest = try tx.query("SELECT max(version) FROM snapshots WHERE table_id = ?", [.integer(record.id)]).first?[0].int64 ?? 0
            let end = to ?? latest
            guard from >= 0, from <= end else {
                throw TarnError.semantic("table_changes: the start version \(from) must be between 0 and the end version \(end)")
            }
            guard end <= latest else {
                throw TarnError.semantic("table_changes: table '\(name)' has no version \(end) (the latest is \(latest))")
            }
            // A vacuumed version's removed files are gone, and with them the rows it deleted.
            if record.oldestReadableVersion > 0 && from <= record.oldestReadableVersion {
                throw TarnError.semantic("table_changes: the changes of table '\(name)' before version \(record.oldestReadableVersion + 1) "
                                         + "are no longer available: VACUUM deleted the files they need")
            }
            let shape = try loadSnapshot(tx, name, record, version: end)
            let hasChangeFiles = !(try tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'change_files'").isEmpty)
            let versions = try tx.query("SELECT version, committed_at, operation FROM snapshots WHERE table_id = ? AND version BETWEEN ? AND ? ORDER BY version",
                                        [.integer(record.id), .integer(from), .integer(end)])
            var out: [TableChange] = []
            func change(_ version: Int64, _ timestamp: Int64, _ kind: ChangeKind, _ files: [DataFileInfo]) {
                guard !files.isEmpty else { return }
                out.append(TableChange(version: version, timestamp: timestamp, kind: kind,
                                       rows: TableSnapshot(name: name, version: version, schema: shape.schema, columnIds: shape.columnIds,
                                                           timestamp: timestamp, files: files, tableId: record.id, tableUUID: record.uuid,
                                                           nextColumnId: record.nextColumnId)))
            }
            for row in versions {
                guard let version = row[0].int64, let timestamp = row[1].int64 else { continue }
                let operation = row[2].string ?? ""
                if hasChangeFiles {
                    let recorded = try tx.query("SELECT change_type, path, row_count, byte_size, row_group_count FROM change_files WHERE table_id = ? AND version = ? ORDER BY rowid",
                                                [.integer(record.id), .integer(version)])
                    if !recorded.isEmpty {
                        for kind in ChangeKind.allCases {
                            change(version, timestamp, kind, recorded.filter { $0[0].string == kind.rawValue }.map { r in
                                let rel = r[1].string ?? ""
                                return DataFileInfo(path: path + "/" + rel, relativePath: rel, rowCount: Int(r[2].int64 ?? 0),
                                                    byteSize: Int(r[3].int64 ?? 0), rowGroupCount: Int(r[4].int64 ?? 0),
                                                    addedVersion: version, columnStatistics: [:], fileId: -1)
                            })
                        }
                        continue
                    }
                }
                if operation == "OPTIMIZE" { continue }
                let added = try files(tx, record.id, "added_version = ?", version)
                let removed = try files(tx, record.id, "removed_version = ?", version)
                if ["DELETE", "UPDATE", "MERGE"].contains(operation) && !added.isEmpty && !removed.isEmpty {
                    throw TarnError.semantic("table_changes: version \(version) of table '\(name)' (\(operation)) was written before Tarn "
                                             + "recorded changed rows; start the range after it")
                }
                change(version, timestamp, .delete, removed)
                change(version, timestamp, .insert, added)
            }
            return (shape, out)
        }
    }

    private func files(_ tx: CatalogTransaction, _ tableId: Int64, _ condition: String, _ version: Int64) throws -> [DataFileInfo] {
        let vectors = try deletionVectors(tx, tableId: tableId, condition: "f." + condition, [.integer(version)])
        return try tx.query("SELECT file_id, path, row_count, byte_size, row_group_count, added_version FROM data_files WHERE table_id = ? AND \(condition) ORDER BY file_id",
                     [.integer(tableId), .integer(version)]).map { r in
            let rel = r[1].string ?? ""
            return DataFileInfo(path: path + "/" + rel, relativePath: rel, rowCount: Int(r[2].int64 ?? 0), byteSize: Int(r[3].int64 ?? 0),
                                rowGroupCount: Int(r[4].int64 ?? 0), addedVersion: r[5].int64 ?? 0, columnStatistics: [:], fileId: r[0].int64 ?? -1,
                                deletionVector: vectors[r[0].int64 ?? -1])
        }
    }
}
