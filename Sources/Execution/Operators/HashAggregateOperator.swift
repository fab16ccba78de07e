import Storage

/// GROUP BY aggregation (output: group keys, then one column per aggregate). Without keys it is a simple
/// aggregate returning exactly one row, even on empty input.
///
/// When the child is a pipeline rooted at a morsel source (scan → filter → projection) and
/// `settings.threads > 1`, each worker scans morsels and aggregates into its own partial state; the
/// partial states are merged at the end, on all workers at once (`PartitionedMerge`). DISTINCT aggregates
/// over one shared argument deduplicate in parallel first; other DISTINCT and order-sensitive aggregates
/// run on one thread.
public final class HashAggregateOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let groupKeys: [BoundExpression]
    public let aggregates: [AggregateCall]
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    private var output: GroupedOutput?
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
        let state = try GroupedAggregation(groupKeys: groupKeys, calls: aggregates)
        let threads = max(1, context.settings.threads)
        let parts: [(state: GroupedAggregation, rows: [Int32]?)]
        if threads > 1, !state.hasDistinct, !state.isOrderSensitive, let pipeline = ParallelPipeline.decompose(child) {
            parts = try aggregateInParallel(pipeline, state, threads)
        } else if threads > 1, !state.isOrderSensitive, let argument = Self.sharedDistinctArgument(aggregates),
                  let pipeline = ParallelPipeline.decompose(child) {
            parts = [(try aggregateDistinctInParallel(pipeline, argument, threads), nil)]
        } else {
            try child.open(context)
            childOpen = true
            while let batch = try child.next() {
                try context.progress.checkCancelled()
                try state.consume(batch, context)
            }
            parts = [(state, nil)]
        }
        let groups = parts.reduce(0) { $0 + ($1.rows?.count ?? $1.state.table.groupCount) }
        output = GroupedOutput(parts)
        statistics.add(rows: groups, nanos: OperatorClock.since(start))
    }

    /// Per-worker partial aggregation, then a partitioned merge on all workers (`PartitionedMerge`).
    private func aggregateInParallel(_ pipeline: ParallelPipeline, _ state: GroupedAggregation,
                                     _ threads: Int) throws -> [(state: GroupedAggregation, rows: [Int32]?)] {
        let partials = UncheckedSendable((0..<threads).map { $0 == 0 ? state : state.makeEmpty() })
        try pipeline.runSelecting(context, workers: threads, deferLastFilter: state.acceptsSelections) { [context] worker, batch, rows in
            if let rows {
                try partials.value[worker].consume(batch, selected: rows, context)
            } else {
                try partials.value[worker].consume(batch, context)
            }
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

    /// Two-phase DISTINCT aggregation: workers deduplicate (group keys, argument) into partial key tables
    /// (a GROUP BY without aggregates, parallel like any other), the partials are merged (partitioned), and the
    /// distinct rows are fed to the original aggregation (re-pointed at the deduplicated columns), whose DISTINCT
    /// bookkeeping then sees each pair once. Returns that aggregation, complete.
    private func aggregateDistinctInParallel(_ pipeline: ParallelPipeline, _ argument: BoundExpression, _ threads: Int) throws -> GroupedAggregation {
        let dedup = try GroupedAggregation(groupKeys: groupKeys + [argument], calls: [])
        let partials = UncheckedSendable((0..<threads).map { $0 == 0 ? dedup : dedup.makeEmpty() })
        try pipeline.run(context, workers: threads) { [context] worker, batch in
            try partials.value[worker].consume(batch, context)
        }
        try context.progress.checkCancelled()
        let distinct = GroupedOutput(try PartitionedMerge.run(partials.value, context), batchSize: 65_536)
        // The deduplicated batches have the keys in columns 0..<k and the argument in column k.
        let k = groupKeys.count
        let keys = groupKeys.enumerated().map { BoundExpression.column($0.offset, $0.element.type) }
        let calls = aggregates.map { call -> AggregateCall in
            var c = call
            c.arguments = [.column(k, argument.type)]
            return c
        }
        let second = try GroupedAggregation(groupKeys: keys, calls: calls)
        while let part = try distinct.next() {
            try context.progress.checkCancelled()
            try second.consume(part, context)
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
        output = nil
        if childOpen { child.close(); childOpen = false }
    }
}
