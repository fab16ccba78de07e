import Foundation
import Storage
import Execution

/// The transaction a pipeline run writes its tables in: every refresh, append and COPY INTO an existing table is
/// staged in one session transaction and committed together at the end of the run, so readers (and a run killed
/// half-way) see every table of the run before it or every table after it, never a mix. A step that must create a
/// table or view or change a table's columns (DDL, which commits on its own) is a commit point: what the run staged
/// before it is committed first, and a later failure restores those tables (RESTORE) as runs always did.
///
/// Step records wait for the commit that makes their versions real: a table refreshed from a source the same run
/// rewrote read the source's staged state, so its recorded source version becomes the committed one.
final class PipelineTransaction {
    private let session: Session
    private let text: String
    /// Tables committed at earlier commit points of this run, in order (restored if a later step fails).
    private(set) var committedTables: [TableName] = []
    /// Finished steps whose records wait for the next commit: the record and its index in the run's result.
    private var pendingRecords: [(record: PipelineCatalog.StepRecord, resultIndex: Int)] = []
    /// Tables whose staged writes a failed commit discarded (a conflict): they kept their versions.
    private var discardedByCommit: [TableName] = []

    /// For a session with no open block (`PipelineRunner.run` refuses to start inside one).
    init(session: Session, text: String) {
        self.session = session
        self.text = text
    }

    private var runner: StatementRunner {
        StatementRunner(session: session, settings: session.settings, progress: QueryProgress(), text: text)
    }

    /// Opens the transaction the next steps stage into, unless one is open.
    func open() {
        if session.transaction == nil { session.transaction = SessionTransaction(session: session) }
    }

    /// Tables the open transaction has staged writes for.
    var stagedTables: [TableName] { session.transaction?.lake.changedTables ?? [] }

    func recordLater(_ record: PipelineCatalog.StepRecord, resultIndex: Int) { pendingRecords.append((record, resultIndex)) }

    /// Commits what is staged, if anything (one catalog transaction; auto_optimize and Delta publishing follow, as
    /// after COMMIT), and records the waiting steps with the committed source versions, appending auto_optimize
    /// notices to their messages in `result`. No transaction is open afterwards (`open` starts the next one), so a
    /// DDL step can run.
    func commit(into result: inout PipelineRunResult) throws {
        var staged: [TableName] = []
        var baseVersions: [TableName: Int64] = [:]
        var notices: [String] = []
        if let transaction = session.transaction {
            staged = transaction.lake.changedTables
            baseVersions = transaction.lake.snapshots.mapValues(\.version)
            do {
                notices = try runner.transactionControl("COMMIT").notices
            } catch {
                discardedByCommit = staged
                throw error
            }
        }
        var latest: [String: Int64] = [:]
        for table in staged where try session.lake.tableExists(table) {
            latest[StatementRunner.sourceKey(table)] = try session.lake.snapshot(of: table).version
        }
        for (record, index) in pendingRecords {
            var fixed = record
            for (key, version) in record.sourceVersions {
                let table = StatementRunner.tableName(fromKey: key)
                if let base = baseVersions[table], base == version, let now = latest[key] { fixed.sourceVersions[key] = now }
            }
            for notice in notices where fixed.target.isEmpty == false && notice.contains(" of \(fixed.target) ") {
                fixed.message = (fixed.message.map { $0 + "; " } ?? "") + notice
                if index < result.steps.count { result.steps[index].message = fixed.message ?? "" }
            }
            try PipelineCatalog.record(session.lake, fixed)
        }
        pendingRecords.removeAll()
        committedTables += staged.filter { !committedTables.contains($0) }
    }

    /// Discards what is staged and records the waiting steps as they ran (the caller marks them rolled back);
    /// returns the tables whose staged writes were discarded.
    func rollBack() -> [TableName] {
        let staged = stagedTables + discardedByCommit
        // As a session's ROLLBACK does (nothing when no transaction is open).
        _ = try? runner.transactionControl("ROLLBACK")
        for (record, _) in pendingRecords { try? PipelineCatalog.record(session.lake, record) }
        pendingRecords.removeAll()
        return staged
    }
}
