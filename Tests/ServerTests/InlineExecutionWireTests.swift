import Foundation
import Storage
import Tarn
import XCTest
@testable import Server

/// Short prepared executions run on the event loop (`ProtocolSession+Inline`): they answer as the same query written
/// out, and a run of the same statement whose result outgrows the inline budget hands the rest to the worker queue
/// with nothing lost, duplicated or reordered, honours row limits across the hand-over, and holds up no other
/// connection while its client does not read.
final class InlineExecutionWireTests: ServerTestCase {
    private static let rows = 100_000

    /// A debug build's lookups take more than the default millisecond.
    override func configureServer(_ configuration: inout ServerConfiguration) {
        configuration.inlineExecutionSeconds = 0.2
    }

    private func be64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

    private func rows(_ m: [WireClient.Message]) -> [[String?]] { m.filter { $0.type == "D" }.map(\.textValues) }

    private func tags(_ m: [WireClient.Message]) -> [String] {
        m.filter { "CsEZ".contains($0.type) }.map { $0.type == "C" ? "C:" + $0.tag : String($0.type) }
    }

    /// Bind / Describe / Execute / Sync of statement `q` below with `$1 = bound`.
    private func run(_ c: WireClient, _ bound: Int64) throws -> [WireClient.Message] {
        // The worker queue counts its last message handled just after sending ReadyForQuery: a client that answers at
        // once may still find it busy (then this run goes to the worker queue too).
        Thread.sleep(forTimeInterval: 0.05)
        c.inOneWrite {
            c.bind(statement: "q", formats: [1], parameters: [be64(bound)])
            c.describe("P")
            c.execute()
            c.sync()
        }
        return try c.readUntilReady()
    }

    private func prepare(_ c: WireClient) throws {
        XCTAssertEqual(try c.query("CREATE TABLE big AS SELECT range AS id, range * 3 AS v FROM range(\(Self.rows))").last?.type, "Z")
        c.parse("q", "SELECT id, v FROM big WHERE id < $1", types: [20])
        c.sync()
        _ = try c.readUntilReady()
    }

    func testShortRunsInlineAndALargeResultIsHandedOverWhole() throws {
        let c = try connect()
        try prepare(c)
        let stats = try XCTUnwrap(server?.statistics)
        for bound in [3, 5, 2, 4] as [Int64] {
            let m = try run(c, bound)
            XCTAssertEqual(rows(m), try rows(c.query("SELECT id, v FROM big WHERE id < \(bound)")), "$1 = \(bound)")
            XCTAssertEqual(tags(m), ["C:SELECT \(bound)", "Z"])
        }
        XCTAssertGreaterThanOrEqual(stats.inlineRuns, 2, "short prepared runs after the first ones run on the event loop")
        let handOvers = stats.inlineHandOvers
        let all = try run(c, Int64(Self.rows))
        let got = rows(all)
        XCTAssertEqual(got.count, Self.rows)
        XCTAssertEqual(got.map { Int($0[0] ?? "") ?? -1 }, Array(0..<Self.rows), "every row once, in order")
        XCTAssertTrue(got.allSatisfy { Int($0[1] ?? "") == 3 * (Int($0[0] ?? "") ?? -1) })
        XCTAssertEqual(tags(all), ["C:SELECT \(Self.rows)", "Z"])
        XCTAssertEqual(stats.inlineHandOvers, handOvers + 1, "the large run started inline and was handed over")
        // The large run was not short: the next one runs on the worker queue, then short runs are inlined again.
        let before = stats.inlineRuns
        XCTAssertEqual(rows(try run(c, 2)), [["0", "0"], ["1", "3"]])
        XCTAssertEqual(stats.inlineRuns, before)
        for _ in 0..<5 where stats.inlineRuns == before {
            XCTAssertEqual(rows(try run(c, 2)), [["0", "0"], ["1", "3"]])
        }
        XCTAssertGreaterThan(stats.inlineRuns, before, "short again: inlined again")
    }

