import Storage
#if canImport(Glibc)
import Glibc
private let systemPread = Glibc.pread
#elseif canImport(Darwin)
import Darwin
private let systemPread = Darwin.pread
#endif

/// An open Parquet file: its validated footer, its flat columns mapped to Tarn types, and positioned reads.
///
/// Opening checks the magic numbers, the footer length against the file size and decodes the footer; the
/// schema is mapped lazily (`columns()`) so `parquet_schema`/`parquet_metadata` still work on nested files.
public final class ParquetFile: @unchecked Sendable {
    /// The path as given (used in error messages).
    public let path: String
    public let size: Int
    public let metadata: FileMetaData
    /// Length of the Thrift footer (before the final length and magic).
    let footerLength: Int
    private let descriptor: Int32

    static let magic: [UInt8] = Array("PAR1".utf8)

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw TarnError.io("cannot open \(path) (errno \(errno))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw TarnError.io("cannot stat \(path) (errno \(errno))") }
        descriptor = fd
        size = Int(st.st_size)
        do {
            (metadata, footerLength) = try Self.readFooter(fd: fd, size: size, path: path)
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// Reads `count` bytes at `offset`; a short read is a corruption error naming `what`.
    public func read(offset: Int, count: Int, what: String) throws -> [UInt8] {
        try Self.pread(descriptor, offset: offset, count: count, size: size, path: path, what: what)
    }

    private static func pread(_ fd: Int32, offset: Int, count: Int, size: Int, path: String, what: String) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw TarnError.corruption("\(path): \(what) (bytes \(offset)..<\(offset &+ count)) lies outside the file of \(size) bytes")
        }
        var failure: Error?
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, n in
            var done = 0
            while done < count, let base = buffer.baseAddress {
                let r = systemPread(fd, base + done, count - done, off_t(offset + done))
                if r < 0 && errno == EINTR { continue }
                if r <= 0 { failure = TarnError.io("\(path): reading \(what) failed (errno \(errno))"); break }
                done += r
            }
            n = failure == nil ? count : 0
        }
        if let failure { throw failure }
        return out
    }

    private static func readFooter(fd: Int32, size: Int, path: String) throws -> (FileMetaData, Int) {
        guard size >= 12 else { throw TarnError.corruption("\(path): \(size) bytes is too short to be a Parquet file") }
        let head = try pread(fd, offset: 0, count: 4, size: size, path: path, what: "the header")
        let tail = try pread(fd, offset: size - 8, count: 8, size: size, path: path, what: "the footer length")
        guard head == magic else { throw TarnError.corruption("\(path) is not a Parquet file (it does not start with PAR1)") }
        guard Array(tail[4..<8]) == magic else {
            if Array(tail[4..<8]) == Array("PARE".utf8) { throw TarnError.unsupported("\(path): encrypted Parquet files are not supported") }
            throw TarnError.corruption("\(path) does not end with PAR1 (truncated or not a Parquet file)")
        }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard length > 0, length <= size - 12 else {
            throw TarnError.corruption("\(path): the footer length \(length) does not fit in the file of \(size) bytes")
        }
        let footer = try pread(fd, offset: size - 8 - length, count: length, size: size, path: path, what: "the footer")
        do {
            return (try FileMetaData.decode(footer), length)
        } catch let e as TarnError {
            throw TarnError(e.kind, "\(path): footer: \(e.message)")
        }
    }

    /// Where the footer starts: column chunks end before it.
    var dataEnd: Int { size - 8 - footerLength }

    /// Whether the writer is a parquet-mr older than 1.2.9 (or one that does not give its version), whose
    /// column chunk sizes may leave out a dictionary page header (PARQUET-816).
    var writerUndercountsDictionaryPages: Bool {
        guard let createdBy = metadata.createdBy, createdBy.hasPrefix("parquet-mr") else { return false }
        guard let range = createdBy.range(of: "version ") else { return true }
        let numbers = createdBy[range.upperBound...].prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }
        guard numbers.count >= 3 else { return true }
        return (numbers[0], numbers[1], numbers[2]) < (1, 2, 9)
    }

    /// The leaf columns mapped to Tarn types; a nested column or an unsupported type is an error naming it.
    public func columns() throws -> [ParquetColumn] {
        do {
            return try ParquetColumn.columns(of: metadata.schema)
        } catch let e as TarnError {
            throw TarnError(e.kind, "\(path): \(e.message)")
        }
    }

    /// The top-level columns, nested ones included by name (see `ParquetColumn.topLevel`).
    public func topLevelColumns() throws -> [ParquetColumn.TopLevelColumn] {
        do {
            return try ParquetColumn.topLevel(of: metadata.schema)
        } catch let e as TarnError {
            throw TarnError(e.kind, "\(path): \(e.message)")
        }
    }

    /// The Tarn schema of the file.
    public func schema() throws -> Schema { Schema(try columns().map(\.field)) }

    /// Every row of row group `rowGroup` for `columns` as one batch, and the bytes of column chunks read. Safe to call
    /// from several threads at once (reads are positioned; each call decodes with readers of its own).
    public func rowGroupBatch(_ rowGroup: Int, columns: [ParquetColumn], nested: [ParquetNestedColumn] = []) throws -> (batch: Batch, bytesRead: Int) {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else { throw TarnError(.internal, "\(path): no row group \(rowGroup)") }
        let rows = metadata.rowGroups[rowGroup].numRows
        guard rows >= 0, rows <= Int64(Int32.max) else { throw TarnError.corruption("\(path): row group \(rowGroup) claims \(rows) rows") }
        if rows == 0 { return (Batch(columns: columns.map { Column.nulls($0.field.type, count: 0) } + nested.map { Column.nulls($0.field.type, count: 0) }, count: 0), 0) }
        var bytes = 0
        var decoded = try columns.map { column -> Column in
            let reader = try chunkReader(rowGroup: rowGroup, column: column)
            bytes += reader.byteCount
            return try reader.read(rows: Int(rows))
        }
        for n in nested {
            let (column, read) = try n.read(self, rowGroup: rowGroup, rows: Int(rows))
            bytes += read
            decoded.append(column)
        }
        return (Batch(columns: decoded, count: Int(rows)), bytes)
    }

    /// Reads the chunk of `column` in row group `rowGroup` after checking its metadata against the file.
    func chunkReader(rowGroup: Int, column: ParquetColumn) throws -> ColumnChunkReader {
        let chunk = try checkedChunk(rowGroup: rowGroup, column: column)
        let bytes = try read(offset: chunk.start, count: chunk.length, what: "column chunk")
        return ColumnChunkReader(column: column, codec: chunk.codec, data: bytes, rows: chunk.rows, location: chunk.location)
    }

    /// A column chunk whose metadata agrees with the file: its codec, its bytes' place, and the entries it holds.
    struct CheckedChunk {
        let meta: ColumnMetaData
        let codec: CompressionCodec
        let start: Int
        let length: Int
        /// Rows (entries, under a repeated group) the chunk's pages hold.
        let rows: Int
        /// "file: row group n, column 'c'" for error messages.
        let location: String
    }

    /// Checks the chunk of `column` in row group `rowGroup` against the file and the schema.
    func checkedChunk(rowGroup: Int, column: ParquetColumn) throws -> CheckedChunk {
        let location = "\(path): row group \(rowGroup), column '\(column.field.name)'"
        guard rowGroup < metadata.rowGroups.count else { throw TarnError(.internal, "\(location): no such row group") }
        let group = metadata.rowGroups[rowGroup]
        guard column.index < group.columns.count else {
            throw TarnError.corruption("\(location): the row group has \(group.columns.count) column chunks")
        }
        let chunk = group.columns[column.index]
        guard chunk.filePath == nil else { throw TarnError.unsupported("\(location): column chunks in other files are not supported") }
        guard let meta = chunk.metaData else { throw TarnError.corruption("\(location): the column chunk has no metadata") }
        guard meta.rawType == column.element.rawType else {
            throw TarnError.corruption("\(location): the chunk's type #\(meta.rawType) differs from the schema's")
        }
        guard let codec = meta.codec else { throw TarnError.unsupported("\(location): unknown compression codec #\(meta.rawCodec)") }
        if codec == .lzo || codec == .brotli { throw TarnError.unsupported("\(location): the \(codec) codec is not supported by read_parquet") }
        guard group.numRows >= 0, group.numRows <= Int64(Int32.max) * 64 else {
            throw TarnError.corruption("\(location): the row group claims \(group.numRows) rows")
        }
        // A leaf under a repeated group has an entry per element of its lists: at least one per row.
        let repeated = column.maxRepetitionLevel > 0
        guard repeated ? meta.numValues >= group.numRows && meta.numValues <= Int64(Int32.max) * 64 : meta.numValues == group.numRows else {
            throw TarnError.corruption("\(location): the column chunk holds \(meta.numValues) values for \(group.numRows) rows")
        }
        guard meta.pathInSchema.last == column.element.name else {
            throw TarnError.corruption("\(location): the column chunk is for '\(meta.pathInSchema.joined(separator: "."))'")
        }
        let start = meta.firstPageOffset
        var length = meta.totalCompressedSize
        guard start >= 4, length >= 0, start <= Int64(size), length <= Int64(size) - start else {
            throw TarnError.corruption("\(location): the column chunk (offset \(start), \(length) bytes) lies outside the file of \(size) bytes")
        }
        if writerUndercountsDictionaryPages {
            // PARQUET-816: parquet-mr before 1.2.9 left a dictionary page's header out of the chunk's size; read a
            // little further (never past the footer) so that page's last bytes are there.
            length = min(length + 100, Int64(dataEnd) - start)
        }
        return CheckedChunk(meta: meta, codec: codec, start: Int(start), length: Int(length),
                            rows: Int(repeated ? meta.numValues : group.numRows), location: location)
    }
}
