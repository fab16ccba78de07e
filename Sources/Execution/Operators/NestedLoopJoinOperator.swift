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
        try right.open(context)
        var parts: [Batch] = []
        while let b = try right.next() {
            try context.progress.checkCancelled()
            if b.count > 0 { parts.append(b) }
        }
        right.close()
        let build = parts.isEmpty ? Batch(columns: right.outputTypes.map { Column(type: $0, data: .zeros($0.physical, count: 0)) }, count: 0)
                                  : ColumnAssembly.concatenate(parts, types: right.outputTypes)
        emitter = JoinEmitter(kind: kind, nullAware: nullAware, leftTypes: left.outputTypes, rightTypes: right.outputTypes, build: build)
        try left.open(context)
        probeDone = false
        pending = []
    }

    public func next() throws -> Batch? {
        let start = OperatorClock.now()
        while pending.isEmpty {
            guard !probeDone, let emitter else { return nil }
            guard let probe = try left.next() else {
                probeDone = true
                pending = emitter.unmatchedBuildRows().reversed()
                continue
            }
            try context.progress.checkCancelled()
            pending = try joinProbe(probe, emitter).reversed()
        }
        let out = pending.removeLast()
        statistics.add(rows: out.count, nanos: OperatorClock.since(start))
        return out
    }

    private func joinProbe(_ probe: Batch, _ emitter: JoinEmitter) throws -> [Batch] {
        let n = probe.count, m = emitter.build.count
        var unknown = [Bool](repeating: false, count: n)
        var pairProbe: [Int32] = [], pairBuild: [Int32] = []
        if m > 0 {
            let rowsPerChunk = max(1, (Batch.defaultSize * 4) / m)
            var lo = 0
            while lo < n {
                let hi = min(n, lo + rowsPerChunk)
                var li: [Int32] = [], ri: [Int32] = []
                li.reserveCapacity((hi - lo) * m); ri.reserveCapacity((hi - lo) * m)
                for i in lo..<hi { for j in 0..<m { li.append(Int32(i)); ri.append(Int32(j)) } }
                if let condition {
                    let cross = Batch(columns: probe.columns.map { $0.gather(li) } + emitter.build.columns.map { $0.gather(ri) }, count: li.count)
                    let verdict = try OperatorExpressions.evaluate(condition, cross, context)
                    guard case let .bool(values) = verdict.data else { throw TarnError(.internal, "join condition is not BOOLEAN") }
                    for k in 0..<li.count {
                        if verdict.isNull(k) { unknown[Int(li[k])] = true } else if values[k] { pairProbe.append(li[k]); pairBuild.append(ri[k]) }
                    }
                } else {
                    pairProbe.append(contentsOf: li); pairBuild.append(contentsOf: ri)
                }
                lo = hi
            }
        }
        return emitter.emit(probe: probe, pairProbe: pairProbe, pairBuild: pairBuild, unknown: unknown)
    }

    public func close() {
        left.close()
        emitter = nil; pending = []
    }
}
