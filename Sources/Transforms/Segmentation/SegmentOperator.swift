import Storage
import Execution

/// `segment(TABLE t, by => 'customer_key', value => 'revenue', cuts => ARRAY[0.5, 0.8], labels => ARRAY['Low', 'Medium', 'High'])`:
/// one row per distinct `by` key with its total `value` and a label. The thresholds are the `quantile_cont`
/// of the per-key totals at each cut; a key gets `labels[i]` where i is the number of thresholds its total is
/// strictly above (so total ≤ p50 → Low, p50 < total ≤ p80 → Medium, above → High). Keys whose values are all
/// NULL have a NULL total and a NULL label.
public final class SegmentOperator: PhysicalOperator {
    /// What to segment.
    public struct Plan: Sendable {
        public var keyColumns: [Int]
        public var valueColumn: Int
        public var cuts: [Double]
        public var labels: [String]
        public init(keyColumns: [Int], valueColumn: Int, cuts: [Double], labels: [String]) {
            self.keyColumns = keyColumns; self.valueColumn = valueColumn; self.cuts = cuts; self.labels = labels
        }
    }

    public let plan: Plan
    public let outputTypes: [DataType]
    public let statistics = OperatorStatistics()
    private let input: PhysicalOperator
    private var output = BatchReplay()
    /// The thresholds of the last run (for tests and EXPLAIN ANALYZE).
    public private(set) var thresholds: [Double] = []

    public init(input: PhysicalOperator, plan: Plan) {
        self.input = input
        self.plan = plan
        outputTypes = plan.keyColumns.map { input.outputTypes[$0] } + [.double, .varchar]
    }

    public var children: [PhysicalOperator] { [input] }
    public var explainLine: String { "Segment cuts=\(plan.cuts) labels=\(plan.labels)" }

    public func open(_ context: ExecutionContext) throws {
        output.clear()
        let batches = try InputMaterializer.readAll(input, context)
        let all = InputMaterializer.concatenate(batches, types: input.outputTypes)
        try segment(all)
    }

    public func close() { output.clear() }

    public func next() throws -> Batch? {
        output.next(statistics)
    }

    private func segment(_ batch: Batch) throws {
        let n = batch.count
        let valueColumn = batch.columns[plan.valueColumn]
        let values = try NumericColumn.doubles(valueColumn)
        let encoder = RowKeyEncoder(batch: batch, indices: plan.keyColumns)
        var ids: [[UInt8]: Int32] = [:]
        var firstRow: [Int32] = []
        var totals: [Double] = []
        var hasValue: [Bool] = []
        var key: [UInt8] = []
        for row in 0..<n {
            encoder.key(row, into: &key)
            let id: Int
            if let existing = ids[key] { id = Int(existing) } else {
                id = firstRow.count; ids[key] = Int32(id)
                firstRow.append(Int32(row)); totals.append(0); hasValue.append(false)
            }
            if !valueColumn.isNull(row) { totals[id] += values[row]; hasValue[id] = true }
        }
        let present = totals.indices.filter { hasValue[$0] }.map { totals[$0] }.sorted()
        thresholds = plan.cuts.compactMap { ContinuousQuantile.of(sorted: present, $0) }
        var totalBuilder = ColumnBuilder(type: .double, capacity: totals.count)
        var labelBuilder = ColumnBuilder(type: .varchar, capacity: totals.count)
        for g in totals.indices {
            guard hasValue[g] else { totalBuilder.appendNull(); labelBuilder.appendNull(); continue }
            totalBuilder.append(double: totals[g])
            let above = thresholds.reduce(0) { $0 + (totals[g] > $1 ? 1 : 0) }
            labelBuilder.append(string: plan.labels[min(above, plan.labels.count - 1)])
        }
        let keys = plan.keyColumns.map { batch.columns[$0].gather(firstRow) }
        let result = Batch(columns: keys + [totalBuilder.finish(), labelBuilder.finish()], count: totals.count)
        output.load(result)
    }
}
