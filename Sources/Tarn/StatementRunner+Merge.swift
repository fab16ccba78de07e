import Foundation
import Storage
import SQL
import Execution
import Planner

/// `MERGE INTO target USING source ON condition WHEN …` in one commit (Databricks' and DuckDB's syntax and Delta's
/// rules): each target row matched by a source row takes the first WHEN MATCHED clause whose condition holds (UPDATE,
/// DELETE or DO NOTHING); each source row no target row matches the first WHEN NOT MATCHED [BY TARGET] clause (INSERT);
/// each target row no source row matches the first WHEN NOT MATCHED BY SOURCE clause. A target row matched by two
/// source rows is an error and nothing changes. Only the data files holding an updated or deleted row are rewritten
/// (or, on a table with `deletion_vectors = 'true'`, have those rows marked deleted and keep the others in place);
/// updated and inserted rows pass the table's expectations, as INSERT's do.
///
/// The target and source are read once and exposed to the queries the engine runs (matched pairs by a join, whose
/// unmatched source rows are the NOT MATCHED [BY TARGET] ones; unmatched target rows by NOT EXISTS), so the ON
/// condition and the clauses are ordinary SQL. The target's
/// rows are held in memory while the statement runs.
extension StatementRunner {
    /// Names the target and source take while their rows stand in for them in the three queries.
    static let mergeTarget = "__merge_target", mergeSource = "__merge_source", mergeUnmatchedSource = "__merge_unmatched_source"

    /// A target row: its data file and position in that file.
    struct MergeRow: Hashable { var file: Int; var row: Int }

    func merge(_ m: MergeStatement) throws -> StatementResult {
        try refuseIfTemporary(m.target, "MERGE")
        let name = try session.existingTableName(m.target)
        let writer = try beginWrite(name)
        do {
            return try runMerge(m, name: name, writer: writer)
        } catch {
            writer.abort()
            throw error
        }
    }

