import Foundation
import Storage

/// Streams the rows of one Parquet file as Tarn batches: row group after row group, each cut into
/// batches of at most `batchRows` rows, decoding only the projected columns' chunks.
public final class ParquetReader {
    public let file: ParquetFile
    /// The file's leaf columns read, in output order.
    public let projection: [ParquetColumn]
    /// Nested columns read after `projection` (each assembled whole per row group, then cut into batches).
    public let nested: [ParquetNestedColumn]
    public let batchRows: Int
    /// Decides per row group whether it is read at all (statistics skipping); nil reads every row group.
    public let rowGroupFilter: ((Int) -> Bool)?
    /// Row groups left out by `rowGroupFilter` so far.
    public private(set) var skippedRowGroups = 0
    /// Bytes of column chunks read from the file so far.
    public private(set) var bytesRead = 0
    private var rowGroup = -1
    private var rowsLeftInGroup = 0
    private var readers: [ColumnChunkReader] = []
    private var nestedValues: [Column] = []
    private var rowInGroup = 0

    /// A reader of `columns` (all leaf columns when nil) of `file`.
    /// Decode the columns of a batch on several threads.
    public let parallel: Bool

    public init(file: ParquetFile, columns: [ParquetColumn]? = nil, batchRows: Int = 8192, rowGroupFilter: ((Int) -> Bool)? = nil,
                parallel: Bool = false, nested: [ParquetNestedColumn] = []) throws {
        self.file = file
        self.nested = nested
        self.parallel = parallel
        self.projection = try columns ?? file.columns()
        self.batchRows = max(1, batchRows)
        self.rowGroupFilter = rowGroupFilter
    }

    /// The next batch, or nil after the last row group.
    public func next() throws -> Batch? {
        while rowsLeftInGroup == 0 {
            rowGroup += 1
            guard rowGroup < file.metadata.rowGroups.count else { return nil }
            let rows = file.metadata.rowGroups[rowGroup].numRows
            guard rows >= 0 else { throw TarnError.corruption("\(file.path): row group \(rowGroup) claims \(rows) rows") }
            // An empty row group may have no pages at all (and chunk offsets of 0): nothing to read.
            if rows == 0 { continue }
            if let rowGroupFilter, !rowGroupFilter(rowGroup) { skippedRowGroups += 1; continue }
            readers = try projection.map { try file.chunkReader(rowGroup: rowGroup, column: $0) }
            bytesRead += readers.reduce(0) { $0 + $1.byteCount }
            nestedValues = try nested.map { n in
                let (column, bytes) = try n.read(file, rowGroup: rowGroup, rows: Int(rows))
                bytesRead += bytes
                return column
            }
            rowInGroup = 0
            rowsLeftInGroup = Int(rows)
        }
        let n = min(batchRows, rowsLeftInGroup)
        var columns: [Column] = []
        columns.reserveCapacity(readers.count)
        if parallel && readers.count > 1 && n >= 4096 {
            // Column chunks decode independently (each reader owns its bytes and state): one per core.
            nonisolated(unsafe) let chunkReaders = readers  // each index is touched by exactly one thread
            var results = [Result<Column, Error>?](repeating: nil, count: chunkReaders.count)
            results.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                DispatchQueue.concurrentPerform(iterations: chunkReaders.count) { i in
                    out[i] = Result { try chunkReaders[i].read(rows: n) }
                }
            }
            for r in results {
                guard let r else { throw TarnError(.internal, "a Parquet column was not decoded") }
                columns.append(try r.get())
            }
        } else {
            for r in readers { columns.append(try r.read(rows: n)) }
        }
        for v in nestedValues { columns.append(v.slice(rowInGroup..<rowInGroup + n)) }
        rowInGroup += n
        rowsLeftInGroup -= n
        if rowsLeftInGroup == 0 { readers = []; nestedValues = [] }
        return Batch(columns: columns, count: n)
    }
}
