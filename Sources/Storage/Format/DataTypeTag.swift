/// The on-disk type code of a column (one byte) plus DECIMAL precision and scale.
/// An ARRAY of a scalar type sets the high bit (`arrayBit`) on its element's code; arrays of arrays are not
/// stored (`Lake.validate` refuses them), so older files, which never have the bit, read unchanged.
enum DataTypeTag {
    static let arrayBit: UInt8 = 0x80

    static func encode(_ type: DataType) -> (tag: UInt8, precision: UInt8, scale: UInt8) {
        switch type {
        case .boolean: return (1, 0, 0)
        case .integer: return (2, 0, 0)
        case .bigint: return (3, 0, 0)
        case .double: return (4, 0, 0)
        case let .decimal(p, s): return (5, UInt8(clamping: p), UInt8(clamping: s))
        case .varchar: return (6, 0, 0)
        case .date: return (7, 0, 0)
        case .timestamp: return (8, 0, 0)
        case .null: return (9, 0, 0)
        case let .array(element):
            let inner = encode(element)
            // invariant: Lake.validate refuses arrays of arrays, so `inner.tag` never has the bit already.
            return (inner.tag | arrayBit, inner.precision, inner.scale)
        }
    }

    static func decode(tag: UInt8, precision: UInt8, scale: UInt8) throws -> DataType {
        if tag & arrayBit != 0 {
            return .array(try decode(tag: tag & ~arrayBit, precision: precision, scale: scale))
        }
        switch tag {
        case 1: return .boolean
        case 2: return .integer
        case 3: return .bigint
        case 4: return .double
        case 5:
            guard precision >= 1, Int(precision) <= DataType.maxDecimalPrecision, scale <= precision else {
                throw FormatViolation("invalid DECIMAL(\(precision),\(scale))")
            }
            return .decimal(precision: Int(precision), scale: Int(scale))
        case 6: return .varchar
        case 7: return .date
        case 8: return .timestamp
        case 9: return .null
        default: throw FormatViolation("unknown type code \(tag)")
        }
    }
}
