import Storage

/// Where one data page of a column chunk lies and the first row it holds (Parquet's `PageLocation`).
public struct PageLocation: Sendable {
    public var offset: Int64 = 0
    public var compressedPageSize: Int32 = 0
    public var firstRowIndex: Int64 = 0

    init(from r: inout ThriftCompactReader) throws {
        var seen = Set<Int16>()
        try r.readStruct { r, id, type in
            seen.insert(id)
            switch id {
            case 1: offset = try r.readInteger(type)
            case 2: compressedPageSize = Int32(truncatingIfNeeded: try r.readInteger(type))
            case 3: firstRowIndex = try r.readInteger(type)
            default: try r.skip(type)
            }
        }
        try ThriftCompactReader.require([1, 2, 3], seen, "PageLocation")
    }
}

/// A column chunk's `OffsetIndex`: the location and first row of each of its data pages, in order.
public struct OffsetIndex: Sendable {
    public var pageLocations: [PageLocation] = []

    public init(from r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch id {
            case 1: try r.expect(type, .list); pageLocations = try r.readList { r, _ in try PageLocation(from: &r) }
            default: try r.skip(type)
            }
        }
    }

    /// The row span of each page within its row group of `rows` rows, or nil when the pages do not tile the rows
    /// (a damaged or foreign index, which is then ignored).
    func pageRows(rowGroupRows rows: Int) -> [Range<Int>]? {
        guard let first = pageLocations.first, first.firstRowIndex == 0 else { return nil }
        var spans: [Range<Int>] = []
        for (k, page) in pageLocations.enumerated() {
            let end = k + 1 < pageLocations.count ? Int(pageLocations[k + 1].firstRowIndex) : rows
            let start = Int(page.firstRowIndex)
            guard start < end, end <= rows else { return nil }
            spans.append(start..<end)
        }
        return spans
    }
}

/// A column chunk's `ColumnIndex`: per data page, whether it holds only NULLs, its min and max (encoded as the
/// chunk's statistics are), and optionally its NULL count.
public struct ColumnIndex: Sendable {
    public var nullPages: [Bool] = []
    public var minValues: [[UInt8]] = []
    public var maxValues: [[UInt8]] = []
    public var nullCounts: [Int64]?

    public init(from r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch id {
            case 1: try r.expect(type, .list); nullPages = try r.readList { r, _ in try r.readByte() == 1 }
            case 2: try r.expect(type, .list); minValues = try r.readList { r, _ in try r.readBinary() }
            case 3: try r.expect(type, .list); maxValues = try r.readList { r, _ in try r.readBinary() }
            case 5: try r.expect(type, .list); nullCounts = try r.readList { r, t in try r.readInteger(t) }
            default: try r.skip(type)
            }
        }
    }

    /// Page `k`'s statistics for `StatisticsFilter` (a page of only NULLs counts all its rows NULL).
    func statistics(page k: Int, rows: Int) -> Statistics {
        var s = Statistics()
        if nullPages[k] {
            s.nullCount = Int64(rows)
            return s
        }
        s.minValue = minValues[k]
        s.maxValue = maxValues[k]
        s.nullCount = nullCounts.flatMap { k < $0.count ? $0[k] : nil }
        return s
    }
}
