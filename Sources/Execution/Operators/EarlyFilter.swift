import Storage

/// A scan's filter evaluated over only the columns it reads, before the scan decodes its other columns: those are
/// then read for the kept rows alone (a lookup `WHERE id = 42` decodes the other columns of one row, not of the
/// whole row group), or not at all when no row is kept. Positions index the scan's output columns.
struct EarlyFilter {
    /// Output positions the filter reads, ascending.
    let filterColumns: [Int]
    /// The other output positions, ascending.
    let otherColumns: [Int]
    /// The filter over a batch of `filterColumns` only.
    let filter: BoundExpression
    /// A conjunct `column op integer constant` the scan may answer from a sequence chunk's first value and step
    /// (`DataFileReader.sequenceRange`) before decoding anything; the whole filter still runs on the rows it gives.
    let sequenceProbe: SequenceProbe?

    /// `column comparison value` on output position `column`, an INTEGER or BIGINT column.
    struct SequenceProbe {
        let column: Int
        let comparison: ColumnPredicate.Comparison
        let value: Int64
    }

    /// The plan for `filter` over a scan of `columnCount` columns, or nil when it reads every column (nothing to
    /// defer) or none (a filter on constants or volatile functions runs over the whole batch), or holds a subquery
    /// (which may read any column).
    init?(_ filter: BoundExpression, columnCount: Int) {
        guard let referenced = filter.referencedColumns, !referenced.isEmpty, referenced.count < columnCount,
              referenced.allSatisfy({ $0 >= 0 && $0 < columnCount }) else { return nil }
        filterColumns = referenced.sorted()
        otherColumns = (0 ..< columnCount).filter { !referenced.contains($0) }
        var map: [Int: Int] = [:]
        for (k, position) in filterColumns.enumerated() { map[position] = k }
        self.filter = filter.remappingColumns(map)
        let conjuncts: [BoundExpression]
        if case let .and(xs) = filter { conjuncts = xs } else { conjuncts = [filter] }
        sequenceProbe = conjuncts.lazy.compactMap(Self.probe).first
    }

    /// `conjunct` as a sequence probe: a comparison of an INTEGER / BIGINT column with an integer constant.
    private static func probe(_ conjunct: BoundExpression) -> SequenceProbe? {
        guard case let .call(fn, args, _) = conjunct, args.count == 2,
              let comparison = ColumnPredicate.Comparison(operatorName: fn.name) else { return nil }
        func integer(_ v: Value) -> Int64? {
            switch v {
            case let .integer(x): return Int64(x)
            case let .bigint(x): return x
            default: return nil
            }
        }
        func isInteger(_ t: DataType) -> Bool { t == .integer || t == .bigint }
        if case let .column(c, t) = args[0], isInteger(t), case let .constant(v, _) = args[1], let x = integer(v) {
            return SequenceProbe(column: c, comparison: comparison, value: x)
        }
        if case let .constant(v, _) = args[0], let x = integer(v), case let .column(c, t) = args[1], isInteger(t) {
            return SequenceProbe(column: c, comparison: comparison.flipped, value: x)
        }
        return nil
    }

    /// One plan per morsel filter (nil where a morsel needs no filter or the filter reads every column).
    static func plans(for filters: [BoundExpression?], columnCount: Int) -> [EarlyFilter?] {
        filters.map { filter in filter.flatMap { EarlyFilter($0, columnCount: columnCount) } }
    }
}
