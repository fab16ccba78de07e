import Storage

/// ORDER BY: materialises its input, sorts a permutation by the key columns (stable; NULL placement per key;
/// strings byte-wise), then emits the rows in that order.
public final class SortOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let keys: [SortKey]
    public let statistics = OperatorStatistics()
    private var pending: [Batch] = []

    public init(child: PhysicalOperator, keys: [SortKey]) {
        self.child = child
        self.keys = keys
    }

    public var outputTypes: [DataType] { child.outputTypes }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String { "Sort [\(SortOperator.describe(keys))]" }

    static func describe(_ keys: [SortKey]) -> String {
        keys.map { "\(OperatorExpressions.describe($0.expression)) \($0.ascending ? "ASC" : "DESC") NULLS \($0.nullsFirst ? "FIRST" : "LAST")" }
            .joined(separator: ", ")
    }

    public func open(_ context: ExecutionContext) throws {
        let start = OperatorClock.now()
        try child.open(context)
        let all = try OperatorInput.drain(child, context)
        child.close()
        let keyColumns = try OperatorExpressions.evaluate(keys.map(\.expression), all, context)
        let perm = try RowComparator(columns: keyColumns, keys: keys).sortedPermutation(all.count, checking: context.progress)
        pending = ColumnAssembly.split(all.gather(perm)).reversed()
        statistics.add(rows: all.count, nanos: OperatorClock.since(start))
    }

    public func next() throws -> Batch? { pending.popLast() }
    public func close() { pending = [] }
}
