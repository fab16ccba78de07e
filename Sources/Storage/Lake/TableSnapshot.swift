/// A table as of one version: schema and the data files of that version. Immutable; safe to scan from
/// many threads. Scanning splits the table into morsels (one per row group that statistics did not skip).
///
/// Counters: every `morsels(matching:)` / `scanPlan(matching:)` and `read(_:columns:)` call adds to `counters`
/// (row groups considered and skipped, bytes and rows read) for EXPLAIN ANALYZE.
public final class TableSnapshot: @unchecked Sendable {
    public let name: TableName
    public let version: Int64
    public let schema: Schema
    /// Commit time of this version (microseconds since epoch).
    public let timestamp: Int64
    /// Stable id of each schema field (parallel to `schema.fields`); data files store them as field ids.
    public let columnIds: [Int32]
    /// The data files of this version, in catalog order. `ScanMorsel.fileIndex` indexes this list.
    public let files: [DataFileInfo]
    /// Scan totals of this snapshot (see the type's documentation).
    public let counters = ScanCounters()

    let tableId: Int64
    let tableUUID: String
    /// The table's next free column id when this snapshot was loaded (meaningful for the latest version).
    let nextColumnId: Int32
    let readers: DataFileReaderCache
    /// Scan plans shared by the snapshots of this version (nil: not shared, planned per call).
    private let plans: ScanPlanCache?

    init(name: TableName, version: Int64, schema: Schema, columnIds: [Int32], timestamp: Int64, files: [DataFileInfo],
         tableId: Int64, tableUUID: String, nextColumnId: Int32) {
        self.name = name; self.version = version; self.schema = schema; self.timestamp = timestamp
        self.columnIds = columnIds
        self.files = files
        self.tableId = tableId
        self.tableUUID = tableUUID
        self.nextColumnId = nextColumnId
        self.readers = DataFileReaderCache(files: files)
        self.plans = nil
    }

    /// A snapshot of a cached version: shares the opened files and scan plans of every snapshot of it, but has
    /// its own counters.
    init(name: TableName, version: Int64, cached: SnapshotCache.Entry, tableId: Int64, tableUUID: String, nextColumnId: Int32) {
        self.name = name; self.version = version; self.schema = cached.schema; self.timestamp = cached.timestamp
        self.columnIds = cached.columnIds
        self.files = cached.files
        self.tableId = tableId
        self.tableUUID = tableUUID
        self.nextColumnId = nextColumnId
        self.readers = cached.readers
        self.plans = cached.plans
    }

    /// Total rows in this version.
    public var rowCount: Int { files.reduce(0) { $0 + $1.rowCount } }
    /// Total row groups in this version (before skipping).
    public var rowGroupCount: Int { files.reduce(0) { $0 + $1.rowGroupCount } }
    /// Total bytes of this version's data files.
    public var byteSize: Int { files.reduce(0) { $0 + $1.byteSize } }

    /// The row groups whose statistics may satisfy every predicate (a conjunction); the others are skipped.
    public func morsels(matching predicates: [ColumnPredicate]) throws -> [ScanMorsel] {
        try scanPlan(matching: predicates).morsels
    }

    /// Like `morsels(matching:)`, with the figures of what statistics skipped.
    /// File-level statistics from the catalog skip whole files without opening them; row-group statistics
    /// come from the (cached) file footers.
    public func scanPlan(matching predicates: [ColumnPredicate]) throws -> ScanPlan {
        let key = plans.map { _ in ScanPlanCache.key(predicates) }
        let plan: ScanPlan
        if let key, let cached = plans?.plan(key) {
            plan = cached
        } else {
            plan = try makeScanPlan(predicates)
            if let key { plans?.store(plan, key) }
        }
        counters.add {
            $0.rowGroupsTotal += plan.rowGroupsTotal
            $0.rowGroupsSkipped += plan.rowGroupsSkipped
            $0.filesSkipped += plan.filesSkipped
        }
        return plan
    }

