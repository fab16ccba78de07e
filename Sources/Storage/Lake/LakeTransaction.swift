import Foundation

/// The writes of a multi-statement transaction (`BEGIN … COMMIT`), committed to every table they touch at once.
///
/// Each statement writes its data files as usual through a `TableWriter` from `beginWrite`, but its `commit`
/// hands the files, removals and change records to this transaction instead of recording a version. Per table
/// the transaction keeps one combined writer based on the version the transaction first read, and an overlay
/// snapshot (that version's files minus the ones removed plus the ones written) that the transaction's later
/// statements read and write, so they see its own writes. `commit` records one new version per changed table in
/// one SQLite transaction, each checked against concurrent commits by the rule single statements use (see
/// `TableWriter`): a conflict on any table fails the whole commit, which then deletes every file the transaction
/// wrote and changes nothing. Until `commit` nothing is in the catalog, so a crash leaves only orphan files, which
/// `tarn check --repair` and VACUUM delete. Used by one session at a time.
public final class LakeTransaction: @unchecked Sendable {
    /// One changed table: the combined writer (its `base` is the version the transaction started from) and what
    /// the transaction's statements see of the table.
    private final class PendingTable {
        let combined: TableWriter
        var overlay: TableSnapshot
        var operations: [String] = []
        var extras: [(CatalogTransaction) throws -> Void] = []
        /// Statements that recorded no changed rows (inserts, whole-file removals): their files, read into the
        /// change data feed when another statement of the transaction records changed rows.
        var unrecorded: [(removed: [DataFileInfo], added: [DataFileInfo])] = []
        /// Files written by the transaction and removed again by a later statement of it (deleted at the end).
        var superseded: [String] = []
        let baseIndex: [String: Int]

        init(combined: TableWriter) {
            self.combined = combined
            overlay = combined.base
            var index: [String: Int] = [:]
            for (i, f) in combined.base.files.enumerated() { index[f.relativePath] = i }
            baseIndex = index
        }
    }

    let lake: Lake
    private var tables: [TableName: PendingTable] = [:]
    private var order: [TableName] = []
    private var finished = false

    public init(lake: Lake) { self.lake = lake }

    deinit { if !finished { rollback() } }

    /// The tables the transaction changed so far, in the order it first wrote them.
    public var changedTables: [TableName] { order }

    /// What the transaction's statements read for the tables it changed (uncommitted).
    public var snapshots: [TableName: TableSnapshot] { tables.mapValues(\.overlay) }

    /// A writer for one statement on the transaction's state of `name`; its `commit` stages into the transaction.
    public func beginWrite(_ name: TableName) throws -> TableWriter {
        try lake.requireWritable()
        guard !finished else { throw TarnError(.internal, "the transaction has already ended") }
        let pending: PendingTable
        if let existing = tables[name] {
            pending = existing
        } else {
            let combined = TableWriter(lake: lake, base: try lake.snapshot(of: name), mode: .write)
            combined.usesDeletionVectors = Lake.enablesDeletionVectors(try lake.properties(of: name))
            pending = PendingTable(combined: combined)
            tables[name] = pending
            order.append(name)
        }
        let writer = TableWriter(lake: lake, base: pending.overlay, mode: .write)
        writer.options = pending.combined.options
        writer.usesDeletionVectors = pending.combined.usesDeletionVectors
        writer.transaction = self
        return writer
    }

