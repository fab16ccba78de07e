import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects the changes of one statement to one table and commits them atomically as the next version.
///
/// Rows given to `append` are written at once into new immutable data files (`data/<table-uuid>/<uuid>.tarn`,
/// a new file every `targetRowsPerFile` rows); `removeFile(at:)` / `removeAllFiles()` mark files of the base
/// snapshot as removed (copy-on-write: DELETE and UPDATE append the surviving rows of a file and remove it).
/// `commit` fsyncs the files and then records the version in one SQLite transaction (`BEGIN IMMEDIATE`), the
/// commit point. On top of a newer latest version than `base`, the commit succeeds when it does not conflict:
/// - appends never conflict with appends;
/// - removing a file another commit already removed → `.conflict`;
/// - `removeAllFiles` (overwrite) while another commit added rows → `.conflict`;
/// - a schema change (ADD/DROP/RENAME COLUMN, CREATE OR REPLACE, RESTORE) made concurrently, or one based on an
///   older version → `.conflict`; the table dropped or replaced by another table → `.conflict`.
/// A failed commit deletes the files it wrote; nothing of the statement remains. `abort` does the same.
/// Inside a `BEGIN … COMMIT` block the writer comes from `LakeTransaction.beginWrite` and its `commit` stages the
/// changes into the block, which commits them with the block's other tables.
/// A writer is used by one statement; its methods are serialized by a lock.
public final class TableWriter: @unchecked Sendable {
    /// What kind of change the writer makes (set by the `Lake` method that created it).
    enum Mode {
        case write
        case create(ifNotExists: Bool, properties: [String: String])
        case replace(schema: Schema, columnIds: [Int32], properties: [String: String])
        case restore(target: TableSnapshot)
        case alterSchema(schema: Schema, columnIds: [Int32], nextColumnId: Int32)
    }

    struct WrittenFile {
        var relativePath: String
        var summary: DataFileSummary
        /// Rows of the file a later statement of the same transaction deleted (only inside a `LakeTransaction`).
        var deletionVector: DeletionVector? = nil
        /// Rows the file holds for the version: its rows minus the deleted ones.
        var liveRowCount: Int { summary.rowCount - (deletionVector?.count ?? 0) }
    }

    enum State { case open, committed, aborted }

    public let base: TableSnapshot
    /// The schema rows given to `append` must have (the base schema, or the new one for CREATE OR REPLACE).
    public let schema: Schema
    /// Column ids of `schema`, stored as field ids in the files written.
    public let columnIds: [Int32]
    /// Data-file options (row group size, compression). `fieldIds` is always set to `columnIds`.
    public var options = WriterOptions()
    /// Rows per data file before the writer starts a new one.
    public var targetRowsPerFile = 1_048_576
    /// Whether committing replaces an existing table (CREATE OR REPLACE of a table that exists).
    public var replacesExistingTable: Bool { if case .replace = mode { return true } else { return false } }

    let lake: Lake
    let mode: Mode
    let lock = NSLock()
    var state = State.open
    /// The data file being written; `change` is the change kind all its rows were appended as by
    /// `append(_:change:)` (nil: plain rows), so the change feed can refer to the whole file.
    private var current: (writer: DataFileWriter, relativePath: String, rows: Int, change: ChangeKind?)?
    var written: [WrittenFile] = []
    var removedFileIndices = Set<Int>()
    /// Per file of the base snapshot, live-row ordinals `deleteRows` marked deleted (recorded as a deletion vector).
    var deletedOrdinals: [Int: Set<Int>] = [:]
    /// Per file of the base snapshot, its whole deletion vector for the new version: set by a `LakeTransaction` on
    /// its combined writer from the marks of the block's statements (which saw the block's own earlier marks).
    var stagedVectors: [Int: DeletionVector] = [:]
    /// Whether DELETE, UPDATE and MERGE may mark rows deleted with `deleteRows` instead of rewriting files: the
    /// table property `deletion_vectors` (or `delta.enableDeletionVectors`) is 'true'. Inside a `BEGIN … COMMIT`
    /// block the marks are staged into the transaction, and its later statements read the block's vectors.
    public internal(set) var usesDeletionVectors = false
    var removesAllFiles = false
    /// Rows DELETE / UPDATE / MERGE changed, for the change data feed (created on first use).
    var changes: ChangeFileSet?
    /// Set for a statement inside a multi-statement transaction: `commit` hands the writes to it instead of
    /// recording a version (see `LakeTransaction`).
    var transaction: LakeTransaction?

