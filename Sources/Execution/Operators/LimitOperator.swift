import Storage

/// Skips `offset` rows, then passes at most `limit` rows (all when nil) and stops pulling its child.
public final class LimitOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let limit: Int?
    public let offset: Int
    public let statistics = OperatorStatistics()
    private var skipped = 0
    private var emitted = 0
    private var context = ExecutionContext()

    public init(child: PhysicalOperator, limit: Int?, offset: Int = 0) {
        self.child = child
        self.limit = limit
        self.offset = max(0, offset)
    }

    public var outputTypes: [DataType] { child.outputTypes }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String { "Limit \(limit.map(String.init) ?? "ALL")\(offset > 0 ? " offset=\(offset)" : "")" }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        skipped = 0; emitted = 0
        try child.open(context)
    }

    public func next() throws -> Batch? {
        let start = OperatorClock.now()
        while true {
            if let limit, emitted >= limit { return nil }
            guard let batch = try child.next() else { return nil }
            try context.progress.checkCancelled()
            var lo = 0
            if skipped < offset {
                let skip = min(offset - skipped, batch.count)
                skipped += skip
                lo = skip
            }
            var hi = batch.count
            if let limit { hi = min(hi, lo + (limit - emitted)) }
            if hi <= lo { continue }
            emitted += hi - lo
            let out = batch.slice(lo..<hi)
            statistics.add(rows: out.count, nanos: OperatorClock.since(start))
            return out
        }
    }

    public func close() { child.close() }
}
