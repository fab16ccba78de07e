import Foundation
import Storage
import SQL
import Execution
import Planner
import Transforms

/// A connection to a database. Not thread-safe; one statement at a time. `QueryProgress.cancel()` may be
/// called from another thread (Ctrl-C) and makes the running statement fail with `.cancelled`, changing nothing.
public final class Session: @unchecked Sendable {
    public let database: Database
    public var settings = SessionSettings() { didSet { planGeneration &+= 1 } }
    /// Schema for unqualified names (`USE s`, `SET schema = 's'`).
    public var currentSchema = TableName.defaultSchema { didSet { planGeneration &+= 1 } }
    /// The database name `pg_catalog.pg_database` reports (the server sets the one the client connected to).
    public var postgresDatabaseName = "tarn"
    /// Table functions callable in FROM (the Transforms module registers its own).
    public var tableFunctions: [String: TableFunctionDefinition] = [:] { didSet { planGeneration &+= 1 } }
    /// Databases attached with `ATTACH 'file' AS alias (TYPE sqlite)`, by lower-case alias.
    var attachedDatabases: [String: AttachedDatabase] = [:] { didSet { planGeneration &+= 1 } }
    /// Rows table functions dropped and keys they assigned, until a write commits them (see `TableWritePipeline`).
    let dropLedger = DropLedger()
    /// Figures of the last write that went through `TableWritePipeline` (read by the pipeline runner).
    var lastWriteReport: WriteReport?
    /// The open `BEGIN … COMMIT` block, if any (see `SessionTransaction`).
    var transaction: SessionTransaction?
    /// `CREATE TEMP TABLE`s of this session, by lower-cased name (gone when the session ends).
    var temporaryTables: [String: TemporaryTable] = [:] { didSet { planGeneration &+= 1 } }
    /// `CREATE TEMP VIEW`s of this session: their SQL and column names, by lower-cased name.
    var temporaryViews: [String: (sql: String, columnNames: [String])] = [:] { didSet { planGeneration &+= 1 } }
    /// `CREATE TEMPORARY SECRET`s of this session, by lower-cased name.
    var temporarySecrets: [String: StoredSecret] = [:]
    /// A statement of this session holds the lake against VACUUM (nested statements do not lock again).
    var holdsLake = false
    /// Changes with everything of the session that planning reads (settings, schema, table functions, attached
    /// databases, TEMP tables and views), so a `PreparedQuery` made before knows to plan again.
    private(set) var planGeneration = 0
    /// Test seam: runs after an auto_optimize compaction has written its files and before it commits (a test makes a
    /// concurrent write here to see the compaction conflict without failing the statement).
    var beforeAutoOptimizeCommit: (() throws -> Void)?

    init(database: Database) {
        self.database = database
        for def in TableFunctionLibrary.all(database: database) { tableFunctions[def.name] = def }
        for def in TransformTableFunctions.all(database: database, ledger: dropLedger) { tableFunctions[def.name] = def }
        tableFunctions["duckdb_secrets"] = SecretRelations.tableFunction(self)
        for name in ["duckdb_settings", "tarn_settings"] { tableFunctions[name] = SettingsRelation.tableFunction(self, name: name) }
        let tableFunctionNames = Array(tableFunctions.keys) + Self.seriesFunctionNames + ["tarn_functions", "duckdb_functions"]
        for name in ["tarn_functions", "duckdb_functions"] {
            tableFunctions[name] = FunctionListing.definition(name: name) { tableFunctionNames }
        }
    }

    /// The planner's own table functions (not in `tableFunctions`).
    static let seriesFunctionNames = ["generate_series", "range", "sequence"]

    var lake: Lake { database.lake }

    /// Names callable in expressions (scalar, aggregate, window) and in FROM (table functions), for completion.
    public var functionNames: (expressions: [String], tableFunctions: [String]) {
        (SQLFunctionCatalog.names, (Array(tableFunctions.keys) + Self.seriesFunctionNames).sorted())
    }

