import XCTest
@testable import Fuzzing
import Storage

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
