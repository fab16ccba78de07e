import Storage

/// Emits the groups of finished aggregations as batches, one aggregation (partition) after another, and
/// releases each aggregation's state as soon as its last batch is out, so the result is never materialised
/// whole next to the hash tables.
///
/// A part may emit only some of its groups (`rows`, in order): after a partitioned merge each worker's
/// aggregation still holds groups that another worker emits.
final class GroupedOutput {
    private var parts: [(state: GroupedAggregation, rows: [Int32]?)]
    private let batchSize: Int
    /// The part being emitted: its key table (while keys are decoded batch by batch) or its key columns
    /// (materialised whole), its result columns over all of its groups, and the next position.
    private var table: GroupKeyTable?
    private var keys: [Column] = []
    private var values: [Column] = []
    private var rows: [Int32]?
    private var keyTypes: [DataType] = []
    private var total = 0
    private var position = 0

    init(_ parts: [(state: GroupedAggregation, rows: [Int32]?)], batchSize: Int = Batch.defaultSize) {
        self.parts = parts.reversed()
        self.batchSize = max(1, batchSize)
    }

    /// The next batch, or nil when every part is out. A grouped part without groups emits nothing; an
    /// aggregate without GROUP BY always emits its one row.
    func next() throws -> Batch? {
        while position >= total {
            table = nil; keys = []; values = []; rows = nil; total = 0; position = 0
            guard let part = parts.popLast() else { return nil }
            let groups = part.state.table.groupCount
            values = try part.state.accumulators.map { try $0.finish(groups) }
            // A packed key table decodes any subset of keys cheaply: decode batch by batch then.
            if (part.state.table as? PackedKeyTable)?.isPacked == true { table = part.state.table } else { keys = part.state.table.keyColumns() }
            rows = part.rows
            keyTypes = part.state.groupKeys.map(\.type)
            total = part.rows?.count ?? groups
        }
        let lo = position, hi = min(position + batchSize, total)
        position = hi
        var columns: [Column]
        if let rows {
            let selection = Array(rows[lo..<hi])
            columns = (table?.keyColumns(of: selection) ?? keys.map { $0.gather(selection) }) + values.map { $0.gather(selection) }
        } else if lo == 0 && hi == total && table == nil {
            columns = keys + values
        } else {
            let selection = table == nil ? [] : (Int32(lo)..<Int32(hi)).map { $0 }
            columns = (table?.keyColumns(of: selection) ?? keys.map { $0.slice(lo..<hi) }) + values.map { $0.slice(lo..<hi) }
        }
        for (k, type) in keyTypes.enumerated() where k < columns.count { columns[k].type = type }
        return Batch(columns: columns, count: hi - lo)
    }
}
