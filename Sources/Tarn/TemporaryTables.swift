import Foundation
import Storage
import SQL
import Planner

/// A session's `CREATE TEMP TABLE`: rows kept in memory for the life of the session and never written to the lake
/// (so another process, or the next run, does not see it). Read by unqualified name or `temp.name`, before lake tables
/// of the same name; INSERT appends, DROP removes. DELETE, UPDATE, ALTER and COPY INTO on it are refused for now.
final class TemporaryTable: @unchecked Sendable {
    let name: String
    let fields: [Field]
    var batches: [Batch]

    init(name: String, fields: [Field], batches: [Batch] = []) {
        self.name = name; self.fields = fields; self.batches = batches
    }

    var rowCount: Int { batches.reduce(0) { $0 + $1.count } }
}

extension Session {
    /// Whether the statement writes nothing but TEMP tables (allowed on a lake opened read-only).
    func changesOnlyTemporaryTables(_ statement: Statement) -> Bool {
        switch statement {
        case let .createTable(c): return c.temporary
        case let .createView(v): return v.temporary
        case let .createSecret(c): return c.temporary
        case let .dropSecret(name, _): return temporarySecrets[name.lowercased()] != nil
        case let .insert(i): return temporaryTable(i.table) != nil
        case let .drop(kind, name, _, _):
            return (kind == .table && temporaryTable(name) != nil) || (kind == .view && temporaryViews[name.name.lowercased()] != nil)
        default: return false
        }
    }

    /// The TEMP table a written name refers to (`t` or `temp.t`), if the session has one.
    func temporaryTable(_ q: QualifiedName) -> TemporaryTable? {
        guard q.parts.count == 1 || (q.parts.count == 2 && q.parts[0].lowercased() == "temp") else { return nil }
        return temporaryTables[q.name.lowercased()]
    }
}

extension StatementRunner {
    /// `CREATE [OR REPLACE] TEMP TABLE [IF NOT EXISTS] t (cols) | AS query`: planned and run before anything is kept.
    func createTemporaryTable(_ c: CreateTable) throws -> StatementResult {
        let loc = c.name.location
        guard c.name.parts.count == 1 || (c.name.parts.count == 2 && c.name.parts[0].lowercased() == "temp") else {
            throw TarnError(.semantic, "a TEMP table lives in the session, not in schema '\(c.name.parts[0])': name it without a schema (or temp.\(c.name.name))",
                            line: loc.line, column: loc.column)
        }
        guard c.expectations.isEmpty, !c.orRefresh, !c.incremental else {
            throw TarnError(.unsupported, "TEMP tables take no expectations and are not pipeline tables (OR REFRESH, INCREMENTAL)",
                            line: loc.line, column: loc.column)
        }
        guard c.properties.isEmpty else {
            throw TarnError(.unsupported, "TEMP tables take no table properties (TBLPROPERTIES): they live in the session, not in the lake",
                            line: loc.line, column: loc.column)
        }
        let key = c.name.name.lowercased()
        if session.temporaryTables[key] != nil {
            if c.ifNotExists { return message("CREATE TABLE") }
            guard c.orReplace else {
                throw TarnError(.semantic, "TEMP table '\(c.name.name)' already exists", line: loc.line, column: loc.column)
            }
        }
        guard let query = c.query else {
            session.temporaryTables[key] = TemporaryTable(name: c.name.name, fields: try declaredFields(c))
            return message("CREATE TABLE")
        }
        let planned = try QueryPlanner.plan(query, context: context())
        let fields = try queryFields(planned)
        let batches = try collect(try planned.makeOperator()).map { Self.typed($0, as: fields) }
        let table = TemporaryTable(name: c.name.name, fields: fields, batches: batches)
        session.temporaryTables[key] = table
        return message("CREATE TABLE", rows: table.rowCount)
    }

    /// `CREATE [OR REPLACE] TEMP VIEW v [(cols)] AS query`: bound now (so a broken view fails here), kept as text in
    /// the session and bound at every use, like a lake view.
    func createTemporaryView(_ v: CreateView) throws -> StatementResult {
        let loc = v.name.location
        guard v.name.parts.count == 1 || (v.name.parts.count == 2 && v.name.parts[0].lowercased() == "temp") else {
            throw TarnError(.semantic, "a TEMP view lives in the session, not in schema '\(v.name.parts[0])': name it without a schema",
                            line: loc.line, column: loc.column)
        }
        let key = v.name.name.lowercased()
        if session.temporaryViews[key] != nil {
            if v.ifNotExists { return message("CREATE VIEW") }
            guard v.orReplace else { throw TarnError(.semantic, "TEMP view '\(v.name.name)' already exists", line: loc.line, column: loc.column) }
        }
        let planned = try QueryPlanner.plan(v.query, context: context())
        if !v.columnNames.isEmpty, v.columnNames.count != planned.columns.count {
            throw TarnError.semantic("view '\(v.name.name)' names \(v.columnNames.count) columns but its query returns \(planned.columns.count)")
        }
        session.temporaryViews[key] = (v.queryText, v.columnNames)
        return message("CREATE VIEW")
    }

    /// `INSERT INTO temp_table …`: the new rows are computed in full, then appended (or replace the rows for
    /// INSERT OVERWRITE), so a failing statement changes nothing.
    func insertIntoTemporary(_ table: TemporaryTable, _ i: Insert) throws -> StatementResult {
        let schema = Schema(table.fields)
        let planned = try QueryPlanner.planInsert(i.source, into: schema, columns: i.columns, context: context())
        let batches = try collect(try planned.makeOperator()).map { Self.typed($0, as: table.fields) }
        for batch in batches { try checkNotNull(batch, schema: schema) }
        if i.overwrite { table.batches = batches } else { table.batches += batches }
        let rows = batches.reduce(0) { $0 + $1.count }
        return message("INSERT \(rows)", rows: rows)
    }

    /// Statements that would change a TEMP table in ways not implemented yet fail instead of touching a lake table
    /// of the same name.
    func refuseIfTemporary(_ q: QualifiedName, _ statement: String) throws {
        guard session.temporaryTable(q) != nil else { return }
        throw TarnError(.unsupported, "\(statement) on TEMP table '\(q.name)' is not supported yet (TEMP tables take INSERT, "
                        + "SELECT and DROP); CREATE OR REPLACE TEMP TABLE … AS SELECT … rebuilds it", line: q.location.line, column: q.location.column)
    }

    /// Columns of an untyped NULL result (type NULL) stored as the table's declared type, all NULL.
    private static func typed(_ batch: Batch, as fields: [Field]) -> Batch {
        guard batch.columns.indices.contains(where: { batch.columns[$0].type == .null && $0 < fields.count && fields[$0].type != .null }) else {
            return batch
        }
        var copy = batch
        for c in copy.columns.indices where copy.columns[c].type == .null && c < fields.count {
            var builder = ColumnBuilder(type: fields[c].type, capacity: batch.count)
            for _ in 0..<batch.count { builder.appendNull() }
            copy.columns[c] = builder.finish()
        }
        return copy
    }
}
