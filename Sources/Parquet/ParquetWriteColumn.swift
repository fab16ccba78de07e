import Storage

/// A column as `ParquetWriter` writes it: the Tarn type, the physical type and the annotations that keep the
/// logical type (VARCHAR → BYTE_ARRAY STRING, DATE → INT32 DATE, DECIMAL → INT64 DECIMAL, TIMESTAMP → INT64
/// TIMESTAMP(MICROS, UTC)). Every column is OPTIONAL (one definition level).
struct ParquetWriteColumn: Sendable {
    let name: String
    let type: DataType
    let physical: PhysicalKind

    init(name: String, type: DataType) throws {
        guard !name.isEmpty else { throw TarnError.semantic("a Parquet column needs a name") }
        self.name = name
        self.type = type
        switch type {
        case .boolean: physical = .boolean
        case .integer, .date, .null: physical = .int32
        case let .decimal(p, _) where p > DataType.maxInt64DecimalPrecision:
            throw TarnError.unsupported("column '\(name)' has type \(type): writing DECIMAL with more than 18 digits to Parquet is not supported yet (CAST it to DOUBLE or VARCHAR)")
        case .bigint, .timestamp, .decimal: physical = .int64
        case .double: physical = .double
        case .varchar: physical = .byteArray
        case .timestampTZ: physical = .int64
        case .array, .row, .map:
            throw TarnError.semantic("column '\(name)' has type \(type): writing \(type.isRowOrMap ? "ROW and MAP" : "ARRAY") columns to Parquet is not supported yet")
        }
    }

    /// Bytes of one PLAIN value (0 for BYTE_ARRAY, whose values vary).
    var plainWidth: Int {
        switch physical {
        case .boolean: return 1
        case .int32, .float: return 4
        case .int64, .double: return 8
        case .int96: return 12
        case .byteArray, .fixedLenByteArray: return 0
        }
    }

    /// Writes this column's `SchemaElement` (a leaf under the root).
    func writeSchemaElement(_ w: inout ThriftCompactWriter) {
        w.i32(1, physical.rawValue)
        w.i32(3, Repetition.optional.rawValue)
        w.string(4, name)
        switch type {
        case .varchar:
            w.i32(6, ConvertedType.utf8.rawValue)
            w.structure(10) { w in w.structure(1) { _ in } }
        case .date:
            w.i32(6, ConvertedType.date.rawValue)
            w.structure(10) { w in w.structure(6) { _ in } }
        case let .decimal(p, s):
            w.i32(6, ConvertedType.decimal.rawValue)
            w.i32(7, Int32(s))
            w.i32(8, Int32(p))
            w.structure(10) { w in w.structure(5) { w in w.i32(1, Int32(s)); w.i32(2, Int32(p)) } }
        case .timestamp, .timestampTZ:
            w.i32(6, ConvertedType.timestampMicros.rawValue)
            w.structure(10) { w in
                w.structure(8) { w in
                    w.bool(1, true)
                    w.structure(2) { w in w.structure(2) { _ in } }
                }
            }
        case .boolean, .integer, .bigint, .double, .null, .array, .row, .map:
            break
        }
    }
}
