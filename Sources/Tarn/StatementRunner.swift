import Foundation
import Storage
import SQL
import Execution
import Planner

/// Executes one statement for a session. Every write goes through one lake commit, so a statement
/// that fails part-way leaves the lake as it was.
struct StatementRunner {
    let session: Session
    let settings: SessionSettings
    let progress: QueryProgress
    /// The statement's source text (for the history's parameters).
    let text: String
    /// The statement's memory budget and spill files, shared by every execution context it makes;
    /// whoever runs the statement calls `spill.removeAll()` when it ends.
    let memory: MemoryBudget
    let spill: SpillDirectory

    init(session: Session, settings: SessionSettings, progress: QueryProgress, text: String) {
        self.session = session
        self.settings = settings
        self.progress = progress
        self.text = text
        memory = MemoryBudget(limit: settings.memoryLimit)
        spill = SpillDirectory(root: settings.tempDirectory)
    }

    var lake: Lake { session.lake }

    func context() -> BinderContext { session.binderContext(settings) }
    func executionContext() -> ExecutionContext { ExecutionContext(settings: settings, progress: progress, memory: memory, spill: spill) }

    func run(_ statement: Statement) throws -> StatementResult {
        if lake.readOnly, statement.writes, !session.changesOnlyTemporaryTables(statement) {
            throw TarnError(.semantic, "the lake is open read-only; \(statement.kindName) is not allowed")
        }
        switch statement {
        case let .query(q): return try runQuery(q)
        case let .createTable(c): return c.temporary ? try createTemporaryTable(c) : try createTable(c)
        case let .createView(v):
            return v.temporary ? try createTemporaryView(v) : try createView(v)
        case let .createSchema(name, ifNotExists):
            try lake.createSchema(name, ifNotExists: ifNotExists)
            return message("CREATE SCHEMA")
        case let .insert(i):
            if let temporary = session.temporaryTable(i.table) { return try insertIntoTemporary(temporary, i) }
            return try insert(i)
        case let .delete(table, whereClause):
            try refuseIfTemporary(table, "DELETE")
            return try delete(table, whereClause)
        case let .update(table, assignments, whereClause):
            try refuseIfTemporary(table, "UPDATE")
            return try update(table, assignments, whereClause)
        case let .drop(kind, name, ifExists, cascade):
            if kind == .table, let temporary = session.temporaryTable(name) {
                session.temporaryTables[temporary.name.lowercased()] = nil
                return message("DROP TABLE")
            }
            if kind == .view, name.parts.count == 1 || (name.parts.count == 2 && name.parts[0].lowercased() == "temp"),
               session.temporaryViews.removeValue(forKey: name.name.lowercased()) != nil {
                return message("DROP VIEW")
            }
            return try drop(kind, name, ifExists: ifExists, cascade: cascade)
        case let .alterTable(name, action):
            try refuseIfTemporary(name, "ALTER TABLE")
            return try alter(name, action)
        case let .showTables(schema, like): return try showTables(schema: schema, like: like)
        case .showSchemas: return try showSchemas()
        case let .describe(name): return try describe(name)
        case let .describeQuery(query): return try describe(query)
        case let .summarize(query): return try summarize(query)
        case let .showCreate(name): return try showCreate(name)
        case let .describeHistory(name): return try describeHistory(name)
        case let .explain(inner, analyze): return try explain(inner, analyze: analyze)
        case let .restore(name, tt): return try restore(name, tt)
        case let .vacuum(name, hours, dryRun): return try vacuum(name, retainHours: hours, dryRun: dryRun)
        case let .set(name, value): return try set(name, value)
        case let .reset(name): return try reset(name)
        case let .transaction(word): return try transactionControl(word)
        case let .use(schema):
            try SessionSettingsCatalog.apply("schema", .varchar(schema), to: session)
            return message("USE")
        case let .merge(m): return try merge(m)
        case let .optimize(table, condition, zorder): return try optimize(table, condition, zorder)
        case let .copyInto(table, source, options):
            try refuseIfTemporary(table, "COPY INTO")
            return try copyInto(table, source, options)
        case let .copyTo(source, path, options): return try copyTo(source, path, options)
        case let .exportTable(name, path, options): return try exportTable(name, path, options)
        case let .attach(path, alias, options): return try attach(path, alias, options)
        case let .detach(alias): return try detach(alias)
        case let .createModel(m): return try createModel(m)
        case let .createSecret(c): return try createSecret(c)
        case let .dropSecret(name, ifExists): return try dropSecret(name, ifExists: ifExists)
        }
    }

    func message(_ text: String, rows: Int = 0) -> StatementResult {
        StatementResult(columns: [], batches: [], rowCount: rows, message: text)
    }