    /// Takes over a statement's writes (its `commit` inside the transaction) and returns the version it will have.
    func stage(_ writer: TableWriter, operation: String, parameters: String,
               extra: ((CatalogTransaction) throws -> Void)?) throws -> VersionInfo {
        guard let pending = tables[writer.base.name] else {
            throw TarnError(.internal, "a transaction writer of table '\(writer.base.name)' has no pending table")
        }
        writer.lock.lock(); defer { writer.lock.unlock() }
        try writer.requireOpen()
        let combined = pending.combined
        do {
            try writer.finishFile()
            try writer.syncDataFolder()
            try writer.changes?.finish()
        } catch {
            writer.discardWrittenFiles()
            writer.state = .aborted
            throw error
        }
        let statementBase = writer.base
        let removed: [DataFileInfo] = writer.removesAllFiles
            ? statementBase.files
            : writer.removedFileIndices.sorted().map { statementBase.files[$0] }
        let added = writer.written.map { file in
            DataFileInfo(path: lake.path + "/" + file.relativePath, relativePath: file.relativePath, rowCount: file.summary.rowCount,
                         byteSize: file.summary.byteSize, rowGroupCount: file.summary.rowGroups.count, addedVersion: combined.base.version + 1,
                         columnStatistics: Dictionary(zip(writer.columnIds, file.summary.columnStatistics), uniquingKeysWith: { a, _ in a }),
                         fileId: -1)
        }
        // Change records: a statement that recorded none becomes inserts and deletes of whole files once any
        // statement of the transaction records some (so the version's change feed covers every statement).
        if let changes = writer.changes {
            if combined.changes == nil {
                combined.changes = ChangeFileSet(lakePath: lake.path, tableUUID: combined.base.tableUUID, schema: combined.schema,
                                                 columnIds: combined.columnIds, options: combined.options)
            }
            try recordUnrecorded(pending)
            combined.changes?.absorb(changes)
            writer.changes = nil
        } else if !removed.isEmpty || !added.isEmpty {
            pending.unrecorded.append((removed, added))
            if combined.changes != nil { try recordUnrecorded(pending) }
        }
        // Files: removals of the starting version's files, or of files the transaction wrote earlier.
        for file in removed {
            if let i = pending.baseIndex[file.relativePath] {
                combined.removedFileIndices.insert(i)
            } else if let k = combined.written.firstIndex(where: { $0.relativePath == file.relativePath }) {
                combined.written.remove(at: k)
                pending.superseded.append(file.relativePath)
            } else {
                throw TarnError(.internal, "the transaction's table '\(statementBase.name)' has no file \(file.relativePath)")
            }
        }
        // Marks: the statement's ordinals count the overlay's live rows, so its vector grows the overlay entry's
        // (which holds the block's earlier marks). A file of the starting version gets the whole vector staged on
        // the combined writer; a file the block wrote carries it until the commit records both.
        var marked: [String: DeletionVector] = [:]
        var rowsMarked = 0
        if !writer.removesAllFiles {
            for (index, ordinals) in writer.deletedOrdinals where !writer.removedFileIndices.contains(index) && !ordinals.isEmpty {
                let file = statementBase.files[index]
                let old = file.deletionVector ?? DeletionVector(sorted: [])
                let vector = old.adding(old.physicalRows(ofLive: ordinals.sorted()))
                rowsMarked += vector.count - old.count
                marked[file.relativePath] = vector
                if let i = pending.baseIndex[file.relativePath] {
                    combined.stagedVectors[i] = vector
                } else if let k = combined.written.firstIndex(where: { $0.relativePath == file.relativePath }) {
                    if vector.count < combined.written[k].summary.rowCount {
                        combined.written[k].deletionVector = vector
                    } else {
                        combined.written.remove(at: k)
                        pending.superseded.append(file.relativePath)
                    }
                } else {
                    throw TarnError(.internal, "the transaction's table '\(statementBase.name)' has no file \(file.relativePath) to mark")
                }
            }
        }
        if writer.removesAllFiles { combined.removesAllFiles = true }
        combined.written += writer.written
        writer.written.removeAll()
        writer.state = .committed
        if let extra { pending.extras.append(extra) }
        pending.operations.append(operation)
        let removedPaths = Set(removed.map(\.relativePath))
        let base = combined.base
        var files = statementBase.files.filter { !removedPaths.contains($0.relativePath) }
        if !marked.isEmpty {
            for i in files.indices {
                guard let vector = marked[files[i].relativePath] else { continue }
                files[i].rowCount = files[i].physicalRowCount - vector.count
                files[i].deletionVector = vector
            }
            files.removeAll { $0.rowCount == 0 && $0.deletionVector != nil }
        }
        pending.overlay = TableSnapshot(name: base.name, version: base.version, schema: base.schema, columnIds: base.columnIds,
                                        timestamp: base.timestamp, files: files + added,
                                        tableId: base.tableId, tableUUID: base.tableUUID, nextColumnId: base.nextColumnId)
        return VersionInfo(version: base.version + 1, timestamp: Lake.now(), operation: operation, parameters: parameters,
                           rowsAdded: added.reduce(0) { $0 + $1.rowCount }, rowsRemoved: removed.reduce(0) { $0 + $1.rowCount } + rowsMarked,
                           filesAdded: added.count, filesRemoved: removed.count)
    }

