import ArgumentParser
import Foundation
import Tarn
import SQLLogicTest

/// `tarn slt FILE… [--also sqlite]`: runs sqllogictest files against Tarn (and optionally SQLite).
struct SLTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slt",
        abstract: "Run sqllogictest files; exit 1 when any query or statement fails.")

    @Argument(help: "Test files.") var files: [String]
    @Option(help: "Also run the files on another engine (sqlite).") var also: [String] = []
    @Option(help: "Semantics for the whole run: native (Trino) or sqlite (division by zero is NULL, SQLite affinity). Default: a '# tarn: dialect=…' header line, else native.")
    var dialect: String?
    @Flag(help: "Print the first failures of each file.") var verbose = false

    func run() throws {
        var chosen: SQLLogicTestDialect? = nil
        if let dialect {
            guard let d = SQLLogicTestDialect(rawValue: dialect.lowercased()) else {
                throw ValidationError("unknown dialect '\(dialect)'; expected native or sqlite")
            }
            chosen = d
        }
        let runner = SQLLogicTestRunner(engineNames: ["tarn"] + also, dialect: chosen)
        var failed = false
        for file in files {
            do {
                let report = try runner.run(file: file)
                print(verbose ? report.details : report.summary)
                if report.failed > 0 || report.statementsFailed > 0 { failed = true }
            } catch {
                OutputChannel.standardError.write("error: \(file): \(ErrorPresenter.message(of: error))\n")
                OutputChannel.standardError.flush()
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
