import Storage
import Execution
import Parquet

/// Reads one Parquet file into batches of a table's schema for COPY INTO: columns match by name
/// (case-insensitive), a table column the file lacks is NULL, a file column of another type is cast to the
/// table's (a value that does not convert is an error naming the file and column). A file column the table
/// lacks was already refused or added by MERGE SCHEMA (`IncrementalLoader`). Parquet has no per-record
/// rejects: a damaged file fails the whole load.
public final class ParquetLoadReader: LoadFileReader {
    public let file: SourceFile
    public let schema: Schema
    public let rejects: [IngestReject] = []
    public let rejectedCount = 0
    public private(set) var contentHash: UInt64 = 0
    private let reader: ParquetReader
    /// For each target column: the position of its source among the columns read, or nil (all NULL).
    private let sources: [Int?]
    private let casts: [DataType?]
    private var finished = false

    /// The columns of a Parquet file as the loader sees them.
    public static func fields(of file: SourceFile) throws -> [Field] {
        try ParquetFile(path: file.path).schema().fields
    }

    public init(file: SourceFile, schema: Schema, batchRows: Int) throws {
        self.file = file
        self.schema = schema
        let parquet = try ParquetFile(path: file.path)
        let columns = try parquet.columns()
        var read: [ParquetColumn] = []
        var sources: [Int?] = []
        var casts: [DataType?] = []
        for field in schema.fields {
            guard let column = columns.first(where: { $0.field.name.lowercased() == field.name.lowercased() }) else {
                sources.append(nil)
                casts.append(nil)
                continue
            }
            let from = column.field.type
            if from != field.type {
                guard CastKernels.canCast(from: from, to: field.type) else {
                    throw TarnError.semantic("\(file.displayPath): column '\(column.field.name)' is \(from) in the file but \(field.type) in the table")
                }
                casts.append(field.type)
            } else {
                casts.append(nil)
            }
            sources.append(read.count)
            read.append(column)
        }
        for column in columns where schema.index(of: column.field.name) == nil {
            throw TarnError.semantic("file \(file.displayPath) has field '\(column.field.name)' not in the table; use MERGE SCHEMA to add it")
        }
        self.sources = sources
        self.casts = casts
        reader = try ParquetReader(file: parquet, columns: read, batchRows: max(1, batchRows), parallel: true)
    }

    public func nextBatch() throws -> Batch? {
        guard !finished else { return nil }
        guard let batch = try reader.next() else {
            finished = true
            contentHash = try ContentHasher.hashFile(file.path)
            return nil
        }
        var columns: [Column] = []
        columns.reserveCapacity(schema.count)
        for (k, field) in schema.fields.enumerated() {
            guard let s = sources[k] else { columns.append(Column.nulls(field.type, count: batch.count)); continue }
            guard let target = casts[k] else { columns.append(batch.columns[s]); continue }
            do {
                columns.append(try CastKernels.cast(batch.columns[s], to: target, isTry: false, settings: SessionSettings()))
            } catch let e as TarnError {
                throw TarnError(e.kind, "\(file.displayPath), column '\(field.name)': \(e.message)")
            }
        }
        return Batch(columns: columns, count: batch.count)
    }
}
