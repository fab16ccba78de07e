import Foundation
import Storage
import SQL

/// A session's open `BEGIN … COMMIT` block: the lake writes of its statements (a `LakeTransaction`, committed to
/// every table at once by COMMIT), the session's TEMP tables as they were at BEGIN (restored by ROLLBACK), and
/// the lake held against VACUUM until the block ends, since the block's data files are not in the catalog yet.
final class SessionTransaction {
    let lake: LakeTransaction
    /// An error inside the block fails it (as in PostgreSQL): only ROLLBACK (or COMMIT, which then rolls back) runs.
    var failed = false
    private let temporaryTables: [String: TemporaryTable]
    private let temporaryRows: [String: [Batch]]
    private let temporaryViews: [String: (sql: String, columnNames: [String])]
    private var hold: LakeActivityLock.Holder?

    init(session: Session) {
        lake = LakeTransaction(lake: session.lake)
        temporaryTables = session.temporaryTables
        temporaryRows = session.temporaryTables.mapValues(\.batches)
        temporaryViews = session.temporaryViews
        hold = session.lake.activity.shared()
    }

    /// Puts the session's TEMP tables and views back as they were at BEGIN.
    func restoreTemporaryState(of session: Session) {
        session.temporaryTables = temporaryTables
        for (name, rows) in temporaryRows { if let table = temporaryTables[name] { table.batches = rows } }
        session.temporaryViews = temporaryViews
    }

    func end() {
        hold?.release()
        hold = nil
    }
}

extension Session {
    /// Whether a `BEGIN … COMMIT` block is open.
    public var inTransaction: Bool { transaction != nil }
    /// Whether the open block failed (an error inside it): only ROLLBACK or COMMIT (which rolls back) runs.
    public var transactionFailed: Bool { transaction?.failed ?? false }
    /// Whether the open block wrote to a lake table (so a partial undo, e.g. ROLLBACK TO SAVEPOINT, is impossible).
    public var transactionHasWrites: Bool { !(transaction?.lake.changedTables.isEmpty ?? true) }
    /// Clears a failed block's failure (a client's ROLLBACK TO SAVEPOINT when the block wrote nothing).
    public func clearTransactionFailure() { transaction?.failed = false }

    /// Throws when `statement` may not run in the current transaction state: anything but transaction control in
    /// a failed block, and DDL and lake maintenance inside a block (they commit on their own, so they are refused
    /// rather than run outside the transaction).
    func checkTransactionAllows(_ statement: Statement) throws {
        guard let transaction, !statement.isTransactionControl else { return }
        if transaction.failed {
            throw TarnError(.semantic, "current transaction is aborted, commands ignored until end of transaction block (ROLLBACK)")
        }
        if let kind = statement.refusedInTransaction {
            throw TarnError(.unsupported, "\(kind) cannot run inside a transaction block: Tarn's transactions take INSERT, UPDATE, "
                            + "DELETE, MERGE, COPY INTO an existing table and queries; COMMIT or ROLLBACK first, then run \(kind) on its own")
        }
    }
}

extension StatementRunner {
    /// `BEGIN` / `COMMIT` / `ROLLBACK` (and their synonyms). COMMIT records one new version of every table the block
    /// changed, all or nothing; a conflict with a concurrent commit fails it with `.conflict`, ends the block and
    /// changes nothing. COMMIT of a failed block rolls back and says ROLLBACK, as PostgreSQL does. BEGIN inside a
    /// block and COMMIT / ROLLBACK outside one do nothing (PostgreSQL warns; there is nothing to warn about here).
    func transactionControl(_ word: String) throws -> StatementResult {
        switch word.uppercased() {
        case "BEGIN":
            if session.transaction == nil { session.transaction = SessionTransaction(session: session) }
            return message("BEGIN")
        case "ROLLBACK":
            rollbackTransaction()
            return message("ROLLBACK")
        default:
            guard let transaction = session.transaction else { return message("COMMIT") }
            if transaction.failed {
                rollbackTransaction()
                return message("ROLLBACK")
            }
            session.transaction = nil
            defer { transaction.end() }
            do {
                try transaction.lake.commit()
            } catch {
                transaction.restoreTemporaryState(of: session)
                throw error
            }
            var result = message("COMMIT")
            for table in transaction.lake.changedTables where try lake.tableExists(table) {
                if let notice = autoOptimizeIfConfigured(table) { result.notices.append(notice) }
                try publishIfConfigured(table)
            }
            return result
        }
    }

    private func rollbackTransaction() {
        guard let transaction = session.transaction else { return }
        session.transaction = nil
        transaction.lake.rollback()
        transaction.restoreTemporaryState(of: session)
        transaction.end()
    }

    /// A writer on `name` for this statement: inside a transaction block, one that stages into it.
    func beginWrite(_ name: TableName) throws -> TableWriter {
        if let transaction = session.transaction { return try transaction.lake.beginWrite(name) }
        return try lake.beginWrite(name)
    }

    /// Refuses creating a table inside a transaction block (a statement that would, e.g. COPY INTO a new table).
    func refuseCreateInTransaction(_ name: TableName) throws {
        guard session.transaction != nil else { return }
        throw TarnError(.unsupported, "table '\(name)' does not exist, and creating a table cannot run inside a transaction "
                        + "block; COMMIT or ROLLBACK first, then create it on its own")
    }
}

extension Statement {
    var isTransactionControl: Bool { if case .transaction = self { return true } else { return false } }

    /// The kind of statement, when it cannot run inside a transaction block.
    var refusedInTransaction: String? {
        switch self {
        case .createTable, .createView, .createSchema, .drop, .alterTable, .restore, .vacuum, .optimize, .createModel:
            return kindName
        case let .explain(inner, analyze): return analyze ? inner.refusedInTransaction : nil
        default: return nil
        }
    }
}
