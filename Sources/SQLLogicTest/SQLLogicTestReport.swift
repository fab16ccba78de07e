import Tarn
import Foundation

/// The outcome of running one sqllogictest file.
public struct SQLLogicTestReport: Sendable {
    public var file: String
    /// The names the runner answered to in `skipif`/`onlyif` guards.
    public var engineNames: [String]
    public var dialect: SQLLogicTestDialect
    /// Queries run (reached, not skipped).
    public var queries = 0
    public var passed = 0
    public var failed = 0
    /// Queries not run: excluded by a guard, after a `halt`, or left out by sampling.
    public var skipped = 0
    /// Statements whose outcome (success or error) was the expected one.
    public var statementsOK = 0
    public var statementsFailed = 0
    /// The first failures, in file order (at most the runner's `maxRecordedFailures`).
    public var failures: [SQLLogicTestFailure] = []
    public var elapsedSeconds: Double = 0

    public init(file: String, engineNames: [String], dialect: SQLLogicTestDialect) {
        self.file = file; self.engineNames = engineNames; self.dialect = dialect
    }

    /// Passed queries over queries run, in percent (100 when none ran).
    public var passRate: Double { queries == 0 ? 100 : Double(passed) * 100 / Double(queries) }

    /// One line: counts, pass rate and time.
    public var summary: String {
        let rate = String(format: "%.2f", passRate)
        let seconds = String(format: "%.2f", elapsedSeconds)
        return "\(file) [names \(engineNames.joined(separator: "+")), dialect \(dialect.rawValue)]: \(queries) queries, \(passed) passed, "
            + "\(failed) failed, \(skipped) skipped (\(rate)%); statements \(statementsOK) ok, \(statementsFailed) failed; \(seconds)s"
    }

    /// The summary followed by the recorded failures.
    public var details: String {
        ([summary] + failures.map(\.description)).joined(separator: "\n\n")
    }
}

/// One query or statement whose outcome differed from the script's expectation.
public struct SQLLogicTestFailure: Sendable, CustomStringConvertible {
    /// 1-based line of the record's type line.
    public var line: Int
    public var sql: String
    public var expected: String
    /// What the engine returned (rendered), when it returned something.
    public var got: String?
    /// The engine's error, when it threw one.
    public var error: String?

    public init(line: Int, sql: String, expected: String, got: String? = nil, error: String? = nil) {
        self.line = line; self.sql = sql; self.expected = expected; self.got = got; self.error = error
    }

    public var description: String {
        var text = "line \(line):\n  \(sql.replacingOccurrences(of: "\n", with: "\n  "))\n  expected: \(expected.replacingOccurrences(of: "\n", with: " | "))"
        if let got { text += "\n  got:      \(got.replacingOccurrences(of: "\n", with: " | "))" }
        if let error { text += "\n  error:    \(error)" }
        return text
    }
}
