import ArgumentParser
import Foundation
import Tarn
import Storage
import Transforms

/// `tarn demo [DIR] [--rows N]`: the whole workload end to end on synthetic data. Writes two years of raw JSON landing
/// files (with the nulls and funnel violations of real landings) into `DIR/raw/` and the weekly sales feed those
/// campaigns drove into `DIR/sales/`, runs the campaign pipeline of `examples/campaigns/pipeline.sql` (bronze → silver
/// → the three views, and the gold table of weekly spend per channel beside revenue) and accounts for every raw row,
/// shows the top campaigns by spend, fits a marketing-mix model on the gold table and checks it against the
/// generator's truth, and says how to explore the lake.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo lake: raw JSON → bronze → silver → views, top campaigns, and a marketing-mix model of the channels.",
        discussion: "Re-running the demo on the same directory rebuilds it from scratch (a folder that is not a Tarn lake is never deleted).")

    @Argument(help: "Directory of the demo lake.")
    var directory: String = "./demo-lake"

    @Option(help: "Raw campaign records to generate.")
    var rows: Int = 1_000_000

    @Option(help: "Seed of the generator (same seed, same data).")
    var seed: UInt64 = 42

    @Option(help: "Draws per chain of the marketing-mix fit, after as many tuning steps (fewer is faster but may not converge).")
    var draws: Int = 1_000

    /// Chains of the demo's fit (`mmm()`'s default).
    static let chains = 4
    /// Two years of weeks from a Monday, so every week of the sales feed is whole.
    static let firstDate = Int32(ValueFormatting.days(year: 2023, month: 1, day: 2))
    static let days = 728

    func run() throws {
        guard rows >= 0 else { throw CLIFailure.exit("--rows must not be negative") }
        guard (10...100_000).contains(draws) else { throw CLIFailure.exit("--draws must be between 10 and 100000") }
        let started = Date()
        let progress = DemoProgress()
        var out = OutputChannel.standardOutput
        try Self.clearDirectory(directory)
        let database = try step("opening the lake in \(directory)") { try Database.open(directory) }
        let session = database.connect()
        let report = DemoReport(session: session)

        // 1. Raw landing files.
        let rawFolder = (directory as NSString).appendingPathComponent("raw")
        let salesFolder = (directory as NSString).appendingPathComponent("sales")
        let files = min(366, max(1, rows / 2_500))
        progress.say("Writing \(rows.formatted()) raw records into \(rawFolder)/ …")
        var options = CampaignGenerator.Options(seed: seed, clean: false, days: Self.days)
        options.firstDate = Self.firstDate
        let generator = CampaignGenerator(options: options)
        let paths = try step("writing the raw files") {
            try CampaignLandingWriter(generator: generator).write(rows: rows, files: files, to: rawFolder)
        }
        let feed = CampaignSalesFeed(generator: generator, rows: rows)
        try step("writing the sales feed") { try feed.writeCSV(to: salesFolder) }
        out.write("Tarn demo: raw JSON → bronze → silver → views → marketing mix model\n\n")
        out.write("1. Raw landing files (\(progress.lap()))\n")
        let example = paths.first.map { ($0 as NSString).lastPathComponent } ?? ""
        out.write("   \(rows.formatted()) ad-delivery records, with realistic nulls and funnel violations, in \(paths.count) NDJSON files\n")
        out.write("   laid out like a landing folder: \(rawFolder)/{date}/{UTC timestamp}.json (e.g. \(example)),\n")
        out.write("   on \(feed.channels.count) channels (\(feed.channels.map(\.channel.name).joined(separator: ", "))), and \(feed.weeks.count) weeks of sales in \(salesFolder)/weekly_sales.csv\n\n")
        out.flush()

        // 2. The campaign pipeline.
        progress.say("Running the campaign pipeline (COPY INTO bronze, silver, views, gold) …")
        let run = try step("running the campaign pipeline") {
            try session.runPipeline(try DemoPipelineSQL.text(), baseDirectory: directory)
        }
        out.write("2. Pipeline of examples/campaigns/pipeline.sql, run \(run.runID) (\(progress.lap()))\n")
        try step("reading the pipeline's records") { try report.pipeline(runID: run.runID, rawRows: rows, to: &out) }
        out.flush()

        // 3. Top campaigns.
        try step("querying adtech_db.campaign_summary") { try report.topCampaigns(to: &out) }
        out.flush()

        // 4. Marketing mix model.
        progress.say("Fitting the marketing mix model (\(Self.chains) chains × \(draws) draws) …")
        try step("fitting the marketing mix model") {
            try report.marketingMixModel(feed: feed, chains: Self.chains, tune: draws, draws: draws, to: &out)
        }

        // 5. How to explore.
        let seconds = Date().timeIntervalSince(started)
        out.write(String(format: "\nDemo lake built in %.1f s. Open it in the SQL shell (REPL) with:\n", seconds))
        out.write("  \(Self.invocation) \(directory)\n")
        out.write("and try:\n")
        out.write("  tarn> SELECT * FROM adtech_db.campaign_performance LIMIT 5;\n")
        out.write("  tarn> SELECT * FROM violations('adtech_db.campaign_data_valid') LIMIT 5;\n")
        out.write("  tarn> SELECT * FROM mmm_contributions('demo') LIMIT 10;\n")
        out.write("  tarn> SELECT source_table FROM tarn.models;\n")
        out.write("  tarn> .help\n")
        out.write("Or open the dashboards in a browser (campaigns, marketing mix, pipelines, tables):\n")
        out.write("  TARN_PW=secret \(Self.invocation) serve \(directory) --user me --password-env TARN_PW --port 5432 --http-port 8080\n")
        out.write("  http://127.0.0.1:8080/dashboards/campaigns  (log in as me / secret)\n")
        out.flush()
    }

    /// How the user ran `tarn` (e.g. `.build/release/tarn`), so the REPL hint can be pasted as is.
    static var invocation: String {
        let first = CommandLine.arguments.first ?? "tarn"
        return first.contains("/") ? first : "tarn"
    }

    /// Runs one step of the demo; a failure becomes `error: demo failed while <what>: <message>` and exit status 1.
    private func step<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIFailure.exit("demo failed while \(what): \(ErrorPresenter.message(of: error))")
        }
    }

    /// Removes a previous demo lake; refuses to delete a non-empty directory that is not a lake.
    static func clearDirectory(_ path: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw CLIFailure.exit("\(path) exists and is not a directory") }
        let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        guard entries.isEmpty || entries.contains("catalog.db") else {
            throw CLIFailure.exit("\(path) is not empty and does not look like a Tarn lake; not deleting it")
        }
        do { try fm.removeItem(atPath: path) } catch { throw CLIFailure.exit("cannot remove \(path): \(error.localizedDescription)") }
    }
}