    init(lake: Lake, base: TableSnapshot, mode: Mode) {
        self.lake = lake
        self.base = base
        self.mode = mode
        switch mode {
        case let .replace(schema, ids, _), let .alterSchema(schema, ids, _):
            self.schema = schema; self.columnIds = ids
        case let .restore(target):
            self.schema = target.schema; self.columnIds = target.columnIds
        case .write, .create:
            self.schema = base.schema; self.columnIds = base.columnIds
        }
        if case .replace = mode { removesAllFiles = true }
    }

    deinit {
        if state == .open { discardWrittenFiles() }
    }

    /// Writes rows (columns in `schema`'s order) into new data files.
    public func append(_ batch: Batch) throws {
        lock.lock(); defer { lock.unlock() }
        try write(try conform(batch), change: nil)
    }

    /// Writes rows that are also this statement's changes of `kind` (an update's new rows, a MERGE's inserts): as
    /// `append` followed by `recordChange`, without the copy. Outside a transaction the rows go to data files that
    /// hold only rows of that kind (the open file is finished when the kind changes), and the change feed refers to
    /// those files; in a transaction, whose later statements may drop files it wrote, the rows are copied.
    public func append(_ batch: Batch, change kind: ChangeKind) throws {
        lock.lock(); defer { lock.unlock() }
        guard batch.count > 0 else { return }
        let checked = try conform(batch)
        guard transaction == nil else {
            try write(checked, change: nil)
            return try record(checked, kind: kind)
        }
        try write(checked, change: kind)
    }

    /// Appends conformed rows to data files of the given change kind, starting a new file when the open one holds
    /// rows of another kind or is full.
    private func write(_ checked: Batch, change kind: ChangeKind?) throws {
        try requireOpen()
        if case .restore = mode { throw TarnError(.internal, "a RESTORE writer does not take rows") }
        if case .alterSchema = mode { throw TarnError(.internal, "a schema change does not take rows") }
        guard checked.count > 0 else { return }
        if let open = current, open.rows > 0, open.change != kind { try finishFile() }
        var offset = 0
        while offset < checked.count {
            if current == nil { try startFile(change: kind) }
            guard let open = current else { break }
            let take = min(checked.count - offset, max(1, targetRowsPerFile - open.rows))
            let part = offset == 0 && take == checked.count ? checked : checked.slice(offset..<(offset + take))
            do {
                try open.writer.append(part)
            } catch {
                throw DataFileReaderCache.naming(error, file: lake.path + "/" + open.relativePath)
            }
            current?.rows += take
            offset += take
            if (current?.rows ?? 0) >= targetRowsPerFile { try finishFile() }
        }
    }

    /// Records rows of this statement's change for `table_changes` (DELETE, UPDATE and MERGE call it with the
    /// rows they delete, the rows before and after an update, and the rows they insert).
    public func recordChange(_ batch: Batch, kind: ChangeKind) throws {
        lock.lock(); defer { lock.unlock() }
        try requireOpen()
        guard batch.count > 0 else { return }
        try record(try conform(batch), kind: kind)
    }

    /// The statement's change records, created on first use.
    private var changeFiles: ChangeFileSet {
        if let changes { return changes }
        let created = ChangeFileSet(lakePath: lake.path, tableUUID: base.tableUUID, schema: schema, columnIds: columnIds, options: options)
        changes = created
        return created
    }

    private func record(_ checked: Batch, kind: ChangeKind) throws {
        try changeFiles.append(checked, kind: kind)
    }

    /// Removes a whole data file of the base snapshot (DELETE / UPDATE rewrite its surviving rows with `append`).
    public func removeFile(at fileIndex: Int) throws {
        lock.lock(); defer { lock.unlock() }
        try requireOpen()
        guard base.files.indices.contains(fileIndex) else {
            throw TarnError(.internal, "removeFile: table '\(base.name)' version \(base.version) has no file #\(fileIndex)")
        }
        removedFileIndices.insert(fileIndex)
    }

