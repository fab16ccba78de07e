import ArgumentParser
import Foundation
import Tarn
import Storage
import Transforms

/// `tarn demo [DIR] [--rows N]`: builds a lake of synthetic ad-campaign data with the users' views,
/// shows the top campaigns by spend, and says how to explore it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo lake (adtech_db.processed_campaign_data and three views) and query it.",
        discussion: "Re-running the demo on the same directory rebuilds it from scratch.")

    @Argument(help: "Directory of the demo lake.")
    var directory: String = "./demo-lake"

    @Option(help: "Rows of campaign data to generate.")
    var rows: Int = 1_000_000

    @Option(help: "Seed of the generator (same seed, same data).")
    var seed: UInt64 = 42

    static let table = TableName(schema: "adtech_db", name: "processed_campaign_data")

    func run() throws {
        guard rows >= 0 else { throw CLIFailure.exit("--rows must not be negative") }
        let started = Date()
        let err = OutputChannel.standardError
        try Self.clearDirectory(directory)
        do {
            let database = try Database.open(directory)
            let session = database.connect()
            err.write("Creating adtech_db.processed_campaign_data …\n"); err.flush()
            try session.execute("CREATE SCHEMA adtech_db;")
            let columns = CampaignGenerator.schema.fields.map { "\"\($0.name)\" \($0.type)" }.joined(separator: ", ")
            try session.execute("CREATE TABLE adtech_db.processed_campaign_data (\(columns));")

            let generator = CampaignGenerator(options: .init(seed: seed, clean: true))
            let writer = try database.lake.beginWrite(Self.table)
            var written = 0
            do {
                for batch in generator.batches(totalRows: rows, batchSize: 131_072) {
                    try writer.append(batch)
                    written += batch.count
                    if TerminalInfo.stderrIsTerminal {
                        err.write("\r  \(written.formatted()) / \(rows.formatted()) rows"); err.flush()
                    }
                }
                _ = try writer.commit(operation: "WRITE")
            } catch {
                writer.abort()
                throw error
            }
            if TerminalInfo.stderrIsTerminal { err.write("\r\u{1B}[K") }
            err.write("  \(rows.formatted()) rows written\nCreating views campaign_summary, campaign_performance, creative_performance …\n")
            err.flush()
            try session.execute("USE adtech_db;")
            try session.execute(DemoViewsSQL.text)

            let top = try session.execute("""
                SELECT campaign_id, ROUND(total_spend, 2) AS total_spend, total_impressions, total_clicks,
                       total_conversions, ROUND(ctr, 4) AS ctr, ROUND(cpc, 3) AS cpc
                FROM campaign_summary ORDER BY total_spend DESC LIMIT 10;
                """)
            guard let result = top.last else { throw CLIFailure.exit("the demo query returned nothing") }
            var out = OutputChannel.standardOutput
            out.write("\nTop 10 campaigns by spend (adtech_db.campaign_summary):\n")
            let set = ResultSet(columns: result.columns, batches: result.batches)
            TableFormatter(style: .box).render(set, to: &out)
            out.write("\nSpend by campaign:\n")
            BarChartFormatter(width: TerminalInfo.width).render(
                ResultSet(columns: Array(result.columns.prefix(2)), batches: result.batches.map { Batch(columns: Array($0.columns.prefix(2)), count: $0.count) }),
                to: &out)
            let seconds = Date().timeIntervalSince(started)
            out.write(String(format: "\nDemo lake built in %.1f s. Explore it with:\n", seconds))
            out.write("  tarn \(directory)\n")
            out.write("  tarn> SELECT * FROM adtech_db.campaign_performance LIMIT 5;\n")
            out.flush()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIFailure.exit("demo failed: \(ErrorPresenter.message(of: error))")
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
