import Storage

/// Equi-join: builds a hash table over the right input's keys, then streams the left (probe) input.
///
/// Output: left columns then right columns (inner/left/right/full), left columns only (semi/anti),
/// or left columns plus a BOOLEAN (mark: TRUE on a match, NULL when unmatched but a NULL key was involved
/// on either side — SQL IN semantics — FALSE otherwise). NULL keys never match. `residual` is evaluated
/// over left columns ++ right columns for key-matching pairs. `nullAware` makes `anti` implement NOT IN.
public final class HashJoinOperator: PhysicalOperator {
    public let left: PhysicalOperator
    public let right: PhysicalOperator
    public let kind: PhysicalJoinKind
    public let leftKeys: [BoundExpression]
    public let rightKeys: [BoundExpression]
    public let residual: BoundExpression?
    public let nullAware: Bool
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    private var context = ExecutionContext()
    private var emitter: JoinEmitter?
    private var table: GroupKeyTable?
    private var chainHead: [Int32] = []
    private var chainNext: [Int32] = []
    private var buildHasNullKey = false
    private var pending: [Batch] = []
    private var probeDone = false
    private var probeIDs: [Int32] = []

    public init(left: PhysicalOperator, right: PhysicalOperator, kind: PhysicalJoinKind, leftKeys: [BoundExpression],
                rightKeys: [BoundExpression], residual: BoundExpression? = nil, nullAware: Bool = false) {
        self.left = left
        self.right = right
        self.kind = kind
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.nullAware = nullAware
        outputTypes = JoinEmitter.outputTypes(kind, left.outputTypes, right.outputTypes)
    }

    public var children: [PhysicalOperator] { [left, right] }

    public var explainLine: String {
        let keys = zip(leftKeys, rightKeys).map { "\(OperatorExpressions.describe($0)) = \(OperatorExpressions.describe($1))" }
        var s = "HashJoin \(kind.rawValue)\(nullAware ? " null-aware" : "") [\(keys.joined(separator: " AND "))]"
        if let residual { s += " residual=\(OperatorExpressions.describe(residual))" }
        return s
    }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        let start = OperatorClock.now()
        try right.open(context)
        var parts: [Batch] = []
        while let b = try right.next() {
            try context.progress.checkCancelled()
            if b.count > 0 { parts.append(b) }
        }
        right.close()
        let build = ColumnAssembly.concatenate(parts, types: right.outputTypes)
        let buildBatch = parts.isEmpty ? Batch(columns: right.outputTypes.map { Column(type: $0, data: .zeros($0.physical, count: 0)) }, count: 0) : build
        let keys = try OperatorExpressions.evaluate(rightKeys, buildBatch, context)
        let table = GroupKeyTables.make(for: rightKeys.map(\.type))
        var ids: [Int32] = []
        table.assign(keys, count: buildBatch.count, groupIDs: &ids)
        chainHead = [Int32](repeating: -1, count: table.groupCount)
        chainNext = [Int32](repeating: -1, count: buildBatch.count)
        buildHasNullKey = false
        let nulls = Self.nullKeyRows(keys, buildBatch.count)
        for r in stride(from: buildBatch.count - 1, through: 0, by: -1) {
            if nulls[r] { buildHasNullKey = true; continue }
            let g = Int(ids[r])
            chainNext[r] = chainHead[g]
            chainHead[g] = Int32(r)
        }
        self.table = table
        emitter = JoinEmitter(kind: kind, nullAware: nullAware, leftTypes: left.outputTypes, rightTypes: right.outputTypes, build: buildBatch)
        try left.open(context)
        probeDone = false
        pending = []
        statistics.add(rows: 0, nanos: OperatorClock.since(start))
    }

    static func nullKeyRows(_ keys: [Column], _ n: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: n)
        for k in keys { if let v = k.validity { for i in 0..<n where v[i] == 0 { out[i] = true } } }
        return out
    }

    public func next() throws -> Batch? {
        let start = OperatorClock.now()
        while pending.isEmpty {
            guard !probeDone, let emitter, let table else { return nil }
            guard let probe = try left.next() else {
                probeDone = true
                pending = emitter.unmatchedBuildRows().reversed()
                continue
            }
            try context.progress.checkCancelled()
            pending = try joinProbe(probe, emitter, table).reversed()
        }
        let out = pending.removeLast()
        statistics.add(rows: out.count, nanos: OperatorClock.since(start))
        return out
    }

    private func joinProbe(_ probe: Batch, _ emitter: JoinEmitter, _ table: GroupKeyTable) throws -> [Batch] {
        let n = probe.count
        let keys = try OperatorExpressions.evaluate(leftKeys, probe, context)
        table.lookup(keys, count: n, groupIDs: &probeIDs)
        let nullKey = Self.nullKeyRows(keys, n)
        var pairProbe: [Int32] = [], pairBuild: [Int32] = []
        pairProbe.reserveCapacity(n); pairBuild.reserveCapacity(n)
        for i in 0..<n where !nullKey[i] {
            let g = probeIDs[i]
            if g < 0 { continue }
            var r = chainHead[Int(g)]
            while r >= 0 { pairProbe.append(Int32(i)); pairBuild.append(r); r = chainNext[Int(r)] }
        }
        let buildEmpty = emitter.build.count == 0
        var unknown = [Bool](repeating: false, count: n)
        if !buildEmpty {
            for i in 0..<n where nullKey[i] || buildHasNullKey { unknown[i] = true }
        }
        if let residual, !pairProbe.isEmpty {
            let combined = Batch(columns: probe.columns.map { $0.gather(pairProbe) } + emitter.build.columns.map { $0.gather(pairBuild) },
                                 count: pairProbe.count)
            let verdict = try OperatorExpressions.evaluate(residual, combined, context)
            var keptProbe: [Int32] = [], keptBuild: [Int32] = []
            if case let .bool(values) = verdict.data {
                for k in 0..<pairProbe.count {
                    if verdict.isNull(k) { unknown[Int(pairProbe[k])] = true; continue }
                    if values[k] { keptProbe.append(pairProbe[k]); keptBuild.append(pairBuild[k]) }
                }
            }
            pairProbe = keptProbe; pairBuild = keptBuild
        }
        return emitter.emit(probe: probe, pairProbe: pairProbe, pairBuild: pairBuild, unknown: unknown)
    }

    public func close() {
        left.close()
        emitter = nil; table = nil; chainHead = []; chainNext = []; pending = []
    }
}
