import Storage

/// The page codecs `ParquetWriter` writes (a subset of `CompressionCodec`, the ones readers everywhere support).
public enum ParquetCompressionCodec: String, Sendable, CaseIterable {
    case zstd, snappy, gzip, uncompressed

    /// The codec's id in the file (`CompressionCodec` in parquet.thrift).
    public var fileCodec: CompressionCodec {
        switch self {
        case .zstd: return .zstd
        case .snappy: return .snappy
        case .gzip: return .gzip
        case .uncompressed: return .uncompressed
        }
    }

    /// Parses a codec name as `COPY … (COMPRESSION x)` gives it (case-insensitive; `none` is uncompressed).
    public init?(name: String) {
        switch name.lowercased() {
        case "zstd": self = .zstd
        case "snappy": self = .snappy
        case "gzip": self = .gzip
        case "uncompressed", "none": self = .uncompressed
        default: return nil
        }
    }
}

/// How `ParquetWriter` lays a file out: the page codec and the rows per row group.
public struct ParquetWriteOptions: Sendable {
    /// The codec of every page (zstd unless told otherwise).
    public var compression: ParquetCompressionCodec
    /// Rows per row group (the last one may hold fewer). DuckDB's default.
    public var rowGroupRows: Int
    /// Uncompressed bytes of values aimed at per data page.
    public var pageBytes: Int
    /// Largest dictionary (bytes of its PLAIN encoding) tried before a column chunk falls back to PLAIN.
    public var dictionaryBytesLimit: Int
    /// Encode the column chunks of a row group on several threads.
    public var parallel: Bool
    /// Store each page's CRC-32 in its header, so readers detect a damaged page instead of reading wrong rows.
    public var pageChecksums: Bool

    public static let defaultRowGroupRows = 122_880

    public init(compression: ParquetCompressionCodec = .zstd, rowGroupRows: Int = ParquetWriteOptions.defaultRowGroupRows,
                pageBytes: Int = 1 << 20, dictionaryBytesLimit: Int = 1 << 20, parallel: Bool = true, pageChecksums: Bool = true) {
        self.compression = compression
        self.rowGroupRows = max(1, rowGroupRows)
        self.pageBytes = max(1024, pageBytes)
        self.dictionaryBytesLimit = max(0, dictionaryBytesLimit)
        self.parallel = parallel
        self.pageChecksums = pageChecksums
    }
}

/// What `ParquetWriter.close()` wrote: rows, bytes, and per column the NULL count and the extremes (as Delta
/// Lake's per-file statistics want them).
public struct ParquetWriteSummary: Sendable {
    public let rowCount: Int
    public let fileSize: Int
    public let rowGroupCount: Int
    public let columns: [ParquetColumnSummary]
}

/// One column of a written file: its NULL count and the smallest and largest non-NULL values (nil when the
/// column holds no non-NULL value; NaN is left out of a DOUBLE column's extremes).
public struct ParquetColumnSummary: Sendable {
    public let name: String
    public let type: DataType
    public let nullCount: Int
    public let min: Value?
    public let max: Value?
}