    /// Parses a script into statements (locations relative to the script's first character).
    public func parse(_ sql: String) throws -> [ParsedStatement] { try Parser.parse(sql) }

    /// Parses and runs every statement of `sql`; returns the result of each (stops at the first error).
    @discardableResult
    public func execute(_ sql: String) throws -> [StatementResult] {
        try parse(sql).map { try execute($0) }
    }

    /// Convenience: runs `sql` and returns the rows of its last result.
    public func query(_ sql: String) throws -> [[Value]] { try execute(sql).last?.rows ?? [] }

    /// Runs one parsed statement. A failing statement changes nothing.
    public func execute(_ parsed: ParsedStatement, progress: QueryProgress = QueryProgress()) throws -> StatementResult {
        var statementSettings = settings
        statementSettings.statementTimestamp = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let runner = StatementRunner(session: self, settings: statementSettings, progress: progress, text: parsed.text)
        // Spill files go when the statement ends, whether it succeeded, failed or was cancelled.
        defer { runner.spill.removeAll() }
        // An open transaction holds the lake against VACUUM itself, from BEGIN to its end.
        let hold = transaction == nil ? holdLake(for: parsed.statement) : nil
        defer { if let hold { hold.release(); holdsLake = false } }
        do {
            try checkTransactionAllows(parsed.statement)
            var result = try runner.run(parsed.statement)
            // Inside a block the table changes at COMMIT, which compacts and publishes then.
            if transaction == nil, parsed.statement.writes, let written = parsed.statement.writtenTable, temporaryTable(written) == nil {
                let name = try existingTableName(written)
                if parsed.statement.mayLeaveSmallFiles, let notice = runner.autoOptimizeIfConfigured(name) { result.notices.append(notice) }
                try runner.publishIfConfigured(name)
            }
            return result
        } catch {
            // As in PostgreSQL, an error inside a transaction block fails the block until ROLLBACK.
            if let transaction, !parsed.statement.isTransactionControl { transaction.failed = true }
            guard var e = error as? TarnError else { throw error }
            if e.line == nil, parsed.location.line > 0 {
                e.line = parsed.location.line
                e.column = parsed.location.column
            }
            throw e
        }
    }

    /// The lake held against VACUUM while a statement runs (see `LakeActivityLock`); nil for VACUUM itself, and
    /// for a statement run inside another one of this session (a pipeline's steps), which already holds it.
    func holdLake(for statement: Statement) -> LakeActivityLock.Holder? {
        if case .vacuum = statement { return nil }
        guard !holdsLake, let holder = lake.activity.shared() else { return nil }
        holdsLake = true
        return holder
    }

    func binderContext(_ settings: SessionSettings) -> BinderContext {
        let context = BinderContext(lake: lake, settings: settings, currentSchema: currentSchema, tableFunctions: tableFunctions)
        context.externalRelations = externalRelations()
        context.externalLineage = externalLineage()
        context.temporaryTables = temporaryTables.mapValues { ($0.fields, $0.batches) }
        context.temporaryViews = temporaryViews
        if let transaction { context.transactionSnapshots = transaction.lake.snapshots }
        return context
    }

    /// Resolves a written table name to a lake name, using the current schema when unqualified.
    func tableName(_ q: QualifiedName) -> TableName {
        q.parts.count >= 2 ? TableName(schema: q.parts[q.parts.count - 2], name: q.name) : TableName(schema: currentSchema, name: q.name)
    }

    /// For reading an existing table: an unqualified name falls back to `main` when the current schema lacks it.
    func existingTableName(_ q: QualifiedName) throws -> TableName {
        let t = tableName(q)
        if q.parts.count >= 2 { return t }
        if try lake.tableExists(t) { return t }
        let main = TableName(schema: TableName.defaultSchema, name: q.name)
        if try lake.tableExists(main) { return main }
        return t
    }
}
