import Foundation

/// VACUUM: deleting data files no retained version needs.
///
/// With retention `R` hours and `cutoff = now - R`:
/// - a file removed by a commit made at or before `cutoff` is deleted, unless a version still current after the
///   cutoff references the same path (files of the latest version are never deleted);
/// - a file under a table's data folder that no version ever referenced (written by a crashed or still-running
///   writer) is deleted when it was last modified at or before `cutoff`; so is the folder of a table that no
///   longer exists. A retention of 0 is therefore only safe when no writer is running (as in Delta).
/// The catalog change (file records dropped, `oldest_readable_version` raised past every version that needed a
/// deleted file) commits before any file is deleted, so time travel to those versions fails with a clear error
/// rather than a missing file; a crash between the two leaves only unreferenced files for the next VACUUM.
extension Lake {
    /// Deletes data files no version within the retention period needs, and files no version ever committed.
    public func vacuum(_ name: TableName?, retentionHours: Double = 168, dryRun: Bool = false) throws -> VacuumResult {
        if !dryRun { try requireWritable() }
        guard retentionHours >= 0, retentionHours.isFinite else { throw TarnError.semantic("VACUUM retention must be a non-negative number of hours") }
        // No statement may be reading a snapshot that needs these files or writing files it has not committed yet.
        let quiet = dryRun ? nil : try activity.exclusive(timeout: vacuumWaitSeconds)
        defer { quiet?.release() }
        let cutoff = Lake.now() - Int64(retentionHours * 3_600_000_000)
        var result = VacuumResult(filesDeleted: 0, bytesDeleted: 0, paths: [])

        let tables: [(name: TableName?, id: Int64, uuid: String)] = try catalog.readTransaction { tx in
            if let name {
                let record = try requireTable(tx, name)
                try requireKnownReaderFeatures(tx, tableId: record.id)
                return [(name, record.id, record.uuid)]
            }
            try requireKnownReaderFeatures(tx)
            return try tx.query("SELECT table_id, uuid FROM tables ORDER BY table_id").compactMap { row in
                guard let id = row[0].int64, let uuid = row[1].string else { return nil }
                return (nil, id, uuid)
            }
        }
        for table in tables {
            try vacuumRemovedFiles(tableId: table.id, cutoff: cutoff, dryRun: dryRun, into: &result)
            try vacuumOrphans(tableId: table.id, uuid: table.uuid, cutoff: cutoff, dryRun: dryRun, into: &result)
        }
        if name == nil { try vacuumUnknownFolders(known: Set(tables.map(\.uuid)), cutoff: cutoff, dryRun: dryRun, into: &result) }
        return result
    }

