import Foundation
import Storage
import Tarn

/// Freshness expectations: a table whose latest version is older than its duration is stale. They come from the
/// tables' properties (`ALTER TABLE t SET TBLPROPERTIES ('freshness' = '2 hours')`) and from `tarn serve --freshness
/// TABLE=DURATION` (which wins for the same table). Checked after each scheduled run and on a timer; each table
/// alerts once per breach (again only after it was fresh in between).
public final class FreshnessChecker: @unchecked Sendable {
    public struct Expectation: Sendable { public var table: TableName; public var seconds: Double }

    /// The expectations given on the command line.
    public let configured: [Expectation]
    private let lock = NSLock()
    private var alerted: Set<String> = []

    public init(expectations: [Expectation]) { self.configured = expectations }

    /// The configured expectations and those of every table with a `freshness` property (an unreadable duration
    /// there is reported as the table's status, never ignored).
    public func expectations(_ database: Database) -> [(Expectation, problem: String?)] {
        var out = configured.map { ($0, problem: String?.none) }
        let named = Set(configured.map(\.table))
        for table in (try? database.lake.tableNames(schema: nil)) ?? [] where !named.contains(table) {
            guard let text = (try? database.lake.properties(of: table))?["freshness"] else { continue }
            if let seconds = Alert.parseDuration(text) {
                out.append((Expectation(table: table, seconds: seconds), nil))
            } else {
                out.append((Expectation(table: table, seconds: 0), "freshness property '\(text)' is not a duration (e.g. '2 hours')"))
            }
        }
        return out
    }

    /// Parses `schema.table=2h`.
    public static func expectation(_ text: String) -> Expectation? {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let seconds = Alert.parseDuration(String(parts[1])) else { return nil }
        let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased().split(separator: ".")
        guard (1...2).contains(name.count) else { return nil }
        let table = name.count == 2 ? TableName(schema: String(name[0]), name: String(name[1])) : TableName(name: String(name[0]))
        return Expectation(table: table, seconds: seconds)
    }

    /// One row per expectation: table_name, expected, last_changed, age_seconds, status (fresh, stale, missing).
    public func status(_ database: Database, now: Date = Date()) -> [(Expectation, Int64?, Double?, String)] {
        expectations(database).map { e, problem in
            if let problem { return (e, nil, nil, problem) }
            guard let latest = try? database.lake.history(of: e.table).first else { return (e, nil, nil, "missing") }
            let age = now.timeIntervalSince1970 - Double(latest.timestamp) / 1_000_000
            return (e, latest.timestamp, age, age > e.seconds ? "stale" : "fresh")
        }
    }

    /// The status as a dashboard result (`freshness` on the pipelines page).
    func queryData(_ database: Database) -> QueryData {
        let rows: [[Value]] = status(database).map { e, changed, age, status in
            [.varchar(e.table.description), .varchar(Alert.duration(e.seconds)), changed.map { Value.timestamp($0) } ?? .null,
             age.map { Value.double(($0 * 10).rounded() / 10) } ?? .null, .varchar(status)]
        }
        return QueryData(columns: ["table_name", "expected", "last_changed", "age_seconds", "status"],
                         types: [.varchar, .varchar, .timestamp, .double, .varchar], rows: rows)
    }

    /// Alerts for tables newly stale (or missing) since the last check.
    public func newBreaches(_ database: Database, lake: String) -> [Alert] {
        var out: [Alert] = []
        for (e, _, age, status) in status(database) {
            let key = e.table.description
            let breached = status != "fresh"
            if status != "fresh", status != "stale", status != "missing" { continue }  // a bad property: shown, not alerted
            let isNew = lock.withLock { () -> Bool in
                if breached { return alerted.insert(key).inserted }
                alerted.remove(key)
                return false
            }
            guard isNew else { continue }
            var alert = Alert(kind: .freshness, lake: lake)
            alert.table = key
            alert.expectedSeconds = e.seconds
            alert.ageSeconds = age ?? -1
            if status == "missing" { alert.error = "table \(key) does not exist" }
            out.append(alert)
        }
        return out
    }
}