    private func runMerge(_ m: MergeStatement, name: TableName, writer: TableWriter) throws -> StatementResult {
        let snapshot = writer.base
        let schema = snapshot.schema
        let targetAlias = m.targetAlias ?? name.name
        let loc = m.target.location

        // The source's rows, numbered.
        let sourceQuery = Query(body: .select(Select(items: [.star(qualifier: nil, exclude: [], location: loc)], from: [m.source], location: loc)),
                                location: loc)
        let plannedSource = try QueryPlanner.plan(sourceQuery, context: context())
        let sourceColumns = plannedSource.columns.map(\.name)
        var sourceBatches: [Batch] = []
        var sourceRows = 0
        for batch in try collect(try plannedSource.makeOperator()) {
            let number = Column(type: .bigint, data: .int64((sourceRows..<(sourceRows + batch.count)).map(Int64.init)))
            sourceRows += batch.count
            sourceBatches.append(Batch(columns: batch.columns + [number], count: batch.count))
        }
        let sourceFields = plannedSource.columns.map { Field(name: $0.name, type: $0.type == .null ? .integer : $0.type) }
            + [Field(name: "__merge_source_row", type: .bigint)]
        let sourceAlias = Self.alias(of: m.source) ?? "source"

        // The target's rows, with their file and position, kept by file for the rewrite. When every clause concerns
        // matched pairs or unmatched source rows and ON equates a target column with a source column, only the files
        // whose statistics may hold a key within the source's key range are read: no other file can change.
        let bySourceClauses = m.clauses.contains { $0.match == .notMatchedBySource }
        var wantedFiles: Set<Int>? = nil
        if !bySourceClauses, let (targetColumn, sourceColumn) = Self.equiKey(m.condition, target: targetAlias, source: sourceAlias),
           let t = schema.index(of: targetColumn), let sIndex = sourceFields.firstIndex(where: { $0.name.lowercased() == sourceColumn.lowercased() }),
           sourceFields[sIndex].type == schema.fields[t].type {
            let rangeContext = context()
            rangeContext.temporaryTables[Self.mergeSource] = (sourceFields, sourceBatches)
            let column = Expression(.column(parts: [sourceFields[sIndex].name]), at: loc)
            func aggregate(_ f: String) -> SelectItem {
                .expression(Expression(.function(FunctionCall(name: [f], arguments: [FunctionArgument(value: .expression(column))])), at: loc), alias: nil)
            }
            let range = Select(items: [aggregate("min"), aggregate("max")],
                               from: [.table(QualifiedName([Self.mergeSource]), alias: nil, columnAliases: [], timeTravel: nil)], location: loc)
            let bounds = try collect(try QueryPlanner.plan(Query(body: .select(range), location: loc), context: rangeContext).makeOperator())
            if let first = bounds.first, first.count == 1 {
                let low = first.columns[0].value(at: 0), high = first.columns[1].value(at: 0)
                if low.isNull {
                    wantedFiles = []
                } else {
                    let predicates = [ColumnPredicate(column: t, comparison: .greaterOrEqual, value: low),
                                      ColumnPredicate(column: t, comparison: .lessOrEqual, value: high)]
                    wantedFiles = Set(try snapshot.morsels(matching: predicates).map(\.fileIndex))
                }
            }
        }
        // With deletion vectors the rows that stay are not rewritten, so only the columns the ON condition and the
        // clauses may read are read here; the changed rows are read whole afterwards. Otherwise every column is
        // read and kept by file for the rewrite.
        let marksDeleted = writer.usesDeletionVectors
        var readColumns = Array(schema.fields.indices)
        if marksDeleted, let used = MergeColumnUse.names(m, sourceAlias: Self.alias(of: m.source), targetAlias: targetAlias) {
            readColumns = schema.fields.indices.filter { used.contains(schema.fields[$0].name.lowercased()) }
        }
        var targetBatches: [Batch] = [], byFile: [Int: [Batch]] = [:], rowsInFile: [Int: Int] = [:]
        var segments: [Int: [(morsel: ScanMorsel, start: Int, count: Int)]] = [:]
        // The morsels are read on both cores, then numbered in order.
        let morsels = try snapshot.morsels(matching: []).filter { wantedFiles?.contains($0.fileIndex) ?? true }
        let readBatches = try ParallelReads.map(morsels.count, parallel: settings.threads > 1) { i in
            try progress.checkCancelled()
            return try snapshot.read(morsels[i], columns: readColumns)
        }
        for (morsel, batch) in zip(morsels, readBatches) {
            let start = rowsInFile[morsel.fileIndex, default: 0]
            rowsInFile[morsel.fileIndex] = start + batch.count
            if marksDeleted {
                segments[morsel.fileIndex, default: []].append((morsel, start, batch.count))
            } else {
                byFile[morsel.fileIndex, default: []].append(batch)
            }
            let file = Column(type: .integer, data: .int32([Int32](repeating: Int32(morsel.fileIndex), count: batch.count)))
            let row = Column(type: .bigint, data: .int64((start..<(start + batch.count)).map(Int64.init)))
            targetBatches.append(Batch(columns: batch.columns + [file, row], count: batch.count))
        }
        let targetFields = readColumns.map { schema.fields[$0] } + [Field(name: "__merge_file", type: .integer), Field(name: "__merge_row", type: .bigint)]

        let ctx = context()
        ctx.temporaryTables[Self.mergeTarget] = (targetFields, targetBatches)
        ctx.temporaryTables[Self.mergeSource] = (sourceFields, sourceBatches)
        func column(_ qualifier: String, _ name: String) -> Expression { Expression(.column(parts: [qualifier, name]), at: loc) }
        let targetRef = TableReference.table(QualifiedName([Self.mergeTarget]), alias: targetAlias, columnAliases: [], timeTravel: nil)
        let sourceRef = TableReference.table(QualifiedName([Self.mergeSource]), alias: sourceAlias, columnAliases: [], timeTravel: nil)
        let isTrue = Expression(.literal(.boolean(true)), at: loc)

        // Each clause's values, in target column order (nil: the column keeps its value, or is NULL for an insert).
        func values(of clause: MergeStatement.Clause) throws -> [Expression?] {
            var out = [Expression?](repeating: nil, count: schema.count)
            func index(_ column: String) throws -> Int {
                guard let i = schema.index(of: column) else {
                    throw TarnError.semantic("MERGE: column '\(column)' does not exist in '\(name)'",
                                             line: clause.location.line, column: clause.location.column)
                }
                return i
            }
            func fromSource(_ target: String) throws -> Expression {
                guard let s = sourceColumns.first(where: { $0.lowercased() == target.lowercased() }) else {
                    throw TarnError.semantic("MERGE: * needs a source column for every target column; the source has no '\(target)'",
                                             line: clause.location.line, column: clause.location.column)
                }
                return column(sourceAlias, s)
            }
            switch clause.action {
            case let .update(assignments):
                for a in assignments {
                    let i = try index(a.column)
                    guard out[i] == nil else { throw TarnError.semantic("MERGE: column '\(a.column)' is assigned twice in one clause") }
                    out[i] = a.value
                }
            case .updateAll, .insertAll:
                for (i, f) in schema.fields.enumerated() { out[i] = try fromSource(f.name) }
            case let .insert(columns, inserted):
                let names = columns ?? schema.names
                guard names.count == inserted.count else {
                    throw TarnError.semantic("MERGE: INSERT names \(names.count) columns but gives \(inserted.count) values",
                                             line: clause.location.line, column: clause.location.column)
                }
                for (n, v) in zip(names, inserted) {
                    let i = try index(n)
                    guard out[i] == nil else { throw TarnError.semantic("MERGE: column '\(n)' is named twice in INSERT") }
                    out[i] = v
                }
            case .delete, .doNothing:
                break
            }
            return out
        }

        /// Runs `SELECT leading…, per clause: condition, its values… FROM from WHERE filter`: per row the leading
        /// values, the first clause that applies and that clause's values cast to the target's types, as columns.
        func evaluate(_ clauses: [MergeStatement.Clause], leading: [Expression], from: [TableReference], filter: Expression?) throws -> MergeEvaluation {
            let perClause = try clauses.map { try values(of: $0) }
            var items = leading
            var conditionAt: [Int] = [], valueAt: [[Int?]] = []
            for (k, clause) in clauses.enumerated() {
                conditionAt.append(items.count)
                items.append(clause.condition ?? isTrue)
                var at = [Int?](repeating: nil, count: schema.count)
                for (i, v) in perClause[k].enumerated() {
                    if let v { at[i] = items.count; items.append(try typed(v, schema.fields[i], from: from)) }
                }
                valueAt.append(at)
            }
            let select = Select(items: items.map { .expression($0, alias: nil) }, from: from, whereClause: filter, location: loc)
            let planned = try QueryPlanner.plan(Query(body: .select(select), location: loc), context: ctx)
            let batches = try collect(try planned.makeOperator())
            return MergeEvaluation(batches: batches, columnTypes: planned.columns.map(\.type), leadingCount: leading.count,
                                   conditionAt: conditionAt, valueAt: valueAt, schema: schema)
        }

        /// A value expression as the target column's type: INSERT's implicit conversions, else an error naming it.
        func typed(_ e: Expression, _ field: Field, from: [TableReference]) throws -> Expression {
            let probe = Select(items: [.expression(e, alias: nil)], from: from, location: loc)
            let type = try QueryPlanner.plan(Query(body: .select(probe), location: loc), context: ctx).columns[0].type
            _ = try QueryPlanner.coerce(.constant(.null, type), to: field, settings: settings)
            if type != .null { _ = try QueryPlanner.coerce(.column(0, type), to: field, settings: settings) }
            return type == field.type ? e : Expression(.cast(e, type: Self.typeName(field.type), isTry: false), at: e.location)
        }

        var insertedBatches: [Batch] = []
        let matched = m.clauses.filter { $0.match == .matched }
        let byTarget = m.clauses.filter { $0.match == .notMatchedByTarget }
        let bySource = m.clauses.filter { $0.match == .notMatchedBySource }
        // Per file, per target row: what happens to it (keep, delete, the index in `updates` of the evaluation row
        // holding its new values, or matched but left as it is), so finding duplicate matches and the rewrite below
        // index an array per row instead of hashing (file, row) pairs. `touched` holds the files with a deleted or
        // updated row; `evaluations` the matched pairs' and the unmatched target rows' clause evaluations.
        let keep: Int32 = -1, delete: Int32 = -2, matchedKept: Int32 = -3
        var actions: [Int: [Int32]] = [:]
        var evaluations: [MergeEvaluation] = []
        var updates: [MergeEvaluation.RowReference] = []
        var touched = Set<Int>()
        var deletedCount = 0
        /// The row's action slot (its file's array created on first use); nil for a row number outside the file.
        func setAction(_ row: MergeRow, _ value: Int32, unlessSet duplicate: () throws -> Void = {}) rethrows {
            let rows = rowsInFile[row.file] ?? 0
            guard row.row >= 0, row.row < rows else { return }
            if actions[row.file] == nil { actions[row.file] = [Int32](repeating: keep, count: rows) }
            if actions[row.file]?[row.row] != keep { try duplicate() }
            actions[row.file]?[row.row] = value
        }
        func apply(_ action: MergeStatement.Action?, _ row: MergeRow, _ values: MergeEvaluation.RowReference,
                   duplicate: () throws -> Void = {}) rethrows {
            switch action {
            case .delete?:
                try setAction(row, delete, unlessSet: duplicate)
                deletedCount += 1
                touched.insert(row.file)
            case .update?, .updateAll?:
                try setAction(row, Int32(updates.count), unlessSet: duplicate)
                updates.append(values)
                touched.insert(row.file)
            default:
                try setAction(row, matchedKept, unlessSet: duplicate)
            }
        }
        // One join of target and source finds the matched pairs (its build side is the smaller input) and, by
        // elimination, the source rows no target row matches — no second, anti join against the whole target.
        var sourceMatched: [Bool] = []
        if !matched.isEmpty || !byTarget.isEmpty {
            let pairs = try evaluate(matched, leading: [column(targetAlias, "__merge_file"), column(targetAlias, "__merge_row"),
                                                        column(sourceAlias, "__merge_source_row")],
                                     from: [.join(targetRef, sourceRef, kind: .inner, condition: .on(m.condition), location: loc)], filter: nil)
            sourceMatched = [Bool](repeating: false, count: sourceRows)
            let evaluation = Int32(evaluations.count)
            evaluations.append(pairs)
            let files = pairs.leading[0], rows = pairs.leading[1], sources = pairs.leading[2]
            for p in 0..<pairs.count {
                let s = sources[p]
                if s >= 0, s < Int64(sourceRows) { sourceMatched[Int(s)] = true }
                guard !matched.isEmpty else { continue }
                let k = Int(pairs.chosen[p])
                try apply(k >= 0 ? matched[k].action : nil, MergeRow(file: Int(files[p]), row: Int(rows[p])),
                          MergeEvaluation.RowReference(evaluation: evaluation, row: Int32(p))) {
                    throw TarnError(.constraint, "MERGE: a target row of '\(name)' matches more than one source row; nothing was changed "
                                    + "(make the ON condition match at most one source row per target row)")
                }
            }
        }
        if !byTarget.isEmpty {
            var unmatched: [Batch] = []
            var offset = 0
            for batch in sourceBatches {
                var keep: [Int32] = []
                for r in 0..<batch.count where !sourceMatched[offset + r] { keep.append(Int32(r)) }
                offset += batch.count
                if !keep.isEmpty { unmatched.append(keep.count == batch.count ? batch : batch.gather(keep)) }
            }
            ctx.temporaryTables[Self.mergeUnmatchedSource] = (sourceFields, unmatched)
            let unmatchedRef = TableReference.table(QualifiedName([Self.mergeUnmatchedSource]), alias: sourceAlias, columnAliases: [], timeTravel: nil)
            if byTarget.count == 1, byTarget[0].condition == nil {
                // One unconditional INSERT: its values are computed as columns in the target's types, not row by row.
                let perColumn = try values(of: byTarget[0])
                var items: [SelectItem] = []
                for (i, field) in schema.fields.enumerated() {
                    let null = Expression(.cast(Expression(.literal(.null), at: loc), type: Self.typeName(field.type), isTry: false), at: loc)
                    items.append(.expression(try perColumn[i].map { try typed($0, field, from: [unmatchedRef]) } ?? null, alias: nil))
                }
                let planned = try QueryPlanner.plan(Query(body: .select(Select(items: items, from: [unmatchedRef], location: loc)), location: loc), context: ctx)
                insertedBatches = try collect(try planned.makeOperator()).filter { $0.count > 0 }
            } else {
                let rows = try evaluate(byTarget, leading: [], from: [unmatchedRef], filter: nil)
                let chosen = (0..<rows.count).filter { rows.chosen[$0] >= 0 }.map { MergeEvaluation.RowReference(evaluation: 0, row: Int32($0)) }
                if !chosen.isEmpty {
                    let columns = schema.fields.indices.map { i in
                        MergeEvaluation.assemble(i, type: schema.fields[i].type, base: Column.nulls(schema.fields[i].type, count: chosen.count),
                                                 references: chosen, from: [rows])
                    }
                    insertedBatches.append(Batch(columns: columns, count: chosen.count))
                }
            }
        }
        if !bySource.isEmpty {
            let notMatched = Expression(.exists(Query(body: .select(Select(items: [.expression(isTrue, alias: nil)], from: [sourceRef],
                                                                            whereClause: m.condition, location: loc)), location: loc), negated: true), at: loc)
            let rows = try evaluate(bySource, leading: [column(targetAlias, "__merge_file"), column(targetAlias, "__merge_row")],
                                    from: [targetRef], filter: notMatched)
            let evaluation = Int32(evaluations.count)
            evaluations.append(rows)
            for r in 0..<rows.count where rows.chosen[r] >= 0 {
                try apply(bySource[Int(rows.chosen[r])].action, MergeRow(file: Int(rows.leading[0][r]), row: Int(rows.leading[1][r])),
                          MergeEvaluation.RowReference(evaluation: evaluation, row: Int32(r)))
            }
        }
        let insertedCount = insertedBatches.reduce(0) { $0 + $1.count }
        let updatedCount = updates.count
        guard !touched.isEmpty || insertedCount > 0 else {
            writer.abort()
            return message("MERGE 0", rows: 0)
        }

        // Rewrite the files holding a changed row; changed and inserted rows go through the table's expectations.
        let pipeline = try writePipeline(name, schema: schema, declared: nil)
        // Only the columns some clause assigns are rebuilt (from the evaluations' columns); the others are gathered as they were.
        var assigned = [Bool](repeating: false, count: schema.count)
        for evaluation in evaluations { for clause in evaluation.values { for i in clause.indices where clause[i] != nil { assigned[i] = true } } }
        // With deletion vectors the changed rows are only marked deleted in their files (and read whole, alone);
        // otherwise each touched file is removed and its other rows written again.
        let allColumns = Array(schema.fields.indices)
        // With deletion vectors the changed rows of every touched file are read first, whole, on both cores: per file
        // its pieces (one per morsel holding a changed row) and the changed rows' ordinals in the file.
        var changedPieces: [Int: [(batch: Batch, actions: [Int32])]] = [:], changedOrdinals: [Int: [Int]] = [:]
        if marksDeleted {
            var reads: [(file: Int, morsel: ScanMorsel, positions: [Int32], actions: [Int32])] = []
            for file in touched.sorted() {
                let fileActions = actions[file] ?? []
                var ordinals: [Int] = []
                for segment in segments[file] ?? [] {
                    var positions: [Int32] = [], segmentActions: [Int32] = []
                    for r in 0..<segment.count where fileActions[segment.start + r] >= 0 || fileActions[segment.start + r] == delete {
                        positions.append(Int32(r))
                        segmentActions.append(fileActions[segment.start + r])
                        ordinals.append(segment.start + r)
                    }
                    if !positions.isEmpty { reads.append((file, segment.morsel, positions, segmentActions)) }
                }
                changedOrdinals[file] = ordinals
            }
            let batches = try ParallelReads.map(reads.count, parallel: settings.threads > 1) { i in
                try progress.checkCancelled()
                var bytes = 0
                return try snapshot.read(reads[i].morsel, columns: allColumns, rows: reads[i].positions, bytesRead: &bytes)
            }
            for (read, batch) in zip(reads, batches) { changedPieces[read.file, default: []].append((batch, read.actions)) }
        }
        for file in touched.sorted() {
            let fileActions = actions[file] ?? []
            // The rows to process with their actions: the changed rows of each morsel, or every row of the file.
            var pieces: [(batch: Batch, actions: [Int32])] = []
            if marksDeleted {
                pieces = changedPieces.removeValue(forKey: file) ?? []
            } else {
                var position = 0
                for batch in byFile[file] ?? [] {
                    pieces.append((batch, Array(fileActions[position..<(position + batch.count)])))
                    position += batch.count
                }
            }
            for (batch, batchActions) in pieces {
                var kept: [Int32] = [], gone: [Int32] = [], before: [Int32] = [], references: [MergeEvaluation.RowReference] = []
                for r in 0..<batch.count {
                    let action = batchActions[r]
                    if action == keep || action == matchedKept { kept.append(Int32(r)); continue }
                    if action == delete { gone.append(Int32(r)); continue }
                    references.append(updates[Int(action)])
                    before.append(Int32(r))
                }
                let changedCount = before.count
                var changed: [Column] = []
                // The updated rows' old values (with deletion vectors every row of a piece is changed: no copy).
                let old = changedCount == 0 ? nil : changedCount == batch.count ? batch : batch.gather(before)
                if let old {
                    changed = old.columns
                    for i in schema.fields.indices where assigned[i] {
                        changed[i] = MergeEvaluation.assemble(i, type: schema.fields[i].type, base: old.columns[i], references: references, from: evaluations)
                    }
                }
                if !kept.isEmpty { try writer.append(kept.count == batch.count ? batch : batch.gather(kept)) }
                // The change data feed: deleted rows, and each updated row before and after (as written).
                if !gone.isEmpty { try writer.recordChange(batch.gather(gone), kind: .delete) }
                if let old { try writer.recordChange(old, kind: .updatePreimage) }
                if changedCount > 0 {
                    let rows = Batch(columns: changed, count: changedCount)
                    try checkNotNull(rows, schema: schema)
                    let passed = try pipeline.process(rows)
                    if passed.count > 0 && marksDeleted {
                        // Only changed rows are written here: the change feed can refer to their data files.
                        try writer.append(passed, change: .updatePostimage)
                    } else if passed.count > 0 {
                        try writer.append(passed)
                        try writer.recordChange(passed, kind: .updatePostimage)
                    }
                }
            }
            if marksDeleted {
                try writer.deleteRows(inFile: file, ordinals: changedOrdinals[file] ?? [])
            } else {
                try writer.removeFile(at: file)
            }
        }
        for rows in insertedBatches {
            try checkNotNull(rows, schema: schema)
            let passed = try pipeline.process(rows)
            if passed.count > 0 { try writer.append(passed, change: .insert) }
        }
        try pipeline.finish()
        let counts = ["rows_updated": String(updatedCount), "rows_deleted": String(deletedCount), "rows_inserted": String(insertedCount)]
        let info = try writer.commit(operation: "MERGE", parameters: parametersJSON(counts.merging(["statement": text]) { a, _ in a }),
                                     extra: { try pipeline.record($0) })
        var report = pipeline.report
        report.version = info.version
        session.lastWriteReport = report
        let total = updatedCount + deletedCount + insertedCount
        return table([Field(name: "num_affected_rows", type: .bigint), Field(name: "num_updated_rows", type: .bigint),
                      Field(name: "num_deleted_rows", type: .bigint), Field(name: "num_inserted_rows", type: .bigint)],
                     [[.bigint(Int64(total)), .bigint(Int64(updatedCount)), .bigint(Int64(deletedCount)), .bigint(Int64(insertedCount))]])
    }

