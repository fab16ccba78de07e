/// Min/max/null statistics of a column chunk or page, as written (values in the column's plain encoding).
public struct Statistics: Sendable {
    public var max: [UInt8]?
    public var min: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    /// The newer min/max fields (ordered by the column's sort order); prefer these to `min`/`max`.
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?

    public init() {}

    public init(from r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch id {
            case 1: max = try r.readBinary()
            case 2: min = try r.readBinary()
            case 3: nullCount = try r.readInteger(type)
            case 4: distinctCount = try r.readInteger(type)
            case 5: maxValue = try r.readBinary()
            case 6: minValue = try r.readBinary()
            default: try r.skip(type)
            }
        }
    }
}
