import Foundation
import Storage

/// `COPY INTO t FROM 'folder' …`: loads the files of a folder (or glob) that were not loaded into `t` before,
/// exactly once. All new files' rows, the records of the files in `tarn_loaded_files` and the rejected records
/// in `tarn_load_rejects` are committed together as one table version, so a crash or a failed statement leaves
/// neither rows nor records, and a re-run loads the same files again from scratch.
///
/// A file already recorded is skipped when its size and modification time (or else its content hash) are
/// unchanged; a recorded file whose content changed is reported, never reloaded. Fields map to columns by name
/// and missing fields are NULL; a field the table lacks is an error unless MERGE SCHEMA adds the column.
public struct IncrementalLoader {
    /// What the statement asked for.
    public struct Request: Sendable {
        public var table: TableName
        public var source: String
        public var pattern: String?
        public var format: IngestFormat?
        public var mergeSchema = false
        public var strict = false
        public var ingest = IngestOptions()
        /// The rows of each batch to write (the table's expectations drop rows here); nil writes every row.
        public var rowFilter: (@Sendable (Batch) throws -> Batch)?
        /// Runs after the last file is read, before the commit; throwing cancels the load (FAIL UPDATE).
        public var beforeCommit: (@Sendable () throws -> Void)?
        /// Runs inside the commit's catalog transaction, after the version is recorded (quality records).
        public var recordInCommit: (@Sendable (CatalogTransaction) throws -> Void)?
        /// Starts the write instead of `lake.beginWrite` (a transaction block's writer). With it the loader neither
        /// creates the table nor adds columns: those commit on their own, so it refuses them.
        public var beginWrite: (@Sendable (TableName) throws -> TableWriter)?
        public init(table: TableName, source: String) { self.table = table; self.source = source }
    }

    /// What the load did (the COPY statement's result row).
    public struct Outcome: Sendable {
        public var filesLoaded = 0
        public var rowsLoaded = 0
        public var rowsRejected = 0
        public var filesSkipped = 0
        public var filesChanged = 0
        /// The version the rows landed in (nil when nothing was committed).
        public var version: Int64?
        public var warnings: [String] = []
        /// Columns MERGE SCHEMA added.
        public var columnsAdded: [String] = []
    }

    public let lake: Lake
    public init(lake: Lake) { self.lake = lake }

    /// Rows from the sample of each new file used to find fields the table does not have.
    static let schemaSampleRecords = 1000

    /// A folder load without FORMAT or PATTERN picks files by the format's extensions; files it passed over are
    /// named in a warning, so a folder of CSV files loaded as (default) JSON does not end with a silent zero.
    static func filesOfOtherFormats(in source: String, picked: Int, format: IngestFormat) throws -> [String] {
        let all = try SourceFile.resolve(source)
        guard all.count > picked else { return [] }
        let extensions = format.extensions.map { "." + $0 }.joined(separator: ", ")
        let example = all.first { file in !format.extensions.contains { file.path.lowercased().hasSuffix("." + $0) } }
        return ["\(all.count - picked) file(s) in \(source) were not loaded because they do not end in \(extensions)"
                + (example.map { " (for example \($0.displayPath))" } ?? "") + "; give FORMAT or PATTERN to load them"]
    }

