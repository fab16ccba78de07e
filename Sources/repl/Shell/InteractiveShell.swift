import Foundation
import Tarn

/// The lines of a statement typed so far (before the current one), for completion's context.
final class PendingStatement: @unchecked Sendable {
    var text = ""
}

/// The analyst's REPL: prompt, multi-line statements ending at `;`, history, completion, dot commands,
/// Ctrl-C to cancel a query or clear the line, Ctrl-D to leave.
struct InteractiveShell {
    let shell: ShellSession

    static let prompt = "tarn> "
    static let continuation = "   ..> "

    static var historyPath: String {
        if let path = ProcessInfo.processInfo.environment["TARN_HISTORY"], !path.isEmpty { return path }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".tarn_history")
    }

    /// `tarn> `, or as psql marks an open transaction block: `tarn*> ` (open), `tarn!> ` (failed, ROLLBACK to leave).
    var prompt: String {
        guard shell.session.inTransaction else { return Self.prompt }
        return shell.session.transactionFailed ? "tarn!> " : "tarn*> "
    }

    func run() {
        InterruptMonitor.install()
        let completions = CompletionProvider(database: shell.database, functions: shell.session.functionNames)
        shell.completions = completions
        let pending = PendingStatement()
        let editor = LineEditor(historyPath: Self.historyPath) { word, lineBefore in
            completions.candidates(for: word, before: pending.text + lineBefore)
        }
        let out = OutputChannel.standardOutput
        out.write("Tarn \(TarnVersion.current) — lake \(shell.database.path)\n")
        out.write("Enter SQL ending with ';' (it may span lines), .help for commands, Ctrl-D to leave.\n")
        out.flush()

        var buffer = "" {
            didSet { pending.text = buffer }
        }
        while !shell.quitRequested {
            guard let (line, interrupted) = editor.readLine(prompt: buffer.isEmpty ? prompt : Self.continuation) else {
                out.write("\n"); out.flush()
                break
            }
            if interrupted { buffer = ""; continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if buffer.isEmpty && trimmed.isEmpty { continue }
            if buffer.isEmpty && trimmed.hasPrefix(".") {
                editor.addHistory(trimmed)
                shell.run(ScriptChunk(kind: .dotCommand, text: trimmed, line: 1, column: 1, isTerminated: true))
                continue
            }
            buffer += line + "\n"
            guard ScriptSplitter.isComplete(buffer) else { continue }
            editor.addHistory(CredentialScrubber.scrub(buffer))   // a secret's PASSWORD never reaches the history file
            let chunks = ScriptSplitter.split(buffer)
            buffer = ""
            for chunk in chunks {
                shell.run(chunk)
                if shell.quitRequested { break }
            }
        }
        if shell.session.inTransaction {
            out.write("The open transaction block was rolled back (leave with COMMIT to keep its changes).\n")
            _ = try? shell.session.execute("ROLLBACK")
        }
        out.flush()
    }
}
