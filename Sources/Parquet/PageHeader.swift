/// The header before every page of a column chunk (`PageHeader` with its data-v1, data-v2 and dictionary parts).
public struct PageHeader: Sendable {
    /// The v1 data page part (`DataPageHeader`).
    public struct DataV1: Sendable {
        public var numValues: Int32 = 0
        public var encoding: Int32 = 0
        public var definitionLevelEncoding: Int32 = 3
        public var repetitionLevelEncoding: Int32 = 3
    }

    /// The v2 data page part (`DataPageHeaderV2`): levels stored uncompressed before the values.
    public struct DataV2: Sendable {
        public var numValues: Int32 = 0
        public var numNulls: Int32 = 0
        public var numRows: Int32 = 0
        public var encoding: Int32 = 0
        public var definitionLevelsByteLength: Int32 = 0
        public var repetitionLevelsByteLength: Int32 = 0
        public var isCompressed = true
    }

    /// The dictionary page part (`DictionaryPageHeader`).
    public struct Dictionary: Sendable {
        public var numValues: Int32 = 0
        public var encoding: Int32 = 0
    }

    public var rawType: Int32 = -1
    public var uncompressedPageSize: Int32 = 0
    public var compressedPageSize: Int32 = 0
    /// CRC-32 (the gzip polynomial) of the page's bytes after the header, when the writer stored one.
    public var crc: Int32?
    public var dataV1: DataV1?
    public var dataV2: DataV2?
    public var dictionary: Dictionary?

    public var type: PageType? { PageType(rawValue: rawType) }

    public init(from r: inout ThriftCompactReader) throws {
        var seen = Set<Int16>()
        try r.readStruct { r, id, type in
            seen.insert(id)
            switch id {
            case 1: rawType = try r.readInt32(type)
            case 2: uncompressedPageSize = try r.readInt32(type)
            case 3: compressedPageSize = try r.readInt32(type)
            case 4: crc = try r.readInt32(type)
            case 5:
                try r.expect(type, .structure)
                var h = DataV1()
                try r.readStruct { r, id, type in
                    switch id {
                    case 1: h.numValues = try r.readInt32(type)
                    case 2: h.encoding = try r.readInt32(type)
                    case 3: h.definitionLevelEncoding = try r.readInt32(type)
                    case 4: h.repetitionLevelEncoding = try r.readInt32(type)
                    default: try r.skip(type)
                    }
                }
                dataV1 = h
            case 7:
                try r.expect(type, .structure)
                var h = Dictionary()
                try r.readStruct { r, id, type in
                    switch id {
                    case 1: h.numValues = try r.readInt32(type)
                    case 2: h.encoding = try r.readInt32(type)
                    default: try r.skip(type)
                    }
                }
                dictionary = h
            case 8:
                try r.expect(type, .structure)
                var h = DataV2()
                try r.readStruct { r, id, type in
                    switch id {
                    case 1: h.numValues = try r.readInt32(type)
                    case 2: h.numNulls = try r.readInt32(type)
                    case 3: h.numRows = try r.readInt32(type)
                    case 4: h.encoding = try r.readInt32(type)
                    case 5: h.definitionLevelsByteLength = try r.readInt32(type)
                    case 6: h.repetitionLevelsByteLength = try r.readInt32(type)
                    case 7: h.isCompressed = try r.boolValue(type)
                    default: try r.skip(type)
                    }
                }
                dataV2 = h
            default: try r.skip(type)
            }
        }
        try ThriftCompactReader.require([1, 2, 3], seen, "PageHeader")
    }
}
