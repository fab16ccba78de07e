import Storage

/// Join on an arbitrary condition (or none: a cross join) by evaluating the condition over cross-product
/// batches of left rows × all right rows. Same kinds and output layout as `HashJoinOperator`; for `mark`
/// the value is NULL when no pair was TRUE but some was NULL, and `nullAware` anti joins drop such rows.
public final class NestedLoopJoinOperator: PhysicalOperator {
    public let left: PhysicalOperator
    public let right: PhysicalOperator
    public let kind: PhysicalJoinKind
    public let condition: BoundExpression?
    public let nullAware: Bool
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    private var context = ExecutionContext()
    private var emitter: JoinEmitter?
    private var pending: [Batch] = []
    private var probeDone = false
    /// The left batch being joined, and its next row: it is joined a chunk of rows at a time (each row against every
    /// build row), so one batch's output never piles up and Ctrl-C is seen between chunks.
    private var probe: Batch?
    private var probeNext = 0

    public init(left: PhysicalOperator, right: PhysicalOperator, kind: PhysicalJoinKind, condition: BoundExpression?, nullAware: Bool = false) {
        self.left = left
        self.right = right
        self.kind = kind
        self.condition = condition
        self.nullAware = nullAware
        outputTypes = JoinEmitter.outputTypes(kind, left.outputTypes, right.outputTypes)
    }

    public var children: [PhysicalOperator] { [left, right] }
    public var explainLine: String {
        let cond = condition.map { " on \(OperatorExpressions.describe($0))" } ?? ""
        return condition == nil && kind == .inner ? "CrossJoin" : "NestedLoopJoin \(kind.rawValue)\(cond)"
    }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        if kind == .count { throw TarnError(.internal, "a counting join needs equality keys (hash join only)") }
        try right.open(context)
        var parts: [Batch] = []
        while let b = try right.next() {
            try context.progress.checkCancelled()
            if b.count > 0 { parts.append(b) }
        }
        right.close()
        let build = parts.isEmpty ? Batch(columns: right.outputTypes.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0)
                                  : ColumnAssembly.concatenate(parts, types: right.outputTypes)
        emitter = JoinEmitter(kind: kind, nullAware: nullAware, leftTypes: left.outputTypes, rightTypes: right.outputTypes, build: build)
        try left.open(context)
        probeDone = false
        pending = []
        probe = nil
        probeNext = 0
    }

    public func next() throws -> Batch? {
        let start = OperatorClock.now()
        while pending.isEmpty {
            guard !probeDone, let emitter else { return nil }
            try context.progress.checkCancelled()
            if let batch = probe, probeNext < batch.count {
                let rowsPerChunk = max(1, Self.pairsPerStep / max(1, emitter.build.count))
                let hi = min(batch.count, probeNext + rowsPerChunk)
                pending = try joinChunk(probeNext == 0 && hi == batch.count ? batch : batch.slice(probeNext..<hi), emitter).reversed()
                probeNext = hi
                continue
            }
            guard let batch = try left.next() else {
                probeDone = true
                pending = emitter.unmatchedBuildRows().reversed()
                continue
            }
            probe = batch
            probeNext = 0
        }
        let out = pending.removeLast()
        statistics.add(rows: out.count, nanos: OperatorClock.since(start))
        return out
    }

    /// Pairs evaluated in one step: a chunk's (left row, build row) pairs are formed and tested this many at a time,
    /// with a cancel check between steps, so neither a wide build side nor a long chunk runs unchecked.
    static let pairsPerStep = Batch.defaultSize * 4

    /// Joins some left rows with every build row (so each left row's verdict is complete here). The build rows are
    /// taken in ranges of `pairsPerStep / n`; with more than one left row the whole build side fits one range (the
    /// caller sizes chunks so), so pairs stay grouped by left row in left order.
    private func joinChunk(_ probe: Batch, _ emitter: JoinEmitter) throws -> [Batch] {
        let n = probe.count, m = emitter.build.count
        var unknown = [Bool](repeating: false, count: n)
        var pairProbe: [Int32] = [], pairBuild: [Int32] = []
        guard m > 0, n > 0 else { return emitter.emit(probe: probe, pairProbe: pairProbe, pairBuild: pairBuild, unknown: unknown) }
        let buildStep = max(1, Self.pairsPerStep / n)
        var lo = 0
        while lo < m {
            try context.progress.checkCancelled()
            let hi = min(m, lo + buildStep)
            var li: [Int32] = [], ri: [Int32] = []
            li.reserveCapacity(n * (hi - lo)); ri.reserveCapacity(n * (hi - lo))
            for i in 0..<n { for j in lo..<hi { li.append(Int32(i)); ri.append(Int32(j)) } }
            if let condition {
                let cross = Batch(columns: probe.columns.map { $0.gather(li) } + emitter.build.columns.map { $0.gather(ri) }, count: li.count)
                let verdict = try OperatorExpressions.evaluate(condition, cross, context)
                guard case let .bool(values) = verdict.data else { throw TarnError(.internal, "join condition is not BOOLEAN") }
                for k in 0..<li.count {
                    if verdict.isNull(k) { unknown[Int(li[k])] = true } else if values[k] { pairProbe.append(li[k]); pairBuild.append(ri[k]) }
                }
            } else {
                pairProbe += li; pairBuild += ri
            }
            lo = hi
        }
        return emitter.emit(probe: probe, pairProbe: pairProbe, pairBuild: pairBuild, unknown: unknown)
    }

    public func close() {
        left.close()
        emitter = nil; pending = []
    }
}
