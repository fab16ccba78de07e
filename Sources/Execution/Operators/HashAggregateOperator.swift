import Storage

/// GROUP BY aggregation (output: group keys, then one column per aggregate). Without keys it is a simple
/// aggregate returning exactly one row, even on empty input.
///
/// When the child is a pipeline rooted at a morsel source (scan → filter → projection) and
/// `settings.threads > 1`, each worker scans morsels and aggregates into its own partial state; the
/// partial states are merged at the end. DISTINCT aggregates run on one thread.
public final class HashAggregateOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let groupKeys: [BoundExpression]
    public let aggregates: [AggregateCall]
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    private var pending: [Batch] = []
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
        if threads > 1, !state.hasDistinct, let pipeline = ParallelPipeline.decompose(child) {
            try aggregateInParallel(pipeline, state, threads)
        } else {
            try child.open(context)
            childOpen = true
            while let batch = try child.next() {
                try context.progress.checkCancelled()
                try state.consume(batch, context)
            }
        }
        let result = try state.finish()
        pending = ColumnAssembly.split(result).reversed()
        statistics.add(rows: result.count, nanos: OperatorClock.since(start))
    }

    private func aggregateInParallel(_ pipeline: ParallelPipeline, _ state: GroupedAggregation, _ threads: Int) throws {
        let partials = UncheckedSendable((0..<threads).map { $0 == 0 ? state : state.makeEmpty() })
        try pipeline.run(context, workers: threads) { [context] worker, batch in
            try partials.value[worker].consume(batch, context)
        }
        for partial in partials.value.dropFirst() {
            try context.progress.checkCancelled()
            try state.merge(partial)
        }
    }

    public func next() throws -> Batch? { pending.popLast() }

    public func close() {
        pending = []
        if childOpen { child.close(); childOpen = false }
    }
}
