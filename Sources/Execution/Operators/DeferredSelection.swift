import Storage

/// When a filter that keeps most rows feeds an aggregation, the aggregation can take the unfiltered batch and
/// the kept rows' indices instead of a gathered copy of every column (TPC-H Q1's date filter keeps 98 % of the
/// rows; gathering its 7 columns cost 17 % of the query). Below `minimumKeptFraction` a gather is cheaper than
/// evaluating the aggregate arguments over the discarded rows.
enum DeferredSelection {
    /// Defer when at least 3/4 of the rows are kept.
    @inline(__always)
    static func defers(kept: Int, of total: Int) -> Bool { kept &* 4 >= total &* 3 }

    /// `batch` restricted by `rows` (nil: all of them), as the aggregation receives it: the unfiltered batch with
    /// the rows when the selection keeps most of it, a gathered batch (and nil) otherwise.
    static func result(_ batch: Batch, _ rows: [Int32]) -> (Batch, [Int32]?) {
        if rows.count == batch.count { return (batch, nil) }
        if rows.isEmpty || !defers(kept: rows.count, of: batch.count) { return (batch.gather(rows), nil) }
        return (batch, rows)
    }
}

extension TableScanOperator {
    /// `readMorsel` that leaves a filter keeping most rows unapplied: returns the unfiltered batch and the kept
    /// rows (see `DeferredSelection`), or the filtered batch and nil.
    func readMorselDeferringFilter(_ index: Int, _ context: ExecutionContext) throws -> (Batch, [Int32]?) {
        let start = OperatorClock.now()
        if let batch = try readFilteringByRuntimeFilters(index, context) {
            statistics.add(rows: batch.count, nanos: OperatorClock.since(start))
            return (batch, nil)
        }
        if let early = morselEarlyFilters[index] {
            let (batch, rows) = try readFilteringEarly(index, early, deferring: true, context)
            statistics.add(rows: rows?.count ?? batch.count, nanos: OperatorClock.since(start))
            return (batch, rows)
        }
        var batch = try readUnfilteredMorsel(index, context)
        var rows: [Int32]? = nil
        if let filter = morselFilters[index], batch.count > 0 {
            (batch, rows) = DeferredSelection.result(batch, try OperatorExpressions.select(filter, batch, context))
        }
        statistics.add(rows: rows?.count ?? batch.count, nanos: OperatorClock.since(start))
        return (batch, rows)
    }
}

extension FilterOperator {
    /// `transform` that leaves the selection unapplied when it keeps most rows (see `DeferredSelection`).
    func transformDeferring(_ batch: Batch, _ context: ExecutionContext) throws -> (Batch, [Int32]?) {
        let start = OperatorClock.now()
        let (out, rows) = DeferredSelection.result(batch, try OperatorExpressions.select(predicate, batch, context))
        statistics.add(rows: rows?.count ?? out.count, nanos: OperatorClock.since(start))
        return (out, rows)
    }
}
