import ArgumentParser
import Foundation
import Transforms

/// `tarn generate …`: synthetic data sets.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate synthetic data sets.",
        subcommands: [GenerateCampaignsCommand.self])
}

/// `tarn generate campaigns --rows N --files K --out DIR [--sales DIR] [--seed S] [--days D] [--clean]`.
struct GenerateCampaignsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns",
        abstract: "Write ad-campaign records as NDJSON files laid out as DIR/{date}/{UTC timestamp}.json.",
        discussion: """
            Without --clean the records carry nulls and funnel violations, like real raw landings. --sales also writes the
            weekly revenue those campaigns drove (DIR/weekly_sales.csv), from each channel's spend through adstock and
            saturation with known parameters, as examples/campaigns/pipeline.sql reads it.
            """)

    @Option(help: "Total records.") var rows: Int = 100_000
    @Option(help: "Number of files.") var files: Int = 10
    @Option(help: "Landing folder.") var out: String = "raw"
    @Option(help: "Folder for the weekly sales feed (not written when omitted).") var sales: String?
    @Option(help: "Generator seed.") var seed: UInt64 = 42
    @Option(help: "Days of data (from 2024-01-01).") var days: Int = 366
    @Flag(help: "Generate clean records (no nulls, no funnel violations).") var clean = false

    func run() throws {
        guard rows >= 0, files >= 1, days >= 1 else { throw CLIFailure.exit("--rows ≥ 0, --files ≥ 1 and --days ≥ 1 are required") }
        let generator = CampaignGenerator(options: .init(seed: seed, clean: clean, days: days))
        do {
            let paths = try CampaignLandingWriter(generator: generator).write(rows: rows, files: files, to: out)
            OutputChannel.standardError.write("wrote \(rows) records in \(paths.count) files under \(out)\n")
            if let sales {
                let feed = CampaignSalesFeed(generator: generator, rows: rows)
                let path = try feed.writeCSV(to: sales)
                OutputChannel.standardError.write("wrote \(feed.weeks.count) weeks of sales in \(path)\n")
            }
            OutputChannel.standardError.flush()
        } catch {
            throw CLIFailure.exit("generate failed: \(ErrorPresenter.message(of: error))")
        }
    }
}
