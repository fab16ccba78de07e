/// Where a column chunk's pages are and how they are encoded and compressed (`ColumnMetaData`).
public struct ColumnMetaData: Sendable {
    public var rawType: Int32 = -1
    public var encodings: [Int32] = []
    public var pathInSchema: [String] = []
    public var rawCodec: Int32 = 0
    public var numValues: Int64 = 0
    public var totalUncompressedSize: Int64 = 0
    public var totalCompressedSize: Int64 = 0
    public var dataPageOffset: Int64 = 0
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?

    public init() {}

    public init(from r: inout ThriftCompactReader) throws {
        var seen = Set<Int16>()
        try r.readStruct { r, id, type in
            seen.insert(id)
            switch id {
            case 1: rawType = try r.readInt32(type)
            case 2: encodings = try r.readList { r, t in try r.readInt32(t) }
            case 3: pathInSchema = try r.readList { r, _ in try r.readString() }
            case 4: rawCodec = try r.readInt32(type)
            case 5: numValues = try r.readInteger(type)
            case 6: totalUncompressedSize = try r.readInteger(type)
            case 7: totalCompressedSize = try r.readInteger(type)
            case 9: dataPageOffset = try r.readInteger(type)
            case 10: indexPageOffset = try r.readInteger(type)
            case 11: dictionaryPageOffset = try r.readInteger(type)
            case 12: try r.expect(type, .structure); statistics = try Statistics(from: &r)
            default: try r.skip(type)
            }
        }
        try ThriftCompactReader.require([1, 2, 3, 4, 5, 6, 7, 9], seen, "ColumnMetaData")
    }

    public var codec: CompressionCodec? { CompressionCodec(rawValue: rawCodec) }

    /// File offset of the chunk's first page: the dictionary page when there is one, else the first data page.
    public var firstPageOffset: Int64 {
        if let d = dictionaryPageOffset, d > 0, d < dataPageOffset { return d }
        return dataPageOffset
    }
}
