import Foundation
import Storage
import SQL
import Execution
import Planner

/// The one path rows take into a table for INSERT, CTAS and CREATE OR REFRESH (COPY INTO hands the same
/// `TableWritePipeline` to the loader): expectations checked, drops accounted, records committed with the rows.
extension StatementRunner {
    /// The pipeline for a write to `table` whose rows have `schema`. `declared` is a CREATE statement's
    /// expectation list (stored with the commit); nil keeps the table's stored expectations.
    func writePipeline(_ table: TableName, schema: Schema, declared: [Expectation]?) throws -> TableWritePipeline {
        try TableWritePipeline(session: session, settings: settings, table: table, schema: schema, declared: declared)
    }

    /// Streams `op` through `pipeline` into `writer` and commits; on any error nothing is written.
    /// `check` runs on every batch before the expectations (e.g. NOT NULL). Returns the rows written.
    @discardableResult
    func commitRows(_ op: PhysicalOperator, into writer: TableWriter, through pipeline: TableWritePipeline,
                    operation: String, parameters: String, check: ((Batch) throws -> Void)? = nil,
                    alsoInCommit: ((CatalogTransaction) throws -> Void)? = nil) throws -> Int {
        var rows = 0
        do {
            try stream(op) { batch in
                try check?(batch)
                let kept = try pipeline.process(batch)
                rows += kept.count
                if kept.count > 0 { try writer.append(kept) }
            }
            try pipeline.finish()
            let info = try writer.commit(operation: operation, parameters: parameters, extra: { try pipeline.record($0); try alsoInCommit?($0) })
            var report = pipeline.report
            report.version = info.version
            session.lastWriteReport = report
        } catch {
            writer.abort()
            throw error
        }
        return rows
    }

    /// The expectations a CREATE statement declares for `table`: its own list, an empty list when it
    /// replaces a table that had some (so they are cleared), or nil when there is nothing to store.
    func declaredExpectations(_ c: CreateTable, table: TableName) throws -> [Expectation]? {
        if !c.expectations.isEmpty { return c.expectations }
        guard try QualityCatalog.exists(lake), try lake.tableExists(table) else { return nil }
        let stored = try QualityCatalog.expectations(lake, tableUUID: try lake.snapshot(of: table).uuid)
        return stored.isEmpty ? nil : []
    }

    /// CREATE TABLE (columns) with expectations: the table and its expectations in one commit.
    func createEmptyTable(_ name: TableName, schema: Schema, _ c: CreateTable, declared: [Expectation]) throws -> StatementResult {
        guard let writer = try lake.beginCreate(name, schema: schema, ifNotExists: c.ifNotExists, orReplace: c.orReplace || c.orRefresh,
                                                properties: c.properties) else {
            return message("CREATE TABLE")
        }
        let pipeline = try writePipeline(name, schema: schema, declared: declared)
        do {
            try pipeline.finish()
            try writer.commit(operation: writer.replacesExistingTable ? "CREATE OR REPLACE TABLE" : "CREATE TABLE",
                              parameters: parametersJSON(["statement": text]), extra: { try pipeline.record($0) })
        } catch {
            writer.abort()
            throw error
        }
        return message("CREATE TABLE")
    }

    /// `ALTER TABLE t ADD CONSTRAINT name EXPECT (…) [ON VIOLATION …]` / `DROP CONSTRAINT name`: changes the
    /// expectations checked by later writes (existing rows are not re-checked, as in Databricks).
    func alterExpectations(_ name: TableName, _ action: AlterAction) throws -> StatementResult {
        let snapshot = try lake.snapshot(of: name)
        try QualityCatalog.ensure(lake)
        var list = try QualityCatalog.expectations(lake, tableUUID: snapshot.uuid)
        switch action {
        case let .addExpectation(e):
            if list.contains(where: { $0.name.lowercased() == e.name.lowercased() }) {
                throw TarnError.semantic("table '\(name)' already has an expectation named '\(e.name)'")
            }
            // Bind now so a broken condition is reported here, not at the next write.
            _ = try writePipeline(name, schema: snapshot.schema, declared: [e])
            list.append(.init(name: e.name, condition: e.conditionText, action: e.action.rawValue))
        case let .dropExpectation(expectation):
            guard let i = list.firstIndex(where: { $0.name.lowercased() == expectation.lowercased() }) else {
                throw TarnError.semantic("table '\(name)' has no expectation named '\(expectation)' (it has: \(list.map(\.name).joined(separator: ", ")))")
            }
            list.remove(at: i)
        default:
            throw TarnError(.internal, "alterExpectations called for another ALTER action")
        }
        let final = list
        try lake.catalog.writeTransaction { tx in
            try QualityCatalog.replaceExpectations(tx, tableUUID: snapshot.uuid, tableName: name.description, final)
        }
        return message("ALTER TABLE")
    }
}
