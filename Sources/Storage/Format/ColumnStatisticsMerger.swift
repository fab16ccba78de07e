/// Merges per-row-group `ColumnStatistics` into file-level statistics.
enum ColumnStatisticsMerger {
    static func merge(_ parts: [ColumnStatistics]) -> ColumnStatistics {
        var result = ColumnStatistics(min: nil, max: nil, nullCount: 0, rowCount: 0)
        for part in parts {
            result.nullCount += part.nullCount
            result.rowCount += part.rowCount
            if let m = part.min { result.min = result.min.map { pick($0, m, wantMax: false) } ?? m }
            if let m = part.max { result.max = result.max.map { pick($0, m, wantMax: true) } ?? m }
        }
        return result
    }

    /// The smaller (or larger) of two values of the same type. For doubles NaN is the largest value and is
    /// ignored for the minimum unless both are NaN; strings compare byte-wise (UTF-8).
    static func pick(_ a: Value, _ b: Value, wantMax: Bool) -> Value {
        let order: Int
        switch (a, b) {
        case let (.boolean(x), .boolean(y)): order = x == y ? 0 : (x ? 1 : -1)
        case let (.integer(x), .integer(y)): order = x == y ? 0 : (x < y ? -1 : 1)
        case let (.date(x), .date(y)): order = x == y ? 0 : (x < y ? -1 : 1)
        case let (.bigint(x), .bigint(y)): order = x == y ? 0 : (x < y ? -1 : 1)
        case let (.timestamp(x), .timestamp(y)): order = x == y ? 0 : (x < y ? -1 : 1)
        case let (.timestampTZ(x), .timestampTZ(y)): order = x == y ? 0 : (x < y ? -1 : 1)
        case let (.decimal(x, _), .decimal(y, _)): order = x == y ? 0 : (x < y ? -1 : 1)
        case let (.decimal128(x, _), .decimal128(y, _)): order = x == y ? 0 : (x < y ? -1 : 1)
        case let (.double(x), .double(y)):
            if x.isNaN || y.isNaN { order = x.isNaN && y.isNaN ? 0 : (x.isNaN ? 1 : -1) } else { order = x == y ? 0 : (x < y ? -1 : 1) }
        case let (.varchar(x), .varchar(y)):
            let ux = Array(x.utf8), uy = Array(y.utf8)
            order = ux == uy ? 0 : (ux.lexicographicallyPrecedes(uy) ? -1 : 1)
        default: order = 0
        }
        if wantMax { return order >= 0 ? a : b }
        if case let .double(x) = a, x.isNaN { return b }
        return order <= 0 ? a : b
    }
}
