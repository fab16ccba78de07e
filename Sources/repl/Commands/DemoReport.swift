import Foundation
import Tarn
import Storage

/// The demo's printed sections, each read back from the lake with SQL: the pipeline's row accounting, the top
/// campaigns, and the marketing-mix model (fit, ROI per channel, diagnostics).
struct DemoReport {
    let session: Session

    /// The demo's own checks failed (e.g. rows unaccounted for): never print a wrong story.
    struct CheckFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Steps of the run (`tarn.pipeline_runs`) and the identity raw rows = silver rows + rows dropped per rule
    /// (`tarn.pipeline_drops`); throws `CheckFailure` when it does not hold.
    func pipeline(runID: String, rawRows: Int, to out: inout OutputChannel) throws {
        let id = runID.replacingOccurrences(of: "'", with: "''")
        let steps = try result("""
            SELECT table_name, kind, rows_in, rows_out, rows_dropped, status FROM tarn.pipeline_runs
            WHERE run_id = '\(id)' ORDER BY started_at, step
            """)
        TableFormatter(style: .box).render(ResultSet(columns: steps.columns, batches: steps.batches), to: &out)
        let failed = steps.rows.filter { $0[5] != .varchar("succeeded") && $0[5] != .varchar("up to date") }
        if !failed.isEmpty { throw CheckFailure(description: "pipeline steps did not succeed: \(failed.map { "\($0[0]) \($0[5])" })") }

        let drops = try session.query("""
            SELECT d.rule, sum(d.rows) FROM tarn.pipeline_drops d JOIN tarn.pipeline_runs r ON r.run_id = d.run_id AND r.step = d.step
            WHERE d.run_id = '\(id)' GROUP BY d.rule ORDER BY min(r.started_at), d.rule
            """).map { (rule: $0[0].description, rows: Int($0[1].int64Value ?? 0)) }
        let silver = try count("adtech_db.processed_campaign_data")
        let bronze = try count("adtech_db.campaign_raw")
        let dropped = drops.reduce(0) { $0 + $1.rows }
        let labelWidth = max(48, drops.map { $0.rule.count + 4 }.max() ?? 0)
        func line(_ label: String, _ n: Int) -> String {
            let text = n.formatted()
            return "     " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(1, 12 - text.count)) + text + "\n"
        }
        out.write("   Row accounting (tarn.pipeline_runs, tarn.pipeline_drops):\n")
        out.write(line("raw records in the landing files", rawRows))
        out.write(line("  bronze adtech_db.campaign_raw", bronze))
        for drop in drops { out.write(line("− \(drop.rule)", drop.rows)) }
        out.write(line("= silver adtech_db.processed_campaign_data", silver))
        guard rawRows == silver + dropped else {
            throw CheckFailure(description: "row accounting does not add up: \(rawRows) raw rows but \(silver) silver rows + \(dropped) dropped")
        }
        out.write("   ✓ \(rawRows.formatted()) raw = \(silver.formatted()) silver + \(dropped.formatted()) dropped by rule; the dropped rows are kept in\n")
        out.write("     violations('adtech_db.campaign_data_valid') (expectations) and counted in dropped_rows('adtech_db.processed_campaign_data').\n\n")
    }

    /// `campaign_summary`'s top 10 campaigns by spend, as a table and a bar chart.
    func topCampaigns(to out: inout OutputChannel) throws {
        let top = try result("""
            SELECT campaign_id, ROUND(total_spend, 2) AS total_spend, total_impressions, total_clicks,
                   total_conversions, ROUND(ctr, 4) AS ctr, ROUND(cpc, 3) AS cpc
            FROM adtech_db.campaign_summary ORDER BY total_spend DESC LIMIT 10
            """)
        out.write("3. Top 10 campaigns by spend (adtech_db.campaign_summary, a view over silver):\n")
        TableFormatter(style: .box).render(ResultSet(columns: top.columns, batches: top.batches), to: &out)
        out.write("\n   Spend by campaign:\n")
        let twoColumns = ResultSet(columns: Array(top.columns.prefix(2)),
                                   batches: top.batches.map { Batch(columns: Array($0.columns.prefix(2)), count: $0.count) })
        BarChartFormatter(width: TerminalInfo.width).render(twoColumns, to: &out)
        out.write("\n")
    }

    /// Simulated weekly data into `marketing.weekly`, the fit `mmm(…, name => 'demo')`, ROI per channel with 90%
    /// intervals next to the simulation's true ROI, and the convergence diagnostics from `tarn.models`.
    func marketingMixModel(chains: Int, tune: Int, draws: Int, to out: inout OutputChannel) throws {
        let simulation = "simulate_mmm(weeks => 156, channels => 3, seed => 7)"
        try session.execute("CREATE SCHEMA IF NOT EXISTS marketing;")
        try session.execute("CREATE OR REPLACE TABLE marketing.weekly AS SELECT * FROM \(simulation);")
        out.write("4. Marketing mix model\n")
        out.write("   The campaign data has no channel column, so this step fits simulated weekly spend and revenue for tv, search, social:\n")
        out.write("   marketing.weekly = \(simulation), 156 weeks drawn from known parameters (so the true ROI is known).\n")
        let fit = """
            mmm(TABLE marketing.weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search', 'social'],
                controls => ARRAY['event_1', 'event_2'], chains => \(chains), tune => \(tune), draws => \(draws), name => 'demo')
            """
        out.write("   Fit: \(fit.replacingOccurrences(of: "\n    ", with: "\n        "))\n")
        let settings = tune == 1_000 && draws == 1_000 ? "mmm()'s defaults" : "mmm() defaults to 1000 + 1000; tarn demo --draws N changes both"
        out.write("   \(chains) chains × \(draws) draws after \(tune) tuning steps each (\(settings)).\n")
        out.flush()
        _ = try session.execute("SELECT * FROM \(fit);")

        let roi = try result("""
            SELECT r.channel, ROUND(r.spend, 0) AS spend, ROUND(r.roi, 2) AS roi, ROUND(r.roi_low, 2) AS roi_low,
                   ROUND(r.roi_high, 2) AS roi_high, ROUND(t.roas - 1, 2) AS true_roi
            FROM mmm_roi('demo') r JOIN simulate_mmm_truth(weeks => 156, channels => 3, seed => 7) t ON r.channel = t.channel
            ORDER BY CASE r.channel WHEN 'tv' THEN 1 WHEN 'search' THEN 2 ELSE 3 END
            """)
        out.write("   ROI per channel (mmm_roi('demo'); roi_low … roi_high is the 90% interval, true_roi the simulation's):\n")
        TableFormatter(style: .box).render(ResultSet(columns: roi.columns, batches: roi.batches), to: &out)

        guard let d = try session.query("""
            SELECT max_r_hat, min_ess_bulk, divergences, fit_seconds, convergence FROM tarn.models
            WHERE name = 'demo' ORDER BY version DESC LIMIT 1
            """).first else { throw CheckFailure(description: "the fitted model 'demo' is not in tarn.models") }
        let rHat = d[0].doubleValue ?? .nan, ess = d[1].doubleValue ?? .nan
        let divergences = d[2].int64Value ?? 0, seconds = d[3].doubleValue ?? 0
        guard case let .varchar(check) = d[4] else { throw CheckFailure(description: "tarn.models has no convergence check for 'demo'") }
        let verdict = check == "ok" ? "converged (R-hat ≤ 1.01, ESS ≥ 100 per chain, no divergences)" : "NOT converged: " + check
        out.write(String(format: "   Diagnostics (tarn.models): max R-hat %.3f, min bulk ESS %.0f, %lld divergences, fit %.1f s — ",
                         rHat, ess, divergences, seconds) + verdict + "\n")
    }

    private func result(_ sql: String) throws -> StatementResult {
        guard let last = try session.execute(sql).last else { throw CheckFailure(description: "no result for: \(sql)") }
        return last
    }

    private func count(_ table: String) throws -> Int {
        Int(try session.query("SELECT count(*) FROM \(table)").first?.first?.int64Value ?? 0)
    }
}
