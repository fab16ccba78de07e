import Storage

/// The decoded footer of a Parquet file (`FileMetaData`): schema tree, row groups and writer.
public struct FileMetaData: Sendable {
    public var version: Int32 = 0
    /// The schema tree flattened depth-first; element 0 is the root.
    public var schema: [SchemaElement] = []
    public var numRows: Int64 = 0
    public var rowGroups: [RowGroup] = []
    public var keyValueMetadata: [(key: String, value: String?)] = []
    public var createdBy: String?

    public init(from r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch id {
            case 1: version = try r.readInt32(type)
            case 2: try r.expect(type, .list); schema = try r.readList { r, _ in try SchemaElement(from: &r) }
            case 3: numRows = try r.readInteger(type)
            case 4: try r.expect(type, .list); rowGroups = try r.readList { r, _ in try RowGroup(from: &r) }
            case 5:
                try r.expect(type, .list)
                keyValueMetadata = try r.readList { r, _ in
                    var key = "", value: String?
                    try r.readStruct { r, id, type in
                        switch id {
                        case 1: key = try r.readString()
                        case 2: value = try r.readString()
                        default: try r.skip(type)
                        }
                    }
                    return (key, value)
                }
            case 6: createdBy = try r.readString()
            case 8, 9: throw TarnError.unsupported("encrypted Parquet files are not supported")
            default: try r.skip(type)
            }
        }
    }

    /// Decodes a footer from its bytes.
    public static func decode(_ bytes: [UInt8]) throws -> FileMetaData {
        var r = ThriftCompactReader(bytes)
        return try FileMetaData(from: &r)
    }
}
