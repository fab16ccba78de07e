import Foundation
import Tarn
import SQL
import Execution
import Storage

/// Runs one parsed statement. Interactively it runs on a worker thread while this thread watches for
/// Ctrl-C (cancelling the statement via `QueryProgress.cancel()`) and draws a progress bar after a second.
struct StatementExecutor {
    var interactive: Bool

    /// Holds the worker's outcome across threads.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Result<StatementResult, Error>?
        func set(_ v: Result<StatementResult, Error>) { lock.lock(); value = v; lock.unlock() }
        func get() -> Result<StatementResult, Error>? { lock.lock(); defer { lock.unlock() }; return value }
    }

    func execute(_ statement: ParsedStatement, in session: Session) throws -> StatementResult {
        let progress = QueryProgress()
        guard interactive else { return try session.execute(statement, progress: progress) }

        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let worker = Thread {
            outcome.set(Result { try session.execute(statement, progress: progress) })
            done.signal()
        }
        worker.stackSize = 16 << 20
        let interruptsBefore = InterruptMonitor.count
        let started = Date()
        var bar = ProgressBar()
        var lastDraw = 0.0
        worker.start()
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            let interrupts = InterruptMonitor.count - interruptsBefore
            if interrupts > 0 { progress.cancel() }
            if interrupts >= 3 {
                bar.clear()
                OutputChannel.standardError.write("\nquery did not stop after three Ctrl-C; exiting\n")
                OutputChannel.standardError.flush()
                exit(130)
            }
            let elapsed = Date().timeIntervalSince(started)
            if elapsed > 1, TerminalInfo.stderrIsTerminal, elapsed - lastDraw >= 0.2 {
                bar.draw(progress, elapsed: elapsed)
                lastDraw = elapsed
            }
        }
        bar.clear()
        InterruptMonitor.drain()
        guard let result = outcome.get() else { throw TarnError(.internal, "statement finished without a result") }
        return try result.get()
    }
}
