import Foundation
import Storage
import SQL
import Execution
import Planner

extension StatementRunner {
    func insert(_ i: Insert) throws -> StatementResult {
        let name = try session.existingTableName(i.table)
        let writer = try beginWrite(name)
        let planned = try QueryPlanner.planInsert(i.source, into: writer.base.schema, columns: i.columns, context: context())
        let op = try planned.makeOperator()
        let pipeline: TableWritePipeline
        do {
            if i.overwrite { try writer.removeAllFiles() }
            pipeline = try writePipeline(name, schema: writer.base.schema, declared: nil)
        } catch {
            writer.abort()
            throw error
        }
        let rows = try commitRows(op, into: writer, through: pipeline, operation: i.overwrite ? "OVERWRITE" : "WRITE",
                                  parameters: parametersJSON(["mode": i.overwrite ? "Overwrite" : "Append"]),
                                  check: { try checkNotNull($0, schema: writer.base.schema) })
        return message("INSERT \(rows)", rows: rows)
    }

    /// NOT NULL columns reject NULLs with the column named.
    func checkNotNull(_ batch: Batch, schema: Schema) throws {
        for (i, f) in schema.fields.enumerated() where !f.nullable && i < batch.columns.count {
            if batch.columns[i].nullCount > 0 {
                throw TarnError(.constraint, "NULL value in column '\(f.name)' violates its NOT NULL constraint")
            }
        }
    }

    /// DELETE rewrites (copy-on-write) only the files that hold a deleted row, or with deletion vectors marks the rows
    /// deleted in them; statistics skip the rest.
    func delete(_ q: QualifiedName, _ whereClause: Expression?) throws -> StatementResult {
        let name = try session.existingTableName(q)
        let writer = try beginWrite(name)
        let snapshot = writer.base
        var removed = 0
        do {
            guard let whereClause else {
                removed = snapshot.rowCount
                try writer.removeAllFiles()
                try writer.commit(operation: "DELETE", parameters: parametersJSON(["predicate": "true"]))
                return message("DELETE \(removed)", rows: removed)
            }
            let predicate = try QueryPlanner.bindExpression(whereClause, over: snapshot.schema, qualifier: name.name, context: context(), asCondition: true)
            try rewriteFiles(snapshot, writer: writer, predicate: predicate) { batch, selected in
                removed += selected.count
                try writer.recordChange(batch.gather(selected), kind: .delete)
            }
            if removed > 0 {
                try writer.commit(operation: "DELETE", parameters: parametersJSON(["predicate": text]))
            } else {
                writer.abort()
            }
        } catch {
            writer.abort()
            throw error
        }
        return message("DELETE \(removed)", rows: removed)
    }

    func update(_ q: QualifiedName, _ assignments: [Assignment], _ whereClause: Expression?) throws -> StatementResult {
        let name = try session.existingTableName(q)
        let writer = try beginWrite(name)
        let snapshot = writer.base
        let schema = snapshot.schema
        var changed = 0
        do {
            let ctx = context()
            let predicate = try whereClause.map {
                try QueryPlanner.bindExpression($0, over: schema, qualifier: name.name, context: ctx, asCondition: true)
            } ?? .constant(.boolean(true), .boolean)
            var newValues: [Int: BoundExpression] = [:]
            for a in assignments {
                guard let idx = schema.index(of: a.column) else {
                    throw TarnError.semantic("column '\(a.column)' does not exist in '\(name)'")
                }
                if newValues[idx] != nil { throw TarnError.semantic("column '\(a.column)' is assigned twice") }
                newValues[idx] = try QueryPlanner.bindExpression(a.value, over: schema, qualifier: name.name, context: ctx,
                                                                  asCondition: false, targetType: schema.fields[idx].type)
            }
            let exec = executionContext()
            try rewriteFiles(snapshot, writer: writer, predicate: predicate) { batch, selected in
                changed += selected.count
                let sub = batch.gather(selected)
                var updatedColumns = sub.columns
                for (idx, e) in newValues {
                    updatedColumns[idx] = try ExpressionEvaluator.evaluate(e, sub, exec)
                }
                let updated = Batch(columns: updatedColumns, count: sub.count)
                try checkNotNull(updated, schema: schema)
                try writer.recordChange(sub, kind: .updatePreimage)
                if writer.usesDeletionVectors {
                    // Only updated rows are appended (the others stay in place): the change feed refers to their files.
                    try writer.append(updated, change: .updatePostimage)
                } else {
                    try writer.recordChange(updated, kind: .updatePostimage)
                    try writer.append(updated)
                }
            }
            if changed > 0 {
                try writer.commit(operation: "UPDATE", parameters: parametersJSON(["predicate": text]))
            } else {
                writer.abort()
            }
        } catch {
            writer.abort()
            throw error
        }
        return message("UPDATE \(changed)", rows: changed)
    }

    /// For each data file that may hold a row matching `predicate`: reads it and hands `changed` each batch with
    /// the positions of its matching rows; when any row matched, either marks those rows deleted in the file's
    /// deletion vector (`writer.usesDeletionVectors`) or removes the file and appends its other rows (copy-on-write).
    private func rewriteFiles(_ snapshot: TableSnapshot, writer: TableWriter, predicate: BoundExpression,
                              changed: (Batch, [Int32]) throws -> Void) throws {
        let exec = executionContext()
        let candidates = try snapshot.morsels(matching: QueryPlanner.statisticsPredicates(predicate))
        let candidateFiles = Set(candidates.map(\.fileIndex))
        let all = try snapshot.morsels(matching: [])
        let columns = Array(snapshot.schema.fields.indices)
        let marksDeleted = writer.usesDeletionVectors
        for file in candidateFiles.sorted() {
            var kept: [Batch] = []
            var ordinals: [Int] = []
            var offset = 0
            var touched = false
            for m in all where m.fileIndex == file {
                try progress.checkCancelled()
                let batch = try snapshot.read(m, columns: columns)
                let selected = try ExpressionEvaluator.evaluatePredicate(predicate, batch, exec)
                defer { offset += batch.count }
                if selected.isEmpty {
                    if !marksDeleted { kept.append(batch) }
                    continue
                }
                touched = true
                try changed(batch, selected)
                if marksDeleted {
                    ordinals += selected.map { offset + Int($0) }
                } else {
                    var keep = [Bool](repeating: true, count: batch.count)
                    for s in selected { keep[Int(s)] = false }
                    let survivors = (0..<batch.count).filter { keep[$0] }.map { Int32($0) }
                    kept.append(survivors.count == batch.count ? batch : batch.gather(survivors))
                }
            }
            guard touched else { continue }
            if marksDeleted {
                try writer.deleteRows(inFile: file, ordinals: ordinals)
            } else {
                try writer.removeFile(at: file)
                for b in kept where b.count > 0 { try writer.append(b) }
            }
        }
    }
}
