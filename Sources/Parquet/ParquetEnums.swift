/// Parquet's physical storage types (`Type` in parquet.thrift).
public enum PhysicalKind: Int32, Sendable, CustomStringConvertible {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

    public var description: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .int32: return "INT32"
        case .int64: return "INT64"
        case .int96: return "INT96"
        case .float: return "FLOAT"
        case .double: return "DOUBLE"
        case .byteArray: return "BYTE_ARRAY"
        case .fixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

/// How a value is encoded in a page (`Encoding` in parquet.thrift).
public enum Encoding: Int32, Sendable, CustomStringConvertible {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    public var description: String {
        switch self {
        case .plain: return "PLAIN"
        case .plainDictionary: return "PLAIN_DICTIONARY"
        case .rle: return "RLE"
        case .bitPacked: return "BIT_PACKED"
        case .deltaBinaryPacked: return "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: return "DELTA_BYTE_ARRAY"
        case .rleDictionary: return "RLE_DICTIONARY"
        case .byteStreamSplit: return "BYTE_STREAM_SPLIT"
        }
    }

    /// The name of an encoding id, known or not (for messages).
    public static func name(_ raw: Int32) -> String { Encoding(rawValue: raw)?.description ?? "encoding #\(raw)" }
}

/// Page compression codecs (`CompressionCodec` in parquet.thrift).
public enum CompressionCodec: Int32, Sendable, CustomStringConvertible {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    public var description: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }
}

/// Whether a schema field is required, optional or repeated (`FieldRepetitionType`).
public enum Repetition: Int32, Sendable, CustomStringConvertible {
    case required = 0, optional = 1, repeated = 2

    public var description: String {
        switch self {
        case .required: return "REQUIRED"
        case .optional: return "OPTIONAL"
        case .repeated: return "REPEATED"
        }
    }
}

/// Kinds of pages in a column chunk (`PageType`).
public enum PageType: Int32, Sendable {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

/// The legacy logical annotations (`ConvertedType`); newer writers also set `LogicalType`.
public enum ConvertedType: Int32, Sendable {
    case utf8 = 0, map = 1, mapKeyValue = 2, list = 3, enumeration = 4, decimal = 5, date = 6
    case timeMillis = 7, timeMicros = 8, timestampMillis = 9, timestampMicros = 10
    case uint8 = 11, uint16 = 12, uint32 = 13, uint64 = 14, int8 = 15, int16 = 16, int32 = 17, int64 = 18
    case json = 19, bson = 20, interval = 21
}

/// Resolution of a TIME or TIMESTAMP logical type.
public enum TimeUnit: Sendable, Equatable {
    case millis, micros, nanos
}

/// The logical annotation of a schema field (`LogicalType` union in parquet.thrift).
public enum LogicalType: Sendable, Equatable, CustomStringConvertible {
    case string, map, list, enumeration, json, bson, uuid, float16, unknown
    case decimal(precision: Int32, scale: Int32)
    case date
    case time(unit: TimeUnit, utc: Bool)
    case timestamp(unit: TimeUnit, utc: Bool)
    case integer(bitWidth: Int8, signed: Bool)
    /// A union member this reader does not know (kept so the schema still prints).
    case other(Int16)

    public var description: String {
        switch self {
        case .string: return "STRING"
        case .map: return "MAP"
        case .list: return "LIST"
        case .enumeration: return "ENUM"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .uuid: return "UUID"
        case .float16: return "FLOAT16"
        case .unknown: return "UNKNOWN"
        case let .decimal(p, s): return "DECIMAL(\(p),\(s))"
        case .date: return "DATE"
        case let .time(u, utc): return "TIME(\(u), utc=\(utc))"
        case let .timestamp(u, utc): return "TIMESTAMP(\(u), utc=\(utc))"
        case let .integer(w, s): return "INT(\(w), \(s ? "signed" : "unsigned"))"
        case let .other(id): return "logical type #\(id)"
        }
    }
}
