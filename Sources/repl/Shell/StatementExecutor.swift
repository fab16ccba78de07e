import Foundation
import Tarn
import SQL
import Execution
import Storage

/// Runs one parsed statement and hands its outcome to a presenter: a query as a `QueryStream` (so its rows are
/// printed batch by batch as the plan produces them), anything else as a `StatementResult`. Interactively both run
/// on a worker thread while this thread watches for Ctrl-C (cancelling the statement via `QueryProgress.cancel()`)
/// and draws a progress bar after a second, until output starts.
struct StatementExecutor {
    var interactive: Bool

    /// What a statement produced.
    enum Outcome {
        case rows(QueryStream)
        case result(StatementResult)
    }

    /// Shared between the worker and the watching thread.
    private final class Worker: @unchecked Sendable {
        private let lock = NSLock()
        private var failure: Error?
        private var printing = false
        private let started = Date()
        func fail(_ e: Error) { lock.lock(); failure = e; lock.unlock() }
        var error: Error? { lock.lock(); defer { lock.unlock() }; return failure }
        func startPrinting() {
            lock.lock(); let first = !printing; printing = true; lock.unlock()
            // Give the watching thread a moment to clear its progress bar (drawn after 1 s) before the first line goes out.
            if first, Date().timeIntervalSince(started) > 0.9 { usleep(60_000) }
        }
        var isPrinting: Bool { lock.lock(); defer { lock.unlock() }; return printing }
    }

    /// What the worker thread runs (handed over once; this thread only waits meanwhile).
    private final class Job: @unchecked Sendable {
        let statement: ParsedStatement
        let session: Session
        let present: (Outcome, @escaping () -> Void) throws -> Void
        init(statement: ParsedStatement, session: Session, present: @escaping (Outcome, @escaping () -> Void) throws -> Void) {
            self.statement = statement; self.session = session; self.present = present
        }
    }

    /// Runs `statement`; `present` is called once, on the thread running it, and may pull the stream's batches; it
    /// calls its second argument before it first writes (the progress bar is then cleared and no longer drawn).
    /// The stream is closed (its operators and batches released) when `present` returns or throws.
    func execute(_ statement: ParsedStatement, in session: Session,
                 present: @escaping (Outcome, _ willWrite: @escaping () -> Void) throws -> Void) throws {
        let progress = QueryProgress()
        guard interactive else { return try Self.run(statement, session, progress) { try present($0, {}) } }

        let worker = Worker()
        let job = Job(statement: statement, session: session, present: present)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                try Self.run(job.statement, job.session, progress) { outcome in
                    try job.present(outcome, worker.startPrinting)
                }
            } catch {
                worker.fail(error)
            }
            done.signal()
        }
        thread.stackSize = 16 << 20
        let interruptsBefore = InterruptMonitor.count
        let started = Date()
        var bar = ProgressBar()
        var lastDraw = 0.0
        thread.start()
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
            if worker.isPrinting {
                bar.clear()
            } else if elapsed > 1, TerminalInfo.stderrIsTerminal, elapsed - lastDraw >= 0.2 {
                bar.draw(progress, elapsed: elapsed)
                lastDraw = elapsed
            }
        }
        bar.clear()
        InterruptMonitor.drain()
        if let error = worker.error {
            // The statement's operators and batches are gone; hand their pages back so the shell shrinks again.
            if (error as? TarnError)?.kind == .cancelled { AllocatorTuning.releaseFreeMemory() }
            throw error
        }
    }

    private static func run(_ statement: ParsedStatement, _ session: Session, _ progress: QueryProgress,
                            _ present: (Outcome) throws -> Void) throws {
        if let stream = try session.openQuery(statement, progress: progress) {
            defer { stream.close() }
            try present(.rows(stream))
        } else {
            try present(.result(try session.execute(statement, progress: progress)))
        }
    }
}
