/// The rows of an integer column chunk that hold an arithmetic sequence (delta-encoded, every delta equal, no NULLs —
/// consecutive ids, regular timestamps) satisfying `column op constant`, found from the chunk's first value and step
/// alone: a point lookup on such a column needs no decoding of it, and the rows are one contiguous range.
extension DataFileReader {
    /// The range of rows of the chunk satisfying `comparison` with `value`, or nil when the chunk is not such a
    /// sequence or the comparison has no range form (`<>`, IS NULL, OR / AND): the caller evaluates the filter then.
    public func sequenceRange(rowGroup: Int, column: Int, comparison: ColumnPredicate.Comparison, value: Int64,
                              fillCache: Bool = true) throws -> Range<Int>? {
        let meta = try metadata(rowGroup: rowGroup, column: column)
        let n = rowGroups[rowGroup].rowCount
        guard meta.encoding == .delta, meta.statistics.nullCount == 0, n > 0 else { return nil }
        let physical = schema.fields[column].type.physical
        guard physical == .int64 || physical == .int32 else { return nil }
        let payload = try payload(meta, rowGroup: rowGroup, column: column, fillCache: fillCache)
        let header: (first: Int64, step: Int64)?
        do {
            header = try payload.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                let first = try reader.read(Int64.self, "first value")
                let step = try reader.read(Int64.self, "minimum delta")
                let block = try BitPacking.readBlock(&reader, count: n - 1)
                try reader.expectEnd("values")
                return block.width == 0 ? (first, step) : nil
            }
        } catch let violation as FormatViolation {
            throw corruption(violation.reason, rowGroup: rowGroup, column: column)
        }
        guard let header else { return nil }
        return ArithmeticSequence(first: header.first, step: header.step, count: n, isInt32: physical == .int32)?
            .rows(comparison, value)
    }
}

/// `first, first + step, …` (`count` values, step ≥ 0, none overflowing its type): which positions compare true.
struct ArithmeticSequence {
    let first: Int64
    let step: Int64
    let count: Int

    init?(first: Int64, step: Int64, count: Int, isInt32: Bool) {
        guard step >= 0, count > 0 else { return nil }
        let (span, o1) = step.multipliedReportingOverflow(by: Int64(count - 1))
        let (last, o2) = first.addingReportingOverflow(span)
        guard !o1, !o2 else { return nil }
        if isInt32, first < Int64(Int32.min) || last > Int64(Int32.max) { return nil }
        self.first = first; self.step = step; self.count = count
    }

    /// The positions whose value compares true with `c`, or nil for a comparison without a range form.
    func rows(_ comparison: ColumnPredicate.Comparison, _ c: Int64) -> Range<Int>? {
        if step == 0 {
            let holds: Bool
            switch comparison {
            case .equal: holds = first == c
            case .less: holds = first < c
            case .lessOrEqual: holds = first <= c
            case .greater: holds = first > c
            case .greaterOrEqual: holds = first >= c
            default: return nil
            }
            return holds ? 0 ..< count : 0 ..< 0
        }
        let (offset, overflow) = c.subtractingReportingOverflow(first)
        guard !overflow else { return nil }
        // Value i compares with c as i·step compares with offset.
        var floor = offset / step, ceil = offset / step
        if offset % step != 0 { if offset < 0 { floor -= 1 } else { ceil += 1 } }
        func clamp(_ k: Int64) -> Int { Int(Swift.max(0, Swift.min(Int64(count), k))) }
        let afterFloor = floor >= Int64(count) ? count : clamp(floor + 1)
        switch comparison {
        case .equal: return offset % step == 0 && floor >= 0 && floor < Int64(count) ? Int(floor) ..< Int(floor) + 1 : 0 ..< 0
        case .less: return 0 ..< clamp(ceil)
        case .lessOrEqual: return 0 ..< afterFloor
        case .greater: return afterFloor ..< count
        case .greaterOrEqual: return clamp(ceil) ..< count
        default: return nil
        }
    }
}
