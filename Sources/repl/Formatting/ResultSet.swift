import Storage

/// A result set as the formatters see it: typed columns and the batches holding their rows.
struct ResultSet: Sendable {
    var columns: [Field]
    var batches: [Batch]

    init(columns: [Field], batches: [Batch]) { self.columns = columns; self.batches = batches }

    var rowCount: Int { batches.reduce(0) { $0 + $1.count } }

    /// Calls `body` with every row, in order, without materialising the whole result.
    func forEachRow(_ body: ([Value]) throws -> Void) rethrows {
        for batch in batches {
            for row in 0..<batch.count { try body(batch.columns.map { $0.value(at: row) }) }
        }
    }

    /// Rows `range` (global row numbers), read from the batches that hold them.
    func rows(_ range: Range<Int>) -> [[Value]] {
        var out: [[Value]] = []
        out.reserveCapacity(range.count)
        var start = 0
        for batch in batches {
            let end = start + batch.count
            let lo = max(range.lowerBound, start), hi = min(range.upperBound, end)
            if lo < hi { for row in lo..<hi { out.append(batch.columns.map { $0.value(at: row - start) }) } }
            start = end
            if start >= range.upperBound { break }
        }
        return out
    }
}
