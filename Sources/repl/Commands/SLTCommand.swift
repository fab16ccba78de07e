import ArgumentParser
import Foundation
import Tarn

/// `tarn slt FILE… [--also sqlite]`: runs sqllogictest files against Tarn (and optionally SQLite).
struct SLTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slt",
        abstract: "Run sqllogictest files; exit 1 when any query or statement fails.")

    @Argument(help: "Test files.") var files: [String]
    @Option(help: "Also run the files on another engine (sqlite).") var also: [String] = []

    func run() throws {
        let runner = SQLLogicTestRunner(engineNames: ["tarn"] + also)
        var failed = false
        for file in files {
            do {
                let report = try runner.run(file: file)
                print(report.summary)
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
