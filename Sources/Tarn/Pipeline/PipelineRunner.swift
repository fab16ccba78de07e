import Foundation
import Storage
import SQL
import Execution
import Planner

/// Runs a pipeline file: setup statements first, then the steps in dependency order (see `PipelinePlan`).
/// The steps' writes are staged in one transaction (`PipelineTransaction`) and committed together when the run
/// ends, so a run that refreshes existing tables is atomic: other readers, and a run killed half-way, see all of its
/// tables before or all after. A step that must create a table or view, or change a table's columns, first commits
/// what the run staged; when a step fails, the staged writes are discarded and every table and view an earlier
/// commit point of the same run changed is restored to its pre-run version (RESTORE, with the files a COPY loaded
/// forgotten in the same commit, so they load again next time); the error names the failed step. Every step is
/// recorded in `tarn.pipeline_runs` / `tarn.pipeline_drops`, and what it read in `tarn.lineage`.
struct PipelineRunner {
    let session: Session
    /// Folder that relative COPY paths are resolved against (the pipeline file's folder).
    let baseDirectory: String

    private enum PriorState {
        case absent
        case table(version: Int64)
        case view(ViewInfo)
    }

    var lake: Lake { session.lake }

    func run(_ sql: String) throws -> PipelineRunResult {
        guard session.transaction == nil else {
            throw TarnError(.unsupported, "a pipeline cannot run inside a transaction block (a run is a transaction of its own); COMMIT or ROLLBACK first")
        }
        try PipelineCatalog.ensure(lake)
        let statements = try session.parse(sql)
        let setup = statements.filter { if case .createSchema = $0.statement { return true }; if case .use = $0.statement { return true }; return false }
        for s in setup { _ = try session.execute(s) }
        let plan = try PipelinePlan.build(statements) { session.tableName($0) }
        for s in plan.setup where !setup.contains(where: { $0.location.offset == s.location.offset }) { _ = try session.execute(s) }

        let runID = Self.newRunID()
        var result = PipelineRunResult(runID: runID, steps: [], rolledBack: [])
        var prior: [TableName: PriorState] = [:]
        var changed: [TableName] = []
        let transaction = PipelineTransaction(session: session, text: sql)
        var current: PipelineStep?
        do {
            for step in plan.steps {
                current = step
                if let target = step.target, prior[target] == nil { prior[target] = try state(of: target) }
                if try needsCommitBefore(step) { try transaction.commit(into: &result) } else { transaction.open() }
                let started = PipelineCatalog.now()
                var record = try execute(step, runID: runID, started: started) { try transaction.commit(into: &result) }
                record.endedAt = PipelineCatalog.now()
                if let target = step.target, record.status == "succeeded", !changed.contains(target) { changed.append(target) }
                result.steps.append(.init(index: step.index, kind: step.kind.rawValue, target: record.target, status: record.status,
                                          rowsIn: record.rowsIn, rowsOut: record.rowsOut,
                                          drops: Dictionary(record.drops.map { ($0.rule, $0.rows) }, uniquingKeysWith: +),
                                          version: record.version, message: record.message ?? ""))
                transaction.recordLater(record, resultIndex: result.steps.count - 1)
                // A step that ran outside the transaction (DDL) committed on its own: record it now.
                if session.transaction == nil { try transaction.commit(into: &result) }
            }
            current = nil
            try transaction.commit(into: &result)
        } catch {
            let tarnError = (error as? TarnError) ?? TarnError(.execution, "\(error)")
            let discarded = transaction.rollBack()
            let label: String
            if let step = current {
                let failed = PipelineCatalog.StepRecord(
                    runID: runID, step: step.index, target: step.target?.description ?? "export", kind: step.kind.rawValue,
                    startedAt: PipelineCatalog.now(), endedAt: PipelineCatalog.now(), status: "failed", sourceVersions: [:], rowsIn: 0, rowsOut: 0,
                    drops: [], version: nil, statementHash: step.statementHash, message: tarnError.description, lineage: [],
                    targetKind: step.kind.rawValue)
                try? PipelineCatalog.record(lake, failed)
                result.steps.append(.init(index: step.index, kind: step.kind.rawValue, target: failed.target, status: "failed", rowsIn: 0,
                                          rowsOut: 0, drops: [:], version: nil, message: tarnError.description))
                label = step.label + " at line \(step.parsed.location.line)"
            } else {
                label = "the commit of the run's tables"
            }
            // Staged writes are gone with the transaction; what committed before (at a commit point, or as DDL) is restored.
            let committed = changed.filter { transaction.committedTables.contains($0) || !discarded.contains($0) }
            let restored = try rollBack(committed, prior: prior, runID: runID)
            let onlyStaged = changed.filter { discarded.contains($0) && !committed.contains($0) }.map(\.description)
            result.rolledBack = onlyStaged + restored
            for i in result.steps.indices where result.steps[i].status == "succeeded" && result.rolledBack.contains(result.steps[i].target) {
                result.steps[i].status = "rolled back"
            }
            try? PipelineCatalog.markRolledBack(lake, runID: runID, tables: changed.map(\.description))
            throw PipelineFailure(result: result, failedStep: label, underlying: tarnError)
        }
        return result
    }

