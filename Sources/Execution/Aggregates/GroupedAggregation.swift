import Storage

/// The complete state of one (partial) hash aggregation: key table plus one accumulator per call.
///
/// Each worker of a parallel aggregation owns one; partial states are folded together with `merge`.
/// DISTINCT calls keep a table of (group, value) pairs and feed only first occurrences to their accumulator.
final class GroupedAggregation {
    let groupKeys: [BoundExpression]
    let calls: [AggregateCall]
    let table: GroupKeyTable
    let accumulators: [GroupedAccumulator]
    private var distinctPairs: [CompositeKeyTable?]
    private var groupIDs: [Int32] = []
    /// The calls' arguments, with subexpressions common to several calls computed once per batch.
    private let arguments: SharedSubexpressions

    init(groupKeys: [BoundExpression], calls: [AggregateCall]) throws {
        self.groupKeys = groupKeys
        self.calls = calls
        table = GroupKeyTables.make(for: groupKeys.map(\.type))
        accumulators = try calls.map { try AggregateAccumulators.make($0) }
        arguments = SharedSubexpressions(calls.map(\.arguments))
        distinctPairs = calls.map { call in
            call.distinct && !call.arguments.isEmpty ? CompositeKeyTable(types: [.integer, call.arguments[0].type]) : nil
        }
    }

    private init(copying other: GroupedAggregation) {
        groupKeys = other.groupKeys
        calls = other.calls
        table = other.table.makeEmpty()
        accumulators = other.accumulators.map { $0.makeEmpty() }
        arguments = SharedSubexpressions(other.arguments.lists)
        distinctPairs = other.calls.map { call in
            call.distinct && !call.arguments.isEmpty ? CompositeKeyTable(types: [.integer, call.arguments[0].type]) : nil
        }
    }

    /// An empty aggregation of the same shape.
    func makeEmpty() -> GroupedAggregation { GroupedAggregation(copying: self) }

    var hasDistinct: Bool { calls.contains { $0.distinct } }
    /// Aggregates whose result depends on input order (`string_agg` keeps scan order, as SQLite's
    /// group_concat does) must see the rows in one stream, not merged from parallel workers.
    var isOrderSensitive: Bool { calls.contains { $0.kind == .stringAgg } }

    func consume(_ batch: Batch, _ context: ExecutionContext) throws {
        let n = batch.count
        guard n > 0 else { return }
        let keys = try OperatorExpressions.evaluate(groupKeys, batch, context)
        table.assign(keys, count: n, groupIDs: &groupIDs)
        let groups = table.groupCount
        let evaluated = try self.arguments.evaluate(batch, context)
        for (k, call) in calls.enumerated() {
            let accumulator = accumulators[k]
            accumulator.resize(groups)
            var arguments = evaluated[k]
            var selection: [Int32]? = nil
            if let filter = call.filter { selection = try OperatorExpressions.select(filter, batch, context) }
            if let pairs = distinctPairs[k] {
                selection = firstOccurrences(pairs, arguments[0], selection, n)
            }
            if let rows = selection {
                if rows.count == 0 { continue }
                arguments = arguments.map { $0.gather(rows) }
                let ids = rows.map { groupIDs[Int($0)] }
                try ids.withUnsafeBufferPointer { try accumulator.update(arguments, $0) }
            } else {
                try groupIDs.withUnsafeBufferPointer { try accumulator.update(arguments, $0) }
            }
        }
    }

    /// Rows (among `selection`) whose (group, value) pair was not seen before, NULL values excluded.
    private func firstOccurrences(_ pairs: CompositeKeyTable, _ value: Column, _ selection: [Int32]?, _ n: Int) -> [Int32] {
        let rows = selection ?? (0..<Int32(n)).map { $0 }
        let nonNull = rows.filter { !value.isNull(Int($0)) }
        let gids = Column(type: .integer, data: .int32(nonNull.map { groupIDs[Int($0)] }))
        let values = value.gather(nonNull)
        let before = pairs.groupCount
        var ids: [Int32] = []
        pairs.assign([gids, values], count: nonNull.count, groupIDs: &ids)
        var taken = [Bool](repeating: false, count: pairs.groupCount - before)
        var out = [Int32]()
        for (k, id) in ids.enumerated() where Int(id) >= before && !taken[Int(id) - before] {
            taken[Int(id) - before] = true
            out.append(nonNull[k])
        }
        return out
    }

    /// Folds another partial aggregation (same calls, no DISTINCT) into this one.
    func merge(_ other: GroupedAggregation) throws {
        var mapping: [Int32] = []
        table.assign(other.table.keyColumns(), count: other.table.groupCount, groupIDs: &mapping)
        let groups = table.groupCount
        for (mine, theirs) in zip(accumulators, other.accumulators) {
            mine.resize(groups)
            theirs.resize(other.table.groupCount)
            try mine.merge(theirs, mapping: mapping)
        }
    }

    /// Keys then aggregate results, one row per group.
    func finish() throws -> Batch {
        let finished = try finishColumns()
        return Batch(columns: finished.keys + finished.values, count: finished.count)
    }

    /// The key columns and the result column of every aggregate, one row per group.
    func finishColumns() throws -> (keys: [Column], values: [Column], count: Int) {
        let groups = table.groupCount
        var keys = table.keyColumns()
        for (k, key) in groupKeys.enumerated() where k < keys.count { keys[k].type = key.type }
        let values = try accumulators.map { try $0.finish(groups) }
        return (keys, values, groups)
    }
}