    /// Marks rows of a base file deleted without rewriting it (`usesDeletionVectors` only): `ordinals` count the
    /// file's live rows in file order from 0, as reading its morsels in row-group order returns them. The commit
    /// records the file with its grown deletion vector (a new catalog entry for the same path), or removes it when
    /// no row is left; a concurrent commit that removed or re-marked the file makes it conflict.
    public func deleteRows(inFile fileIndex: Int, ordinals: [Int]) throws {
        lock.lock(); defer { lock.unlock() }
        try requireOpen()
        guard usesDeletionVectors else {
            throw TarnError(.internal, "deleteRows on table '\(base.name)', which does not use deletion vectors")
        }
        // Inside a transaction the base is the block's overlay, whose files it wrote itself have no catalog entry yet.
        guard base.files.indices.contains(fileIndex), base.files[fileIndex].fileId >= 0 || transaction != nil else {
            throw TarnError(.internal, "deleteRows: table '\(base.name)' version \(base.version) has no committed file #\(fileIndex)")
        }
        let live = base.files[fileIndex].rowCount
        for k in ordinals where k < 0 || k >= live {
            throw TarnError(.internal, "deleteRows: row \(k) of a file of '\(base.name)' with \(live) live rows")
        }
        deletedOrdinals[fileIndex, default: []].formUnion(ordinals)
    }

    /// Removes every file of the base snapshot (INSERT OVERWRITE, CREATE OR REPLACE … AS).
    /// The commit conflicts if a concurrent commit added rows after the base version.
    public func removeAllFiles() throws {
        lock.lock(); defer { lock.unlock() }
        try requireOpen()
        removesAllFiles = true
    }

    /// Commits as the next version. `parameters` is a JSON object text for the history.
    @discardableResult
    public func commit(operation: String, parameters: String = "{}") throws -> VersionInfo {
        try commit(operation: operation, parameters: parameters, extra: nil)
    }

    /// Commits as the next version and runs `extra` inside the same catalog transaction, after the version is
    /// recorded: whatever `extra` writes to the catalog (e.g. a row in a module's own table) commits or rolls back
    /// with the version. If `extra` throws, nothing is committed and the error is rethrown.
    @discardableResult
    public func commit(operation: String, parameters: String = "{}", extra: ((CatalogTransaction) throws -> Void)?) throws -> VersionInfo {
        if let transaction { return try transaction.stage(self, operation: operation, parameters: parameters, extra: extra) }
        lock.lock(); defer { lock.unlock() }
        try requireOpen()
        do {
            do {
                try finishFile()
                try syncDataFolder()
                try changes?.finish()
            } catch {
                // A concurrent DROP TABLE deletes the data folder under a running writer: report the conflict.
                if case .create = mode { throw error }
                let exists = try? lake.catalog.readTransaction { try lake.tableRecord($0, id: base.tableId) != nil }
                if exists == false { throw TarnError(.conflict, "table '\(base.name)' was dropped by a concurrent statement; nothing was written") }
                throw error
            }
            let outcome = try lake.catalog.writeTransaction { tx in
                try record(in: tx, operation: operation, parameters: parameters, extra: extra)
            }
            switch outcome {
            case let .committed(info):
                state = .committed
                return info
            case let .alreadyExists(info):
                discardWrittenFiles()
                state = .aborted
                return info
            }
        } catch {
            discardWrittenFiles()
            state = .aborted
            throw error
        }
    }

    /// Drops everything written; the table stays as it was.
    public func abort() {
        lock.lock(); defer { lock.unlock() }
        guard state == .open else { return }
        discardWrittenFiles()
        state = .aborted
    }

    // MARK: writing files

    func requireOpen() throws {
        switch state {
        case .open: return
        case .committed: throw TarnError(.internal, "the write to '\(base.name)' is already committed")
        case .aborted: throw TarnError(.internal, "the write to '\(base.name)' was aborted")
        }
    }

