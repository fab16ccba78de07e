import Storage

/// `UNNEST(a, b, …) [WITH ORDINALITY]` joined to each input row (Trino's `CROSS JOIN UNNEST(t.arr)`): every input
/// row is repeated once per element of its longest array, followed by one column per array (NULL where an array is
/// shorter: several arrays are zipped) and, with ordinality, the element's 1-based position. A row whose arrays are
/// all NULL or empty produces no rows. Input columns and elements are gathered with one index vector each.
public final class UnnestOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let arrays: [BoundExpression]
    public let ordinality: Bool
    public let statistics = OperatorStatistics()
    private var context = ExecutionContext()
    private var pending: [Batch] = []

    public init(child: PhysicalOperator, arrays: [BoundExpression], ordinality: Bool) {
        self.child = child
        self.arrays = arrays
        self.ordinality = ordinality
    }

    public var outputTypes: [DataType] {
        child.outputTypes + arrays.map { $0.type.elementType ?? .null } + (ordinality ? [.bigint] : [])
    }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String {
        "Unnest [\(arrays.map(OperatorExpressions.describe).joined(separator: ", "))]\(ordinality ? " WITH ORDINALITY" : "")"
    }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        pending = []
        try child.open(context)
    }

    public func next() throws -> Batch? {
        while pending.isEmpty {
            guard let batch = try child.next() else { return nil }
            try context.progress.checkCancelled()
            let start = OperatorClock.now()
            let out = try expand(batch)
            statistics.add(rows: out.count, nanos: OperatorClock.since(start))
            pending = ColumnAssembly.split(out).reversed()
        }
        return pending.popLast()
    }

    private func expand(_ batch: Batch) throws -> Batch {
        let lists = try OperatorExpressions.evaluate(arrays, batch, context).map { try ListColumn($0) }
        var parents: [Int32] = []
        var positions: [Int64] = []
        for row in 0 ..< batch.count {
            var longest = 0
            for l in lists where !l.isNull(row) { longest = max(longest, l.length(row)) }
            for k in 0 ..< longest { parents.append(Int32(row)); positions.append(Int64(k)) }
        }
        var columns = batch.columns.map { $0.gather(parents) }
        for l in lists {
            var picks = [Int32](repeating: -1, count: parents.count)
            for i in 0 ..< parents.count {
                let row = Int(parents[i])
                if !l.isNull(row), positions[i] < Int64(l.length(row)) { picks[i] = l.offsets[row] + Int32(positions[i]) }
            }
            columns.append(ColumnAssembly.gatherOptional(l.child, picks))
        }
        if ordinality { columns.append(Column(type: .bigint, data: .int64(positions.map { $0 + 1 }))) }
        return Batch(columns: columns, count: parents.count)
    }

    public func close() { child.close() }
}