    /// Whether `step` runs DDL (or must see committed data), so the run commits what it staged before it.
    private func needsCommitBefore(_ step: PipelineStep) throws -> Bool {
        switch step.kind {
        case .view, .export: return true
        case .copy:
            guard let target = step.target else { return true }
            return try !lake.tableExists(target)
        case .table, .incrementalTable:
            return false   // the refresh itself commits first when it must create or reshape its table
        default:
            return step.parsed.statement.refusedInTransaction != nil
        }
    }

    private func state(of target: TableName) throws -> PriorState {
        if try lake.tableExists(target) { return .table(version: try lake.snapshot(of: target).version) }
        if let view = try lake.view(target) { return .view(view) }
        return .absent
    }

    /// Runs one step and describes it for the run record.
    private func execute(_ step: PipelineStep, runID: String, started: Int64,
                         commitPoint: () throws -> Void) throws -> PipelineCatalog.StepRecord {
        let target = step.target?.description ?? "export"
        var record = PipelineCatalog.StepRecord(
            runID: runID, step: step.index, target: target, kind: step.kind.rawValue, startedAt: started, endedAt: started,
            status: "succeeded", sourceVersions: [:], rowsIn: 0, rowsOut: 0, drops: [], version: nil,
            statementHash: step.statementHash, message: nil, lineage: [], targetKind: step.kind == .view ? "view" : "table")
        switch (step.kind, step.parsed.statement) {
        case let (.table, .createTable(c)), let (.incrementalTable, .createTable(c)):
            let targetName = step.target ?? session.tableName(c.name)
            let last = try PipelineCatalog.lastGoodRun(lake, target: targetName.description)
            let refresher = runner(step.parsed.text)
            let outcome = try refresher.refresh(c, statementHash: step.statementHash, lastRun: last, commitPoint: commitPoint)
            record.status = outcome.status
            record.sourceVersions = outcome.sources
            record.rowsIn = outcome.rowsIn
            record.message = outcome.message
            // A refresh is a commit like any other: the table's auto_optimize applies after it (after the run's commit
            // when the refresh was staged in the run's transaction).
            if outcome.status == "succeeded", session.transaction == nil, let notice = refresher.autoOptimizeIfConfigured(targetName) {
                record.message = outcome.message + "; " + notice
            }
            record.lineage = outcome.relationsRead.map { ($0, "relation") }
            if let report = outcome.report {
                record.rowsOut = report.rowsOut
                record.drops = report.drops
                record.version = report.version
            }
        case let (.view, .createView(v)):
            let name = session.tableName(v.name)
            if let existing = try lake.view(name), existing.sql == v.queryText, existing.columnNames == v.columnNames {
                record.status = "up to date"
                record.message = "definition unchanged"
            } else {
                let ctx = session.binderContext(session.settings)
                ctx.currentSchema = name.schema
                _ = try QueryPlanner.plan(v.query, context: ctx)
                record.lineage = ctx.relationsRead.sorted().map { ($0, "relation") }
                _ = try session.execute(step.parsed)
                record.message = "defined"
            }
        case let (.copy, .copyInto(_, source, options)) where options["relation"] != nil:
            // COPY INTO t FROM ops.orders [WATERMARK c]: rows of an attached database's table.
            session.lastWriteReport = nil
            let result = try session.execute(step.parsed)
            let loaded = result.rows.first?.first?.int64Value ?? 0
            record.lineage = [(session.relationLineageLabel(source), "relation")]
            record.rowsIn = Int(loaded)
            record.rowsOut = session.lastWriteReport?.rowsOut ?? Int(loaded)
            record.drops = session.lastWriteReport?.drops ?? []
            record.version = session.lastWriteReport?.version
            if loaded == 0 { record.status = "up to date"; record.message = "no new rows" } else { record.message = "loaded \(loaded) row(s)" }
        case let (.copy, .copyInto(table, source, options)):
            let absolute = ParsedStatement(statement: .copyInto(table: table, source: resolvePath(source), options: options),
                                           text: step.parsed.text, location: step.parsed.location)
            session.lastWriteReport = nil
            let result = try session.execute(absolute)
            let row = result.rows.first ?? []
            let loaded = row.first?.int64Value ?? 0
            let rejected = row.count > 2 ? row[2].int64Value ?? 0 : 0
            record.lineage = [(resolvePath(source), "files")]
            record.rowsOut = session.lastWriteReport?.rowsOut ?? 0
            record.rowsIn = (session.lastWriteReport?.rowsIn ?? 0) + Int(rejected)
            record.drops = (session.lastWriteReport?.drops ?? []) + (rejected > 0 ? [("copy: rejected records", Int(rejected))] : [])
            record.version = session.lastWriteReport?.version
            if loaded == 0 { record.status = "up to date"; record.message = "no new files" } else { record.message = "loaded \(loaded) new file(s)" }
        case let (.export, .copyTo(source, path, options)):
            let folder = (resolvePath(path) as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let absolute = ParsedStatement(statement: .copyTo(source: source, path: resolvePath(path), options: options),
                                           text: step.parsed.text, location: step.parsed.location)
            let result = try session.execute(absolute)
            record.rowsOut = result.rowCount
            record.message = "exported to \(resolvePath(path))"
        default:
            session.lastWriteReport = nil
            let result = try session.execute(step.parsed)
            record.rowsOut = result.rowCount
            if let report = session.lastWriteReport { record.rowsIn = report.rowsIn; record.drops = report.drops; record.version = report.version }
            record.message = result.message
        }
        return record
    }

    private func runner(_ text: String) -> StatementRunner {
        var settings = session.settings
        settings.statementTimestamp = Int64(Date().timeIntervalSince1970 * 1_000_000)
        return StatementRunner(session: session, settings: settings, progress: QueryProgress(), text: text)
    }

    private func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") || path.contains("://") { return path }
        return (baseDirectory as NSString).appendingPathComponent(path)
    }

