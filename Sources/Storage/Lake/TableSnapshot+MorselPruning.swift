extension TableSnapshot {
    /// The morsels among `morsels` whose row-group statistics may satisfy every predicate of `predicates` (a
    /// conjunction). For conditions known only once a query runs (a hash join's runtime filter range), after the
    /// static ones planned the morsels.
    public func morsels(_ morsels: [ScanMorsel], mayMatch predicates: [ColumnPredicate]) throws -> [ScanMorsel] {
        let usable = predicates.filter { schema.fields.indices.contains($0.column) }
        if usable.isEmpty { return morsels }
        var out: [ScanMorsel] = []
        out.reserveCapacity(morsels.count)
        var fileColumns: [Int: [Int32: Int]] = [:]
        for morsel in morsels {
            let reader = try readers.reader(morsel.fileIndex)
            guard reader.rowGroups.indices.contains(morsel.rowGroup) else { out.append(morsel); continue }
            let columnIndex = fileColumns[morsel.fileIndex] ?? Dictionary(reader.fieldIds.enumerated().map { ($1, $0) },
                                                                          uniquingKeysWith: { a, _ in a })
            fileColumns[morsel.fileIndex] = columnIndex
            let group = reader.rowGroups[morsel.rowGroup]
            let keep = usable.allSatisfy { p in
                guard let c = columnIndex[columnIds[p.column]] else {
                    return StatisticsPruning.mayMatch(p, statistics: nil, rowCount: group.rowCount)
                }
                guard group.columns.indices.contains(c) else { return true }
                return StatisticsPruning.mayMatch(p, statistics: group.columns[c], rowCount: group.rowCount)
            }
            if keep { out.append(morsel) }
        }
        return out
    }
}
