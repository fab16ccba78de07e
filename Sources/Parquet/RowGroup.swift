/// One column's part of a row group: where its metadata is and the metadata itself (`ColumnChunk`).
public struct ColumnChunk: Sendable {
    /// Set when the chunk lives in another file (not supported by this reader).
    public var filePath: String?
    public var fileOffset: Int64 = 0
    public var metaData: ColumnMetaData?
    /// Where the chunk's page index lies (`OffsetIndex`, `ColumnIndex`), when the writer wrote one.
    public var offsetIndexOffset: Int64?
    public var offsetIndexLength: Int32?
    public var columnIndexOffset: Int64?
    public var columnIndexLength: Int32?

    public init(from r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch id {
            case 1: filePath = try r.readString()
            case 2: fileOffset = try r.readInteger(type)
            case 3: try r.expect(type, .structure); metaData = try ColumnMetaData(from: &r)
            case 4: offsetIndexOffset = try r.readInteger(type)
            case 5: offsetIndexLength = Int32(truncatingIfNeeded: try r.readInteger(type))
            case 6: columnIndexOffset = try r.readInteger(type)
            case 7: columnIndexLength = Int32(truncatingIfNeeded: try r.readInteger(type))
            default: try r.skip(type)
            }
        }
    }
}

/// A horizontal partition of the file: one chunk per leaf column, all of `numRows` rows (`RowGroup`).
public struct RowGroup: Sendable {
    public var columns: [ColumnChunk] = []
    public var totalByteSize: Int64 = 0
    public var numRows: Int64 = 0

    public init(from r: inout ThriftCompactReader) throws {
        var seen = Set<Int16>()
        try r.readStruct { r, id, type in
            seen.insert(id)
            switch id {
            case 1: try r.expect(type, .list); columns = try r.readList { r, _ in try ColumnChunk(from: &r) }
            case 2: totalByteSize = try r.readInteger(type)
            case 3: numRows = try r.readInteger(type)
            default: try r.skip(type)
            }
        }
        try ThriftCompactReader.require([1, 2, 3], seen, "RowGroup")
    }
}
