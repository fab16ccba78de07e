import Foundation
import Storage
import SQL
import Execution
import Planner

/// A running query whose batches are pulled one at a time, so a consumer (the PostgreSQL server) can
/// send and the shell print a result of any size in bounded memory. Not thread-safe; `close()` releases the operators.
public final class QueryStream {
    /// Result columns.
    public let columns: [Field]
    private let op: PhysicalOperator
    private let progress: QueryProgress
    /// The statement's spill files, removed on close (end, error, cancel or deinit).
    private let spill: SpillDirectory
    private var closed = false
    /// The lake held against VACUUM until the stream closes (its snapshot's files must stay).
    private let hold: LakeActivityLock.Holder?
    /// The session's open transaction block, failed (as by `Session.execute`) when the query fails mid-stream.
    private let transaction: SessionTransaction?

    init(columns: [Field], op: PhysicalOperator, progress: QueryProgress, spill: SpillDirectory, hold: LakeActivityLock.Holder?,
         transaction: SessionTransaction?) {
        self.columns = columns; self.op = op; self.progress = progress; self.spill = spill; self.hold = hold; self.transaction = transaction
    }

    /// The next non-empty batch, or nil at the end (the stream is then closed).
    public func next() throws -> Batch? {
        guard !closed else { return nil }
        do {
            while let b = try op.next() {
                try progress.checkCancelled()
                if b.count > 0 { return b }
            }
        } catch {
            transaction?.failed = true
            close()
            throw error
        }
        close()
        return nil
    }

    public func close() {
        guard !closed else { return }
        closed = true
        op.close()
        spill.removeAll()
        hold?.release()
    }

    deinit { close() }
}

extension Session {
    /// Opens `parsed` as a stream when it is a plain query (`SELECT`, `WITH`, `VALUES`); nil for any other
    /// statement (run those with `execute`). Planning errors are thrown here, execution errors by `next()`.
    public func openQuery(_ parsed: ParsedStatement, progress: QueryProgress = QueryProgress()) throws -> QueryStream? {
        guard case let .query(q) = parsed.statement else { return nil }
        var statementSettings = settings
        statementSettings.statementTimestamp = Int64(Date().timeIntervalSince1970 * 1_000_000)
        // Taken before planning resolves the snapshot, so a VACUUM either finished before it or waits for it.
        // (An open transaction already holds it, from BEGIN to its end.)
        let hold = transaction == nil ? lake.activity.shared() : nil
        do {
            try checkTransactionAllows(parsed.statement)
            let planned = try QueryPlanner.plan(q, context: binderContext(statementSettings))
            let op = try planned.makeOperator()
            let context = ExecutionContext(settings: statementSettings, progress: progress)
            do { try op.open(context) } catch { context.spill.removeAll(); throw error }
            return QueryStream(columns: planned.columns, op: op, progress: progress, spill: context.spill, hold: hold,
                               transaction: transaction)
        } catch {
            transaction?.failed = true
            guard var e = error as? TarnError else { throw error }
            if e.line == nil, parsed.location.line > 0 {
                e.line = parsed.location.line
                e.column = parsed.location.column
            }
            throw e
        }
    }
}
