import Foundation
import Storage

/// The model registry in the lake catalog: `tarn_mmm_models` (one row per fit: name, version, source table and
/// the snapshot version read, arguments, diagnostics, state) and `tarn_mmm_parameters` (the posterior summary).
/// Refitting a name adds a version; older versions stay readable (`version => n`).
struct MMMModelCatalog {
    let catalog: CatalogDatabase

    /// One registry row (everything but the state).
    struct Entry {
        var name: String
        var version: Int64
        var createdAt: String
        var sourceTable: String?
        var sourceVersion: Int64?
        var arguments: String
        var target: String
        var channels: String
        var controls: String
        var saturation: String
        var periods: Int64
        var chains: Int64
        var draws: Int64
        var fitSeconds: Double
        var maxRHat: Double?
        var minESSBulk: Double?
        var divergences: Int64
        var sampler: String
    }

    func ensureTables() throws {
        try catalog.execute("""
            CREATE TABLE IF NOT EXISTS tarn_mmm_models (
              name TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL,
              source_table TEXT, source_version INTEGER, arguments TEXT NOT NULL, target TEXT NOT NULL,
              channels TEXT NOT NULL, controls TEXT NOT NULL, saturation TEXT NOT NULL, periods INTEGER NOT NULL,
              chains INTEGER NOT NULL, draws INTEGER NOT NULL, fit_seconds REAL NOT NULL, max_r_hat REAL,
              min_ess_bulk REAL, divergences INTEGER NOT NULL, sampler TEXT NOT NULL, state TEXT NOT NULL,
              PRIMARY KEY (name, version))
            """)
        try catalog.execute("""
            CREATE TABLE IF NOT EXISTS tarn_mmm_parameters (
              name TEXT NOT NULL, version INTEGER NOT NULL, parameter TEXT NOT NULL, mean REAL, sd REAL,
              hdi_low REAL, hdi_high REAL, r_hat REAL, ess_bulk REAL, PRIMARY KEY (name, version, parameter))
            """)
    }

    /// Stores a fit as the next version of `entry.name`; returns that version.
    func save(_ entry: Entry, state: StoredMMMModel) throws -> Int64 {
        try ensureTables()
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        return try catalog.writeTransaction { tx in
            let rows = try tx.query("SELECT COALESCE(MAX(version), 0) FROM tarn_mmm_models WHERE name = ?", [.text(entry.name)])
            let version = (rows.first?.first?.int64 ?? 0) + 1
            func real(_ d: Double?) -> CatalogValue { d.map { $0.isFinite ? .real($0) : .null } ?? .null }
            try tx.execute("""
                INSERT INTO tarn_mmm_models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(entry.name), .integer(version), .text(entry.createdAt), entry.sourceTable.map { .text($0) } ?? .null,
                      entry.sourceVersion.map { .integer($0) } ?? .null, .text(entry.arguments), .text(entry.target),
                      .text(entry.channels), .text(entry.controls), .text(entry.saturation), .integer(entry.periods),
                      .integer(entry.chains), .integer(entry.draws), .real(entry.fitSeconds), real(entry.maxRHat),
                      real(entry.minESSBulk), .integer(entry.divergences), .text(entry.sampler), .text(json)])
            for s in state.summary {
                try tx.execute("INSERT INTO tarn_mmm_parameters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [.text(entry.name), .integer(version), .text(s.name), real(s.mean), real(s.sd), real(s.hdiLow),
                                real(s.hdiHigh), real(s.rHat), real(s.essBulk)])
            }
            return version
        }
    }

    /// The stored state of model `name` (latest version unless `version` is given).
    func load(_ name: String, version: Int64?) throws -> (version: Int64, state: StoredMMMModel) {
        try ensureTables()
        let rows: [CatalogRow]
        if let version {
            rows = try catalog.query("SELECT version, state FROM tarn_mmm_models WHERE name = ? AND version = ?", [.text(name), .integer(version)])
        } else {
            rows = try catalog.query("SELECT version, state FROM tarn_mmm_models WHERE name = ? ORDER BY version DESC LIMIT 1", [.text(name)])
        }
        guard let row = rows.first, let v = row[0].int64, let json = row[1].string else {
            let known = try catalog.query("SELECT DISTINCT name FROM tarn_mmm_models ORDER BY name").compactMap { $0.first?.string }
            let list = known.isEmpty ? "no models have been fitted yet" : "known models: " + known.joined(separator: ", ")
            throw TarnError.semantic("model '\(name)'\(version.map { " version \($0)" } ?? "") does not exist (\(list))")
        }
        do {
            return (v, try JSONDecoder().decode(StoredMMMModel.self, from: Data(json.utf8)))
        } catch {
            throw TarnError.corruption("model '\(name)' version \(v) has a damaged state: \(error)")
        }
    }

    /// Whether any model was ever stored (the registry tables exist); reading needs no write, so a read-only lake works.
    func exists() throws -> Bool {
        try !catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_mmm_models'").isEmpty
    }

    /// Whether a model called `name` has at least one stored version.
    func contains(_ name: String) throws -> Bool {
        guard try exists() else { return false }
        return try !catalog.query("SELECT 1 FROM tarn_mmm_models WHERE name = ? LIMIT 1", [.text(name)]).isEmpty
    }

    /// Deletes every version of model `name` (registry row, state and parameter summary) in one transaction;
    /// returns how many versions there were.
    @discardableResult
    func drop(_ name: String) throws -> Int {
        guard try exists() else { return 0 }
        return try catalog.writeTransaction { tx in
            let count = try tx.query("SELECT count(*) FROM tarn_mmm_models WHERE name = ?", [.text(name)]).first?.first?.int64 ?? 0
            try tx.execute("DELETE FROM tarn_mmm_parameters WHERE name = ?", [.text(name)])
            try tx.execute("DELETE FROM tarn_mmm_models WHERE name = ?", [.text(name)])
            return Int(count)
        }
    }

    /// Every stored model version, ordered by name and version.
    func entries() throws -> [Entry] {
        guard try exists() else { return [] }
        return try catalog.query("""
            SELECT name, version, created_at, source_table, source_version, arguments, target, channels, controls, saturation,
                   periods, chains, draws, fit_seconds, max_r_hat, min_ess_bulk, divergences, sampler
            FROM tarn_mmm_models ORDER BY name, version
            """).map { r in
            Entry(name: r[0].string ?? "", version: r[1].int64 ?? 0, createdAt: r[2].string ?? "", sourceTable: r[3].string,
                  sourceVersion: r[4].int64, arguments: r[5].string ?? "", target: r[6].string ?? "", channels: r[7].string ?? "",
                  controls: r[8].string ?? "", saturation: r[9].string ?? "", periods: r[10].int64 ?? 0, chains: r[11].int64 ?? 0,
                  draws: r[12].int64 ?? 0, fitSeconds: r[13].double ?? 0, maxRHat: r[14].double, minESSBulk: r[15].double,
                  divergences: r[16].int64 ?? 0, sampler: r[17].string ?? "")
        }
    }
}
