import ArgumentParser
import Foundation
import Tarn

/// `tarn [shell] [LAKE_DIR] [-c SQL] [-f FILE] [--format F] [--bail] [--readonly]`.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Open a lake and run SQL: interactively, from stdin, -f FILE or -c SQL (the default command).",
        discussion: """
        Examples:
          tarn mylake                              Interactive shell on ./mylake
          tarn mylake -c 'SELECT count(*) FROM t'  Run one statement and exit
          tarn mylake -f etl.sql --bail            Run a script, stop at the first error
          tarn mylake --format csv < query.sql     Results as CSV on stdout
        In scripts, errors go to stderr as `error: statement N, line L, column C: message`;
        the exit status is 0 when every statement succeeded and 1 otherwise.
        """)

    @Argument(help: "The lake directory (created when missing); :memory: for a throwaway lake removed at exit.")
    var lake: String = "./tarn-lake"

    @Option(name: .customShort("c"), help: "Run this SQL and exit.")
    var command: String?

    @Option(name: .customShort("f"), help: "Run the SQL in this file and exit.")
    var file: String?

    @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: "|")).")
    var format: OutputFormat?

    @Flag(help: "Stop at the first failing statement.")
    var bail = false

    @Flag(help: "Open the lake read-only.")
    var readonly = false

    @Option(help: "Memory a statement may hold before it spills to disk or fails, e.g. 2GB, 512MiB (default: 80% of RAM; SET memory_limit).")
    var memoryLimit: String?

    @Option(help: "Folder for spill files (default: the system temp folder; SET temp_directory).")
    var tempDirectory: String?

    @Flag(name: [.customLong("noheader", withSingleDash: true), .customLong("noheader")], help: "Print results without column names.")
    var noheader = false

    func run() throws {
        let interactive = command == nil && file == nil && TerminalInfo.stdinIsTerminal
        let database: Database
        let throwaway = lake == ":memory:" ? NSTemporaryDirectory() + "tarn-memory-" + UUID().uuidString : nil
        defer { if let throwaway { try? FileManager.default.removeItem(atPath: throwaway) } }
        do {
            database = try Database.open(throwaway ?? lake, readOnly: readonly && throwaway == nil)
        } catch {
            throw CLIFailure.exit("cannot open lake \(lake): \(ErrorPresenter.message(of: error))")
        }
        let shell = ShellSession(database: database, readOnly: readonly, interactive: interactive, bail: bail,
                                 format: format ?? (interactive ? .box : .table))
        if noheader { shell.display.headers = false }
        do {
            if let memoryLimit { try shell.session.execute("SET memory_limit = \(Self.quoted(memoryLimit))") }
            if let tempDirectory { try shell.session.execute("SET temp_directory = \(Self.quoted(tempDirectory))") }
        } catch {
            throw CLIFailure.exit(ErrorPresenter.message(of: error))
        }
        if interactive {
            InteractiveShell(shell: shell).run()
            return
        }
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIFailure.exit("cannot read \(file)") }
            if !shell.runScript(text) && shell.failures > 0 { throw ExitCode(1) }
        }
        if let command, !shell.quitRequested {
            shell.runScript(command)
        }
        if command == nil && file == nil {
            shell.runScript(Self.readStandardInput())
        }
        shell.output.flush()
        if shell.session.inTransaction {
            // As psql and DuckDB do, an unfinished block is not committed; say so rather than drop it silently.
            OutputChannel.standardError.write("warning: the script ended inside a transaction block (BEGIN without COMMIT); "
                                              + "its changes were rolled back\n")
            OutputChannel.standardError.flush()
            _ = try? shell.session.execute("ROLLBACK")
        }
        if shell.failures > 0 { throw ExitCode(1) }
    }

    /// `text` as a SQL string literal.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    static func readStandardInput() -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self)
    }
}

