import Storage

/// ORDER BY … LIMIT n OFFSET m without sorting everything: keeps a candidate buffer of at most
/// about 2·(n+m) rows, compacting it (sort + truncate to n+m) whenever it overflows, so memory is
/// O(n+m) and work O(rows · log(n+m)). Ties keep input order (same result as a stable sort + limit).
public final class TopNOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let keys: [SortKey]
    public let limit: Int
    public let offset: Int
    public let statistics = OperatorStatistics()
    private var pending: [Batch] = []
    /// LIMIT + OFFSET above which the candidate buffer counts against memory_limit (smaller ones hold a few batches).
    static let accountedFrom = 16_384

    public init(child: PhysicalOperator, keys: [SortKey], limit: Int, offset: Int = 0) {
        self.child = child
        self.keys = keys
        self.limit = max(0, limit)
        self.offset = max(0, offset)
    }

    public var outputTypes: [DataType] { child.outputTypes }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String { "TopN limit=\(limit)\(offset > 0 ? " offset=\(offset)" : "") [\(SortOperator.describe(keys))]" }

    public func open(_ context: ExecutionContext) throws {
        let start = OperatorClock.now()
        try child.open(context)
        let keep = limit + offset
        let types = child.outputTypes
        var candidates: Batch? = nil
        var buffered: [Batch] = []
        var bufferedRows = 0
        var bufferedBytes = 0
        let reservation = MemoryReservation(context.memory, owner: "ORDER BY … LIMIT \(limit)")
        defer { reservation.release() }
        func compact() throws {
            var parts = buffered
            if let c = candidates { parts.insert(c, at: 0) }
            buffered = []; bufferedRows = 0; bufferedBytes = 0
            guard !parts.isEmpty else { return }
            let all = ColumnAssembly.concatenate(parts, types: types)
            let keyColumns = try OperatorExpressions.evaluate(keys.map(\.expression), all, context)
            let perm = RowComparator(columns: keyColumns, keys: keys).sortedPermutation(all.count)
            candidates = all.gather(Array(perm.prefix(keep)))
            if keep > TopNOperator.accountedFrom { try reservation.resize(to: candidates?.estimatedBytes ?? 0) }
        }
        if keep > 0 {
            while let b = try child.next() {
                try context.progress.checkCancelled()
                guard b.count > 0 else { continue }
                buffered.append(b)
                bufferedRows += b.count
                bufferedBytes += b.estimatedBytes
                if keep > TopNOperator.accountedFrom { try reservation.resize(to: (candidates?.estimatedBytes ?? 0) + bufferedBytes * 3) }
                if bufferedRows >= max(keep, Batch.defaultSize) { try compact() }
            }
            try compact()
        }
        child.close()
        if let c = candidates, c.count > offset {
            let out = c.slice(offset..<c.count)
            pending = ColumnAssembly.split(out).reversed()
            statistics.add(rows: out.count, nanos: OperatorClock.since(start))
        } else {
            statistics.add(rows: 0, nanos: OperatorClock.since(start))
        }
    }

    public func next() throws -> Batch? { pending.popLast() }
    public func close() { pending = [] }
}
