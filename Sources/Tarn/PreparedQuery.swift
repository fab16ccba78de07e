import Foundation
import Storage
import SQL
import Execution
import Planner

/// A query with bind parameters `$1…$n` planned once, with the parameters as typed placeholders, and run many times
/// with values (the server's prepared statements; PostgreSQL's generic plan). The plan is made again when the lake's
/// catalog changed since (a commit of any table, DDL, VACUUM, by this process or another) or the session's settings,
/// schema, table functions, attached databases or TEMP objects did, so a run sees exactly what planning the query
/// with its values written in would see. Not thread-safe (it belongs to one session).
public final class PreparedQuery {
    public let parsed: ParsedStatement
    public let parameterTypes: [DataType]
    private var plan: PlannedQuery?
    private var stamp: CatalogStamp?
    private var generation = -1
    /// False once the query turned out unfit for a plan made once (see `QueryPlanner.planReusable`, or planning it
    /// with placeholders failed): run the text with its values written in instead.
    public private(set) var reusable = true
    /// What planning with placeholders threw, when it did: the same error as the text's, placed in the text as the
    /// client wrote it (the text with values written in has other offsets).
    public private(set) var planningError: Error?
    /// How many plans were made (1 while nothing changed; tests and diagnostics).
    public private(set) var plansMade = 0

    init(parsed: ParsedStatement, parameterTypes: [DataType]) {
        self.parsed = parsed
        self.parameterTypes = parameterTypes
    }

    /// The plan for `session` now: the one made before when nothing it depends on changed, else a new one; nil when
    /// the query cannot be planned with placeholders (then it is marked not reusable).
    fileprivate func currentPlan(_ session: Session, _ query: Query, settings: SessionSettings) -> PlannedQuery? {
        let now = session.lake.catalog.changeStamp
        if let plan, let now, now == stamp, generation == session.planGeneration { return plan }
        plan = nil
        plansMade += 1
        do {
            guard let made = try QueryPlanner.planReusable(query, parameterTypes: parameterTypes, context: session.binderContext(settings)) else {
                reusable = false
                return nil
            }
            if now != nil { (plan, stamp, generation) = (made, now, session.planGeneration) }
            return made
        } catch {
            // The text with its values written in reports the error (or runs, when only the placeholders were the problem).
            reusable = false
            if var e = error as? TarnError, e.line == nil, parsed.location.line > 0 {
                (e.line, e.column) = (parsed.location.line, parsed.location.column)
                planningError = e
            } else {
                planningError = error
            }
            return nil
        }
    }
}

extension Session {
    /// `parsed` prepared with its parameters of `parameterTypes`; nil when it is not a plain query (`SELECT`, `WITH`,
    /// `VALUES`). Planning waits for the first `openQuery(_:parameters:)`.
    public func prepareQuery(_ parsed: ParsedStatement, parameterTypes: [DataType]) -> PreparedQuery? {
        guard case .query = parsed.statement else { return nil }
        return PreparedQuery(parsed: parsed, parameterTypes: parameterTypes)
    }

    /// Opens `prepared` with `parameters` (value i of parameter type i, see `QueryPlanner.parameterValue`) as
    /// `openQuery(_:)` opens the query with those values written in. Nil when it cannot run from a reused plan — not
    /// reusable, or the session is in a transaction block or has TEMP tables, TEMP views or attached databases
    /// (their contents change without the catalog), or is in SQLite-compatible mode (its casts of literals depend on
    /// their text): then run the text with the values written in. Execution errors
    /// are thrown here or by the stream's `next()`.
    public func openQuery(_ prepared: PreparedQuery, parameters: [Value], progress: QueryProgress = QueryProgress()) throws -> QueryStream? {
        guard prepared.reusable, case let .query(q) = prepared.parsed.statement, parameters.count == prepared.parameterTypes.count,
              transaction == nil, temporaryTables.isEmpty, temporaryViews.isEmpty, attachedDatabases.isEmpty,
              !settings.sqliteCompatible else { return nil }
        var statementSettings = settings
        statementSettings.statementTimestamp = Int64(Date().timeIntervalSince1970 * 1_000_000)
        // Taken before the catalog's stamp is read: a VACUUM either finished before (and changed the stamp) or waits.
        let hold = lake.activity.shared()
        guard let plan = prepared.currentPlan(self, q, settings: statementSettings) else {
            hold?.release()
            return nil
        }
        do {
            let planned = try QueryPlanner.bindParameters(plan, parameters)
            let op = try planned.makeOperator()
            let context = ExecutionContext(settings: statementSettings, progress: progress)
            do { try op.open(context) } catch { context.spill.removeAll(); throw error }
            return QueryStream(columns: planned.columns, op: op, progress: progress, spill: context.spill, hold: hold, transaction: nil)
        } catch {
            hold?.release()
            guard var e = error as? TarnError else { throw error }
            if e.line == nil, prepared.parsed.location.line > 0 {
                e.line = prepared.parsed.location.line
                e.column = prepared.parsed.location.column
            }
            throw e
        }
    }
}
