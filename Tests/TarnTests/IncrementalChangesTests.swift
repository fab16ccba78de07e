import XCTest
@testable import Tarn
import Storage

/// INCREMENTAL pipeline tables whose source had updates or deletes apply the source's change data feed (per-row
/// queries: remove the outputs of removed rows, add those of added rows; GROUP BY queries: recompute the touched
/// groups) instead of recomputing; other shapes recompute. After generated sequences of INSERT / UPDATE / DELETE /
/// MERGE on the source, every table equals its query recomputed from scratch (EXCEPT ALL both ways).
final class IncrementalChangesTests: XCTestCase {
    private let definitions: [(table: String, query: String, path: String?)] = [
        ("big_orders", "SELECT id, customer, amount * 2 AS doubled, upper(status) AS s FROM orders WHERE amount > 10", "per-row"),
        ("all_orders", "SELECT * FROM orders", "per-row"),
        ("per_customer", "SELECT customer, count(*) AS n, sum(amount) AS total, max(status) AS top FROM orders WHERE status <> 'void' GROUP BY customer",
         "affected groups"),
        ("per_status_day", "SELECT o.status, day, count(*) AS n, min(amount) AS low FROM orders o GROUP BY 1, day HAVING count(*) > 1",
         "affected groups"),
        ("cheap_orders", "SELECT * FROM (SELECT id, amount FROM orders WHERE amount < 12) x", nil),
    ]

    private var pipeline: String {
        definitions.map { "CREATE OR REFRESH INCREMENTAL TABLE \($0.table) AS \($0.query);" }.joined(separator: "\n")
    }

    /// A small deterministic generator (the same sequence every run).
    private struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    private func randomChange(_ g: inout Generator, nextID: inout Int) -> String {
        let customers = ["'ann'", "'bob'", "'cy'", "'dee'", "NULL"]
        let statuses = ["'new'", "'paid'", "'void'"]
        switch g.next(6) {
        case 0, 1:
            var rows: [String] = []
            for _ in 0..<(1 + g.next(6)) {
                let row = "(\(nextID), \(customers[g.next(5)]), \(g.next(30)), \(statuses[g.next(3)]), \(g.next(3)))"
                rows.append(row)
                if g.next(4) == 0 { rows.append(row) }  // an exact duplicate row
                nextID += 1
            }
            return "INSERT INTO orders VALUES " + rows.joined(separator: ", ")
        case 2: return "UPDATE orders SET amount = amount + \(g.next(15)) WHERE id % \(2 + g.next(5)) = \(g.next(2))"
        case 3: return "UPDATE orders SET customer = \(customers[g.next(5)]), status = \(statuses[g.next(3)]) WHERE id % 7 = \(g.next(7))"
        case 4: return "DELETE FROM orders WHERE id % \(3 + g.next(6)) = \(g.next(3))"
        default:
            let id = g.next(max(nextID, 1))
            nextID += 1
            return """
                MERGE INTO orders t USING (SELECT \(id) AS id, \(customers[g.next(5)]) AS customer, \(g.next(40)) AS amount UNION ALL
                    SELECT \(nextID + 1000), 'eve', 12) s ON t.id = s.id
                WHEN MATCHED AND t.amount < 20 THEN UPDATE SET amount = s.amount, customer = s.customer
                WHEN MATCHED THEN DELETE
                WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.customer, s.amount, 'new', 1)
                """
        }
    }

    private func assertEqualsRecompute(_ db: TestLake, round: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        for d in definitions {
            for (a, b) in [("SELECT * FROM \(d.table)", d.query), (d.query, "SELECT * FROM \(d.table)")] {
                let extra = try db.rows("SELECT count(*) FROM (\(a) EXCEPT ALL \(b)) x")
                XCTAssertEqual(extra, [["0"]], "round \(round): \(d.table) differs from its query recomputed", file: file, line: line)
            }
        }
    }

    func testGeneratedChangesKeepEveryTableEqualToARecompute() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE orders (id INTEGER, customer VARCHAR, amount INTEGER, status VARCHAR, day INTEGER)")
        try db.run("INSERT INTO orders SELECT generate_series, 'c' || (generate_series % 4), generate_series % 25, 'new', generate_series % 3 FROM generate_series(1, 60)")
        var g = Generator(state: 2026)
        var nextID = 61
        _ = try db.session.runPipeline(pipeline, baseDirectory: db.path)
        try assertEqualsRecompute(db, round: 0)
        var feedRefreshes = 0
        for round in 1...14 {
            var onlyInserts = true
            for _ in 0..<(1 + g.next(3)) {
                let change = randomChange(&g, nextID: &nextID)
                if !change.hasPrefix("INSERT") { onlyInserts = false }
                try db.run(change)
            }
            let result = try db.session.runPipeline(pipeline, baseDirectory: db.path)
            try assertEqualsRecompute(db, round: round)
            for d in definitions {
                guard let step = result.steps.first(where: { $0.target.hasSuffix(d.table) }), step.status == "succeeded" else { continue }
                let message = step.message, context = "round \(round) \(d.table): \(message)"
                let fromFeed = message.hasPrefix("applied the change data feed")
                if d.path == "affected groups" {
                    // A GROUP BY is never appended to: its touched groups are recomputed even after inserts only.
                    XCTAssertTrue(fromFeed && message.contains("affected groups"), context)
                    feedRefreshes += 1
                } else if onlyInserts || message.hasPrefix("appended") {
                    // (a round whose UPDATE / DELETE / MERGE matched no row only appended files too)
                    XCTAssertTrue(message.hasPrefix("appended"), context)
                } else if let path = d.path {
                    XCTAssertTrue(fromFeed && message.contains(path), context)
                    feedRefreshes += 1
                } else {
                    XCTAssertTrue(message.hasPrefix("recomputed from its sources (the change data feed of its sources could not be applied"), context)
                }
            }
        }
        XCTAssertGreaterThan(feedRefreshes, 10, "the generated rounds exercise the change-feed path")
        // The path is recorded with the run.
        let recorded = try db.rows("SELECT count(*) FROM tarn.pipeline_runs WHERE message LIKE 'applied the change data feed%'")
        XCTAssertEqual(recorded, [[String(feedRefreshes)]])
    }

    func testATableChangedByHandIsRecomputed() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE orders (id INTEGER, customer VARCHAR, amount INTEGER, status VARCHAR, day INTEGER)")
        try db.run("INSERT INTO orders SELECT generate_series, 'c', 20, 'new', 1 FROM generate_series(1, 10)")
        let sql = "CREATE OR REFRESH INCREMENTAL TABLE big AS SELECT id, amount FROM orders WHERE amount > 10;"
        _ = try db.session.runPipeline(sql, baseDirectory: db.path)
        try db.run("DELETE FROM big WHERE id = 3")
        try db.run("UPDATE orders SET amount = 30 WHERE id = 3")
        let result = try db.session.runPipeline(sql, baseDirectory: db.path)
        XCTAssertTrue(result.steps[0].message.contains("recomputed") && result.steps[0].message.contains("not in"), result.steps[0].message)
        XCTAssertEqual(try db.rows("SELECT count(*), sum(amount) FROM big"), [["10", "210"]])
    }
}
