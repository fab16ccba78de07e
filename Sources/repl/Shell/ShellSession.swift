import Foundation
import Tarn
import SQL
import Storage

/// The state of one `tarn` run (open lake, session, output mode, timer) and the code that runs
/// script chunks against it. Shared by script mode and the interactive shell.
final class ShellSession {
    private(set) var database: Database
    private(set) var session: Session
    let readOnly: Bool
    let interactive: Bool
    let bail: Bool
    var format: OutputFormat
    var output: OutputChannel = .standardOutput
    /// `.once FILE`: the channel to go back to after the next result.
    private var afterOnce: OutputChannel?
    var timer = false
    var display = DisplayOptions()
    /// Statements (and dot commands) that failed.
    private(set) var failures = 0
    private(set) var quitRequested = false
    /// Number of the last chunk run, for script error messages.
    private var chunkNumber = 0
    var completions: CompletionProvider?

    init(database: Database, readOnly: Bool, interactive: Bool, bail: Bool, format: OutputFormat) {
        self.database = database
        self.session = database.connect()
        self.readOnly = readOnly
        self.interactive = interactive
        self.bail = bail
        self.format = format
    }

    var renderer: ResultRenderer {
        let toTerminal = interactive && output === OutputChannel.standardOutput
        let maxRows = display.maxRows.map { $0 > 0 ? $0 : nil } ?? (toTerminal ? 40 : nil)
        let maxWidth = display.maxWidth.map { $0 > 0 ? $0 : nil } ?? (toTerminal ? TerminalInfo.width : nil)
        return ResultRenderer(format: format, maxRows: maxRows, terminalWidth: TerminalInfo.width, maxWidth: maxWidth, display: display)
    }

    /// Runs every chunk of `text`; returns false when a failure stopped it (`--bail`) or `.quit` was run.
    @discardableResult
    func runScript(_ text: String) -> Bool {
        for chunk in ScriptSplitter.split(text) {
            let ok = run(chunk)
            if quitRequested || (!ok && bail) { return false }
        }
        return true
    }

    /// Runs one chunk; returns false when it failed.
    @discardableResult
    func run(_ chunk: ScriptChunk) -> Bool {
        chunkNumber += 1
        let number = chunkNumber
        do {
            switch chunk.kind {
            case .dotCommand: try DotCommand.run(chunk.text, in: self)
            case .sql: try runSQL(chunk.text)
            }
            return true
        } catch {
            failures += 1
            output.flush()
            let report = interactive
                ? ErrorPresenter.caretReport(error: error, text: chunk.text, colour: TerminalInfo.stderrIsTerminal)
                : ErrorPresenter.scriptLine(error: error, statementNumber: number, chunk: chunk) + "\n"
            OutputChannel.standardError.write(report)
            OutputChannel.standardError.flush()
            return false
        }
    }

    /// Parses and runs SQL text, printing each result.
    func runSQL(_ text: String) throws {
        defer { completions?.invalidate() }
        let executor = StatementExecutor(interactive: interactive)
        for statement in try session.parse(text) {
            let started = DispatchTime.now().uptimeNanoseconds
            try executor.execute(statement, in: session) { outcome, willWrite in
                switch outcome {
                case let .rows(stream):
                    try self.present(try ResultSet.lookingAhead(columns: stream.columns, next: stream.next), willWrite: willWrite)
                case let .result(result): try self.present(result, willWrite: willWrite)
                }
            }
            if timer {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                OutputChannel.standardError.write(String(format: "Run Time: %.3f s\n", seconds))
                OutputChannel.standardError.flush()
            }
        }
    }

    func present(_ result: StatementResult, willWrite: @escaping () -> Void = {}) throws {
        if !result.notices.isEmpty { willWrite() }
        for notice in result.notices {
            OutputChannel.standardError.write("NOTICE: " + notice + "\n")
            OutputChannel.standardError.flush()
        }
        if result.hasResultSet {
            try present(ResultSet(columns: result.columns, batches: result.batches), willWrite: willWrite)
        } else if interactive, let message = result.message {
            willWrite()
            output.write(message + "\n")
            output.flush()
        }
    }

    /// Writes a result set batch by batch as it is pulled (see `ResultRenderer`); on an error mid-way, what was
    /// written stays written and the error is reported after it.
    func present(_ rows: ResultSet, willWrite: @escaping () -> Void = {}) throws {
        var rows = rows
        rows.timeZone = session.settings.timeZone
        var out = AnnouncingOutput(channel: output, willWrite: willWrite)
        defer {
            output.flush()
            endOnce()
        }
        try renderer.render(rows, to: &out)
    }

    /// `.open DIR`: switches to another lake (the old one stays open until released).
    func open(lake path: String) throws {
        let opened = try Database.open(path, readOnly: readOnly)
        database = opened
        session = opened.connect()
        completions?.reset(database: opened)
    }

    /// `.output FILE` / `.output`.
    func redirectOutput(to path: String?) throws {
        endOnce()
        if output !== OutputChannel.standardOutput { output.close() }
        output = try path.map(OutputChannel.file) ?? .standardOutput
    }

    /// `.once FILE`: the next result goes to FILE, later ones where they went before.
    func redirectOnce(to path: String) throws {
        endOnce()
        let previous = output
        output = try OutputChannel.file(path)
        afterOnce = previous
    }

    private func endOnce() {
        guard let previous = afterOnce else { return }
        output.close()
        output = previous
        afterOnce = nil
    }

    func requestQuit() { quitRequested = true }
}
