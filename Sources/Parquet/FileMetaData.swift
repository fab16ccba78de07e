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
        var seen = Set<Int16>()
        try r.readStruct { r, id, type in
            seen.insert(id)
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
        try ThriftCompactReader.require([1, 2, 3, 4], seen, "FileMetaData")
        try validate()
    }

    /// Cross-checks that catch a damaged footer which still parses: row counts add up, and every row group
    /// has one chunk per leaf column.
    func validate() throws {
        var total: Int64 = 0
        for (g, group) in rowGroups.enumerated() {
            guard group.numRows >= 0 else { throw TarnError.corruption("row group \(g) claims \(group.numRows) rows") }
            let (sum, overflow) = total.addingReportingOverflow(group.numRows)
            guard !overflow else { throw TarnError.corruption("the row groups' row counts overflow") }
            total = sum
        }
        // Some writers leave the file's count at 0; the row groups' counts are what the reader follows.
        guard total == numRows || numRows == 0 else {
            throw TarnError.corruption("the row groups hold \(total) rows but the footer says \(numRows)")
        }
        guard !schema.isEmpty else { throw TarnError.corruption("the footer has an empty schema") }
        let leaves = schema.dropFirst().filter { ($0.numChildren ?? 0) == 0 }.count
        for (g, group) in rowGroups.enumerated() where group.columns.count != leaves {
            throw TarnError.corruption("row group \(g) has \(group.columns.count) column chunks for \(leaves) columns")
        }
    }

    /// Decodes a footer from its bytes.
    public static func decode(_ bytes: [UInt8]) throws -> FileMetaData {
        var r = ThriftCompactReader(bytes)
        return try FileMetaData(from: &r)
    }
}
