import Storage

/// ORDER BY … LIMIT n OFFSET m without sorting everything: keeps a candidate buffer of at most
/// about 2·(n+m) rows, compacting it (sort + truncate to n+m) whenever it overflows, so memory is
/// O(n+m) and work O(rows · log(n+m)). Ties keep input order (same result as a stable sort + limit).
/// With n+m above `accountedFrom` the buffer counts against memory_limit; past it the input goes to the external
/// merge sort (`SortOperator`) and the operator skips m rows of its output and emits n. Once the buffer holds n+m
/// rows, rows whose first key sorts after the last kept row's are dropped as they arrive (`TopNBoundary`;
/// `boundary_rows_dropped` in EXPLAIN ANALYZE).
public final class TopNOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let keys: [SortKey]
    public let limit: Int
    public let offset: Int
    public let statistics = OperatorStatistics()
    private var pending: [Batch] = []
    /// Past memory_limit: the external sort the input went to, and how many of its rows to skip and to emit.
    private var spilledSort: SortOperator?
    private var toSkip = 0
    private var toEmit = 0
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
        close()
        try child.open(context)
        let keep = limit + offset
        let types = child.outputTypes
        var candidates: Batch? = nil
        var buffered: [Batch] = []
        var bufferedRows = 0
        var bufferedBytes = 0
        // Small limits hold a few batches; from `accountedFrom` rows the buffer counts against memory_limit, and past
        // it the rows go through the external merge sort instead (same answer: both are stable).
        let reservation = MemoryReservation(context.memory, owner: "ORDER BY … LIMIT \(limit)")
        defer { reservation.release() }
        var overBudget = false
        var boundary: TopNBoundary? = nil
        var dropped = 0
        func fits(_ bytes: Int) -> Bool { keep <= TopNOperator.accountedFrom || reservation.tryResize(to: bytes) }
        func compact() throws {
            var parts = buffered
            if let c = candidates { parts.insert(c, at: 0) }
            buffered = []; bufferedRows = 0; bufferedBytes = 0
            guard !parts.isEmpty else { return }
            let all = ColumnAssembly.concatenate(parts, types: types)
            let keyColumns = try OperatorExpressions.evaluate(keys.map(\.expression), all, context)
            let perm = try RowComparator(columns: keyColumns, keys: keys).sortedPermutation(all.count, checking: context.progress)
            let kept = Array(perm.prefix(keep))
            candidates = all.gather(kept)
            if kept.count == keep, let last = kept.last, let first = keys.first {
                boundary = TopNBoundary(key: first, column: keyColumns[0], row: Int(last))
            }
            if !fits(candidates?.estimatedBytes ?? 0) { overBudget = true }
        }
        if keep > 0 {
            while !overBudget, var b = try child.next() {
                try context.progress.checkCancelled()
                guard b.count > 0 else { continue }
                if let boundary, let first = keys.first,
                   let rows = boundary.survivors(try OperatorExpressions.evaluate([first.expression], b, context)[0]) {
                    dropped += b.count - rows.count
                    guard !rows.isEmpty else { continue }
                    if rows.count < b.count { b = b.gather(rows) }
                }
                buffered.append(b)
                bufferedRows += b.count
                bufferedBytes += b.estimatedBytes
                if !fits((candidates?.estimatedBytes ?? 0) + bufferedBytes * 3) { overBudget = true; break }
                if bufferedRows >= max(keep, Batch.defaultSize) { try compact() }
            }
            if !overBudget { try compact() }
        }
        if overBudget {
            // The rows held so far (candidates first: they came earlier) and the rest of the input, sorted externally.
            let prefix = (candidates.map { [$0] } ?? []) + buffered
            candidates = nil
            buffered = []
            reservation.release()
            let sort = SortOperator(child: PrefixedInput(prefix: prefix, rest: child), keys: keys)
            try sort.open(context)
            child.close()
            spilledSort = sort
            toSkip = offset
            toEmit = limit
            statistics.add("spilled_to_sort", 1)
            statistics.add(rows: 0, nanos: OperatorClock.since(start))
            return
        }
        child.close()
        if dropped > 0 { statistics.add("boundary_rows_dropped", dropped) }
        if let c = candidates, c.count > offset {
            let out = c.slice(offset..<c.count)
            pending = ColumnAssembly.split(out).reversed()
            statistics.add(rows: out.count, nanos: OperatorClock.since(start))
        } else {
            statistics.add(rows: 0, nanos: OperatorClock.since(start))
        }
    }

    public func next() throws -> Batch? {
        guard let sort = spilledSort else { return pending.popLast() }
        while toEmit > 0, var batch = try sort.next() {
            if toSkip > 0 {
                if batch.count <= toSkip { toSkip -= batch.count; continue }
                batch = batch.slice(toSkip ..< batch.count)
                toSkip = 0
            }
            if batch.count > toEmit { batch = batch.slice(0 ..< toEmit) }
            toEmit -= batch.count
            return batch
        }
        return nil
    }

    public func close() {
        pending = []
        spilledSort?.close()
        spilledSort = nil
    }
}

/// Batches already read from an open operator, then the rest of it (TopN handing its input to the external sort).
/// `open` and `close` leave the underlying operator alone: its owner opened it and closes it.
private final class PrefixedInput: PhysicalOperator {
    private var prefix: [Batch]
    private let rest: PhysicalOperator
    let statistics = OperatorStatistics()

    init(prefix: [Batch], rest: PhysicalOperator) {
        self.prefix = prefix.reversed()
        self.rest = rest
    }

    var outputTypes: [DataType] { rest.outputTypes }
    var children: [PhysicalOperator] { [] }
    var explainLine: String { "Prefixed input" }
    func open(_ context: ExecutionContext) throws {}
    func next() throws -> Batch? { try prefix.popLast() ?? rest.next() }
    func close() { prefix = [] }
}
