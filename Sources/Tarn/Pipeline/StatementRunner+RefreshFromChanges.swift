import Foundation
import Storage
import SQL
import Execution
import Planner

/// An INCREMENTAL pipeline table whose source had updates or deletes, kept up to date from the source's change data
/// feed (`Lake.changes`) instead of being recomputed, when its query has one of the `IncrementalShape`s:
/// - per row (`SELECT exprs FROM s WHERE c`): the query runs over the rows the changes removed (deletes, update
///   pre-images) and over the rows they added (inserts, update post-images); the table loses one row equal to each
///   output of the first (files holding one are rewritten) and gains the second (through its expectations). An
///   output row not found in the table (the table was changed by hand, or a row was dropped on the way in) means the
///   shortcut cannot be trusted: the caller recomputes.
/// - grouped (`SELECT keys, aggregates FROM s WHERE c GROUP BY keys`): the groups whose keys appear in a changed row
///   are deleted from the table and recomputed from the source's current rows of those groups only.
/// The table's own change data feed records the rows removed and added, so tables downstream can do the same.
extension StatementRunner {
    /// Name the changed or selected source rows take while the table's query runs over them.
    static let incrementalRows = "__incremental_source_rows"

    /// What applying the changes did, or nil when the query's shape or the feed does not allow it.
    struct ChangeApplication {
        var report: WriteReport?
        var message: String
        var sources: [String: Int64]
        var rowsIn: Int
    }