    /// Reads the files of statements that recorded no changed rows into the combined change records.
    private func recordUnrecorded(_ pending: PendingTable) throws {
        guard let changes = pending.combined.changes else { return }
        let base = pending.combined.base
        for (removed, added) in pending.unrecorded {
            for (kind, files) in [(ChangeKind.delete, removed), (.insert, added)] where !files.isEmpty {
                let snapshot = TableSnapshot(name: base.name, version: base.version, schema: base.schema, columnIds: base.columnIds,
                                             timestamp: base.timestamp, files: files, tableId: base.tableId, tableUUID: base.tableUUID,
                                             nextColumnId: base.nextColumnId)
                for morsel in try snapshot.morsels(matching: []) {
                    try changes.append(try snapshot.read(morsel, columns: Array(base.schema.fields.indices)), kind: kind)
                }
            }
        }
        pending.unrecorded.removeAll()
    }

    /// Records one new version of every changed table in one catalog transaction, or nothing: a conflict on any
    /// table (or any other error) deletes every file the transaction wrote and rethrows. Returns each table's version.
    @discardableResult
    public func commit() throws -> [(table: TableName, version: VersionInfo)] {
        guard !finished else { throw TarnError(.internal, "the transaction has already ended") }
        finished = true
        let changed = order.compactMap { name in tables[name].map { (name, $0) } }
            .filter { !$0.1.combined.written.isEmpty || !$0.1.combined.removedFileIndices.isEmpty || $0.1.combined.removesAllFiles
                      || !$0.1.combined.stagedVectors.isEmpty
                      || $0.1.combined.changes != nil }
        var versions: [(table: TableName, version: VersionInfo)] = []
        // A block that only read takes no write lock (and works on a lake opened read-only).
        guard !changed.isEmpty else { return versions }
        do {
            try lake.catalog.writeTransaction { _ in
                for (name, pending) in changed {
                    let operation = Self.operationName(pending.operations)
                    let extras = pending.extras
                    let parameters = CatalogEncoding.object(["transaction": .string(pending.operations.joined(separator: ", "))])
                    let info = try pending.combined.commit(operation: operation, parameters: parameters, extra: { tx in
                        for extra in extras { try extra(tx) }
                    })
                    versions.append((name, info))
                }
            }
        } catch {
            discardAll()
            throw error
        }
        for (_, pending) in tables {
            pending.combined.abort()   // unchanged tables: nothing to delete; committed ones: no-op
            for path in pending.superseded { try? FileManager.default.removeItem(atPath: lake.path + "/" + path) }
        }
        return versions
    }

    /// Deletes everything the transaction wrote; the tables stay as they were.
    public func rollback() {
        finished = true
        discardAll()
    }

    private func discardAll() {
        for (_, pending) in tables {
            // A combined writer whose version was recorded in the rolled-back catalog transaction still owns its files.
            pending.combined.discardWrittenFiles()
            pending.combined.state = .aborted
            for path in pending.superseded { try? FileManager.default.removeItem(atPath: lake.path + "/" + path) }
        }
    }

    /// The version's operation: the statements' common kind, or `TRANSACTION` when they differ.
    static func operationName(_ operations: [String]) -> String {
        guard let first = operations.first else { return "TRANSACTION" }
        return operations.allSatisfy { $0 == first } ? first : "TRANSACTION"
    }
}
