import Storage
import Execution

/// Streams the rows of JSON or CSV files (`read_json`, `read_csv`) in a fixed schema, file after file.
/// A record that does not parse or fit fails the query with its file, line and column, unless `ignore_errors`.
public final class FileScanOperator: PhysicalOperator {
    public let files: [SourceFile]
    public let format: IngestFormat
    public let schema: Schema
    public let options: IngestOptions
    public let statistics = OperatorStatistics()
    private var fileIndex = 0
    private var reader: StructuredFileReader?
    private var context = ExecutionContext()

    public init(files: [SourceFile], format: IngestFormat, schema: Schema, options: IngestOptions) {
        self.files = files
        self.format = format
        self.schema = schema
        self.options = options
    }

    public var outputTypes: [DataType] { schema.types }
    public var children: [PhysicalOperator] { [] }
    public var explainLine: String { "FileScan \(format.rawValue) files=\(files.count)" }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        fileIndex = 0
        reader = nil
    }

    public func next() throws -> Batch? {
        while true {
            try context.progress.checkCancelled()
            if reader == nil {
                guard fileIndex < files.count else { return nil }
                reader = try StructuredFileReader(file: files[fileIndex], format: format, schema: schema, options: options,
                                                  unknownFields: .ignore, rejectsAreErrors: true)
                fileIndex += 1
            }
            if let batch = try reader?.nextBatch() {
                statistics.add(rows: batch.count, nanos: 0)
                context.progress.scanned(rows: batch.count, bytes: 0)
                return batch
            }
            reader = nil
        }
    }

    public func close() { reader = nil }
}
