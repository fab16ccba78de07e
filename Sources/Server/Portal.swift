import Storage
import Tarn

/// A bound statement (Bind): the SQL with parameters substituted, the result formats and, once it
/// runs, either a cursor over its rows or the result of a statement without rows.
final class Portal {
    let sql: String
    let resultFormats: [Int16]
    var cursor: ResultCursor?
    /// The result of a statement without a result set (its command tag).
    var completed: StatementResult?
    var rowsSent = 0

    /// The prepared statement's plan made once, this Bind's values for it (nil when one has to be written into the
    /// text) and the statement's own text (see `ProtocolSession.reusablePlan`); nil when the portal runs `sql`.
    let reuse: (query: PreparedQuery, values: [Value]?, text: String)?

    /// The prepared statement's record of how long its executions took (decides whether the next may run inline).
    let history: RunHistory?
    /// When the statement started running (`DispatchTime` nanoseconds), 0 before.
    var startedAt: UInt64 = 0

    init(sql: String, resultFormats: [Int16], reuse: (query: PreparedQuery, values: [Value]?, text: String)? = nil,
         history: RunHistory? = nil) {
        self.sql = sql
        self.resultFormats = resultFormats
        self.reuse = reuse
        self.history = history
    }

    /// Whether the portal ran from its prepared plan (else from `sql`).
    var ranReused = false

    /// The text an error's position refers to: the client's own text when the portal ran from its prepared plan.
    var errorText: String { ranReused ? reuse?.text ?? sql : sql }

    var started: Bool { cursor != nil || completed != nil }

    /// Starts the portal with what running its statement produced.
    func start(_ outcome: StatementOutcome) {
        switch outcome {
        case let .rows(cursor): self.cursor = cursor
        case let .completed(result):
            if result.hasResultSet { cursor = ResultCursor(result: result) } else { completed = result }
        }
    }

    deinit { cursor?.close() }
}

/// What running a statement produced: rows to read, or a finished result (possibly with rows).
enum StatementOutcome {
    case rows(ResultCursor)
    case completed(StatementResult)
}
