import ArgumentParser
import Foundation
import Tarn
import Web

/// `tarn run pipeline.sql [--lake DIR]`: runs a declarative pipeline (tables, views, COPY steps) in
/// dependency order and prints one line per step; exit status 1 when a step failed (the run is rolled back).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: CREATE OR REFRESH [INCREMENTAL] TABLE … AS, CREATE OR REPLACE VIEW, COPY INTO steps.",
        discussion: """
        Steps run in the order their queries need, not file order. Tables whose sources did not
        change are left alone; INCREMENTAL tables process only the rows their sources gained.
        A failing step restores every table the run had changed. Runs are recorded in
        tarn.pipeline_runs, tarn.pipeline_drops and tarn.lineage.
        Example: tarn run examples/campaigns/pipeline.sql --lake campaigns-lake
        """)

    @Argument(help: "The pipeline file.")
    var pipeline: String

    @Option(help: "The lake directory (created when missing).")
    var lake: String = "./tarn-lake"

    @Option(help: "Webhook URL (Slack, Teams, any HTTP receiver): POST a JSON alert when the run fails.")
    var notify: String?

    func validate() throws {
        if let notify, WebhookNotifier(notify) == nil { throw ValidationError("--notify \(notify): expected an http(s) URL") }
    }

    /// Sends the failure alert when --notify is given; a delivery problem is reported on stderr (the exit status stays 1).
    private func alert(_ error: Error) {
        guard let notify, let notifier = WebhookNotifier(notify) else { return }
        let lakePath = lake
        if let problem = notifier.send(PipelineAlerts.alert(for: error, pipeline: pipeline, lake: lakePath)) {
            OutputChannel.standardError.write("warning: \(problem)\n")
            OutputChannel.standardError.flush()
        }
    }

    func run() throws {
        guard let text = try? String(contentsOfFile: pipeline, encoding: .utf8) else { throw CLIFailure.exit("cannot read \(pipeline)") }
        let database: Database
        do { database = try Database.open(lake) } catch {
            throw CLIFailure.exit("cannot open lake \(lake): \(ErrorPresenter.message(of: error))")
        }
        let folder = (URL(fileURLWithPath: pipeline).standardizedFileURL.path as NSString).deletingLastPathComponent
        do {
            let result = try database.connect().runPipeline(text, baseDirectory: folder)
            Self.print(result)
        } catch let failure as PipelineFailure {
            Self.print(failure.result)
            alert(failure)
            throw CLIFailure.exit(failure.description)
        } catch {
            alert(error)
            throw CLIFailure.exit(ErrorPresenter.message(of: error))
        }
    }

    static func print(_ result: PipelineRunResult) {
        var out = "run \(result.runID)\n"
        for s in result.steps {
            var line = "  \(s.status.padding(toLength: 10, withPad: " ", startingAt: 0)) \(s.kind) \(s.target)"
            if s.status == "succeeded" || s.rowsIn > 0 { line += ": \(s.rowsIn) in, \(s.rowsOut) out" }
            for (rule, rows) in s.drops.sorted(by: { $0.key < $1.key }) where rows > 0 { line += ", \(rows) dropped (\(rule))" }
            if let v = s.version { line += ", version \(v)" }
            if !s.message.isEmpty { line += " — \(s.message)" }
            out += line + "\n"
        }
        if !result.rolledBack.isEmpty { out += "restored: \(result.rolledBack.joined(separator: ", "))\n" }
        OutputChannel.standardOutput.write(out)
        OutputChannel.standardOutput.flush()
    }
}
