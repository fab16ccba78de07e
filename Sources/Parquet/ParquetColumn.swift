import Storage

/// A leaf column of a flat Parquet schema and the Tarn type it is read as.
public struct ParquetColumn: Sendable {
    /// How stored values become the values of `field.type`, chosen from the physical and logical types.
    public enum Conversion: Sendable, Equatable {
        /// Stored as Tarn stores it (BOOLEAN, INT32 → INTEGER, INT64 → BIGINT, DOUBLE, DATE, strings).
        case identity
        /// FLOAT widened to DOUBLE.
        case floatToDouble
        /// INT32 widened to a 64-bit type (UINT32 → BIGINT, DECIMAL on INT32 → DECIMAL); `unsigned` reads the bits as UInt32.
        case int32ToInt64(unsigned: Bool)
        /// UINT64 → BIGINT; a value above 2^63-1 is an error.
        case uint64
        /// INT32/INT64 multiplied by a factor (TIMESTAMP/TIME millis → micros).
        case multiply(Int64)
        /// INT64 divided by a factor, rounding toward −∞ (TIMESTAMP/TIME nanos → micros).
        case divide(Int64)
        /// INT96 (nanoseconds of day + Julian day) → TIMESTAMP micros.
        case int96Timestamp
        /// Big-endian two's-complement bytes (DECIMAL on BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY) → unscaled Int64.
        case bytesToDecimal
        /// Big-endian two's-complement bytes of DECIMAL(19…38) → unscaled Int128.
        case bytesToDecimal128
        /// DECIMAL of precision > 38 → DOUBLE: the unscaled integer over 10^scale.
        case decimalToDouble(scale: Int32)
        /// FLOAT16 (2 little-endian bytes, IEEE half precision) → DOUBLE.
        case float16ToDouble
        /// UUID (16 bytes) → VARCHAR in the canonical 8-4-4-4-12 lower-case hex form.
        case uuidToString
    }

    /// Position among the leaf columns (= index of the chunk in each row group).
    public var index: Int
    public var field: Field
    public var element: SchemaElement
    public var physical: PhysicalKind
    public var conversion: Conversion
    /// Highest definition level: 1 for an optional column, 0 for a required one.
    public var maxDefinitionLevel: Int
    /// Highest repetition level: 0 except for a leaf under a repeated group (see `ParquetFile.leaves()`).
    public var maxRepetitionLevel = 0

    /// Maps the leaf `element` (child of the root) to a Tarn field, or throws naming the column.
    public init(index: Int, element e: SchemaElement) throws {
        self.index = index
        self.element = e
        let name = e.name
        guard let physical = e.type else {
            throw TarnError.unsupported("column '\(name)' has the unknown physical type #\(e.rawType ?? -1)")
        }
        self.physical = physical
        maxDefinitionLevel = e.repetition == .optional ? 1 : 0
        let (type, conversion) = try Self.map(e, physical)
        self.conversion = conversion
        field = Field(name: name, type: type, nullable: e.repetition != .required)
    }

