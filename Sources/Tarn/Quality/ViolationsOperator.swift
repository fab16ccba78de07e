import Foundation
import Storage
import Execution

/// Reads `violations('t')` from the catalog a page at a time, and only the columns the query uses: `LIMIT 200` reads
/// one small page, and `GROUP BY expectation` never reads the rows' JSON (a table keeps up to hundreds of thousands).
///
/// Pages follow the `(table_uuid, version)` index in version, then insertion order (`ORDER BY version, rowid`),
/// growing from `firstPageRows` to `maxPageRows`. Only versions up to the newest one stored when the operator opens
/// are read: a write committed meanwhile stores its rows under a higher version, and violation rows are never deleted,
/// so the pages add up to exactly the rows that were there at the start, as one query would read them.
final class ViolationsOperator: PhysicalOperator {
    static let firstPageRows = 1024
    static let maxPageRows = 65_536
    /// The catalog column of each of `QualityRelations.violationColumns`.
    static let catalogColumns = ["expectation", "action", "version", "row_json"]

    let lake: Lake
    let tableUUID: String
    /// Positions among `QualityRelations.violationColumns` of the columns produced, in this order.
    let positions: [Int]
    let outputTypes: [DataType]
    let statistics = OperatorStatistics()
    private var context = ExecutionContext()
    private var newestVersion: Int64?
    private var offset = 0
    private var pageRows = ViolationsOperator.firstPageRows
    private var done = false

    init(lake: Lake, tableUUID: String, positions: [Int]) {
        self.lake = lake
        self.tableUUID = tableUUID
        self.positions = positions
        outputTypes = positions.map { QualityRelations.violationColumns[$0].type }
    }

    var children: [PhysicalOperator] { [] }
    var explainLine: String { "Violations columns=[\(positions.map { QualityRelations.violationColumns[$0].name }.joined(separator: ", "))]" }

    func open(_ context: ExecutionContext) throws {
        self.context = context
        offset = 0
        pageRows = Self.firstPageRows
        newestVersion = nil
        done = !(try QualityCatalog.exists(lake))
        if done { return }
        newestVersion = try lake.catalog.query("SELECT max(version) FROM tarn_violations WHERE table_uuid = ?", [.text(tableUUID)])
            .first?.first?.int64
        done = newestVersion == nil
    }

    func next() throws -> Batch? {
        guard !done, let newestVersion else { return nil }
        try context.progress.checkCancelled()
        let start = DispatchTime.now().uptimeNanoseconds
        // `version` keeps a row in the result when no column is asked for (count(*)).
        let selected = positions.isEmpty ? "version" : positions.map { Self.catalogColumns[$0] }.joined(separator: ", ")
        let rows = try lake.catalog.query("""
            SELECT \(selected) FROM tarn_violations WHERE table_uuid = ? AND version <= ?
            ORDER BY version, rowid LIMIT \(pageRows) OFFSET \(offset)
            """, [.text(tableUUID), .integer(newestVersion)])
        offset += rows.count
        if rows.count < pageRows { done = true }
        pageRows = min(pageRows * 2, Self.maxPageRows)
        guard !rows.isEmpty else { return nil }
        var builders = outputTypes.map { ColumnBuilder(type: $0, capacity: rows.count) }
        for row in rows {
            for k in builders.indices {
                let value = k < row.count ? row[k] : .null
                if outputTypes[k] == .bigint { builders[k].append(int64: value.int64 ?? 0) } else { builders[k].append(string: value.string ?? "") }
            }
        }
        let batch = Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows.count)
        statistics.add(rows: batch.count, nanos: DispatchTime.now().uptimeNanoseconds &- start)
        return batch
    }

    func close() { done = true }
}
