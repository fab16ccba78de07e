import Foundation
import Storage
import SQL
import Execution
import Planner
import Transforms

/// What every row written into a table passes through, for INSERT, CTAS, CREATE OR REFRESH and COPY INTO:
/// the table's expectations, in declaration order, and the accounting of rows table functions dropped.
///
/// - `KEEP` (no ON VIOLATION): the row is written; the violation is counted.
/// - `DROP ROW`: the row is not written; it is kept as JSON in `violations('t')`.
/// - `FAIL UPDATE`: the statement fails, nothing is written; the error names the expectation and the count.
/// A row dropped by one expectation is not checked by the later ones, so every dropped row is counted once.
/// A condition that is not TRUE (FALSE or NULL) is a violation. `record(_:)` writes the counts, the dropped
/// rows, the new expectation set (CREATE) and new surrogate keys in the commit's catalog transaction.
final class TableWritePipeline: @unchecked Sendable {
    /// One expectation, bound over the table's columns.
    struct BoundExpectation {
        var stored: QualityCatalog.StoredExpectation
        var condition: BoundExpression
        var checked = 0
        var failed = 0
    }

    let lake: Lake
    let table: TableName
    let schema: Schema
    private(set) var expectations: [BoundExpectation]
    /// Set by CREATE: the expectation set to store for the table with this commit.
    private let declared: [QualityCatalog.StoredExpectation]?
    private let ledger: DropLedger
    private let executionContext: ExecutionContext
    private var violations: [(expectation: String, action: String, json: String)] = []
    private(set) var rowsIn = 0
    private(set) var rowsOut = 0
    /// Rows table functions dropped and surrogate keys they assigned during this statement.
    private(set) var transformDrops: [DropLedger.Drop] = []
    private var newKeys: [DropLedger.KeyAssignment] = []
    /// Upper bound of violating rows kept as JSON per expectation and statement (counts are always exact).
    static let violationRowsKept = 100_000

    /// `declared`: the expectations of a CREATE statement (replacing the stored ones); nil to use the stored ones.
    init(session: Session, settings: SessionSettings, table: TableName, schema: Schema, declared: [Expectation]?) throws {
        lake = session.lake
        self.table = table
        self.schema = schema
        ledger = session.dropLedger
        executionContext = ExecutionContext(settings: settings)
        var stored: [QualityCatalog.StoredExpectation]
        if let declared {
            var seen = Set<String>()
            for e in declared where !seen.insert(e.name.lowercased()).inserted {
                throw TarnError.semantic("expectation '\(e.name)' is declared twice on '\(table)'")
            }
            stored = declared.map { .init(name: $0.name, condition: $0.conditionText, action: $0.action.rawValue) }
            self.declared = stored
        } else {
            self.declared = nil
            let lake = session.lake
            let uuid = try lake.tableExists(table) ? try lake.snapshot(of: table).uuid : nil
            stored = try uuid.map { try QualityCatalog.expectations(lake, tableUUID: $0) } ?? []
        }
        let context = session.binderContext(settings)
        context.currentSchema = table.schema
        let qualifier = table.name, tableLabel = table.description, schema = schema
        expectations = try stored.map { e in
            let parsed = try Parser.parseExpression(e.condition)
            do {
                let bound = try QueryPlanner.bindExpression(parsed, over: schema, qualifier: qualifier, context: context, asCondition: true)
                return BoundExpectation(stored: e, condition: bound)
            } catch let error as TarnError {
                throw TarnError(error.kind, "expectation '\(e.name)' of '\(tableLabel)': \(error.message)")
            }
        }
        if declared != nil || !expectations.isEmpty { try QualityCatalog.ensure(session.lake) }
        _ = ledger.drain()   // anything recorded before this statement's rows flow is not this statement's
    }

