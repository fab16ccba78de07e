import Storage

/// Reads columns of a table snapshot morsel by morsel (one row group each), skipping row groups whose
/// statistics rule out `predicates`, and applying `filter` (over the scanned columns) right after reading.
///
/// Statistics extras: `row_groups_total`, `row_groups_skipped`, `bytes_read`. Also a morsel source, so an
/// aggregate above it can scan in parallel.
public final class TableScanOperator: PhysicalOperator, MorselSource {
    public let snapshot: TableSnapshot
    public let columns: [Int]
    public let predicates: [ColumnPredicate]
    public let filter: BoundExpression?
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    private var morsels: [ScanMorsel] = []
    private var nextMorsel = 0
    private var context = ExecutionContext()

    public init(snapshot: TableSnapshot, columns: [Int], predicates: [ColumnPredicate] = [], filter: BoundExpression? = nil) {
        self.snapshot = snapshot
        self.columns = columns
        self.predicates = predicates
        self.filter = filter
        outputTypes = columns.map { $0 >= 0 && $0 < snapshot.schema.count ? snapshot.schema.fields[$0].type : .null }
    }

    public var children: [PhysicalOperator] { [] }

    public var explainLine: String {
        let names = columns.map { $0 >= 0 && $0 < snapshot.schema.count ? snapshot.schema.fields[$0].name : "#\($0)" }
        var line = "TableScan \(snapshot.name) v\(snapshot.version) columns=[\(names.joined(separator: ", "))]"
        if !predicates.isEmpty { line += " skip=[\(predicates.map(\.description).joined(separator: " AND "))]" }
        if let filter { line += " filter=\(OperatorExpressions.describe(filter))" }
        return line
    }

    var sourceExpressions: [BoundExpression] { filter.map { [$0] } ?? [] }

    func prepareMorsels(_ context: ExecutionContext) throws -> Int {
        self.context = context
        morsels = try snapshot.morsels(matching: predicates)
        nextMorsel = 0
        let total = snapshot.rowGroupCount
        statistics.add("row_groups_total", total)
        statistics.add("row_groups_skipped", max(0, total - morsels.count))
        context.progress.expect(rows: morsels.reduce(0) { $0 + $1.rowCount })
        return morsels.count
    }

    func readMorsel(_ index: Int, _ context: ExecutionContext) throws -> Batch {
        let start = OperatorClock.now()
        let morsel = morsels[index]
        var bytes = 0
        var batch = try snapshot.read(morsel, columns: columns, bytesRead: &bytes)
        context.progress.scanned(rows: morsel.rowCount, bytes: bytes)
        statistics.add("bytes_read", bytes)
        if let filter, batch.count > 0 {
            let rows = try OperatorExpressions.select(filter, batch, context)
            if rows.count != batch.count { batch = batch.gather(rows) }
        }
        statistics.add(rows: batch.count, nanos: OperatorClock.since(start))
        return batch
    }

    public func open(_ context: ExecutionContext) throws {
        _ = try prepareMorsels(context)
    }

    public func next() throws -> Batch? {
        while nextMorsel < morsels.count {
            try context.progress.checkCancelled()
            let index = nextMorsel
            nextMorsel += 1
            let batch = try readMorsel(index, context)
            if batch.count > 0 { return batch }
        }
        return nil
    }

    public func close() { morsels = [] }
}
