import Foundation
import Storage

/// The pipeline runner's catalog tables:
/// - `tarn_pipeline_runs`: one row per step per run (run id, target, kind, start, end, status, source versions
///   read as JSON, rows in / out / dropped, the version written, the statement's text hash, a message);
/// - `tarn_pipeline_drops`: rows dropped per step and rule (expectations, table-function rules, rejected records);
/// - `tarn_lineage`: which table or view reads which relation (latest run wins).
enum PipelineCatalog {
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS tarn_pipeline_runs(
            run_id TEXT NOT NULL, step INTEGER NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL,
            started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, status TEXT NOT NULL, source_versions TEXT NOT NULL,
            rows_in INTEGER NOT NULL, rows_out INTEGER NOT NULL, rows_dropped INTEGER NOT NULL, version INTEGER,
            statement_hash TEXT NOT NULL, message TEXT, PRIMARY KEY (run_id, step))
        """,
        """
        CREATE TABLE IF NOT EXISTS tarn_pipeline_drops(
            run_id TEXT NOT NULL, step INTEGER NOT NULL, target TEXT NOT NULL, rule TEXT NOT NULL, rows INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS tarn_lineage(
            target TEXT NOT NULL, target_kind TEXT NOT NULL, source TEXT NOT NULL, source_kind TEXT NOT NULL,
            run_id TEXT NOT NULL, recorded_at INTEGER NOT NULL, PRIMARY KEY (target, source))
        """,
    ]

    static func ensure(_ lake: Lake) throws {
        if try exists(lake) { return }
        try lake.catalog.writeTransaction { tx in for s in statements { try tx.execute(s) } }
    }

    static func exists(_ lake: Lake) throws -> Bool {
        try !lake.catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_pipeline_runs'").isEmpty
    }

    /// The last run of `target` that left it current ('succeeded' or 'up to date'): its source versions and statement hash.
    static func lastGoodRun(_ lake: Lake, target: String) throws -> (sources: [String: Int64], statementHash: String)? {
        guard try exists(lake) else { return nil }
        guard let row = try lake.catalog.query("""
            SELECT source_versions, statement_hash FROM tarn_pipeline_runs
            WHERE target = ? AND status IN ('succeeded', 'up to date') ORDER BY ended_at DESC, rowid DESC LIMIT 1
            """, [.text(target)]).first else { return nil }
        return (decodeVersions(row[0].string ?? "{}"), row[1].string ?? "")
    }

    static func encodeVersions(_ versions: [String: Int64]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: versions, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeVersions(_ text: String) -> [String: Int64] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var out: [String: Int64] = [:]
        for (k, v) in object { if let n = v as? NSNumber { out[k] = n.int64Value } }
        return out
    }

    /// One finished step.
    struct StepRecord {
        var runID: String
        var step: Int
        var target: String
        var kind: String
        var startedAt: Int64
        var endedAt: Int64
        var status: String
        var sourceVersions: [String: Int64]
        var rowsIn: Int
        var rowsOut: Int
        var drops: [(rule: String, rows: Int)]
        var version: Int64?
        var statementHash: String
        var message: String?
        var lineage: [(source: String, kind: String)]
        var targetKind: String
    }

    static func record(_ lake: Lake, _ r: StepRecord) throws {
        try lake.catalog.writeTransaction { tx in
            try tx.execute("""
                INSERT INTO tarn_pipeline_runs(run_id, step, target, kind, started_at, ended_at, status, source_versions,
                    rows_in, rows_out, rows_dropped, version, statement_hash, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(r.runID), .integer(Int64(r.step)), .text(r.target), .text(r.kind), .integer(r.startedAt), .integer(r.endedAt),
                      .text(r.status), .text(encodeVersions(r.sourceVersions)), .integer(Int64(r.rowsIn)), .integer(Int64(r.rowsOut)),
                      .integer(Int64(r.drops.reduce(0) { $0 + $1.rows })), r.version.map { .integer($0) } ?? .null,
                      .text(r.statementHash), r.message.map { .text($0) } ?? .null])
            for d in r.drops {
                try tx.execute("INSERT INTO tarn_pipeline_drops(run_id, step, target, rule, rows) VALUES (?, ?, ?, ?, ?)",
                               [.text(r.runID), .integer(Int64(r.step)), .text(r.target), .text(d.rule), .integer(Int64(d.rows))])
            }
            if r.status == "succeeded" {
                try tx.execute("DELETE FROM tarn_lineage WHERE target = ?", [.text(r.target)])
                for l in r.lineage {
                    try tx.execute("""
                        INSERT OR REPLACE INTO tarn_lineage(target, target_kind, source, source_kind, run_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                        """, [.text(r.target), .text(r.targetKind), .text(l.source), .text(l.kind), .text(r.runID), .integer(r.endedAt)])
                }
            }
        }
    }

    /// Marks the run's committed steps as rolled back.
    static func markRolledBack(_ lake: Lake, runID: String, tables: [String]) throws {
        try lake.catalog.writeTransaction { tx in
            for t in tables {
                try tx.execute("UPDATE tarn_pipeline_runs SET status = 'rolled back' WHERE run_id = ? AND target = ? AND status = 'succeeded'",
                               [.text(runID), .text(t)])
            }
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
}
