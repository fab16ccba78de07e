/// The on-disk type code of a column (one byte) plus DECIMAL precision and scale. DECIMAL keeps code 5 for every
/// precision: 1…18 stores Int64 values as before, 19…38 (readers from before DECIMAL(38) refuse it) Int128 values.
/// ARRAY types keep their innermost element's code in the low four bits and the nesting depth (1…7) in bits 4–6,
/// so files written before arrays existed (depth 0) read unchanged.
enum DataTypeTag {
    static let depthShift: UInt8 = 4
    static let maxArrayDepth = 7
    /// A type containing ROW or MAP: the footer holds its text after this code (docs/FORMAT.md).
    static let nestedByText: UInt8 = 11

    /// Array nesting depth of a type (0 for scalars).
    static func arrayDepth(_ type: DataType) -> Int {
        if case let .array(element) = type { return 1 + arrayDepth(element) }
        return 0
    }

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
        case .timestampTZ: return (10, 0, 0)
        case let .array(element):
            let inner = encode(element)
            // invariant: Lake.validate refuses deeper nesting than maxArrayDepth, so the depth fits its three bits.
            return (inner.tag &+ (1 << depthShift), inner.precision, inner.scale)
        case .row, .map: return (nestedByText, 0, 0) // invariant: DataFileFooter writes these with their text
        }
    }

    static func decode(tag: UInt8, precision: UInt8, scale: UInt8) throws -> DataType {
        if tag >> depthShift != 0 {
            guard tag >> depthShift <= maxArrayDepth else { throw FormatViolation("unknown type code \(tag)") }
            return .array(try decode(tag: tag &- (1 << depthShift), precision: precision, scale: scale))
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
        case 10: return .timestampTZ
        default: throw FormatViolation("unknown type code \(tag)")
        }
    }
}
