import Foundation
import Storage
import SQL
import Execution
import Planner
import Transforms
import Parquet

/// `COPY INTO t FROM 'folder' [PATTERN '…'] [FORMAT json|csv] [OPTIONS (…)] [MERGE SCHEMA] [STRICT]` and
/// `COPY (query) TO 'file' (FORMAT csv|json|ndjson, HEADER true, DELIMITER ',')` / `COPY t TO …`.
extension StatementRunner {
    static let copyIntoColumns: [Field] = [
        Field(name: "files_loaded", type: .bigint), Field(name: "rows_loaded", type: .bigint), Field(name: "rows_rejected", type: .bigint),
        Field(name: "files_skipped", type: .bigint), Field(name: "files_changed", type: .bigint), Field(name: "version", type: .bigint),
        Field(name: "warnings", type: .varchar),
    ]

    func copyInto(_ target: QualifiedName, _ source: String, _ options: [String: Expression]) throws -> StatementResult {
        var values = try StatementOptions.values(options, statement: "COPY INTO")
        if values.removeValue(forKey: "relation") != nil {
            return try copyIntoFromRelation(target, source, watermark: values.removeValue(forKey: "watermark")?.description, otherOptions: Array(values.keys))
        }
        var request = IncrementalLoader.Request(table: try session.existingTableName(target), source: source)
        request.pattern = values.removeValue(forKey: "pattern").map(\.description)
        request.mergeSchema = try values.removeValue(forKey: "merge_schema").map { try flag($0, "MERGE SCHEMA") } ?? false
        request.strict = try values.removeValue(forKey: "strict").map { try flag($0, "STRICT") } ?? false
        if values["columns"] != nil, !(values["columns"]?.description.contains(" ") ?? false) {
            throw TarnError.unsupported("COPY INTO with a column list: fields map to columns by name; remove the list")
        }
        request.ingest = try IngestOptions.parse(values)
        request.format = request.ingest.format
        let pipeline = try writePipeline(request.table, schema: (try? lake.snapshot(of: request.table).schema) ?? Schema([]), declared: nil)
        request.rowFilter = { try pipeline.process($0) }
        request.beforeCommit = { try pipeline.finish() }
        request.recordInCommit = { try pipeline.record($0) }
        if let transaction = session.transaction {
            let staging = transaction.lake
            request.beginWrite = { try staging.beginWrite($0) }
        }
        let outcome = try IncrementalLoader(lake: lake).load(request) { progress.scanned(rows: $0, bytes: 0) }
        var report = pipeline.report
        report.version = outcome.version
        session.lastWriteReport = report
        var warnings = outcome.warnings
        if !outcome.columnsAdded.isEmpty { warnings.insert("MERGE SCHEMA added column(s) \(outcome.columnsAdded.joined(separator: ", "))", at: 0) }
        let row: [Value] = [
            .bigint(Int64(outcome.filesLoaded)), .bigint(Int64(outcome.rowsLoaded)), .bigint(Int64(outcome.rowsRejected)),
            .bigint(Int64(outcome.filesSkipped)), .bigint(Int64(outcome.filesChanged)), outcome.version.map { .bigint($0) } ?? .null,
            warnings.isEmpty ? .null : .varchar(warnings.joined(separator: "; ")),
        ]
        var result = table(Self.copyIntoColumns, [row])
        result.message = "COPY \(outcome.rowsLoaded)"
        return result
    }

    func copyTo(_ source: Query, _ path: String, _ options: [String: Expression]) throws -> StatementResult {
        let values = try StatementOptions.values(options, statement: "COPY TO")
        if ParquetExportOptions.applies(values, path: path) { return try copyToParquet(source, path, try ParquetExportOptions.parse(values)) }
        if values["partition_by"] != nil { throw TarnError.unsupported("COPY TO: PARTITION_BY is supported with FORMAT parquet only") }
        let exportOptions = try ExportOptions.parse(values, path: path)
        let planned = try QueryPlanner.plan(source, context: context())
        let op = try planned.makeOperator()
        let exporter = try FileExporter(path: path, columns: planned.columns, options: exportOptions)
        do {
            // Batches are written as the query produces them, on this thread: producing them on a thread of its own
            // (`BatchPrefetcher`, four batches ahead) raised COPY's peak RSS over the streaming bound of Tests/cli.
            try stream(op) { try exporter.write($0) }
            let rows = try exporter.finish()
            return message("COPY \(rows)", rows: rows)
        } catch {
            exporter.abandon()
            throw error
        }
    }

    /// `COPY … TO 'f.parquet'` (one file) or `COPY … TO 'folder' (FORMAT parquet, PARTITION_BY (…))`.
    private func copyToParquet(_ source: Query, _ path: String, _ o: ParquetExportOptions) throws -> StatementResult {
        let planned = try QueryPlanner.plan(source, context: context())
        let op = try planned.makeOperator()
        if !o.partitionBy.isEmpty {
            let writer = try HivePartitionedParquetWriter(folder: path, columns: planned.columns, partitionBy: o.partitionBy, options: o.write,
                                                          overwrite: o.overwrite, overwriteOrIgnore: o.overwriteOrIgnore)
            do {
                try stream(op) { try writer.write($0) }
                let rows = try writer.close()
                return message("COPY \(rows)", rows: rows)
            } catch {
                writer.abandon()
                throw error
            }
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TarnError.io("COPY TO: the folder \(folder) does not exist")
        }
        let writer = try ParquetWriter(path: path, columns: planned.columns.map { ($0.name, $0.type) }, options: o.write)
        do {
            try stream(op) { try writer.write($0) }
            let rows = try writer.close().rowCount
            return message("COPY \(rows)", rows: rows)
        } catch {
            writer.abandon()
            throw error
        }
    }

    private func flag(_ v: Value, _ what: String) throws -> Bool {
        switch v {
        case let .boolean(b): return b
        case let .bigint(n): return n != 0
        case let .varchar(s): return ["true", "1", "yes", "on"].contains(s.lowercased())
        default: throw TarnError.semantic("\(what) must be true or false")
        }
    }
}
