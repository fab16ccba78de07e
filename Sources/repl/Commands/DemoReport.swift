import Foundation
import Tarn
import Storage
import Transforms

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
        try TableFormatter(style: .box).render(ResultSet(columns: steps.columns, batches: steps.batches), to: &out)
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
        try TableFormatter(style: .box).render(ResultSet(columns: top.columns, batches: top.batches), to: &out)
        out.write("\n   Spend by campaign:\n")
        let twoColumns = ResultSet(columns: Array(top.columns.prefix(2)),
                                   batches: top.batches.map { Batch(columns: Array($0.columns.prefix(2)), count: $0.count) })
        try BarChartFormatter(width: TerminalInfo.width).render(twoColumns, to: &out)
        out.write("\n")
    }

    /// The marketing-mix model on the lake's own data: the generator's true channel effects into
    /// `marketing.true_channel_effects`, the fit `mmm(TABLE marketing.weekly_channel_spend, …, name => 'demo')` on the
    /// pipeline's gold table, ROI per channel with 90% intervals next to the true ROI, the lineage from the model back
    /// to the landing files, the budget optimiser's split, and the convergence diagnostics from `tarn.models`.
    func marketingMixModel(feed: CampaignSalesFeed, chains: Int, tune: Int, draws: Int, to out: inout OutputChannel) throws {
        let channels = feed.channels.map(\.channel.name)
        try session.execute("""
            CREATE OR REPLACE TABLE marketing.true_channel_effects (position INTEGER, channel VARCHAR, true_roas DOUBLE,
                true_contribution DOUBLE, generated_spend DOUBLE, adstock_alpha DOUBLE, saturation_lambda DOUBLE);
            """)
        let values = feed.channels.enumerated().map { i, t in
            "(\(i + 1), '\(t.channel.name)', \(t.roas), \(t.contribution), \(t.spend), \(t.channel.adstockAlpha), \(t.channel.saturationLambda))"
        }
        try session.execute("INSERT INTO marketing.true_channel_effects VALUES " + values.joined(separator: ", ") + ";")

        let weeks = try count("marketing.weekly_channel_spend")
        out.write("4. Marketing mix model on the lake's own data\n")
        out.write("   marketing.weekly_channel_spend (gold, built by the pipeline): \(weeks) weeks of revenue from the sales feed beside\n")
        out.write("   spend per channel from silver. The sales were simulated from each channel's real spend through adstock and\n")
        out.write("   saturation with known parameters (marketing.true_channel_effects), so the fit can be checked against the truth.\n")
        let list = channels.map { "'\($0)'" }.joined(separator: ", ")
        let fit = """
            mmm(TABLE marketing.weekly_channel_spend, date => 'week', target => 'revenue',
                channels => ARRAY[\(list)],
                chains => \(chains), tune => \(tune), draws => \(draws), name => 'demo')
            """
        out.write("   Fit: \(fit.replacingOccurrences(of: "\n    ", with: "\n        "))\n")
        let settings = tune == 1_000 && draws == 1_000 ? "mmm()'s defaults" : "mmm() defaults to 1000 + 1000; tarn demo --draws N changes both"
        out.write("   \(chains) chains × \(draws) draws after \(tune) tuning steps each (\(settings)).\n")
        out.flush()
        _ = try session.execute("SELECT * FROM \(fit);")

        let trueROI = "t.true_contribution / r.spend - 1"
        let roi = try result("""
            SELECT r.channel, ROUND(r.spend, 0) AS spend, ROUND(r.roi, 2) AS roi, ROUND(r.roi_low, 2) AS roi_low,
                   ROUND(r.roi_high, 2) AS roi_high, ROUND(\(trueROI), 2) AS true_roi,
                   CASE WHEN \(trueROI) BETWEEN r.roi_low AND r.roi_high THEN 'yes' ELSE 'no' END AS true_inside
            FROM mmm_roi('demo') r JOIN marketing.true_channel_effects t ON r.channel = t.channel
            ORDER BY t.position
            """)
        out.write("   ROI per channel (mmm_roi('demo'); roi_low … roi_high is the 90% interval; true_roi is the revenue the channel\n")
        out.write("   truly drove per dollar of the spend silver recorded, minus 1 — cleaning dropped some rows whose money was spent):\n")
        try TableFormatter(style: .box).render(ResultSet(columns: roi.columns, batches: roi.batches), to: &out)
        let inside = roi.rows.filter { $0[6] == .varchar("yes") }.count
        out.write("   The true ROI lies inside the 90% interval for \(inside) of \(roi.rows.count) channels.\n")

        guard let model = try session.query("""
            SELECT source_table, max_r_hat, min_ess_bulk, divergences, fit_seconds, convergence FROM tarn.models
            WHERE name = 'demo' ORDER BY version DESC LIMIT 1
            """).first else { throw CheckFailure(description: "the fitted model 'demo' is not in tarn.models") }
        out.write("   Lineage (tarn.models.source_table, then tarn.lineage):\n")
        for line in try lineage(of: model[0].description) { out.write("     \(line)\n") }

        let weeklySpend = try session.query("SELECT sum(\(channels.joined(separator: " + "))) / count(*) FROM marketing.weekly_channel_spend")
            .first?.first?.doubleValue ?? 0
        let quarter = (weeklySpend * 13).rounded()
        let optimum = try result("""
            SELECT channel, ROUND(current_spend, 0) AS current_spend, ROUND(optimal_spend, 0) AS optimal_spend,
                   ROUND(optimal_share, 3) AS optimal_share, ROUND(current_return, 0) AS current_return,
                   ROUND(optimal_return, 0) AS optimal_return, ROUND(uplift, 0) AS uplift
            FROM mmm_optimize('demo', budget => \(quarter), weeks => 13)
            """)
        out.write("   Budget optimiser: a quarter's budget at the average weekly spend (\(Int(quarter).formatted()) over 13 weeks), split for the most\n")
        out.write("   revenue (mmm_optimize('demo', budget => \(Int(quarter)), weeks => 13)); current_spend splits it as the data did:\n")
        try TableFormatter(style: .box).render(ResultSet(columns: optimum.columns, batches: optimum.batches), to: &out)

        let rHat = model[1].doubleValue ?? .nan, ess = model[2].doubleValue ?? .nan
        let divergences = model[3].int64Value ?? 0, seconds = model[4].doubleValue ?? 0
        guard case let .varchar(check) = model[5] else { throw CheckFailure(description: "tarn.models has no convergence check for 'demo'") }
        let verdict = check == "ok" ? "converged (R-hat ≤ 1.01, ESS ≥ 100 per chain, no divergences)" : "NOT converged: " + check
        out.write(String(format: "   Diagnostics (tarn.models): max R-hat %.3f, min bulk ESS %.0f, %lld divergences, fit %.1f s — ",
                         rHat, ess, divergences, seconds) + verdict + "\n")
    }

    /// The chain of sources from `table` back to its landing folders, as indented lines, from `tarn.lineage`
    /// (the latest run's edges).
    func lineage(of table: String) throws -> [String] {
        var sources: [String: [(name: String, kind: String)]] = [:]
        for row in try session.query("SELECT target, source, source_kind FROM tarn.lineage ORDER BY target, source") {
            let edge = (name: row[1].description, kind: row[2].description)
            if !(sources[row[0].description] ?? []).contains(where: { $0.name == edge.name }) { sources[row[0].description, default: []].append(edge) }
        }
        var lines = [table + "  (the model's source table)"]
        var visited: Set<String> = [table]
        func walk(_ node: String, depth: Int) {
            for edge in sources[node] ?? [] {
                let label = edge.kind == "files" ? "files in \(edge.name)" : edge.name
                lines.append(String(repeating: "  ", count: depth) + "← " + label)
                if edge.kind != "files", visited.insert(edge.name).inserted { walk(edge.name, depth: depth + 1) }
            }
        }
        walk(table, depth: 1)
        return lines
    }

    private func result(_ sql: String) throws -> StatementResult {
        guard let last = try session.execute(sql).last else { throw CheckFailure(description: "no result for: \(sql)") }
        return last
    }

    private func count(_ table: String) throws -> Int {
        Int(try session.query("SELECT count(*) FROM \(table)").first?.first?.int64Value ?? 0)
    }
}
