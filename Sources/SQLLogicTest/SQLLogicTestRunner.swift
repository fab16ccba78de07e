import Tarn
import Foundation
import Storage
import Execution

/// Runs sqllogictest scripts against Tarn (format: `testdata/sqllogictest/README.md`, usage: `docs/SQLLOGICTEST.md`).
///
/// Each file runs on a fresh lake in a temporary directory (removed afterwards) through one session.
/// The runner answers to `engineNames` in `skipif`/`onlyif` guards (default `tarn`; add `sqlite` for SQLite-compat
/// mode). Semantics come from `dialect` when given, else from a `# tarn: dialect=<name>` line in the file, else native.
public struct SQLLogicTestRunner: Sendable {
    public var engineNames: [String]
    /// Session settings every file starts from (the dialect is applied on top).
    public var settings: SessionSettings
    /// Semantics for every file; nil means "as the file's header says" (native if it says nothing).
    public var dialect: SQLLogicTestDialect?
    public var maxRecordedFailures: Int
    /// Run only every `sampleStride`-th query of a file (1 = all). Statements always run.
    public var sampleStride: Int

    public init(engineNames: [String] = ["tarn"], settings: SessionSettings = SessionSettings(),
                dialect: SQLLogicTestDialect? = nil, maxRecordedFailures: Int = 20, sampleStride: Int = 1) {
        self.engineNames = engineNames
        self.settings = settings
        self.dialect = dialect
        self.maxRecordedFailures = maxRecordedFailures
        self.sampleStride = max(1, sampleStride)
    }

    /// Parses and runs the file at `file`. Throws when it cannot be read or parsed, or no lake can be made.
    public func run(file: String) throws -> SQLLogicTestReport {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let script = try SQLLogicTestParser.parse(String(decoding: data, as: UTF8.self))
        return try run(script: script, name: file)
    }

    /// Runs already parsed script text (for inline corpora in tests).
    public func run(text: String, name: String = "<inline>") throws -> SQLLogicTestReport {
        try run(script: SQLLogicTestParser.parse(text), name: name)
    }

    public func run(script: SQLLogicTestScript, name: String) throws -> SQLLogicTestReport {
        let effectiveDialect = dialect ?? script.headerDialect ?? .native
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tarn-slt-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = try Database.open(directory).connect()
        var sessionSettings = settings
        effectiveDialect.apply(to: &sessionSettings)
        session.settings = sessionSettings

        return run(script: script, name: name, dialect: effectiveDialect, connection: session)
    }

    /// Runs `script` over an already prepared connection (the seam unit tests use).
    func run(script: SQLLogicTestScript, name: String, dialect: SQLLogicTestDialect,
             connection: any SQLLogicTestConnection) -> SQLLogicTestReport {
        var run = FileRun(runner: self, connection: connection,
                          report: SQLLogicTestReport(file: name, engineNames: engineNames, dialect: dialect))
        let started = DispatchTime.now().uptimeNanoseconds
        run.execute(script.records)
        run.report.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return run.report
    }
}

/// The mutable state of running one file: session, hash threshold, labels, counters.
private struct FileRun {
    let runner: SQLLogicTestRunner
    let connection: any SQLLogicTestConnection
    var report: SQLLogicTestReport
    var hashThreshold = 8
    /// Label → result hash of the first query that carried it.
    var labelHashes: [String: String] = [:]
    var queryOrdinal = 0

    init(runner: SQLLogicTestRunner, connection: any SQLLogicTestConnection, report: SQLLogicTestReport) {
        self.runner = runner; self.connection = connection; self.report = report
    }

    mutating func execute(_ records: [SQLLogicTestRecord]) {
        let names = Set(runner.engineNames.map { $0.lowercased() })
        var halted = false
        for record in records {
            if halted {
                if case .query = record.kind { report.skipped += 1 }
                continue
            }
            guard record.applies(to: names) else {
                if case .query = record.kind { report.skipped += 1 }
                continue
            }
            switch record.kind {
            case .halt: halted = true
            case let .hashThreshold(n): hashThreshold = n
            case let .statement(sql, expectsError): runStatement(sql, expectsError: expectsError, line: record.line)
            case let .query(query):
                queryOrdinal += 1
                if (queryOrdinal - 1) % runner.sampleStride != 0 { report.skipped += 1; continue }
                runQuery(query, line: record.line)
            }
        }
    }

    mutating func runStatement(_ sql: String, expectsError: Bool, line: Int) {
        var failure: String?
        do {
            _ = try connection.run(sql)
        } catch {
            failure = String(describing: error)
        }
        if (failure != nil) == expectsError {
            report.statementsOK += 1
        } else {
            report.statementsFailed += 1
            record(SQLLogicTestFailure(line: line, sql: sql, expected: expectsError ? "statement error" : "statement ok",
                                       got: failure == nil ? "success" : nil, error: failure))
        }
    }

    mutating func runQuery(_ query: SQLLogicTestQuery, line: Int) {
        report.queries += 1
        let columnCount = query.columnTypes.count
        var values: [String] = []
        var errorText: String?
        do {
            guard let result = try connection.run(query.sql) else { throw SQLLogicTestRunError.noResult }
            guard result.columns.count == columnCount else {
                throw SQLLogicTestRunError.columnCount(expected: columnCount, got: result.columns.count)
            }
            values.reserveCapacity(result.rowCount * columnCount)
            for batch in result.batches {
                for row in 0..<batch.count {
                    for column in 0..<columnCount {
                        values.append(SQLLogicTestValueRenderer.render(batch.columns[column].value(at: row), as: query.columnTypes[column]))
                    }
                }
            }
        } catch let error as TarnError where error.kind == .execution {
            // The reference fails a query only when it does not prepare; a runtime error just ends the rows.
            errorText = String(describing: error)
        } catch {
            fail(query, line: line, got: nil, error: String(describing: error))
            return
        }
        let result = SQLLogicTestResultSet(values: values, columnCount: columnCount).sorted(query.sortMode)
        guard result.matches(query.expected) else {
            fail(query, line: line, got: result.display(hashThreshold: hashThreshold), error: errorText)
            return
        }
        if let label = query.label {
            let hash = result.md5
            if let previous = labelHashes[label], previous != hash {
                fail(query, line: line, got: result.display(hashThreshold: hashThreshold),
                     error: "result differs from earlier queries labelled \(label)")
                return
            }
            labelHashes[label] = hash
        }
        report.passed += 1
    }

    mutating func fail(_ query: SQLLogicTestQuery, line: Int, got: String?, error: String?) {
        report.failed += 1
        record(SQLLogicTestFailure(line: line, sql: query.sql, expected: query.expected.display, got: got, error: error))
    }

    mutating func record(_ failure: SQLLogicTestFailure) {
        if report.failures.count < runner.maxRecordedFailures { report.failures.append(failure) }
    }
}

/// Why a query's result could not be compared.
enum SQLLogicTestRunError: Error, CustomStringConvertible {
    case noResult
    case columnCount(expected: Int, got: Int)

    var description: String {
        switch self {
        case .noResult: return "the query produced no result"
        case let .columnCount(expected, got): return "expected \(expected) columns, got \(got)"
        }
    }
}
