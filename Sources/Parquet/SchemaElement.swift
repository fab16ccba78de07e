/// One node of the flattened schema tree in the footer (`SchemaElement`): the root, a group, or a leaf column.
public struct SchemaElement: Sendable {
    public var type: PhysicalKind?
    /// The raw physical type id (kept to name an unknown one in errors).
    public var rawType: Int32?
    public var typeLength: Int32?
    public var repetition: Repetition?
    public var name: String = ""
    public var numChildren: Int32?
    public var convertedType: ConvertedType?
    public var scale: Int32?
    public var precision: Int32?
    public var fieldId: Int32?
    public var logicalType: LogicalType?

    public init(name: String) { self.name = name }

    public init(from r: inout ThriftCompactReader) throws {
        var seen = Set<Int16>()
        try r.readStruct { r, id, type in
            seen.insert(id)
            switch id {
            case 1: let raw = try r.readInt32(type); rawType = raw; self.type = PhysicalKind(rawValue: raw)
            case 2: typeLength = try r.readInt32(type)
            case 3: repetition = Repetition(rawValue: try r.readInt32(type))
            case 4: name = try r.readString()
            case 5: numChildren = try r.readInt32(type)
            case 6: convertedType = ConvertedType(rawValue: try r.readInt32(type))
            case 7: scale = try r.readInt32(type)
            case 8: precision = try r.readInt32(type)
            case 9: fieldId = try r.readInt32(type)
            case 10: try r.expect(type, .structure); logicalType = try Self.readLogicalType(&r)
            default: try r.skip(type)
            }
        }
        try ThriftCompactReader.require([4], seen, "SchemaElement")
    }

    /// Whether this element is a group (has children) rather than a leaf column.
    public var isGroup: Bool { (numChildren ?? 0) > 0 || type == nil }

    static func readLogicalType(_ r: inout ThriftCompactReader) throws -> LogicalType? {
        var result: LogicalType?
        try r.readStruct { r, id, type in
            switch id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enumeration
            case 5:
                var p: Int32 = 0, s: Int32 = 0
                try r.readStruct { r, id, type in
                    switch id {
                    case 1: s = try r.readInt32(type)
                    case 2: p = try r.readInt32(type)
                    default: try r.skip(type)
                    }
                }
                result = .decimal(precision: p, scale: s)
                return
            case 6: result = .date
            case 7, 8:
                var utc = false, unit = TimeUnit.millis
                try r.readStruct { r, field, type in
                    switch field {
                    case 1: utc = try r.boolValue(type)
                    case 2: unit = try readTimeUnit(&r)
                    default: try r.skip(type)
                    }
                }
                result = id == 7 ? .time(unit: unit, utc: utc) : .timestamp(unit: unit, utc: utc)
                return
            case 10:
                var width: Int8 = 0, signed = true
                try r.readStruct { r, field, type in
                    switch field {
                    case 1: let w = try r.readInteger(type); width = Int8(truncatingIfNeeded: w)
                    case 2: signed = try r.boolValue(type)
                    default: try r.skip(type)
                    }
                }
                result = .integer(bitWidth: width, signed: signed)
                return
            case 11: result = .unknown
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            default: result = .other(id)
            }
            try r.skip(type)
        }
        return result
    }

    static func readTimeUnit(_ r: inout ThriftCompactReader) throws -> TimeUnit {
        var unit = TimeUnit.millis
        try r.readStruct { r, id, type in
            switch id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            try r.skip(type)
        }
        return unit
    }
}
