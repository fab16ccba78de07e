import Storage

/// Gathers only the columns an expression reads when evaluating it on a subset of rows (lazy CASE,
/// COALESCE and AND); the other columns are replaced by empty placeholders of the same type.
enum BatchNarrowing {
    /// Column indices read by `expressions`, or nil when unknown (a subquery may read any column).
    static func columns(usedBy expressions: [BoundExpression]) -> Set<Int>? {
        var used = Set<Int>()
        for e in expressions { if !collect(e, &used) { return nil } }
        return used
    }

    private static func collect(_ e: BoundExpression, _ used: inout Set<Int>) -> Bool {
        switch e {
        case let .column(i, _): used.insert(i); return true
        case .constant, .parameter: return true
        case .subquery: return false
        case let .call(_, args, _): return args.allSatisfy { collect($0, &used) }
        case let .cast(x, _, _), let .not(x), let .isNull(x, _): return collect(x, &used)
        case let .and(xs), let .or(xs), let .coalesce(xs, _): return xs.allSatisfy { collect($0, &used) }
        case let .inList(x, xs, _): return collect(x, &used) && xs.allSatisfy { collect($0, &used) }
        case let .caseWhen(branches, elseResult, _):
            return branches.allSatisfy { collect($0.condition, &used) && collect($0.result, &used) }
                && (elseResult.map { collect($0, &used) } ?? true)
        }
    }

    /// Rows `indices` of `batch`, materialising only the `needed` columns (all when nil).
    static func gather(_ batch: Batch, _ indices: [Int32], _ needed: Set<Int>?) -> Batch {
        guard let needed else { return batch.gather(indices) }
        let columns = batch.columns.enumerated().map { i, c in
            needed.contains(i) ? c.gather(indices) : Column(type: c.type, data: ColumnData.zeros(c.type, count: 0))
        }
        return Batch(columns: columns, count: indices.count)
    }
}
