import Foundation
import Server
import Tarn

/// Query results of dashboard blocks, keyed by the bound SQL and the lake's commit state: SQLite's
/// `data_version` (commits by other processes) with `total_changes()` (commits by this one). Any commit to the
/// catalog — a table version, a view, a pipeline run, a model — makes every entry stale. Entries also expire
/// after `maxAge` seconds, for queries reading the clock (freshness).
final class ResultCache: @unchecked Sendable {
    enum Outcome: Sendable {
        case rows(QueryData)
        case failed(ServerError)
    }

    private struct Entry { var state: String; var stored: Date; var outcome: Outcome; var bytes: Int }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var totalRows = 0
    let maxAge: TimeInterval
    /// Rows kept at most over all entries (least recently stored dropped first).
    let maxRows: Int

    init(maxAge: TimeInterval = 60, maxRows: Int = 500_000) { self.maxAge = maxAge; self.maxRows = maxRows }

    /// The lake's commit state now.
    static func state(of database: Database) -> String {
        let catalog = database.lake.catalog
        let version = (try? catalog.query("PRAGMA data_version"))?.first?.first?.int64 ?? -1
        let changes = (try? catalog.query("SELECT total_changes()"))?.first?.first?.int64 ?? -1
        return "\(version).\(changes)"
    }

    func lookup(_ sql: String, state: String) -> Outcome? {
        lock.withLock {
            guard let e = entries[sql], e.state == state, Date().timeIntervalSince(e.stored) < maxAge else { return nil }
            return e.outcome
        }
    }

    func store(_ sql: String, state: String, outcome: Outcome) {
        let rows: Int
        if case let .rows(d) = outcome { rows = d.rows.count } else { rows = 0 }
        guard rows <= maxRows / 4 else { return }
        lock.withLock {
            if let old = entries[sql] { totalRows -= old.bytes } else { order.append(sql) }
            entries[sql] = Entry(state: state, stored: Date(), outcome: outcome, bytes: rows)
            totalRows += rows
            while totalRows > maxRows, !order.isEmpty {
                let victim = order.removeFirst()
                if let e = entries.removeValue(forKey: victim) { totalRows -= e.bytes }
            }
        }
    }
}
