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
    private var distinctPairs: [GroupKeyTable?]
    private var groupIDs: [Int32] = []
    /// Group id of every row of a batch consumed with a selection (`groupCount` for rows not selected).
    private var allIDs: [Int32] = []
    /// The calls' arguments, with subexpressions common to several calls computed once per batch.
    private let arguments: SharedSubexpressions
    /// Memory accounting (`estimatedBytes`): bytes per group, per consumed row, and the bytes of state that
    /// grows with the rows (string keys, per-row accumulator state), added up once per batch.
    private let memory: AggregateMemoryEstimate
    private(set) var variableBytes = 0

    init(groupKeys: [BoundExpression], calls: [AggregateCall]) throws {
        self.groupKeys = groupKeys
        self.calls = calls
        table = GroupKeyTables.make(for: groupKeys.map(\.type))
        let made = try calls.map { try AggregateAccumulators.make($0) }
        accumulators = made
        arguments = SharedSubexpressions(calls.map(\.arguments), narrow: zip(calls, made).map { Self.readsNarrowDecimals($0.0, $0.1) })
        distinctPairs = calls.map { call in
            call.distinct && !call.arguments.isEmpty ? GroupKeyTables.pairs(call.arguments[0].type) : nil
        }
        memory = AggregateMemoryEstimate(keyTypes: groupKeys.map(\.type), calls: calls)
    }

    private init(copying other: GroupedAggregation) {
        groupKeys = other.groupKeys
        calls = other.calls
        table = other.table.makeEmpty()
        accumulators = other.accumulators.map { $0.makeEmpty() }
        arguments = SharedSubexpressions(other.arguments.lists, narrow: other.arguments.narrow)
        distinctPairs = other.calls.map { call in
            call.distinct && !call.arguments.isEmpty ? GroupKeyTables.pairs(call.arguments[0].type) : nil
        }
        memory = other.memory
    }

    /// Whether the call's argument may be evaluated by `NarrowDecimalArguments` (a DECIMAL sum or average without
    /// DISTINCT, whose accumulator reads 64-bit data of a DECIMAL(19…38) argument).
    private static func readsNarrowDecimals(_ call: AggregateCall, _ accumulator: GroupedAccumulator) -> Bool {
        !call.distinct && accumulator is Decimal128SumAccumulator
    }

    /// Whether some state grows with the rows rather than the groups (DISTINCT, median, string_agg...).
    var growsWithRows: Bool { memory.bytesPerRow > 0 || !memory.keptArguments.isEmpty }

    /// Estimated bytes of the key table and accumulator state (no per-row work: kept up once per batch).
    var estimatedBytes: Int { table.groupCount * memory.bytesPerGroup + variableBytes }

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
        let before = table.groupCount
        table.assign(keys, count: n, groupIDs: &groupIDs)
        let groups = table.groupCount
        let evaluated = try self.arguments.evaluate(batch, context)
        variableBytes += memory.variableBytes(keys: keys, newGroups: groups - before, arguments: evaluated, rows: n)
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

    /// Whether `consume(_:selected:_:)` pays off: grouped, no DISTINCT or FILTER, and every accumulator can skip
    /// discarded rows itself (otherwise it would gather its arguments anyway).
    var acceptsSelections: Bool {
        !groupKeys.isEmpty && !calls.contains { $0.distinct || $0.filter != nil }
            && accumulators.allSatisfy { $0 is DiscardingAccumulator }
    }

    /// Consumes the rows `rows` (ascending indices) of `batch` without gathering its columns: keys and arguments
    /// are evaluated over the whole batch, only the kept rows' keys enter the key table, and the other rows get
    /// the discard group id `groupCount`, which the accumulators skip. Falls back to a gathered batch when an
    /// expression fails (it may fail only on a row the filter removed, e.g. an overflow) or an accumulator cannot
    /// skip rows in this batch.
    func consume(_ batch: Batch, selected rows: [Int32], _ context: ExecutionContext) throws {
        let n = batch.count
        guard rows.count < n else { return try consume(batch, context) }
        guard !rows.isEmpty else { return }
        guard acceptsSelections else { return try consume(batch.gather(rows), context) }
        let keys: [Column]
        let evaluated: [[Column]]
        do {
            keys = try OperatorExpressions.evaluate(groupKeys, batch, context)
            evaluated = try self.arguments.evaluate(batch, context)
        } catch {
            return try consume(batch.gather(rows), context)
        }
        let before = table.groupCount
        table.assign(keys.map { $0.gather(rows) }, count: rows.count, groupIDs: &groupIDs)
        let groups = table.groupCount
        variableBytes += memory.variableBytes(keys: keys, newGroups: groups - before, arguments: evaluated, rows: rows.count)
        let discard = Int32(groups)
        if allIDs.count < n { allIDs = [Int32](repeating: discard, count: n) }
        allIDs.withUnsafeMutableBufferPointer { all in
            for i in 0..<n { all[i] = discard }
            rows.withUnsafeBufferPointer { r in
                groupIDs.withUnsafeBufferPointer { g in
                    for k in 0..<r.count { all[Int(r[k])] = g[k] }
                }
            }
        }
        for (k, accumulator) in accumulators.enumerated() {
            accumulator.resize(groups)
            let handled = try allIDs.withUnsafeBufferPointer { all in
                try (accumulator as? DiscardingAccumulator)?.update(evaluated[k], UnsafeBufferPointer(rebasing: all[0..<n]),
                                                                  discarding: discard) ?? false
            }
            if !handled {
                let arguments = evaluated[k].map { $0.gather(rows) }
                try groupIDs.withUnsafeBufferPointer { try accumulator.update(arguments, $0) }
            }
        }
    }

    /// Rows (among `selection`) whose (group, value) pair was not seen before, NULL values excluded.
    private func firstOccurrences(_ pairs: GroupKeyTable, _ value: Column, _ selection: [Int32]?, _ n: Int) -> [Int32] {
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
        variableBytes += other.variableBytes
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
