import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What happened to a row in a version, as Delta's change data feed names it (`_change_type`).
public enum ChangeKind: String, Sendable, CaseIterable {
    case insert
    case delete
    case updatePreimage = "update_preimage"
    case updatePostimage = "update_postimage"
}

/// The rows a DELETE, UPDATE or MERGE changed, written at commit time beside the table's data files (in
/// `changes/<table-uuid>/`, which VACUUM's orphan sweep of `data/` never touches) and recorded in the catalog's
/// `change_files` in the same transaction as the version, so `table_changes` reads them instead of diffing files.
final class ChangeFileSet {
    private let lakePath: String
    private let folderRelativePath: String
    private let schema: Schema
    private let options: WriterOptions
    private var openFiles: [ChangeKind: (writer: DataFileWriter, relativePath: String)] = [:]
    /// Files recorded as changes; `owned` is false for a data file of the table referred to (`refer(to:…)`), which
    /// the data file's own lifecycle (the writer, VACUUM) creates and deletes.
    private var finished: [(kind: ChangeKind, relativePath: String, summary: DataFileSummary, owned: Bool)] = []

    static let catalogTable = """
        CREATE TABLE IF NOT EXISTS change_files(table_id INTEGER NOT NULL, version INTEGER NOT NULL, change_type TEXT NOT NULL,
            path TEXT NOT NULL, row_count INTEGER NOT NULL, byte_size INTEGER NOT NULL, row_group_count INTEGER NOT NULL)
        """

    init(lakePath: String, tableUUID: String, schema: Schema, columnIds: [Int32], options: WriterOptions) {
        self.lakePath = lakePath
        folderRelativePath = "changes/" + tableUUID
        self.schema = schema
        var fileOptions = options
        fileOptions.fieldIds = columnIds
        // table_changes plans no join or filter over these files by their statistics: no distinct-count sketches.
        fileOptions.distinctCounts = false
        self.options = fileOptions
    }

    var isEmpty: Bool { openFiles.isEmpty && finished.isEmpty }

    /// Adds rows (already conformed to the table's schema) of one kind.
    func append(_ batch: Batch, kind: ChangeKind) throws {
        guard batch.count > 0 else { return }
        if openFiles[kind] == nil {
            let folder = lakePath + "/" + folderRelativePath
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw TarnError.io("cannot create the change folder \(folder): \(error.localizedDescription)")
            }
            let relative = folderRelativePath + "/" + UUID().uuidString.lowercased() + ".tarn"
            do {
                openFiles[kind] = (try DataFileWriter(path: lakePath + "/" + relative, schema: schema, options: options), relative)
            } catch {
                throw DataFileReaderCache.naming(error, file: lakePath + "/" + relative)
            }
        }
        guard let file = openFiles[kind] else { return }
        do {
            try file.writer.append(batch)
        } catch {
            throw DataFileReaderCache.naming(error, file: lakePath + "/" + file.relativePath)
        }
    }

    /// Closes every file and makes them durable before the catalog refers to them.
    func finish() throws {
        for (kind, file) in openFiles.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            openFiles[kind] = nil
            do {
                finished.append((kind, file.relativePath, try file.writer.finish(), true))
            } catch {
                file.writer.abandon()
                try? FileManager.default.removeItem(atPath: lakePath + "/" + file.relativePath)
                throw DataFileReaderCache.naming(error, file: lakePath + "/" + file.relativePath)
            }
        }
        guard finished.contains(where: \.owned) else { return }
        let folder = lakePath + "/" + folderRelativePath
        let fd = open(folder, O_RDONLY)
        guard fd >= 0 else { throw TarnError.io("cannot open \(folder) to sync it (errno \(errno))") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw TarnError.io("fsync of \(folder) failed (errno \(errno))") }
    }

    /// Records a new data file of the table, every row of which is a change of `kind`, as that change's rows: the
    /// change feed reads the data file itself instead of a copy. (table_changes cannot reach a version whose files
    /// VACUUM deleted, so the reference never outlives what it needs.)
    func refer(to dataFile: String, summary: DataFileSummary, kind: ChangeKind) {
        finished.append((kind, dataFile, summary, false))
    }

    /// Records the finished files as changes of `version` (inside the commit's transaction).
    func record(in tx: CatalogTransaction, tableId: Int64, version: Int64) throws {
        guard !finished.isEmpty else { return }
        try tx.execute(Self.catalogTable)
        for file in finished {
            try tx.execute("""
                INSERT INTO change_files(table_id, version, change_type, path, row_count, byte_size, row_group_count)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(tableId), .integer(version), .text(file.kind.rawValue), .text(file.relativePath),
                      .integer(Int64(file.summary.rowCount)), .integer(Int64(file.summary.byteSize)),
                      .integer(Int64(file.summary.rowGroups.count))])
        }
    }

    /// Takes over `other`'s finished files (a transaction gathering its statements' changes into one version).
    func absorb(_ other: ChangeFileSet) {
        finished += other.finished
        other.finished.removeAll()
    }

    /// Deletes everything written (the statement failed or was aborted).
    func discard() {
        for file in openFiles.values {
            file.writer.abandon()
            try? FileManager.default.removeItem(atPath: lakePath + "/" + file.relativePath)
        }
        openFiles.removeAll()
        for file in finished where file.owned { try? FileManager.default.removeItem(atPath: lakePath + "/" + file.relativePath) }
        finished.removeAll()
    }
}