    private func makeScanPlan(_ predicates: [ColumnPredicate]) throws -> ScanPlan {
        let usable = predicates.filter { schema.fields.indices.contains($0.column) }
        var plan = ScanPlan(morsels: [], rowGroupsTotal: 0, rowGroupsSkipped: 0, filesSkipped: 0, bytesToRead: 0)
        for (fileIndex, file) in files.enumerated() {
            plan.rowGroupsTotal += file.rowGroupCount
            let fileMayMatch = usable.allSatisfy { p in
                let id = columnIds[p.column]
                guard let stats = file.columnStatistics[id] else {
                    // No catalog statistics: absent column only if the file predates it; otherwise keep.
                    return file.columnStatistics.isEmpty ? true : StatisticsPruning.mayMatch(p, statistics: nil, rowCount: file.rowCount)
                }
                return StatisticsPruning.mayMatch(p, statistics: stats, rowCount: file.rowCount)
            }
            if !fileMayMatch {
                plan.filesSkipped += 1
                plan.rowGroupsSkipped += file.rowGroupCount
                continue
            }
            let reader = try readers.reader(fileIndex)
            let fileColumnIndex = Dictionary(reader.fieldIds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            if let vector = file.deletionVector, reader.rowCount != file.physicalRowCount {
                throw TarnError.corruption("\(file.path): \(reader.rowCount) rows, the catalog says \(file.rowCount) rows and \(vector.count) deleted ones")
            }
            var groupStart = 0
            for (g, group) in reader.rowGroups.enumerated() {
                // Rows of the group still in this version (a deletion vector may remove some or all of them).
                let start = groupStart
                groupStart += group.rowCount
                let liveCount = group.rowCount - (file.deletionVector?.indices(in: start..<(start + group.rowCount)).count ?? 0)
                if liveCount == 0 { plan.rowGroupsSkipped += 1; continue }
                let keep = usable.allSatisfy { p in
                    guard let c = fileColumnIndex[columnIds[p.column]] else {
                        return StatisticsPruning.mayMatch(p, statistics: nil, rowCount: group.rowCount)
                    }
                    guard group.columns.indices.contains(c) else { return true }
                    return StatisticsPruning.mayMatch(p, statistics: group.columns[c], rowCount: group.rowCount)
                }
                if !keep { plan.rowGroupsSkipped += 1; continue }
                var bytes = 0
                for c in reader.schema.fields.indices { bytes += reader.chunkSize(rowGroup: g, column: c) }
                plan.bytesToRead += bytes
                var proven: UInt64 = 0
                for (k, p) in predicates.prefix(64).enumerated() where schema.fields.indices.contains(p.column) {
                    let statistics: ColumnStatistics?
                    if let c = fileColumnIndex[columnIds[p.column]] {
                        guard group.columns.indices.contains(c) else { continue }
                        statistics = group.columns[c]
                    } else {
                        statistics = nil
                    }
                    if StatisticsPruning.mustMatch(p, statistics: statistics, rowCount: group.rowCount) { proven |= 1 << UInt64(k) }
                }
                plan.morsels.append(ScanMorsel(fileIndex: fileIndex, rowGroup: g, rowCount: liveCount, byteSize: bytes,
                                               provenPredicates: proven))
            }
        }
        return plan
    }

    /// Every morsel of the snapshot (no skipping).
    public func allMorsels() throws -> [ScanMorsel] { try morsels(matching: []) }

    /// Reads the given columns (indices into `schema`) of one morsel. Columns added after the file was
    /// written read as NULL. Damaged data throws `.corruption` naming the file and chunk.
    public func read(_ morsel: ScanMorsel, columns: [Int]) throws -> Batch {
        var bytes = 0
        return try read(morsel, columns: columns, bytesRead: &bytes)
    }

    /// The positions in the morsel's row group that this version still holds, when the file's deletion vector
    /// removes some of them (nil: every row of the group is live).
    func liveRows(_ morsel: ScanMorsel, _ reader: DataFileReader) -> [Int32]? {
        guard let vector = files[morsel.fileIndex].deletionVector else { return nil }
        var start = 0
        for g in 0..<morsel.rowGroup { start += reader.rowGroups[g].rowCount }
        return vector.liveRows(groupStart: start, rowCount: reader.rowGroups[morsel.rowGroup].rowCount)
    }

    /// Whether a deletion vector removes rows of the morsel's row group (so answers from its chunk headers or
    /// statistics alone do not hold).
    public func hasDeletedRows(_ morsel: ScanMorsel) -> Bool {
        guard files.indices.contains(morsel.fileIndex), let vector = files[morsel.fileIndex].deletionVector else { return false }
        guard let reader = try? readers.reader(morsel.fileIndex), reader.rowGroups.indices.contains(morsel.rowGroup) else { return true }
        var start = 0
        for g in 0..<morsel.rowGroup { start += reader.rowGroups[g].rowCount }
        return !vector.indices(in: start..<(start + reader.rowGroups[morsel.rowGroup].rowCount)).isEmpty
    }

    /// `read(_:columns:)`, adding to `bytesRead` the stored bytes of the column chunks it read; `fillCache` false
    /// leaves the chunks it decompresses out of `ChunkPayloadCache`. With `rows` (ascending positions in the morsel),
    /// only those rows, in that order (a scan reading the rest of its columns after its filter kept a few rows).
    /// Rows a deletion vector removed are not part of the morsel: its positions count only the live rows.
    public func read(_ morsel: ScanMorsel, columns: [Int], rows requested: [Int32]? = nil, bytesRead: inout Int, fillCache: Bool = true) throws -> Batch {
        let reader = try readers.reader(morsel.fileIndex)
        let path = files[morsel.fileIndex].path
        guard reader.rowGroups.indices.contains(morsel.rowGroup) else {
            throw TarnError.corruption("\(path): row group \(morsel.rowGroup) does not exist (the file has \(reader.rowGroups.count))")
        }
        let rowCount = reader.rowGroups[morsel.rowGroup].rowCount
        var rows = requested
        if let live = liveRows(morsel, reader) {
            if let requested {
                for r in requested where !live.indices.contains(Int(r)) {
                    throw TarnError(.internal, "scan of \(name) asked for row \(r) of a row group with \(live.count) live rows")
                }
                rows = requested.map { live[Int($0)] }
            } else {
                rows = live
            }
        }
        let outputCount = rows?.count ?? rowCount
        var result: [Column] = []
        result.reserveCapacity(columns.count)
        var bytes = 0
        for index in columns {
            guard schema.fields.indices.contains(index) else {
                throw TarnError(.internal, "scan of \(name) asked for column #\(index) of \(schema.count)")
            }
            let field = schema.fields[index]
            guard let fileColumn = reader.fieldIds.firstIndex(of: columnIds[index]) else {
                result.append(Column.nulls(field.type, count: outputCount))
                continue
            }
            let column: Column
            do {
                if let rows {
                    column = try reader.readColumn(rowGroup: morsel.rowGroup, column: fileColumn, rows: rows, fillCache: fillCache)
                } else {
                    column = try reader.readColumn(rowGroup: morsel.rowGroup, column: fileColumn, fillCache: fillCache)
                }
            } catch {
                throw DataFileReaderCache.naming(error, file: path)
            }
            guard column.count == outputCount else {
                throw TarnError.corruption("\(path): column '\(field.name)' of row group \(morsel.rowGroup) has \(column.count) values, expected \(outputCount)")
            }
            guard column.type.physical == field.type.physical else {
                throw TarnError.corruption("\(path): column '\(field.name)' is stored as \(column.type), the table declares \(field.type)")
            }
            bytes += reader.chunkSize(rowGroup: morsel.rowGroup, column: fileColumn)
            result.append(column.type == field.type ? column : Column(type: field.type, data: column.data, validity: column.validity))
        }
        let readBytes = bytes
        bytesRead += readBytes
        counters.add { $0.bytesRead += readBytes; $0.rowsRead += rowCount }
        return Batch(columns: result, count: outputCount)
    }

    /// `DataFileReader.sequenceRange` for table column `column` in `morsel`'s row group: the rows satisfying
    /// `column comparison value` when the chunk is an arithmetic sequence, else nil (also for a column the file lacks).
    public func sequenceRange(_ morsel: ScanMorsel, column: Int, comparison: ColumnPredicate.Comparison, value: Int64,
                              fillCache: Bool = true) throws -> Range<Int>? {
        let reader = try readers.reader(morsel.fileIndex)
        // The range is of stored rows; with deleted rows among them it would not be of the morsel's positions.
        if hasDeletedRows(morsel) { return nil }
        guard reader.rowGroups.indices.contains(morsel.rowGroup), columnIds.indices.contains(column),
              let fileColumn = reader.fieldIds.firstIndex(of: columnIds[column]) else { return nil }
        do {
            return try reader.sequenceRange(rowGroup: morsel.rowGroup, column: fileColumn, comparison: comparison, value: value,
                                            fillCache: fillCache)
        } catch {
            throw DataFileReaderCache.naming(error, file: files[morsel.fileIndex].path)
        }
    }

    /// Reads every row of the snapshot into one batch of all columns (tests, small tables, tools).
    public func readAll() throws -> Batch {
        let all = Array(schema.fields.indices)
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        var total = 0
        for morsel in try allMorsels() {
            let batch = try read(morsel, columns: all)
            for i in 0..<batch.count {
                for c in all { builders[c].append(batch.columns[c].value(at: i)) }
            }
            total += batch.count
        }
        return Batch(columns: builders.indices.map { builders[$0].finish() }, count: total)
    }
}
