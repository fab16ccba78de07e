import XCTest
@testable import Fuzzing
import Foundation
import Server
import Storage
import Tarn

/// The fuzz targets themselves: seeds run, damage is rejected (never accepted as different data), and a short
/// deterministic run of each target finds no crash and no violation.
final class FuzzHarnessTests: XCTestCase {
    func testReferenceDataFileReadsAndEveryFlippedByteIsRejected() throws {
        let harness = try FuzzHarness(target: .datafile)
        defer { harness.close() }
        let file = FuzzCorpus.referenceFile
        XCTAssertGreaterThan(file.count, 100)
        XCTAssertEqual(harness.run(file), .accepted)
        var accepted: [Int] = []
        for offset in stride(from: 0, to: file.count, by: max(1, file.count / 400)) {
            var damaged = file
            damaged[offset] ^= 0x04
            let outcome = harness.run(damaged)
            if case .violation(let reason) = outcome { XCTFail("offset \(offset): \(reason)") }
            if outcome == .accepted { accepted.append(offset) }
        }
        XCTAssertEqual(accepted, [], "flipped bytes that still read")
        XCTAssertEqual(harness.run(Array(file.prefix(file.count - 1))), .rejected)
        XCTAssertEqual(harness.run([]), .rejected)
    }

    func testSeedsOfEveryTargetRunWithoutViolations() throws {
        for target in FuzzTarget.allCases {
            let harness = try FuzzHarness(target: target)
            defer { harness.close() }
            var outcomes: [FuzzOutcome] = []
            for seed in FuzzCorpus.builtInSeeds(for: target) { outcomes.append(harness.run(seed)) }
            XCTAssertFalse(outcomes.contains { if case .violation = $0 { return true } else { return false } }, "\(target)")
            XCTAssertTrue(outcomes.contains(.accepted), "\(target): no seed is accepted, so the harness tests nothing")
        }
    }

    func testSQLHarnessRejectsBadSQLAndRunsGoodSQL() throws {
        let harness = try FuzzHarness(target: .sql)
        defer { harness.close() }
        XCTAssertEqual(harness.run(Array("SELECT count(*) FROM t1 WHERE a > 100".utf8)), .accepted)
        XCTAssertEqual(harness.run(Array("SELECT FROM WHERE (".utf8)), .rejected)
        // The lake is read-only for fuzzed statements.
        XCTAssertEqual(harness.run(Array("DROP TABLE t1".utf8)), .rejected)
        XCTAssertEqual(harness.run(Array("SELECT count(*) FROM t1".utf8)), .accepted)
    }

    /// The pgwire target drives a real protocol session: a simple query answers rows, a bad statement an error
    /// and still one ReadyForQuery, SCRAM for an unknown user ends in a FATAL, and damage is a framing error.
    func testWireReplayAnswersLikeAServer() throws {
        let setupLake = NSTemporaryDirectory() + "tarn-wire-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: setupLake) }
        try Database.open(setupLake).connect().execute(FuzzCorpus.sqlSetup)
        let database = try Database.open(setupLake, readOnly: true)
        let trust = WireProtocolReplay(database: database, configuration: ServerConfiguration(authentication: .trust))
        let scram = WireProtocolReplay(database: database, configuration: ServerConfiguration(authentication: .scram))
        let seeds = WireSeeds.sessions

        let simple = trust.run(Array(seeds[0].dropFirst()))
        XCTAssertNil(simple.violation)
        XCTAssertEqual(simple.dataRows, 4 + 2, "t1's four rows and t0's two rows with a0 > 0")
        XCTAssertEqual(simple.errors, 0)
        XCTAssertTrue(simple.closed, "X closes the connection")

        let failing = trust.run(Array(seeds[1].dropFirst()))
        XCTAssertNil(failing.violation)
        XCTAssertEqual(failing.errors, 1, "SELECT 1/0 fails, the rest runs")
        XCTAssertEqual(failing.dataRows, 1)

        let extended = trust.run(Array(seeds[2].dropFirst()))
        XCTAssertNil(extended.violation)
        XCTAssertEqual(extended.dataRows, 2, "a > 100 matches 104 and 107: one row, PortalSuspended, then the other")

        let badParse = trust.run(Array(seeds[4].dropFirst()))
        XCTAssertNil(badParse.violation)
        XCTAssertEqual(badParse.errors, 1)
        XCTAssertEqual(badParse.dataRows, 3, "after Sync the simple query runs")

        let unknownUser = scram.run(Array(seeds[6].dropFirst()))
        XCTAssertNil(unknownUser.violation)
        XCTAssertTrue(unknownUser.closed)
        XCTAssertEqual(unknownUser.dataRows, 0)

        var damaged = Array(seeds[0].dropFirst())
        damaged[0] = 0x7F  // a startup length of two gigabytes
        let refused = trust.run(damaged)
        XCTAssertNotNil(refused.framingError)
        XCTAssertTrue(refused.closed)
        XCTAssertEqual(refused.messagesHandled, 0)
    }

    func testMutationFuzzerIsDeterministic() {
        var a = MutationFuzzer(seed: 7, corpus: [Array("SELECT 1".utf8)], dictionary: [Array("FROM".utf8)], maxLength: 64)
        var b = MutationFuzzer(seed: 7, corpus: [Array("SELECT 1".utf8)], dictionary: [Array("FROM".utf8)], maxLength: 64)
        let first = (0..<50).map { _ in a.nextInput() }
        XCTAssertEqual(first, (0..<50).map { _ in b.nextInput() })
        XCTAssertTrue(first.allSatisfy { $0.count <= 64 })
        XCTAssertGreaterThan(Set(first).count, 30)
    }

    /// A short deterministic fuzz run of every target (the crash regressions live in FuzzRegressionTests).
    func testShortRunOfEachTarget() throws {
        for target in FuzzTarget.allCases {
            let harness = try FuzzHarness(target: target)
            defer { harness.close() }
            var fuzzer = MutationFuzzer(seed: 42, corpus: FuzzCorpus.builtInSeeds(for: target),
                                        dictionary: FuzzCorpus.dictionary(for: target), maxLength: 4096)
            for _ in 0..<150 {
                let input = fuzzer.nextInput()
                let outcome = harness.run(input)
                if case .violation(let reason) = outcome { XCTFail("\(target): \(reason)") }
                fuzzer.observe(input, outcome: outcome)
            }
        }
    }
}