    /// Files removed by commits at or before `cutoff` that no newer version needs.
    private func vacuumRemovedFiles(tableId: Int64, cutoff: Int64, dryRun: Bool, into result: inout VacuumResult) throws {
        let body = { (tx: CatalogTransaction) throws -> [(String, Int)] in
            let expired = try tx.query("""
                SELECT f.path, f.byte_size, f.removed_version FROM data_files f
                JOIN snapshots s ON s.table_id = f.table_id AND s.version = f.removed_version
                WHERE f.table_id = ? AND f.removed_version IS NOT NULL AND s.committed_at <= ?
                """, [.integer(tableId), .integer(cutoff)])
            guard !expired.isEmpty else { return [] }
            let needed = Set(try tx.query("""
                SELECT f.path FROM data_files f
                LEFT JOIN snapshots s ON s.table_id = f.table_id AND s.version = f.removed_version
                WHERE f.table_id = ? AND (f.removed_version IS NULL OR s.committed_at > ?)
                """, [.integer(tableId), .integer(cutoff)]).compactMap { $0[0].string })
            var deletable: [String: Int] = [:]
            var newestRemoval: Int64 = -1
            for row in expired {
                guard let path = row[0].string, !needed.contains(path) else { continue }
                deletable[path] = Int(row[1].int64 ?? 0)
                newestRemoval = max(newestRemoval, row[2].int64 ?? -1)
            }
            if !dryRun && !deletable.isEmpty {
                for path in deletable.keys {
                    try tx.execute("DELETE FROM data_files WHERE table_id = ? AND path = ?", [.integer(tableId), .text(path)])
                }
                try tx.execute("UPDATE tables SET oldest_readable_version = max(oldest_readable_version, ?) WHERE table_id = ?",
                               [.integer(newestRemoval), .integer(tableId)])
                // Recorded changes of versions table_changes can no longer start from go with them.
                if !(try tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'change_files'").isEmpty) {
                    for row in try tx.query("SELECT path, byte_size FROM change_files WHERE table_id = ? AND version <= ?",
                                            [.integer(tableId), .integer(newestRemoval)]) {
                        // Only copies under changes/: a record may refer to a data file, whose deletion is the data's own.
                        if let path = row[0].string, path.hasPrefix("changes/") { deletable[path] = Int(row[1].int64 ?? 0) }
                    }
                    try tx.execute("DELETE FROM change_files WHERE table_id = ? AND version <= ?", [.integer(tableId), .integer(newestRemoval)])
                }
            }
            return deletable.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        let files = dryRun ? try catalog.readTransaction(body) : try catalog.writeTransaction(body)
        for (relative, size) in files {
            let full = path + "/" + relative
            if !dryRun {
                do { try FileManager.default.removeItem(atPath: full) } catch { if FileManager.default.fileExists(atPath: full) { continue } }
            }
            result.filesDeleted += 1
            result.bytesDeleted += size
            result.paths.append(full)
        }
    }

    /// Files in the table's folder no version references, last modified at or before `cutoff`.
    private func vacuumOrphans(tableId: Int64, uuid: String, cutoff: Int64, dryRun: Bool, into result: inout VacuumResult) throws {
        let folder = dataPath + "/" + uuid
        let onDisk = Lake.listFiles(folder)
        guard !onDisk.isEmpty else { return }
        let referenced = Set(try catalog.query("SELECT path FROM data_files WHERE table_id = ?", [.integer(tableId)]).compactMap { $0[0].string })
        for file in onDisk where !referenced.contains("data/\(uuid)/\(file.name)") && file.modified <= cutoff {
            delete(folder + "/" + file.name, size: file.size, dryRun: dryRun, into: &result)
        }
    }

    /// Folders under `data/` of tables that no longer exist (dropped, or crashed before creation committed).
    private func vacuumUnknownFolders(known: Set<String>, cutoff: Int64, dryRun: Bool, into result: inout VacuumResult) throws {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: dataPath)) ?? []
        let live = Set(try catalog.query("SELECT uuid FROM tables").compactMap { $0[0].string })
        for folder in folders.sorted() where !known.contains(folder) && !live.contains(folder) {
            let full = dataPath + "/" + folder
            let files = Lake.listFiles(full)
            var remaining = files.count
            for file in files where file.modified <= cutoff {
                delete(full + "/" + file.name, size: file.size, dryRun: dryRun, into: &result)
                remaining -= 1
            }
            if remaining == 0 && !dryRun { try? FileManager.default.removeItem(atPath: full) }
        }
    }

    private func delete(_ file: String, size: Int, dryRun: Bool, into result: inout VacuumResult) {
        if !dryRun {
            guard (try? FileManager.default.removeItem(atPath: file)) != nil else { return }
        }
        result.filesDeleted += 1
        result.bytesDeleted += size
        result.paths.append(file)
    }

    /// Regular files directly in `folder` with size and modification time (microseconds).
    static func listFiles(_ folder: String) -> [(name: String, size: Int, modified: Int64)] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else { return [] }
        return names.sorted().compactMap { name in
            guard let attributes = try? fm.attributesOfItem(atPath: folder + "/" + name),
                  attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = (attributes[.modificationDate] as? Date).map { Int64($0.timeIntervalSince1970 * 1_000_000) } ?? 0
            return (name, size, modified)
        }
    }
}