    /// The batch with each column checked against `schema` (untyped NULL columns get the field's type).
    private func conform(_ batch: Batch) throws -> Batch {
        guard batch.columns.count == schema.count else {
            throw TarnError.semantic("table '\(base.name)' has \(schema.count) columns but \(batch.columns.count) values were supplied")
        }
        var columns: [Column] = []
        columns.reserveCapacity(schema.count)
        for (field, column) in zip(schema.fields, batch.columns) {
            guard column.count == batch.count else {
                throw TarnError(.internal, "column '\(field.name)' has \(column.count) rows in a batch of \(batch.count)")
            }
            var c = column
            if c.type == .null && field.type != .null {
                c = Column.nulls(field.type, count: batch.count)
            } else if case let .decimal(_, scale) = c.type, case let .decimal(_, fieldScale) = field.type, scale == fieldScale {
                // Same unscaled values; only the declared precision (and with it Int64 or Int128 storage) differs.
                guard let converted = c.withDecimalPrecision(field.type) else {
                    throw TarnError(.execution, "decimal overflow: a value of column '\(field.name)' does not fit \(field.type)")
                }
                c = converted
            } else if c.type != field.type {
                throw TarnError.semantic("column '\(field.name)' of table '\(base.name)' is \(field.type) but a value of type \(c.type) was supplied")
            }
            if !field.nullable && c.nullCount > 0 {
                throw TarnError(.constraint, "NULL value in column '\(field.name)' of table '\(base.name)' violates NOT NULL")
            }
            columns.append(c)
        }
        return Batch(columns: columns, count: batch.count)
    }

    private var folderRelativePath: String { "data/" + base.tableUUID }

