import Storage

/// GROUP BY aggregation (output: group keys, then one column per aggregate). Without keys it is a simple
/// aggregate returning exactly one row, even on empty input.
///
/// When the child is a pipeline rooted at a morsel source (scan → filter → projection) and
/// `settings.threads > 1`, each worker scans morsels and aggregates into its own partial state; the
/// partial states are merged at the end, on all workers at once (`PartitionedMerge`). DISTINCT aggregates
/// over one shared argument, or NULL-ignoring ones over several arguments, deduplicate in parallel first; other
/// DISTINCT and order-sensitive aggregates run on one thread.
///
/// The state is accounted to a `MemoryReservation` ("hash aggregate") once per batch from an estimate
/// (`AggregateMemoryEstimate`). When it cannot grow, the aggregation spills (`SpillingAggregation`): a parallel
/// aggregation starts over on one thread (its input, a scan pipeline, can be read again), the groups in memory
/// are frozen and the rows of new keys are partitioned to spill files, aggregated one partition at a time.
public final class HashAggregateOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let groupKeys: [BoundExpression]
    public let aggregates: [AggregateCall]
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    private var output: SpillingAggregateOutput?
    private var reservation: MemoryReservation?
    private var context = ExecutionContext()
    private var childOpen = false

    public init(child: PhysicalOperator, groupKeys: [BoundExpression], aggregates: [AggregateCall]) {
        self.child = child
        self.groupKeys = groupKeys
        self.aggregates = aggregates
        outputTypes = groupKeys.map(\.type) + aggregates.map(\.resultType)
    }

    public var children: [PhysicalOperator] { [child] }

    public var explainLine: String {
        let keys = groupKeys.map(OperatorExpressions.describe).joined(separator: ", ")
        let aggs = aggregates.map { call -> String in
            var s = "\(call.kind.rawValue)(\(call.distinct ? "DISTINCT " : "")\(call.arguments.map(OperatorExpressions.describe).joined(separator: ", ")))"
            if let f = call.filter { s += " FILTER(\(OperatorExpressions.describe(f)))" }
            return s
        }.joined(separator: ", ")
        return groupKeys.isEmpty ? "SimpleAggregate [\(aggs)]" : "HashAggregate keys=[\(keys)] aggs=[\(aggs)]"
    }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        let start = OperatorClock.now()
        let reservation = MemoryReservation(context.memory, owner: "hash aggregate")
        self.reservation = reservation
        let state = try GroupedAggregation(groupKeys: groupKeys, calls: aggregates)
        let threads = max(1, context.settings.threads)
        var parts: [(state: GroupedAggregation, rows: [Int32]?)]? = nil
        do {
            if threads > 1, !state.hasDistinct, !state.isOrderSensitive, let pipeline = ParallelPipeline.decompose(child) {
                parts = try aggregateInParallel(pipeline, state, threads, reservation)
            } else if threads > 1, !state.isOrderSensitive, let arguments = Self.distinctArguments(aggregates),
                      let pipeline = ParallelPipeline.decompose(child) {
                parts = [(try aggregateDistinctInParallel(pipeline, arguments, threads, reservation), nil)]
            }
        } catch is AggregateSpillRequired {
            // The parallel partials outgrew the memory limit: read the input again on one thread, spilling.
            parts = nil
            _ = reservation.tryResize(to: 0)
            statistics.add("spill_restarts", 1)
        }
        if let parts {
            let groups = parts.reduce(0) { $0 + ($1.rows?.count ?? $1.state.table.groupCount) }
            output = SpillingAggregateOutput(GroupedOutput(parts), context: context, reservation: reservation)
            statistics.add(rows: groups, nanos: OperatorClock.since(start))
            return
        }
        try aggregateSerially(reservation)
        statistics.add(rows: 0, nanos: OperatorClock.since(start))
    }

    /// One thread reads the child; when the state outgrows the memory limit, new keys' rows spill to partitions
    /// (`SpillingAggregation`), aggregated one at a time after the in-memory groups (`SpillingAggregateOutput`).
    private func aggregateSerially(_ reservation: MemoryReservation) throws {
        // Spill only the columns the keys, arguments and filters read.
        let expressions = groupKeys + aggregates.flatMap { $0.arguments + ($0.filter.map { [$0] } ?? []) }
        var used: Set<Int>? = []
        for e in expressions { if let columns = e.referencedColumns, used != nil { used?.formUnion(columns) } else { used = nil } }
        let spillColumns = used.map { $0.sorted() }
        var map: [Int: Int] = [:]
        for (k, c) in (spillColumns ?? []).enumerated() { map[c] = k }
        let keys = spillColumns == nil ? groupKeys : groupKeys.map { $0.remappingColumns(map) }
        let calls = spillColumns == nil ? aggregates : aggregates.map { call -> AggregateCall in
            var c = call
            c.arguments = c.arguments.map { $0.remappingColumns(map) }
            c.filter = c.filter?.remappingColumns(map)
            return c
        }
        let pass = try SpillingAggregation(groupKeys: groupKeys, spilledKeys: keys, calls: aggregates, inputTypes: child.outputTypes,
                                           spillColumns: spillColumns, context: context, reservation: reservation, depth: 0)
        try child.open(context)
        childOpen = true
        while let batch = try child.next() {
            try context.progress.checkCancelled()
            try pass.consume(batch)
        }
        try pass.finishInput()
        statistics.add(rows: pass.state.table.groupCount, nanos: 0)
        if pass.isSpilling {
            statistics.add("spilled_rows", pass.spilledRows)
            statistics.add("spill_partitions", pass.partitions.filter { $0.rowCount > 0 }.count)
        }
        output = SpillingAggregateOutput(GroupedOutput([(pass.state, nil)]), partitions: pass.partitions, depth: 1,
                                         groupKeys: keys, calls: calls, context: context, reservation: reservation,
                                         statistics: statistics)
    }

    /// Per-worker partial aggregation, then a partitioned merge on all workers (`PartitionedMerge`). Throws
    /// `AggregateSpillRequired` when the partials outgrow the memory limit.
    private func aggregateInParallel(_ pipeline: ParallelPipeline, _ state: GroupedAggregation,
                                     _ threads: Int, _ reservation: MemoryReservation) throws -> [(state: GroupedAggregation, rows: [Int32]?)] {
        let partials = UncheckedSendable((0..<threads).map { $0 == 0 ? state : state.makeEmpty() })
        let accounting = ParallelAggregateAccounting(reservation, workers: threads)
        try pipeline.runSelecting(context, workers: threads, deferLastFilter: state.acceptsSelections) { [context] worker, batch, rows in
            let partial = partials.value[worker]
            if let rows {
                try partial.consume(batch, selected: rows, context)
            } else {
                try partial.consume(batch, context)
            }
            try accounting.account(worker, partial.estimatedBytes)
        }
        try context.progress.checkCancelled()
        if groupKeys.isEmpty {
            for partial in partials.value.dropFirst() { try state.merge(partial) }
            return [(state, nil)]
        }
        return try PartitionedMerge.run(partials.value, context)
    }

    /// The argument of the calls when every call is DISTINCT over the same single argument without FILTER
    /// (e.g. `count(DISTINCT x)`): such an aggregation can first deduplicate (keys, argument) in parallel.
    static func sharedDistinctArgument(_ calls: [AggregateCall]) -> BoundExpression? {
        guard let first = calls.first, first.arguments.count == 1 else { return nil }
        let text = OperatorExpressions.describe(first.arguments[0])
        for call in calls {
            guard call.distinct, call.filter == nil, call.arguments.count == 1,
                  OperatorExpressions.describe(call.arguments[0]) == text,
                  call.arguments[0].type == first.arguments[0].type else { return nil }
        }
        return first.arguments[0]
    }

    /// The distinct arguments of the calls (in first-use order) when they can be deduplicated in parallel: one
    /// shared argument (any DISTINCT aggregate), or several (`count(DISTINCT a), count(DISTINCT b)`) when every call
    /// is a DISTINCT aggregate without FILTER that ignores NULLs — each argument is then deduplicated on its own and
    /// fed with the other arguments NULL, which such aggregates skip.
    static func distinctArguments(_ calls: [AggregateCall]) -> [BoundExpression]? {
        if let shared = sharedDistinctArgument(calls) { return [shared] }
        var arguments: [BoundExpression] = []
        for call in calls {
            guard call.distinct, call.filter == nil, call.arguments.count == 1, nullIgnoringKinds.contains(call.kind) else { return nil }
            if distinctArgumentIndex(call.arguments[0], in: arguments) == nil { arguments.append(call.arguments[0]) }
        }
        return arguments.count > 1 ? arguments : nil
    }

    /// Aggregates whose result does not change when NULL arguments are added.
    static let nullIgnoringKinds: Set<AggregateKind> = [
        .count, .sum, .total, .avg, .min, .max, .stddevSamp, .stddevPop, .varianceSamp, .variancePop,
        .boolAnd, .boolOr, .bitwiseAnd, .bitwiseOr, .approxDistinct, .median, .quantileCont, .geometricMean,
    ]

    private static func distinctArgumentIndex(_ argument: BoundExpression, in arguments: [BoundExpression]) -> Int? {
        let text = OperatorExpressions.describe(argument)
        return arguments.firstIndex { OperatorExpressions.describe($0) == text && $0.type == argument.type }
    }

    /// Two-phase DISTINCT aggregation: workers deduplicate (group keys, argument) into partial key tables — one
    /// per distinct argument, all fed by the same pass over the input — (a GROUP BY without aggregates, parallel
    /// like any other), the partials are merged (partitioned), and the distinct rows are fed to the original
    /// aggregation (re-pointed at the deduplicated columns: keys, then one column per argument, NULL in the rows of
    /// the other arguments), whose DISTINCT bookkeeping then sees each pair once. Returns that aggregation, complete.
    private func aggregateDistinctInParallel(_ pipeline: ParallelPipeline, _ arguments: [BoundExpression], _ threads: Int,
                                             _ reservation: MemoryReservation) throws -> GroupedAggregation {
        let partials = UncheckedSendable(try arguments.map { argument -> [GroupedAggregation] in
            let dedup = try GroupedAggregation(groupKeys: groupKeys + [argument], calls: [])
            return (0..<threads).map { $0 == 0 ? dedup : dedup.makeEmpty() }
        })
        let accounting = ParallelAggregateAccounting(reservation, workers: threads)
        try pipeline.run(context, workers: threads) { [context] worker, batch in
            var bytes = 0
            for perArgument in partials.value {
                try perArgument[worker].consume(batch, context)
                bytes += perArgument[worker].estimatedBytes
            }
            try accounting.account(worker, bytes)
        }
        try context.progress.checkCancelled()
        // The deduplicated batches have the keys in columns 0..<k and the argument in column k.
        let k = groupKeys.count
        let keys = groupKeys.enumerated().map { BoundExpression.column($0.offset, $0.element.type) }
        let calls = aggregates.map { call -> AggregateCall in
            var c = call
            let j = Self.distinctArgumentIndex(call.arguments[0], in: arguments) ?? 0
            c.arguments = [.column(k + j, arguments[j].type)]
            return c
        }
        let second = try GroupedAggregation(groupKeys: keys, calls: calls)
        for (j, perArgument) in partials.value.enumerated() {
            let distinct = GroupedOutput(try PartitionedMerge.run(perArgument, context), batchSize: 65_536)
            while let part = try distinct.next() {
                try context.progress.checkCancelled()
                if arguments.count == 1 { try second.consume(part, context); continue }
                var columns = Array(part.columns[0..<k])
                for (i, argument) in arguments.enumerated() {
                    columns.append(i == j ? part.columns[k] : Column.nulls(argument.type, count: part.count))
                }
                try second.consume(Batch(columns: columns, count: part.count), context)
            }
        }
        return second
    }

    public func next() throws -> Batch? {
        guard let output else { return nil }
        let start = OperatorClock.now()
        defer { statistics.add(rows: 0, nanos: OperatorClock.since(start)) }
        if let batch = try output.next() { return batch }
        self.output = nil
        return nil
    }

    public func close() {
        output?.discard()
        output = nil
        reservation?.release()
        reservation = nil
        if childOpen { child.close(); childOpen = false }
    }
}