    /// `(target column, source column)` of a conjunct `target.a = source.b` (either order) of the ON condition.
    static func equiKey(_ condition: Expression, target: String, source: String) -> (String, String)? {
        switch condition.kind {
        case let .binary(op, l, r):
            if op == .and { return equiKey(l, target: target, source: source) ?? equiKey(r, target: target, source: source) }
            guard op == .equal, case let .column(a) = l.kind, case let .column(b) = r.kind, a.count == 2, b.count == 2 else { return nil }
            let t = target.lowercased(), s = source.lowercased()
            if a[0].lowercased() == t, b[0].lowercased() == s, t != s { return (a[1], b[1]) }
            if b[0].lowercased() == t, a[0].lowercased() == s, t != s { return (b[1], a[1]) }
            return nil
        default:
            return nil
        }
    }

    /// The name a FROM item's columns are qualified with.
    static func alias(of ref: TableReference) -> String? {
        switch ref {
        case let .table(name, alias, _, _): return alias ?? name.name
        case let .subquery(_, alias, _, _): return alias
        case let .function(call, alias, _, _): return alias ?? call.baseName
        case let .pivot(_, _, alias, _): return alias
        case .join: return nil
        }
    }

    /// The SQL type name of a column type (for CAST).
    static func typeName(_ type: DataType) -> TypeName {
        let text = type.description
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return TypeName(name: text) }
        let parameters = text[text.index(after: open)..<text.index(before: text.endIndex)].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return TypeName(name: String(text[..<open]), parameters: parameters)
    }
}