    private func startFile(change: ChangeKind?) throws {
        let folder = lake.path + "/" + folderRelativePath
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw TarnError.io("cannot create the data folder \(folder): \(error.localizedDescription)")
        }
        let relative = folderRelativePath + "/" + UUID().uuidString.lowercased() + ".tarn"
        var fileOptions = options
        fileOptions.fieldIds = columnIds
        do {
            let writer = try DataFileWriter(path: lake.path + "/" + relative, schema: schema, options: fileOptions)
            current = (writer, relative, 0, change)
        } catch {
            throw DataFileReaderCache.naming(error, file: lake.path + "/" + relative)
        }
    }

    func finishFile() throws {
        guard let open = current else { return }
        current = nil
        do {
            let summary = try open.writer.finish()
            written.append(WrittenFile(relativePath: open.relativePath, summary: summary))
            if let kind = open.change { changeFiles.refer(to: open.relativePath, summary: summary, kind: kind) }
        } catch {
            open.writer.abandon()
            try? FileManager.default.removeItem(atPath: lake.path + "/" + open.relativePath)
            throw DataFileReaderCache.naming(error, file: lake.path + "/" + open.relativePath)
        }
    }

    /// Makes the new files' directory entries durable before the catalog refers to them.
    func syncDataFolder() throws {
        guard !written.isEmpty else { return }
        let folder = lake.path + "/" + folderRelativePath
        #if canImport(Glibc)
        let fd = Glibc.open(folder, O_RDONLY)
        #else
        let fd = Darwin.open(folder, O_RDONLY)
        #endif
        guard fd >= 0 else { throw TarnError.io("cannot open \(folder) to sync it (errno \(errno))") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw TarnError.io("fsync of \(folder) failed (errno \(errno))") }
    }

    func discardWrittenFiles() {
        if let open = current {
            open.writer.abandon()
            try? FileManager.default.removeItem(atPath: lake.path + "/" + open.relativePath)
            current = nil
        }
        for file in written { try? FileManager.default.removeItem(atPath: lake.path + "/" + file.relativePath) }
        written.removeAll()
        changes?.discard()
    }

    // MARK: the commit transaction

    private enum Outcome {
        case committed(VersionInfo)
        /// CREATE … IF NOT EXISTS found the table created concurrently: nothing was written.
        case alreadyExists(VersionInfo)
    }

    private struct LatestVersion {
        var version: Int64
        var timestamp: Int64
        var rowCount: Int64
        var schemaJSON: String
        var operation: String
    }

    private func record(in tx: CatalogTransaction, operation: String, parameters: String,
                        extra: ((CatalogTransaction) throws -> Void)?) throws -> Outcome {
        let name = base.name
        let tableId: Int64
        var latest = LatestVersion(version: -1, timestamp: 0, rowCount: 0, schemaJSON: "", operation: "")
        var nextColumnId = base.nextColumnId
        var properties: [String: String]?

        if case let .create(ifNotExists, props) = mode {
            guard let schemaId = try lake.schemaId(tx, name.schema) else {
                throw TarnError.semantic("schema '\(name.schema)' does not exist")
            }
            if try lake.viewId(tx, name) != nil { throw TarnError.semantic("cannot create table '\(name)': a view with that name already exists") }
            if let existing = try lake.tableRecord(tx, name) {
                guard ifNotExists else { throw TarnError(.conflict, "table '\(name)' was created by a concurrent statement") }
                let rows = try tx.query("""
                    SELECT version, committed_at, operation, parameters, rows_added, rows_removed, files_added, files_removed
                    FROM snapshots WHERE table_id = ? ORDER BY version DESC LIMIT 1
                    """, [.integer(existing.id)])
                return .alreadyExists(rows.first.map(Lake.versionInfo) ?? VersionInfo(version: 0, timestamp: 0, operation: "", parameters: "{}", rowsAdded: 0, rowsRemoved: 0, filesAdded: 0, filesRemoved: 0))
            }
            try tx.execute("INSERT INTO tables(schema_id, name, uuid, properties, next_column_id, created_at) VALUES (?, ?, ?, '{}', ?, ?)",
                           [.integer(schemaId), .text(name.name), .text(base.tableUUID), .integer(Int64(nextColumnId)), .integer(Lake.now())])
            tableId = tx.lastInsertRowID
            properties = Lake.newTableProperties(props)
        } else {
            guard let record = try lake.tableRecord(tx, id: base.tableId), try lake.tableRecord(tx, name)?.id == base.tableId else {
                throw TarnError(.conflict, "table '\(name)' was dropped or replaced by a concurrent statement; nothing was written")
            }
            tableId = record.id
            nextColumnId = max(nextColumnId, record.nextColumnId)
            guard let row = try tx.query("SELECT version, committed_at, row_count, schema_json, operation FROM snapshots WHERE table_id = ? ORDER BY version DESC LIMIT 1",
                                         [.integer(tableId)]).first,
                  let v = row[0].int64, let t = row[1].int64, let rc = row[2].int64, let sj = row[3].string else {
                throw TarnError.corruption("the lake catalog has no version for table '\(name)'")
            }
            latest = LatestVersion(version: v, timestamp: t, rowCount: rc, schemaJSON: sj, operation: row[4].string ?? "")
            try checkConflicts(tx, tableId: tableId, latest: latest)
            if case let .restore(target) = mode, target.version < record.oldestReadableVersion {
                throw TarnError(.conflict, "version \(target.version) of table '\(name)' was vacuumed by a concurrent VACUUM")
            }
            if case let .replace(_, _, props) = mode { properties = Lake.newTableProperties(props) }
        }

        let newVersion = latest.version + 1
        // Files leaving the table.
        var removed: [DataFileInfo] = []
        if removesAllFiles {
            removed = base.files
        } else {
            removed = removedFileIndices.sorted().map { base.files[$0] }
        }
        var readded: [DataFileInfo] = []
        if case let .restore(target) = mode {
            // A file whose deletion vector differs between the versions holds other rows: it is removed and re-added.
            let targetKeys = Set(target.files.map(\.contentKey))
            let baseKeys = Set(base.files.map(\.contentKey))
            removed = base.files.filter { !targetKeys.contains($0.contentKey) }
            readded = target.files.filter { !baseKeys.contains($0.contentKey) }
        }
        // Files keeping their path with more rows deleted: the old entry leaves, a new one with the grown vector enters.
        var remarked: [(file: DataFileInfo, vector: DeletionVector)] = []
        var rowsNewlyDeleted = 0
        if !removesAllFiles {
            var marks: [(index: Int, vector: DeletionVector)] = []
            for (index, ordinals) in deletedOrdinals.sorted(by: { $0.key < $1.key }) where !ordinals.isEmpty {
                let old = base.files[index].deletionVector ?? DeletionVector(sorted: [])
                marks.append((index, old.adding(old.physicalRows(ofLive: ordinals.sorted()))))
            }
            for (index, vector) in stagedVectors.sorted(by: { $0.key < $1.key }) { marks.append((index, vector)) }
            for (index, vector) in marks where !removedFileIndices.contains(index) {
                let file = base.files[index]
                let old = file.deletionVector ?? DeletionVector(sorted: [])
                rowsNewlyDeleted += vector.count - old.count
                removed.append(file)
                if vector.count < file.physicalRowCount {
                    var entry = file
                    entry.rowCount = file.physicalRowCount - vector.count
                    entry.deletionVector = vector
                    remarked.append((entry, vector))
                } else {
                    rowsNewlyDeleted -= vector.count - old.count   // counted below as the whole file's removal
                }
            }
        }
        for file in removed {
            let state = try tx.query("SELECT removed_version FROM data_files WHERE file_id = ?", [.integer(file.fileId)]).first
            if let by = state?[0].int64 {
                let op = try tx.query("SELECT operation FROM snapshots WHERE table_id = ? AND version = ?", [.integer(tableId), .integer(by)]).first?[0].string ?? "?"
                throw TarnError(.conflict, "data file \(file.relativePath) of table '\(name)' was already removed by concurrent version \(by) (\(op)); nothing was written")
            }
            guard state != nil else { throw TarnError(.conflict, "data file \(file.relativePath) of table '\(name)' no longer exists in the catalog") }
            try tx.execute("UPDATE data_files SET removed_version = ? WHERE file_id = ?", [.integer(newVersion), .integer(file.fileId)])
        }
        // Files entering the table.
        for file in written {
            try tx.execute("""
                INSERT INTO data_files(table_id, path, row_count, byte_size, row_group_count, column_stats, added_version)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(tableId), .text(file.relativePath), .integer(Int64(file.liveRowCount)), .integer(Int64(file.summary.byteSize)),
                      .integer(Int64(file.summary.rowGroups.count)),
                      .text(CatalogEncoding.encodeStatistics(file.summary.columnStatistics, columnIds: columnIds)), .integer(newVersion)])
            if let vector = file.deletionVector {
                try recordDeletionVector(tx, tableId: tableId, fileId: tx.lastInsertRowID, vector, physicalRows: file.summary.rowCount)
            }
        }
        for file in readded {
            let stats = file.columnStatistics.sorted { $0.key < $1.key }
            try tx.execute("""
                INSERT INTO data_files(table_id, path, row_count, byte_size, row_group_count, column_stats, added_version)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(tableId), .text(file.relativePath), .integer(Int64(file.rowCount)), .integer(Int64(file.byteSize)),
                      .integer(Int64(file.rowGroupCount)),
                      .text(CatalogEncoding.encodeStatistics(stats.map(\.value), columnIds: stats.map(\.key))), .integer(newVersion)])
            if let vector = file.deletionVector {
                try recordDeletionVector(tx, tableId: tableId, fileId: tx.lastInsertRowID, vector, physicalRows: file.physicalRowCount)
            }
        }
        for (file, vector) in remarked {
            // The same file with the same statistics (a superset of its live rows', which pruning may use).
            try tx.execute("""
                INSERT INTO data_files(table_id, path, row_count, byte_size, row_group_count, column_stats, added_version)
                SELECT table_id, path, ?, byte_size, row_group_count, column_stats, ? FROM data_files WHERE file_id = ?
                """, [.integer(Int64(file.rowCount)), .integer(newVersion), .integer(file.fileId)])
            try recordDeletionVector(tx, tableId: tableId, fileId: tx.lastInsertRowID, vector, physicalRows: file.physicalRowCount)
        }

        let rowsAdded = written.reduce(0) { $0 + $1.liveRowCount } + readded.reduce(0) { $0 + $1.rowCount }
        let remarkedPaths = Set(remarked.map(\.file.fileId))
        let rowsRemoved = removed.filter { !remarkedPaths.contains($0.fileId) }.reduce(0) { $0 + $1.rowCount } + rowsNewlyDeleted
        removed.removeAll { remarkedPaths.contains($0.fileId) }
        let filesAdded = written.count + readded.count
        let schemaJSON = CatalogEncoding.encodeSchema(schema, columnIds: columnIds)
        if schemaJSON != latest.schemaJSON {
            try tx.execute("DELETE FROM columns WHERE table_id = ?", [.integer(tableId)])
            for (position, (field, id)) in zip(schema.fields, columnIds).enumerated() {
                try tx.execute("INSERT INTO columns(table_id, column_id, position, name, type, nullable) VALUES (?, ?, ?, ?, ?, ?)",
                               [.integer(tableId), .integer(Int64(id)), .integer(Int64(position)), .text(field.name),
                                .text(field.type.description), .integer(field.nullable ? 1 : 0)])
            }
            if case let .alterSchema(_, _, next) = mode { nextColumnId = max(nextColumnId, next) }
            let highest = (columnIds.max() ?? 0) + 1
            try tx.execute("UPDATE tables SET next_column_id = ? WHERE table_id = ?", [.integer(Int64(max(nextColumnId, highest))), .integer(tableId)])
        }
        if let properties {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let text = (try? String(decoding: encoder.encode(properties), as: UTF8.self)) ?? "{}"
            try tx.execute("UPDATE tables SET properties = ? WHERE table_id = ?", [.text(text), .integer(tableId)])
        }
        let timestamp = max(Lake.now(), latest.timestamp + 1)
        let info = VersionInfo(version: newVersion, timestamp: timestamp, operation: operation, parameters: parameters,
                               rowsAdded: rowsAdded, rowsRemoved: rowsRemoved, filesAdded: filesAdded, filesRemoved: removed.count)
        try tx.execute("""
            INSERT INTO snapshots(table_id, version, committed_at, operation, parameters, schema_json,
                                  rows_added, rows_removed, files_added, files_removed, row_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(tableId), .integer(newVersion), .integer(timestamp), .text(operation), .text(parameters), .text(schemaJSON),
                  .integer(Int64(rowsAdded)), .integer(Int64(rowsRemoved)), .integer(Int64(filesAdded)), .integer(Int64(removed.count)),
                  .integer(latest.rowCount + Int64(rowsAdded) - Int64(rowsRemoved))])
        try changes?.record(in: tx, tableId: tableId, version: newVersion)
        try extra?(tx)
        return .committed(info)
    }

    /// Records the deletion vector of the data-file entry `fileId` (creating the catalog table in older lakes), and
    /// that the table now needs readers that know deletion vectors (`Lake.requireReaderFeatures`).
    private func recordDeletionVector(_ tx: CatalogTransaction, tableId: Int64, fileId: Int64, _ vector: DeletionVector, physicalRows: Int) throws {
        try tx.execute(LakeCatalogSchema.deletionVectorsTable)
        try tx.execute("INSERT INTO deletion_vectors(file_id, physical_rows, deleted_rows, positions) VALUES (?, ?, ?, ?)",
                       [.integer(fileId), .integer(Int64(physicalRows)), .integer(Int64(vector.count)),
                        .text(vector.encoded(physicalRows: physicalRows))])
        try Lake.recordReaderFeature(tx, tableId: tableId, .deletionVectors)
    }

    /// Throws `.conflict` when commits made since `base` make this one invalid.
    private func checkConflicts(_ tx: CatalogTransaction, tableId: Int64, latest: LatestVersion) throws {
        guard latest.version != base.version else { return }
        let name = base.name
        let concurrent = "concurrent version \(latest.version) (\(latest.operation))"
        switch mode {
        case .replace, .restore, .alterSchema:
            throw TarnError(.conflict, "table '\(name)' changed since this statement read version \(base.version): \(concurrent); nothing was written")
        case .write, .create:
            break
        }
        if latest.schemaJSON != CatalogEncoding.encodeSchema(base.schema, columnIds: base.columnIds) {
            throw TarnError(.conflict, "the schema of table '\(name)' changed since this statement read version \(base.version): \(concurrent); nothing was written")
        }
        if removesAllFiles {
            let added = try tx.query("SELECT count(*) FROM data_files WHERE table_id = ? AND added_version > ? AND removed_version IS NULL",
                                     [.integer(tableId), .integer(base.version)]).first?[0].int64 ?? 0
            if added > 0 {
                throw TarnError(.conflict, "rows were added to table '\(name)' by \(concurrent) while this statement was replacing its contents; nothing was written")
            }
        }
    }
}