    private static func map(_ e: SchemaElement, _ physical: PhysicalKind) throws -> (DataType, Conversion) {
        var logical = e.logicalType ?? legacyLogicalType(e)
        // An annotation this reader does not know (or the NULL type) is ignored: the physical type decides,
        // as the format asks of readers.
        switch logical {
        case .other?, .unknown?: logical = nil
        default: break
        }
        func unsupported(_ what: String) -> TarnError {
            TarnError.unsupported("column '\(e.name)': \(what) is not supported by read_parquet yet")
        }
        func decimal(_ p: Int32, _ s: Int32, onBytes: Bool) throws -> (DataType, Conversion) {
            guard p >= 1, s >= 0, s <= p else { throw TarnError.corruption("column '\(e.name)': invalid DECIMAL(\(p),\(s))") }
            if p > Int32(DataType.maxInt64DecimalPrecision), p <= Int32(DataType.maxDecimalPrecision), onBytes {
                return (.decimal(precision: Int(p), scale: Int(s)), .bytesToDecimal128)
            }
            if p > Int32(DataType.maxInt64DecimalPrecision) {
                guard onBytes else { throw TarnError.corruption("column '\(e.name)': DECIMAL(\(p),\(s)) cannot be stored in \(physical)") }
                return (.double, .decimalToDouble(scale: s))
            }
            let type = DataType.decimal(precision: Int(p), scale: Int(s))
            switch physical {
            case .int32: return (type, .int32ToInt64(unsigned: false))
            case .int64: return (type, .identity)
            default: return (type, .bytesToDecimal)
            }
        }
        switch physical {
        case .boolean:
            return (.boolean, .identity)
        case .int32:
            switch logical {
            case nil, .integer(_, true)?: return (.integer, .identity)
            case let .integer(width, false)?: return width >= 32 ? (.bigint, .int32ToInt64(unsigned: true)) : (.integer, .identity)
            case .date?: return (.date, .identity)
            case let .decimal(p, s)?: return try decimal(p, s, onBytes: false)
            case .time(.millis, _)?: return (.bigint, .multiply(1000))
            default: throw unsupported("INT32 annotated \(logical.map { "\($0)" } ?? "nothing")")
            }
        case .int64:
            switch logical {
            case nil, .integer(_, true)?: return (.bigint, .identity)
            case .integer(_, false)?: return (.bigint, .uint64)
            case let .timestamp(unit, _)?: return (.timestamp, Self.scale(unit))
            case let .time(unit, _)?: return (.bigint, Self.scale(unit))
            case let .decimal(p, s)?: return try decimal(p, s, onBytes: false)
            default: throw unsupported("INT64 annotated \(logical.map { "\($0)" } ?? "nothing")")
            }
        case .int96:
            return (.timestamp, .int96Timestamp)
        case .float:
            return (.double, .floatToDouble)
        case .double:
            return (.double, .identity)
        case .byteArray:
            switch logical {
            case nil, .string?, .enumeration?, .json?: return (.varchar, .identity)
            case let .decimal(p, s)?: return try decimal(p, s, onBytes: true)
            default: throw unsupported("BYTE_ARRAY annotated \(logical.map { "\($0)" } ?? "nothing")")
            }
        case .fixedLenByteArray:
            guard let width = e.typeLength, width > 0 else { throw TarnError.corruption("column '\(e.name)': FIXED_LEN_BYTE_ARRAY without a positive length") }
            switch logical {
            case let .decimal(p, s)?: return try decimal(p, s, onBytes: true)
            case nil: return (.varchar, .identity)  // raw bytes, as BYTE_ARRAY without an annotation
            case .float16?:
                guard width == 2 else { throw TarnError.corruption("column '\(e.name)': FLOAT16 of \(width) bytes") }
                return (.double, .float16ToDouble)
            case .uuid?:
                guard width == 16 else { throw TarnError.corruption("column '\(e.name)': UUID of \(width) bytes") }
                return (.varchar, .uuidToString)
            default: throw unsupported("FIXED_LEN_BYTE_ARRAY(\(width)) annotated \(logical.map { "\($0)" } ?? "nothing")")
            }
        }
    }

    private static func scale(_ unit: TimeUnit) -> Conversion {
        switch unit {
        case .millis: return .multiply(1000)
        case .micros: return .identity
        case .nanos: return .divide(1000)
        }
    }

    /// The logical type implied by a legacy `ConvertedType` (files written before `LogicalType` existed).
    static func legacyLogicalType(_ e: SchemaElement) -> LogicalType? {
        switch e.convertedType {
        case nil: return nil
        case .utf8?: return .string
        case .enumeration?: return .enumeration
        case .json?: return .json
        case .bson?: return .bson
        case .map?, .mapKeyValue?: return .map
        case .list?: return .list
        case .decimal?: return .decimal(precision: e.precision ?? 0, scale: e.scale ?? 0)
        case .date?: return .date
        case .timeMillis?: return .time(unit: .millis, utc: true)
        case .timeMicros?: return .time(unit: .micros, utc: true)
        case .timestampMillis?: return .timestamp(unit: .millis, utc: true)
        case .timestampMicros?: return .timestamp(unit: .micros, utc: true)
        case .uint8?: return .integer(bitWidth: 8, signed: false)
        case .uint16?: return .integer(bitWidth: 16, signed: false)
        case .uint32?: return .integer(bitWidth: 32, signed: false)
        case .uint64?: return .integer(bitWidth: 64, signed: false)
        case .int8?: return .integer(bitWidth: 8, signed: true)
        case .int16?: return .integer(bitWidth: 16, signed: true)
        case .int32?: return .integer(bitWidth: 32, signed: true)
        case .int64?: return .integer(bitWidth: 64, signed: true)
        case .interval?: return .other(-21)
        }
    }