    public func load(_ request: Request, progress: ((Int) -> Void)? = nil) throws -> Outcome {
        try LoadCatalog.ensure(lake)
        let format = request.format ?? request.pattern.flatMap(IngestFormat.guess) ?? IngestFormat.guess(from: request.source) ?? .json
        var options = request.ingest
        options.format = format
        let files = try SourceFile.resolve(request.source, pattern: request.pattern, extensions: format.extensions)
        var outcome = Outcome()
        if request.format == nil && request.pattern == nil {
            outcome.warnings += try Self.filesOfOtherFormats(in: request.source, picked: files.count, format: format)
        }

        // Create the table from the files when it does not exist yet.
        if !(try lake.tableExists(request.table)) {
            if request.beginWrite != nil {
                throw TarnError(.unsupported, "table '\(request.table)' does not exist, and COPY INTO cannot create a table inside a transaction block; "
                                + "COMMIT or ROLLBACK first")
            }
            guard !files.isEmpty else { throw TarnError.semantic("table '\(request.table)' does not exist and \(request.source) has no files to infer it from") }
            let schema = try options.columns ?? SchemaSampler.infer(files: files, format: format, options: options)
            try lake.createTable(request.table, schema: schema, ifNotExists: true)
        }
        guard let uuid = try LoadCatalog.tableUUID(lake, request.table) else { throw TarnError.semantic("table '\(request.table)' does not exist") }

        // Which files are new, already loaded, or changed since they were loaded.
        let loaded = Dictionary(try LoadCatalog.loadedFiles(lake, tableUUID: uuid).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var newFiles: [SourceFile] = []
        for file in files {
            guard let previous = loaded[file.path] else { newFiles.append(file); continue }
            if previous.size == file.size && previous.modifiedAt == file.modifiedAt { outcome.filesSkipped += 1; continue }
            if previous.size == file.size, LoadCatalog.hex(try ContentHasher.hashFile(file.path)) == previous.contentHash {
                outcome.filesSkipped += 1
                continue
            }
            outcome.filesChanged += 1
            outcome.warnings.append("file \(file.displayPath) changed since it was loaded in version \(previous.version) "
                                    + "(\(previous.size) → \(file.size) bytes); it was not reloaded")
        }
        guard !newFiles.isEmpty else { return outcome }

        // Fields the table does not have: add them (MERGE SCHEMA) or refuse.
        var schema = try lake.snapshot(of: request.table).schema
        var missing: [Field] = []
        for file in newFiles {
            let fields = try SchemaSampler.fields(of: file, format: format, options: options, records: Self.schemaSampleRecords)
            for field in fields where schema.index(of: field.name) == nil && !missing.contains(where: { $0.name.lowercased() == field.name.lowercased() }) {
                guard request.mergeSchema else {
                    throw TarnError.semantic("file \(file.displayPath) has field '\(field.name)' not in table \(request.table); use MERGE SCHEMA to add it")
                }
                missing.append(field)
            }
        }
        if !missing.isEmpty, request.beginWrite != nil {
            throw TarnError(.unsupported, "MERGE SCHEMA cannot add columns (\(missing.map(\.name).joined(separator: ", "))) to table '\(request.table)' "
                            + "inside a transaction block; COMMIT or ROLLBACK first")
        }
        for field in missing {
            try lake.addColumn(request.table, field: field)
            outcome.columnsAdded.append(field.name)
        }
        if !missing.isEmpty { schema = try lake.snapshot(of: request.table).schema }

        // Read every new file into one write.
        let writer = try request.beginWrite?(request.table) ?? lake.beginWrite(request.table)
        struct FileResult { var file: SourceFile; var rows: Int; var rejected: Int; var hash: String }
        var results: [FileResult] = []
        var rejects: [(path: String, reject: IngestReject)] = []
        do {
            for file in newFiles {
                let reader: LoadFileReader = format == .parquet
                    ? try ParquetLoadReader(file: file, schema: writer.schema, batchRows: options.batchRows)
                    : try StructuredFileReader(file: file, format: format, schema: writer.schema, options: options,
                                               unknownFields: .reject, rejectsAreErrors: request.strict)
                var rows = 0
                while let batch = try reader.nextBatch() {
                    let kept = try request.rowFilter?(batch) ?? batch
                    if kept.count > 0 { try writer.append(kept) }
                    rows += batch.count
                    progress?(batch.count)
                }
                results.append(FileResult(file: file, rows: rows, rejected: reader.rejectedCount, hash: LoadCatalog.hex(reader.contentHash)))
                rejects.append(contentsOf: reader.rejects.map { (file.path, $0) })
                outcome.rowsLoaded += rows
                outcome.rowsRejected += reader.rejectedCount
            }
        } catch {
            writer.abort()
            throw error
        }
        _ = schema
        do { try request.beforeCommit?() } catch { writer.abort(); throw error }

        let tableName = request.table.description
        let parameters = CopyParameters.json(["source": request.source, "files": String(results.count),
                                              "rows": String(outcome.rowsLoaded), "rejected": String(outcome.rowsRejected)])
        var committedVersion: Int64 = 0
        do {
            let info = try writer.commit(operation: "COPY INTO", parameters: parameters) { tx in
                guard let version = try tx.query("""
                    SELECT max(s.version) FROM snapshots s JOIN tables t ON t.table_id = s.table_id WHERE t.uuid = ?
                    """, [.text(uuid)]).first?[0].int64 else { throw TarnError(.internal, "the new version of \(tableName) is not in the catalog") }
                committedVersion = version
                try request.recordInCommit?(tx)
                let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                for r in results {
                    if try !tx.query("SELECT version FROM tarn_loaded_files WHERE table_uuid = ? AND path = ?", [.text(uuid), .text(r.file.path)]).isEmpty {
                        throw TarnError(.conflict, "file \(r.file.displayPath) was loaded into \(tableName) by a concurrent COPY; nothing was loaded")
                    }
                    try tx.execute("""
                        INSERT INTO tarn_loaded_files(table_uuid, table_name, path, size, modified_at, content_hash, version,
                                                      rows_loaded, rows_rejected, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.text(uuid), .text(tableName), .text(r.file.path), .integer(r.file.size), .integer(r.file.modifiedAt),
                              .text(r.hash), .integer(version), .integer(Int64(r.rows)), .integer(Int64(r.rejected)), .integer(now)])
                }
                for (path, reject) in rejects {
                    try tx.execute("""
                        INSERT INTO tarn_load_rejects(table_uuid, table_name, path, line, column_name, raw, reason, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.text(uuid), .text(tableName), .text(path), .integer(Int64(reject.line)),
                              reject.column.map { .text($0) } ?? .null, .text(reject.raw), .text(reject.reason), .integer(version)])
                }
            }
            outcome.version = committedVersion == 0 ? info.version : committedVersion
        }
        outcome.filesLoaded = results.count
        return outcome
    }
}

/// The JSON object text of a COPY's history parameters.
enum CopyParameters {
    static func json(_ values: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
