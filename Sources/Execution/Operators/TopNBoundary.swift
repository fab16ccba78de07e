import Storage

/// The first sort key of the last row a TopN currently keeps. A later row whose first key sorts strictly after it
/// can never enter the result (the kept rows already fill LIMIT + OFFSET and all come before it), so it is dropped
/// before it is buffered, compared as a typed column rather than row by row; over 10M rows with OFFSET 100,000 most
/// rows stop here once the first compaction has set the boundary.
///
/// Conservative wherever the order is subtle: rows that tie with the boundary pass (later keys decide), NaN passes
/// (the sort puts it above every number), and a NaN boundary or a key of another type filters nothing.
struct TopNBoundary {
    private enum Bound {
        case integer(Int64)
        case double(Double)
        case null
    }
    private let key: SortKey
    private let bound: Bound

    /// The boundary at `row` of the sorted candidates' first key column; nil when the key's type is not filtered.
    init?(key: SortKey, column: Column, row: Int) {
        self.key = key
        if column.isNull(row) { bound = .null; return }
        switch column.data {
        case let .int32(v): bound = .integer(Int64(v[row]))
        case let .int64(v): bound = .integer(v[row])
        case let .double(v):
            guard !v[row].isNaN else { return nil }
            bound = .double(v[row])
        default: return nil
        }
    }

    /// The rows of a batch whose first key (`column`) may still enter the result; nil when every row may.
    func survivors(_ column: Column) -> [Int32]? {
        let validity = column.validity
        switch bound {
        case .null:
            // NULLS LAST: everything sorts before or with a NULL boundary. NULLS FIRST: only NULLs tie with it.
            guard key.nullsFirst else { return nil }
            guard let validity else { return [] }
            return (0 ..< column.count).compactMap { validity[$0] == 0 ? Int32($0) : nil }
        case let .integer(b):
            switch column.data {
            case let .int32(v): return select(v.count, validity) { key.ascending ? Int64(v[$0]) <= b : Int64(v[$0]) >= b }
            case let .int64(v): return select(v.count, validity) { key.ascending ? v[$0] <= b : v[$0] >= b }
            default: return nil
            }
        case let .double(b):
            guard case let .double(v) = column.data else { return nil }
            return select(v.count, validity) { v[$0].isNaN || (key.ascending ? v[$0] <= b : v[$0] >= b) }
        }
    }

    /// Rows passing `keeps` among the non-NULL ones, and the NULL rows when NULLs sort first (before any value).
    private func select(_ count: Int, _ validity: [UInt8]?, _ keeps: (Int) -> Bool) -> [Int32] {
        var rows: [Int32] = []
        rows.reserveCapacity(count / 8)
        if let validity {
            for i in 0 ..< count where validity[i] == 0 ? key.nullsFirst : keeps(i) { rows.append(Int32(i)) }
        } else {
            for i in 0 ..< count where keeps(i) { rows.append(Int32(i)) }
        }
        return rows
    }
}