    func testRowLimitsAcrossTheHandOver() throws {
        let c = try connect()
        try prepare(c)
        for _ in 0..<3 { _ = try run(c, 3) }
        // One read: Bind, Execute 60,000 rows, Execute the rest, Sync; the first Execute is handed over midway
        // (past the output threshold), the worker sends the rest of its rows, then runs the second Execute.
        c.inOneWrite {
            c.bind(portal: "p", statement: "q", formats: [1], parameters: [be64(Int64(Self.rows))])
            c.execute("p", maxRows: 60_000)
            c.execute("p")
            c.sync()
        }
        let m = try c.readUntilReady()
        XCTAssertEqual(tags(m), ["s", "C:SELECT 40000", "Z"], "PortalSuspended after the limit, then the rest")
        let ids = rows(m).map { Int($0[0] ?? "") ?? -1 }
        XCTAssertEqual(ids, Array(0..<Self.rows))
        let firstPart = m.prefix { $0.type != "s" }.filter { $0.type == "D" }.count
        XCTAssertEqual(firstPart, 60_000)
        XCTAssertGreaterThanOrEqual(server?.statistics.inlineHandOvers ?? 0, 1, "the first Execute started inline and was handed over")
    }

    func testAClientThatDoesNotReadHoldsUpNoOtherConnection() throws {
        let c = try connect()
        try prepare(c)
        for _ in 0..<3 { _ = try run(c, 3) }
        let others = try (0..<3).map { _ in try connect() }
        // The large result starts on `c`'s event loop; `c` reads nothing for a while.
        c.inOneWrite {
            c.bind(statement: "q", formats: [1], parameters: [be64(Int64(Self.rows))])
            c.execute()
            c.sync()
        }
        Thread.sleep(forTimeInterval: 0.3)
        for other in others {
            let started = Date()
            XCTAssertEqual(rows(try other.query("SELECT count(*) FROM big")), [["\(Self.rows)"]])
            XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        }
        let m = try c.readUntilReady()
        XCTAssertEqual(rows(m).count, Self.rows)
        XCTAssertEqual(tags(m), ["C:SELECT \(Self.rows)", "Z"])
    }

    func testNothingRunsInlineWhileAVacuumWaits() throws {
        let c = try connect()
        try prepare(c)
        for _ in 0..<3 { _ = try run(c, 3) }
        let database = try XCTUnwrap(server?.database)
        let session = database.connect()
        try session.execute("CREATE TABLE v AS SELECT range AS i FROM range(1000)")
        try session.execute("INSERT INTO v SELECT range + 1000 FROM range(1000)")
        try session.execute("DELETE FROM v WHERE i < 1000")  // the first file is removed from the newest version
        let reader = try XCTUnwrap(try session.openQuery(XCTUnwrap(try session.parse("SELECT count(*) FROM v VERSION AS OF 1").first)))
        let probe = VacuumProbe(lakePath: database.lake.path)
        XCTAssertFalse(probe.vacuumInProgress())
        database.lake.vacuumWaitSeconds = 20
        let vacuumed = expectation(description: "vacuum finished")
        let vacuumer = database.connect()
        DispatchQueue.global().async {
            _ = try? vacuumer.execute("VACUUM v RETAIN 0 HOURS")
            vacuumed.fulfill()
        }
        var waiting = false
        for _ in 0..<300 where !waiting {
            Thread.sleep(forTimeInterval: 0.01)
            waiting = probe.vacuumInProgress()
        }
        XCTAssertTrue(waiting, "VACUUM waits for the open stream and holds back new statements")
        // A short prepared run now would wait for the VACUUM: it goes to the worker queue, not the event loop.
        let before = try XCTUnwrap(server?.statistics.inlineRuns)
        c.inOneWrite {
            c.bind(statement: "q", formats: [1], parameters: [be64(2)])
            c.execute()
            c.sync()
        }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(server?.statistics.inlineRuns, before)
        XCTAssertNoThrow(try connect(), "the event loops keep serving (startup and SCRAM do not need the lake's lock)")
        XCTAssertNotNil(try reader.next())
        reader.close()
        XCTAssertEqual(rows(try c.readUntilReady()), [["0", "0"], ["1", "3"]])
        wait(for: [vacuumed], timeout: 20)
        XCTAssertFalse(probe.vacuumInProgress())
    }
}
