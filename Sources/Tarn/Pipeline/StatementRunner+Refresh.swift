import Foundation
import Storage
import SQL
import Execution
import Planner

/// `CREATE OR REFRESH [INCREMENTAL] TABLE t AS query` as a pipeline step runs it.
extension StatementRunner {
    /// What refreshing one table did.
    struct RefreshOutcome {
        var status: String
        var report: WriteReport?
        /// Versions of the source tables read (`schema.name` → version).
        var sources: [String: Int64]
        var rowsIn: Int
        var relationsRead: [String]
        var message: String
    }

    static func sourceKey(_ t: TableName) -> String { "\(t.schema).\(t.name)" }

    static func tableName(fromKey key: String) -> TableName {
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        return parts.count == 2 ? TableName(schema: parts[0], name: parts[1]) : TableName(name: key)
    }

    /// Refreshes the table: nothing when its definition and sources are unchanged since its last good run;
    /// an append of the sources' new files when INCREMENTAL and every source only gained files; when INCREMENTAL and
    /// a source had updates or deletes, its change data feed applied (`refreshFromChanges`) if the query allows;
    /// else a full recomputation (CREATE OR REPLACE semantics, history kept). The run's message says which.
    ///
    /// Inside the pipeline's transaction the writes are staged (a recomputation of an existing table with unchanged
    /// columns removes its files and adds the new ones); creating the table or changing its columns is DDL, so
    /// `commitPoint` commits what the run staged before it. A source the same run rewrote counts as changed and is
    /// read as staged.
    func refresh(_ c: CreateTable, statementHash: String, lastRun: (sources: [String: Int64], statementHash: String)?,
                 commitPoint: () throws -> Void = {}) throws -> RefreshOutcome {
        let name = session.tableName(c.name)
        guard let query = c.query else { throw TarnError(.internal, "refresh of '\(name)' without a query") }
        try TablePropertyValidation.validate(c.properties)
        try requireSchema(name.schema)
        let exists = try lake.tableExists(name)
        let sameDefinition = lastRun?.statementHash == statementHash
        // A table without lake sources (a generator, files read directly) refreshes only when its definition changes.
        let staged = Set(session.transaction?.lake.changedTables ?? [])
        if exists, sameDefinition, let last = lastRun {
            var unchanged = true
            for (key, version) in last.sources {
                let t = Self.tableName(fromKey: key)
                guard !staged.contains(t), try lake.tableExists(t), try lake.snapshot(of: t).version == version else { unchanged = false; break }
            }
            if unchanged {
                return RefreshOutcome(status: "up to date", report: nil, sources: last.sources, rowsIn: 0, relationsRead: [],
                                      message: "sources unchanged since the last run")
            }
        }
        let ctx = context()
        var since: [TableName: Int64] = [:]
        var notAppendOnly = false
        if c.incremental, exists, sameDefinition, let last = lastRun {
            for (key, version) in last.sources {
                let t = Self.tableName(fromKey: key)
                guard try lake.tableExists(t), let old = try? lake.snapshot(of: t, at: .version(version)),
                      try currentSnapshot(t).onlyAppended(since: old) else { since = [:]; notAppendOnly = true; break }
                since[t] = version
            }
        }
        // A GROUP BY's new rows cannot be appended (a group that gained rows would appear twice): its touched groups are
        // recomputed from the change data feed even when the sources only gained files.
        if c.incremental, exists, sameDefinition, lastRun != nil, case .grouped = IncrementalShape.classify(query) {
            since = [:]
            notAppendOnly = true
        }
        ctx.readFilesAddedAfter = since
        let declared = try declaredExpectations(c, table: name)
        // A source had updates or deletes: its change data feed, when the query's shape allows (else recomputed).
        var recomputeReason = ""
        let stagedSources = (lastRun?.sources.keys.map(Self.tableName(fromKey:)) ?? []).filter { staged.contains($0) }
        if notAppendOnly, !stagedSources.isEmpty {
            // The change data feed of a source this run rewrote is not committed yet: recompute instead.
            recomputeReason = " (its source \(stagedSources.map(\.description).sorted().joined(separator: ", ")) changed earlier in this run)"
        } else if notAppendOnly, let last = lastRun {
            // Whatever stops the shortcut (a source column the table lacks, say) leaves the recomputation to decide.
            var tried: (application: ChangeApplication?, whyNot: String)
            do {
                tried = try refreshFromChanges(query, table: name, lastSources: last.sources, declared: declared)
            } catch let e as TarnError where e.kind != .cancelled {
                tried = (nil, e.message)
            }
            if let applied = tried.application {
                return RefreshOutcome(status: "succeeded", report: applied.report, sources: applied.sources, rowsIn: applied.rowsIn,
                                      relationsRead: applied.sources.keys.sorted(), message: applied.message)
            }
            recomputeReason = " (the change data feed of its sources could not be applied: \(tried.whyNot))"
        }
        var report: WriteReport?
        var message: String
        if !since.isEmpty {
            let writer = try beginWrite(name)
            let planned: PlannedQuery
            let pipeline: TableWritePipeline
            do {
                planned = try QueryPlanner.planInsert(query, into: writer.schema, columns: nil, context: ctx)
                pipeline = try writePipeline(name, schema: writer.schema, declared: declared)
            } catch { writer.abort(); throw error }
            try commitRows(try planned.makeOperator(), into: writer, through: pipeline, operation: "INCREMENTAL REFRESH",
                           parameters: parametersJSON(["statement": text, "since": PipelineCatalog.encodeVersions(
                                Dictionary(uniqueKeysWithValues: since.map { (Self.sourceKey($0.key), $0.value) }))]))
            report = session.lastWriteReport
            message = "appended the rows its sources gained since versions " + since.map { "\($0.key)@\($0.value)" }.sorted().joined(separator: ", ")
        } else {
            let planned = try QueryPlanner.plan(query, context: ctx)
            var fields: [Field] = []
            var seen = Set<String>()
            for f in planned.columns {
                guard seen.insert(f.name.lowercased()).inserted else {
                    throw TarnError.semantic("CREATE OR REFRESH TABLE \(name): the query has two columns named '\(f.name)'; give them distinct aliases")
                }
                fields.append(Field(name: f.name, type: f.type == .null ? .integer : f.type))
            }
            let op = try planned.makeOperator()
            let writer: TableWriter
            if session.transaction != nil, exists, Self.sameColumns(try currentSnapshot(name).schema, fields) {
                // Same columns: staged in the run's transaction as a rewrite of every file.
                writer = try beginWrite(name)
                do { try writer.removeAllFiles() } catch { writer.abort(); throw error }
            } else {
                try commitPoint()
                // The declared TBLPROPERTIES go with every (re)creation; a staged rewrite above keeps the table's.
                guard let created = try lake.beginCreate(name, schema: Schema(fields), orReplace: true, properties: c.properties) else {
                    throw TarnError(.internal, "CREATE OR REFRESH of '\(name)' got no writer")
                }
                writer = created
            }
            let pipeline: TableWritePipeline
            do { pipeline = try writePipeline(name, schema: writer.schema, declared: declared) } catch { writer.abort(); throw error }
            try commitRows(op, into: writer, through: pipeline, operation: "CREATE OR REFRESH TABLE", parameters: parametersJSON(["statement": text]))
            report = session.lastWriteReport
            message = exists ? "recomputed from its sources" + recomputeReason : "created"
        }
        var sources: [String: Int64] = [:]
        var rowsIn = 0
        // (A source staged by this run reports its starting version; PipelineTransaction records the committed one.)
        for s in ctx.snapshotsRead where s.name != name {
            sources[Self.sourceKey(s.name)] = s.version
            rowsIn += s.rowCount
        }
        return RefreshOutcome(status: "succeeded", report: report, sources: sources, rowsIn: rowsIn,
                              relationsRead: ctx.relationsRead.filter { $0 != name.description }.sorted(), message: message)
    }

    /// The table as this statement sees it: the run's staged state when its transaction changed it.
    func currentSnapshot(_ name: TableName) throws -> TableSnapshot {
        if let staged = session.transaction?.lake.snapshots[name] { return staged }
        return try lake.snapshot(of: name)
    }

    /// Whether a recomputed query gives the table's columns (names case-insensitively, and types).
    static func sameColumns(_ schema: Schema, _ fields: [Field]) -> Bool {
        schema.fields.count == fields.count
            && zip(schema.fields, fields).allSatisfy { $0.name.lowercased() == $1.name.lowercased() && $0.type == $1.type }
    }
}
