// CONTRACT STUB — the format helper replaces this file with DataFileWriter.swift / DataFileReader.swift
// keeping these public signatures.

/// Writes one immutable Tarn data file (see docs/FORMAT.md): row groups of column chunks and a footer.
public final class DataFileWriter {
    public let path: String
    public let schema: Schema
    public init(path: String, schema: Schema, options: WriterOptions = WriterOptions()) throws {
        self.path = path; self.schema = schema
    }
    /// Adds rows; full row groups are encoded and written as they fill.
    public func append(_ batch: Batch) throws { throw TarnError.unsupported("todo") }
    /// Flushes the last row group, writes the footer, fsyncs and closes the file.
    public func finish() throws -> DataFileSummary { throw TarnError.unsupported("todo") }
    /// Closes and deletes a partly written file.
    public func abandon() {}
}

/// Reads a Tarn data file: the footer on open, then any column chunk of any row group on demand.
public final class DataFileReader: @unchecked Sendable {
    public let path: String
    public let schema: Schema
    /// Field ids from the footer (one per schema field).
    public let fieldIds: [Int32]
    public let rowGroups: [RowGroupInfo]
    public init(path: String) throws { throw TarnError.unsupported("todo") }
    /// Decodes one column chunk; verifies its checksum first.
    public func readColumn(rowGroup: Int, column: Int) throws -> Column { throw TarnError.unsupported("todo") }
    /// Compressed size in bytes of one column chunk as stored.
    public func chunkSize(rowGroup: Int, column: Int) -> Int { 0 }
}