    /// A top-level column of a file: a flat leaf Tarn reads, or a nested one (LIST, MAP, STRUCT, repeated) it
    /// cannot read yet — reported by name so a query fails only when it selects that column.
    public enum TopLevelColumn: Sendable {
        case flat(ParquetColumn)
        case nested(name: String, kind: String)

        public var name: String {
            switch self {
            case let .flat(c): return c.field.name
            case let .nested(name, _): return name
            }
        }

        /// The error for reading a nested column.
        public static func nestedError(_ name: String, _ kind: String) -> TarnError {
            TarnError.unsupported("column '\(name)' is \(kind) column; nested Parquet columns are not supported by read_parquet yet")
        }
    }

    /// The top-level columns of `schema` in order. A flat column's `index` is its leaf position (the chunk
    /// index in each row group), counting the leaves of the nested columns before it.
    public static func topLevel(of schema: [SchemaElement]) throws -> [TopLevelColumn] {
        guard let root = schema.first else { throw TarnError.corruption("the footer has an empty schema") }
        let children = Int(root.numChildren ?? 0)
        guard children >= 0, children < schema.count else {
            throw TarnError.corruption("the schema root claims \(children) children but the footer lists \(schema.count - 1) elements")
        }
        var out: [TopLevelColumn] = []
        var i = 1, leaf = 0
        for _ in 0..<children {
            guard i < schema.count else { throw TarnError.corruption("the schema tree is truncated (root has \(children) children, \(schema.count - 1) elements follow)") }
            let e = schema[i]
            if e.isGroup || e.repetition == .repeated {
                let kind: String
                switch e.logicalType ?? legacyLogicalType(e) {
                case .list?: kind = "a LIST"
                case .map?: kind = "a MAP"
                default: kind = e.isGroup ? "a STRUCT" : "a repeated"
                }
                out.append(.nested(name: e.name, kind: kind))
                // Skip the whole subtree, counting its leaves.
                var pending = 1
                while pending > 0 {
                    guard i < schema.count else { throw TarnError.corruption("the schema tree of column '\(e.name)' is truncated") }
                    let node = schema[i]
                    pending -= 1
                    let n = Int(node.numChildren ?? 0)
                    guard n >= 0, n < schema.count else { throw TarnError.corruption("schema element '\(node.name)' claims \(n) children") }
                    if node.isGroup { pending += n } else { leaf += 1 }
                    i += 1
                }
                continue
            }
            out.append(.flat(try ParquetColumn(index: leaf, element: e)))
            leaf += 1
            i += 1
        }
        return out
    }

    /// The leaf columns of a flat schema; a nested (group or repeated) column is an error naming it.
    public static func columns(of schema: [SchemaElement]) throws -> [ParquetColumn] {
        try topLevel(of: schema).map { entry in
            switch entry {
            case let .flat(c): return c
            case let .nested(name, kind): throw TopLevelColumn.nestedError(name, kind)
            }
        }
    }
}

extension ParquetColumn {
    /// A min/max statistic of this column (its bytes as the footer stores them: one PLAIN value, byte arrays
    /// without their length prefix) as a Tarn value of the column's type; nil when the bytes do not fit the type.
    public func statisticValue(_ bytes: [UInt8]) -> Value? {
        let values: DecodedValues?
        switch physical {
        case .byteArray, .fixedLenByteArray, .int96:
            var s = StringArray()
            bytes.withUnsafeBufferPointer { s.append(bytes: $0) }
            values = .bytes(s)
        case .boolean, .int32, .int64, .float, .double:
            let size = physical == .boolean ? 1 : (physical == .int64 || physical == .double ? 8 : 4)
            guard bytes.count == size else { return nil }
            values = try? bytes.withUnsafeBytes { raw in
                var cursor = ByteCursor(raw)
                return try PlainDecoder.decode(&cursor, physical: physical, typeLength: 0, count: 1, what: "statistic")
            }
        }
        guard let values, let column = try? ValueConversion.column(values, validity: nil, column: self, dictionary: StringArray()),
              column.count == 1 else { return nil }
        return column.value(at: 0)
    }
}
