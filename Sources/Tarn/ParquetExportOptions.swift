import Storage
import Parquet

/// Options of `COPY … TO 'f.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE n, PARTITION_BY (a, b),
/// OVERWRITE_OR_IGNORE, OVERWRITE)`, and whether a COPY TO writes Parquet at all.
struct ParquetExportOptions {
    var write = ParquetWriteOptions()
    /// Hive partition columns: the target is a folder of `a=…/b=…/data_0.parquet` files.
    var partitionBy: [String] = []
    /// A partitioned write into a folder that holds files replaces the files of the same names.
    var overwriteOrIgnore = false
    /// A partitioned write first empties the folder.
    var overwrite = false

    /// Whether the COPY writes Parquet: `FORMAT parquet`, or no FORMAT and a `.parquet` target (as DuckDB).
    static func applies(_ options: [String: Value], path: String) -> Bool {
        if let format = options["format"] { return format.description.lowercased() == "parquet" }
        return path.lowercased().hasSuffix(".parquet")
    }

    static func parse(_ options: [String: Value]) throws -> ParquetExportOptions {
        var o = ParquetExportOptions()
        for (key, value) in options {
            switch key {
            case "format": continue
            case "compression", "codec":
                guard let codec = ParquetCompressionCodec(name: value.description) else {
                    throw TarnError.semantic("COPY TO: unknown Parquet compression '\(value)'; expected zstd, snappy, gzip or uncompressed")
                }
                o.write.compression = codec
            case "row_group_size":
                guard let n = value.int64Value, n >= 1, n <= 1 << 30 else {
                    throw TarnError.semantic("COPY TO: ROW_GROUP_SIZE must be a positive number of rows, not \(value)")
                }
                o.write.rowGroupRows = Int(n)
            case "partition_by":
                o.partitionBy = value.description.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !o.partitionBy.isEmpty else { throw TarnError.semantic("COPY TO: PARTITION_BY needs at least one column") }
            case "overwrite_or_ignore": o.overwriteOrIgnore = try flag(value, key)
            case "overwrite": o.overwrite = try flag(value, key)
            default:
                throw TarnError.semantic("COPY TO: unknown Parquet option '\(key)' (COMPRESSION, ROW_GROUP_SIZE, PARTITION_BY, OVERWRITE_OR_IGNORE, OVERWRITE)")
            }
        }
        return o
    }

    private static func flag(_ v: Value, _ key: String) throws -> Bool {
        switch v {
        case let .boolean(b): return b
        case let .bigint(n): return n != 0
        case let .varchar(s) where ["true", "1", "on", "yes"].contains(s.lowercased()): return true
        case let .varchar(s) where ["false", "0", "off", "no"].contains(s.lowercased()): return false
        default: throw TarnError.semantic("COPY TO: \(key.uppercased()) must be true or false")
        }
    }
}