    func refreshFromChanges(_ query: Query, table name: TableName, lastSources: [String: Int64],
                            declared: [Expectation]?) throws -> (application: ChangeApplication?, whyNot: String) {
        guard let shape = IncrementalShape.classify(query) else {
            return (nil, "its query is not a per-row SELECT … FROM one table or a GROUP BY of source columns")
        }
        let sourceName: QualifiedName, alias: String
        switch shape {
        case let .perRow(source, a): sourceName = source; alias = a
        case let .grouped(source, a, _): sourceName = source; alias = a
        }
        let source = try session.existingTableName(sourceName)
        guard lastSources.count == 1, let from = lastSources[Self.sourceKey(source)], try lake.tableExists(source) else {
            return (nil, "it reads more than its one source table")
        }
        let current = try lake.snapshot(of: source).version
        let feed: (schema: TableSnapshot, changes: [TableChange])
        do { feed = try lake.changes(of: source, from: from + 1, to: current) } catch let e as TarnError {
            return (nil, "the change data feed of \(source) is not available (\(e.message))")
        }
        let sourceFields = feed.schema.schema.fields
        var removed: [Batch] = [], added: [Batch] = []
        var changedRows = 0
        for change in feed.changes {
            for morsel in try change.rows.morsels(matching: []) {
                let batch = try change.rows.read(morsel, columns: Array(sourceFields.indices))
                guard batch.count > 0 else { continue }
                changedRows += batch.count
                switch change.kind {
                case .delete, .updatePreimage: removed.append(batch)
                case .insert, .updatePostimage: added.append(batch)
                }
            }
        }

        let writer = try beginWrite(name)
        do {
            let schema = writer.schema
            /// The table's query over `rows` standing in for the source, as the table's column types.
            func outputs(of rows: [Batch]) throws -> [Batch] {
                guard case var .select(select) = query.body else { return [] }
                select.from = [.table(QualifiedName([Self.incrementalRows]), alias: alias, columnAliases: [], timeTravel: nil)]
                let ctx = context()
                ctx.temporaryTables[Self.incrementalRows] = (sourceFields, rows)
                let planned = try QueryPlanner.planInsert(Query(body: .select(select), location: query.location), into: schema,
                                                          columns: nil, context: ctx)
                return try collect(try planned.makeOperator())
            }
            var additions: [Batch]
            var leaves: (_ row: [Value]) -> Bool
            var wanted: [[Value]: Int] = [:]
            let path: String
            switch shape {
            case .perRow:
                for batch in try outputs(of: removed) { for r in 0..<batch.count { wanted[batch.row(r), default: 0] += 1 } }
                // A row removed and added again within the range cancels out.
                additions = []
                for batch in try outputs(of: added) {
                    var keep: [Int32] = []
                    for r in 0..<batch.count {
                        let row = batch.row(r)
                        if let n = wanted[row] { wanted[row] = n > 1 ? n - 1 : nil } else { keep.append(Int32(r)) }
                    }
                    if !keep.isEmpty { additions.append(keep.count == batch.count ? batch : batch.gather(keep)) }
                }
                leaves = { row in
                    guard let n = wanted[row] else { return false }
                    wanted[row] = n > 1 ? n - 1 : nil
                    return true
                }
                path = "per-row"
            case let .grouped(_, _, keys):
                var sourceIndex: [Int] = []
                for key in keys {
                    guard let i = feed.schema.schema.index(of: key.sourceColumn) else {
                        writer.abort()
                        return (nil, "the group key \(key.sourceColumn) is not a column of \(source)")
                    }
                    sourceIndex.append(i)
                }
                var affected = Set<[Value]>()
                for batch in removed + added {
                    for r in 0..<batch.count { affected.insert(sourceIndex.map { batch.columns[$0].value(at: r) }) }
                }
                // The source's current rows of the affected groups, and the groups recomputed from them.
                var groupRows: [Batch] = []
                let snapshot = try lake.snapshot(of: source, at: .version(current))
                for morsel in try snapshot.morsels(matching: []) {
                    try progress.checkCancelled()
                    let batch = try snapshot.read(morsel, columns: Array(sourceFields.indices))
                    var keep: [Int32] = []
                    for r in 0..<batch.count where affected.contains(sourceIndex.map { batch.columns[$0].value(at: r) }) { keep.append(Int32(r)) }
                    if !keep.isEmpty { groupRows.append(batch.gather(keep)) }
                }
                additions = try outputs(of: groupRows)
                let outputIndex = keys.map(\.output)
                leaves = { row in affected.contains(outputIndex.map { row[$0] }) }
                path = "affected groups"
            }

            // Rewrite the table's files holding a row that leaves (none to look for: no file is read).
            var rowsRemoved = 0
            let base = writer.base
            var byFile: [Int: [Batch]] = [:]
            let mayLeave: Bool
            switch shape {
            case .perRow: mayLeave = !wanted.isEmpty
            case .grouped: mayLeave = !(removed.isEmpty && added.isEmpty)
            }
            for morsel in try base.morsels(matching: []) where mayLeave {
                try progress.checkCancelled()
                byFile[morsel.fileIndex, default: []].append(try base.read(morsel, columns: Array(schema.fields.indices)))
            }
            for (file, batches) in byFile.sorted(by: { $0.key < $1.key }) {
                var kept: [Batch] = [], gone: [Batch] = []
                for batch in batches {
                    var keep: [Int32] = [], drop: [Int32] = []
                    for r in 0..<batch.count { if leaves(batch.row(r)) { drop.append(Int32(r)) } else { keep.append(Int32(r)) } }
                    if !drop.isEmpty { gone.append(batch.gather(drop)); kept.append(batch.gather(keep)) } else { kept.append(batch) }
                }
                guard !gone.isEmpty else { continue }
                for batch in kept where batch.count > 0 { try writer.append(batch) }
                for batch in gone {
                    try writer.recordChange(batch, kind: .delete)
                    rowsRemoved += batch.count
                }
                try writer.removeFile(at: file)
            }
            if !wanted.isEmpty {
                writer.abort()
                return (nil, "\(wanted.values.reduce(0, +)) row(s) the changes remove are not in \(name) (changed since its last refresh?)")
            }
            let pipeline = try writePipeline(name, schema: schema, declared: declared)
            var rowsAdded = 0
            for batch in additions where batch.count > 0 {
                try checkNotNull(batch, schema: schema)
                let passed = try pipeline.process(batch)
                guard passed.count > 0 else { continue }
                try writer.append(passed, change: .insert)
                rowsAdded += passed.count
            }
            try pipeline.finish()
            let sourceKey = Self.sourceKey(source)
            let info = try writer.commit(operation: "INCREMENTAL REFRESH", parameters: parametersJSON([
                "statement": text, "from_changes": "\(sourceKey)@\(from + 1)..\(current)", "path": path,
            ]), extra: { try pipeline.record($0) })
            var report = pipeline.report
            report.version = info.version
            session.lastWriteReport = report
            let message = "applied the change data feed of \(source) versions \(from + 1)..\(current) (\(path): "
                + "\(rowsRemoved) row(s) removed, \(rowsAdded) added)"
            return (ChangeApplication(report: report, message: message, sources: [sourceKey: current], rowsIn: changedRows), "")
        } catch {
            writer.abort()
            throw error
        }
    }
}