    /// A small result set built from rows of values.
    func table(_ fields: [Field], _ rows: [[Value]]) -> StatementResult {
        var builders = fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for r in rows { for (i, v) in r.enumerated() where i < builders.count { builders[i].append(v) } }
        let batch = Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows.count)
        return StatementResult(columns: fields, batches: rows.isEmpty ? [] : [batch], rowCount: rows.count)
    }

    // MARK: queries

    func runQuery(_ q: Query) throws -> StatementResult {
        let planned = try QueryPlanner.plan(q, context: context())
        let op = try planned.makeOperator()
        let batches = try collect(op)
        return StatementResult(columns: planned.columns, batches: batches, rowCount: batches.reduce(0) { $0 + $1.count })
    }

    func collect(_ op: PhysicalOperator) throws -> [Batch] {
        let ctx = executionContext()
        try op.open(ctx)
        defer { op.close() }
        var out: [Batch] = []
        while let b = try op.next() {
            try progress.checkCancelled()
            if b.count > 0 { out.append(b) }
        }
        return out
    }

    /// Streams `op`'s batches into `body` (bounded memory for INSERT … SELECT and CTAS).
    func stream(_ op: PhysicalOperator, _ body: (Batch) throws -> Void) throws {
        let ctx = executionContext()
        try op.open(ctx)
        defer { op.close() }
        while let b = try op.next() {
            try progress.checkCancelled()
            if b.count > 0 { try body(b) }
        }
    }

    // MARK: settings

    func set(_ name: String, _ value: Expression) throws -> StatementResult {
        let key = name.lowercased()
        let v: Value
        switch value.kind {
        case let .column(parts) where parts.count == 1: v = .varchar(parts[0])
        case let .literal(.string(s)): v = .varchar(s)
        case let .literal(.integer(t)): v = .bigint(Int64(t) ?? 0)
        case let .literal(.boolean(b)): v = .boolean(b)
        default: throw TarnError.semantic("SET \(name) needs a literal value")
        }
        if key == "timezone" || key == "time_zone", ["DEFAULT", "LOCAL"].contains(v.description.uppercased()) {
            return try reset(key)  // PostgreSQL's SET TimeZone TO DEFAULT
        }
        if key == "timezone" || key == "time_zone", TimeZoneRules.named(v.description) == nil {
            throw TarnError.semantic("unknown time zone '\(v.description)' (expected an IANA name such as 'Europe/Paris', 'UTC', or an offset such as '+05:30')",
                                     line: value.location.line, column: value.location.column)
        }
        try SessionSettingsCatalog.apply(key, v, to: session)
        return message("SET")
    }

    func reset(_ name: String) throws -> StatementResult {
        try SessionSettingsCatalog.reset(name.lowercased(), on: session)
        return message("RESET")
    }
}

extension Statement {
    /// Whether the statement changes the lake.
    var writes: Bool {
        switch self {
        case .query, .showTables, .showSchemas, .describe, .describeQuery, .summarize, .showCreate, .describeHistory, .set, .reset, .transaction, .copyTo, .exportTable, .attach, .detach, .use:
            return false
        case let .explain(inner, analyze): return analyze && inner.writes
        default: return true
        }
    }

    var kindName: String {
        switch self {
        case .query: return "SELECT"
        case .createTable: return "CREATE TABLE"
        case .createView: return "CREATE VIEW"
        case .createSchema: return "CREATE SCHEMA"
        case .insert: return "INSERT"
        case .delete: return "DELETE"
        case .update: return "UPDATE"
        case .drop: return "DROP"
        case .alterTable: return "ALTER TABLE"
        case .showTables: return "SHOW TABLES"
        case .showSchemas: return "SHOW SCHEMAS"
        case .describe, .describeQuery: return "DESCRIBE"
        case .summarize: return "SUMMARIZE"
        case .showCreate: return "SHOW CREATE"
        case .describeHistory: return "DESCRIBE HISTORY"
        case .explain: return "EXPLAIN"
        case .restore: return "RESTORE"
        case .vacuum: return "VACUUM"
        case .set: return "SET"
        case .reset: return "RESET"
        case .transaction: return "transaction control"
        case .copyInto: return "COPY INTO"
        case .copyTo: return "COPY TO"
        case .exportTable: return "EXPORT TABLE"
        case .attach: return "ATTACH"
        case .detach: return "DETACH"
        case .use: return "USE"
        case .createModel: return "CREATE MODEL"
        case .merge: return "MERGE"
        case .optimize: return "OPTIMIZE"
        case .createSecret: return "CREATE SECRET"
        case .dropSecret: return "DROP SECRET"
        }
    }
}