    /// Puts every changed relation back as it was before the run; returns their names.
    private func rollBack(_ changed: [TableName], prior: [TableName: PriorState], runID: String) throws -> [String] {
        var restored: [String] = []
        for name in changed.reversed() {
            switch prior[name] ?? .absent {
            case let .table(version):
                guard try lake.tableExists(name) else { continue }
                let uuid = try lake.snapshot(of: name).uuid
                try lake.restore(name, to: .version(version), reason: "pipeline run \(runID) failed", extra: { tx in
                    // Files loaded after `version` were undone with their rows: forget them so they load again.
                    if try !tx.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_loaded_files'").isEmpty {
                        try tx.execute("DELETE FROM tarn_loaded_files WHERE table_uuid = ? AND version > ?", [.text(uuid), .integer(version)])
                        try tx.execute("DELETE FROM tarn_load_rejects WHERE table_uuid = ? AND version > ?", [.text(uuid), .integer(version)])
                    }
                })
            case .absent:
                if try lake.tableExists(name) {
                    let uuid = try lake.snapshot(of: name).uuid
                    try lake.dropTable(name, ifExists: true)
                    try lake.catalog.writeTransaction { tx in
                        if try !tx.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_loaded_files'").isEmpty {
                            try tx.execute("DELETE FROM tarn_loaded_files WHERE table_uuid = ?", [.text(uuid)])
                            try tx.execute("DELETE FROM tarn_load_rejects WHERE table_uuid = ?", [.text(uuid)])
                        }
                    }
                } else if try lake.view(name) != nil {
                    try lake.dropView(name, ifExists: true)
                }
            case let .view(info):
                try lake.createView(name, sql: info.sql, columnNames: info.columnNames, orReplace: true, ifNotExists: false)
            }
            restored.append(name.description)
        }
        return restored
    }

    static func newRunID() -> String {
        let stamp = ValueFormatting.format(timestamp: PipelineCatalog.now()).replacingOccurrences(of: " ", with: "T")
        return String(stamp.prefix(19)) + "-" + UUID().uuidString.prefix(8).lowercased()
    }
}

extension Session {
    /// Runs a pipeline (see `PipelineRunner`). Relative COPY paths resolve against `baseDirectory`.
    /// Throws `PipelineFailure` when a step fails (after restoring what the run had changed).
    public func runPipeline(_ sql: String, baseDirectory: String) throws -> PipelineRunResult {
        try PipelineRunner(session: self, baseDirectory: baseDirectory).run(sql)
    }
}