    /// The rows of `batch` to write (violating DROP ROW rows removed).
    func process(_ batch: Batch) throws -> Batch {
        rowsIn += batch.count
        var current = batch
        for i in expectations.indices where current.count > 0 {
            let passing = try ExpressionEvaluator.evaluatePredicate(expectations[i].condition, current, executionContext)
            expectations[i].checked += current.count
            let failed = current.count - passing.count
            guard failed > 0 else { continue }
            expectations[i].failed += failed
            let action = expectations[i].stored.action
            guard action == Expectation.Action.dropRow.rawValue else { continue }
            var isPassing = [Bool](repeating: false, count: current.count)
            for p in passing { isPassing[Int(p)] = true }
            let name = expectations[i].stored.name
            var kept = violations.reduce(0) { $0 + ($1.expectation == name ? 1 : 0) }
            for row in 0..<current.count where !isPassing[row] && kept < Self.violationRowsKept {
                violations.append((name, action, RowJSON.encode(current, row: row, names: schema.names)))
                kept += 1
            }
            current = current.gather(passing)
        }
        rowsOut += current.count
        return current
    }

    /// Call after the last batch, before committing: fails for FAIL UPDATE violations, collects the ledger.
    func finish() throws {
        for e in expectations where e.stored.action == Expectation.Action.failUpdate.rawValue && e.failed > 0 {
            throw TarnError(.constraint, "expectation '\(e.stored.name)' (\(e.stored.condition)) ON VIOLATION FAIL UPDATE failed for "
                            + "\(e.failed) of \(e.checked) rows written to '\(table)'; nothing was written")
        }
        let drained = ledger.drain()
        transformDrops = drained.drops
        newKeys = drained.keys
    }

    /// Rows dropped per rule: expectations (`expectation:name`) and table functions (`function:rule`).
    var dropsByRule: [(rule: String, rows: Int)] {
        expectations.filter { $0.stored.action == Expectation.Action.dropRow.rawValue }.map { ("expectation \($0.stored.name)", $0.failed) }
            + transformDrops.map { ("\($0.function): \($0.rule)", $0.rows) }
    }

    /// Violations counted per expectation (all actions).
    var expectationCounts: [(name: String, action: String, failed: Int)] {
        expectations.map { ($0.stored.name, $0.stored.action, $0.failed) }
    }

    /// Writes this statement's quality records in the commit's transaction.
    func record(_ tx: CatalogTransaction) throws {
        let needsRecords = declared != nil || !expectations.isEmpty || !transformDrops.isEmpty || !newKeys.isEmpty
        guard needsRecords else { return }
        if !(try QualityCatalog.exists(lake)) { for s in QualityCatalog.statements { try tx.execute(s) } }
        let (uuid, version) = try QualityCatalog.tableIdentity(tx, table)
        let name = table.description
        if let declared { try QualityCatalog.replaceExpectations(tx, tableUUID: uuid, tableName: name, declared) }
        for e in expectations where e.checked > 0 {
            try tx.execute("""
                INSERT INTO tarn_quality_results(table_uuid, table_name, version, source, name, action, rows_checked, rows_failed)
                VALUES (?, ?, ?, 'expectation', ?, ?, ?, ?)
                """, [.text(uuid), .text(name), .integer(version), .text(e.stored.name), .text(e.stored.action),
                      .integer(Int64(e.checked)), .integer(Int64(e.failed))])
        }
        for d in transformDrops {
            try tx.execute("""
                INSERT INTO tarn_quality_results(table_uuid, table_name, version, source, name, action, rows_checked, rows_failed)
                VALUES (?, ?, ?, ?, ?, 'DROP ROW', 0, ?)
                """, [.text(uuid), .text(name), .integer(version), .text(d.function), .text(d.rule), .integer(Int64(d.rows))])
        }
        for v in violations {
            try tx.execute("INSERT INTO tarn_violations(table_uuid, table_name, version, expectation, action, row_json) VALUES (?, ?, ?, ?, ?, ?)",
                           [.text(uuid), .text(name), .integer(version), .text(v.expectation), .text(v.action), .text(v.json)])
        }
        try QualityCatalog.recordKeys(tx, newKeys)
    }

    /// The statement's figures for the pipeline runner.
    var report: WriteReport {
        WriteReport(table: table, rowsIn: rowsIn, rowsOut: rowsOut, drops: dropsByRule, expectations: expectationCounts)
    }
}

/// What one write did to one table: rows offered, rows written, rows dropped per rule, violations per expectation.
struct WriteReport: Sendable {
    var table: TableName
    var rowsIn: Int
    var rowsOut: Int
    var drops: [(rule: String, rows: Int)]
    var expectations: [(name: String, action: String, failed: Int)]
    var version: Int64?
}
