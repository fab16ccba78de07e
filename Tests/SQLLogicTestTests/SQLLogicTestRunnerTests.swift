import XCTest
import Storage
import Execution
@testable import SQLLogicTest
import Tarn

/// The sqllogictest runner on small inline corpora, over a scripted fake engine (no SQL engine needed).
final class SQLLogicTestRunnerTests: XCTestCase {
    /// Answers SQL text with canned rows; records every statement it saw.
    final class ScriptedConnection: SQLLogicTestConnection {
        var answers: [String: [[Value]]] = [:]
        var failing: Set<String> = []
        var executionErrors: Set<String> = []
        var seen: [String] = []

        func run(_ sql: String) throws -> StatementResult? {
            seen.append(sql)
            if failing.contains(sql) { throw TarnError.syntax("scripted failure") }
            if executionErrors.contains(sql) { throw TarnError.execution("integer overflow") }
            guard let rows = answers[sql] else { return StatementResult(columns: [], batches: [], rowCount: 0, message: "OK") }
            let width = rows.first?.count ?? 1
            let fields = (0..<width).map { Field(name: "c\($0)", type: .bigint) }
            let batches = rows.map { row in
                Batch(columns: row.map { Column.constant($0, type: $0.isNull ? .bigint : $0.dataType, count: 1) }, count: 1)
            }
            return StatementResult(columns: fields, batches: batches, rowCount: rows.count)
        }
    }

    private func run(_ text: String, _ connection: ScriptedConnection, names: [String] = ["tarn"]) throws -> SQLLogicTestReport {
        let runner = SQLLogicTestRunner(engineNames: names)
        return runner.run(script: try SQLLogicTestParser.parse(text), name: "inline", dialect: .native, connection: connection)
    }

    // MARK: Parsing

    func testParsesRecordsGuardsCommentsAndCRLF() throws {
        let text = "hash-threshold 3\r\n\r\n# comment\r\nstatement ok\r\nCREATE TABLE t(a INTEGER)\r\n# inside\r\n\r\n"
            + "skipif mysql # note\r\nonlyif sqlite\r\nquery IT rowsort label-7\r\nSELECT a,\r\n b FROM t\r\n----\r\n1\r\nx\r\n  \r\n"
            + "statement error\r\nSELECT nope\r\n\r\nquery R\r\nSELECT 1.5\r\n----\r\n3 values hashing to 0123456789abcdef0123456789abcdef\r\n\r\nhalt\r\n"
        let script = try SQLLogicTestParser.parse(text)
        XCTAssertEqual(script.records.count, 6)
        XCTAssertEqual(script.records[5].kind, .halt)
        XCTAssertEqual(script.records[0].kind, .hashThreshold(3))
        XCTAssertEqual(script.records[1].kind, .statement(sql: "CREATE TABLE t(a INTEGER)", expectsError: false))
        XCTAssertEqual(script.records[1].line, 4)
        XCTAssertEqual(script.records[2].guards, [.skipIf("mysql"), .onlyIf("sqlite")])
        XCTAssertEqual(script.records[2].line, 10)
        XCTAssertEqual(script.records[2].kind, .query(SQLLogicTestQuery(
            columnTypes: [.integer, .text], sortMode: .rowSort, label: "label-7", sql: "SELECT a,\n b FROM t", expected: .values(["1", "x"]))))
        XCTAssertEqual(script.records[3].kind, .statement(sql: "SELECT nope", expectsError: true))
        guard case let .query(hashed) = script.records[4].kind else { return XCTFail("expected a query") }
        XCTAssertEqual(hashed.expected, .hash(valueCount: 3, md5: "0123456789abcdef0123456789abcdef"))
        XCTAssertEqual(hashed.sortMode, .noSort)
        XCTAssertNil(script.headerDialect)
    }

    func testQueryWithoutSeparatorExpectsNoValuesAndHeaderDialect() throws {
        let script = try SQLLogicTestParser.parse("# tarn: dialect=sqlite\nquery I nosort\nSELECT 1 WHERE 0\n")
        XCTAssertEqual(script.headerDialect, .sqlite)
        guard case let .query(q) = script.records[0].kind else { return XCTFail("expected a query") }
        XCTAssertEqual(q.expected, .values([]))
    }

    func testUnknownRecordTypeIsAnError() {
        XCTAssertThrowsError(try SQLLogicTestParser.parse("\nfrobnicate\nSELECT 1\n")) { error in
            XCTAssertEqual((error as? SQLLogicTestParseError)?.line, 2)
        }
    }

    // MARK: Rendering

    func testIntegerRendering() {
        let render = { (v: Value) in SQLLogicTestValueRenderer.render(v, as: .integer) }
        XCTAssertEqual(render(.null), "NULL")
        XCTAssertEqual(render(.bigint(-42)), "-42")
        XCTAssertEqual(render(.double(0.5)), "0")
        XCTAssertEqual(render(.double(-7.9)), "-7")
        XCTAssertEqual(render(.varchar("12abc")), "12")
        XCTAssertEqual(render(.varchar("abc")), "0")
        XCTAssertEqual(render(.boolean(true)), "1")
        XCTAssertEqual(render(.decimal(-12345, scale: 2)), "-123")
        XCTAssertEqual(render(.bigint(4_294_967_297)), "1", "the reference prints a 32-bit C int")
    }

    func testRealRendering() {
        let render = { (v: Value) in SQLLogicTestValueRenderer.render(v, as: .real) }
        XCTAssertEqual(render(.double(1.5)), "1.500")
        XCTAssertEqual(render(.double(-1.0 / 3.0)), "-0.333")
        XCTAssertEqual(render(.bigint(9)), "9.000")
        XCTAssertEqual(render(.bigint(Int64.min)), "-9223372036854776000.000")
        XCTAssertEqual(render(.double(12345678901234.567)), "12345678901234.570")
        XCTAssertEqual(render(.varchar("2.5x")), "2.500")
        XCTAssertEqual(render(.null), "NULL")
    }

    func testTextRendering() {
        let render = { (v: Value) in SQLLogicTestValueRenderer.render(v, as: .text) }
        XCTAssertEqual(render(.varchar("")), "(empty)")
        XCTAssertEqual(render(.varchar("héllo\t")), "h@@llo@")
        XCTAssertEqual(render(.varchar("plain")), "plain")
        XCTAssertEqual(render(.bigint(7)), "7")
        XCTAssertEqual(render(.double(2)), "2.0")
        XCTAssertEqual(render(.double(1.5)), "1.5")
        XCTAssertEqual(render(.null), "NULL")
    }

    // MARK: Sorting and hashing

    func testSortModesAreBytewise() {
        let set = SQLLogicTestResultSet(values: ["9", "b", "10", "a", "9", "a"], columnCount: 2)
        XCTAssertEqual(set.sorted(.rowSort).values, ["10", "a", "9", "a", "9", "b"])
        XCTAssertEqual(set.sorted(.valueSort).values, ["10", "9", "9", "a", "a", "b"])
        XCTAssertEqual(set.sorted(.noSort).values, set.values)
        XCTAssertTrue(SQLLogicTestResultSet.bytewiseLess("NULL", "a"))
        XCTAssertTrue(SQLLogicTestResultSet.bytewiseLess("-1", "0"))
    }

    func testHashIsMD5OfValuesWithNewlines() {
        XCTAssertEqual(SQLLogicTestResultSet(values: ["1", "2"], columnCount: 1).md5, "6ddb4095eb719e2a9f0a3f95677d24e0")
        XCTAssertEqual(SQLLogicTestResultSet(values: [], columnCount: 1).md5, "d41d8cd98f00b204e9800998ecf8427e")
        let set = SQLLogicTestResultSet(values: ["1", "2"], columnCount: 1)
        XCTAssertTrue(set.matches(.hash(valueCount: 2, md5: "6ddb4095eb719e2a9f0a3f95677d24e0")))
        XCTAssertFalse(set.matches(.hash(valueCount: 3, md5: "6ddb4095eb719e2a9f0a3f95677d24e0")))
    }

    // MARK: Running

    func testQueriesPassFailAndSortBeforeComparing() throws {
        let connection = ScriptedConnection()
        connection.answers["SELECT x"] = [[.bigint(2)], [.bigint(1)]]
        connection.answers["SELECT y"] = [[.bigint(2)], [.bigint(1)]]
        let report = try run("query I rowsort\nSELECT x\n----\n1\n2\n\nquery I nosort\nSELECT y\n----\n1\n2\n", connection)
        XCTAssertEqual(report.queries, 2)
        XCTAssertEqual(report.passed, 1)
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(report.failures.first?.line, 7)
        XCTAssertEqual(report.failures.first?.got, "2\n1")
    }

    func testHashedExpectation() throws {
        let connection = ScriptedConnection()
        connection.answers["SELECT x"] = [[.bigint(2)], [.bigint(1)]]
        let report = try run("query I valuesort\nSELECT x\n----\n2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0\n", connection)
        XCTAssertEqual(report.passed, 1)
    }

    func testColumnCountMismatchFails() throws {
        let connection = ScriptedConnection()
        connection.answers["SELECT x"] = [[.bigint(1)]]
        let report = try run("query II\nSELECT x\n----\n1\n1\n", connection)
        XCTAssertEqual(report.failed, 1)
        XCTAssertTrue(report.failures.first?.error?.contains("columns") ?? false)
    }

    func testStatementsAndMultipleStatementsPerRecord() throws {
        let connection = ScriptedConnection()
        connection.failing = ["SELECT bad"]
        let report = try run("statement ok\nCREATE TABLE t(a INT);\nINSERT INTO t VALUES(1)\n\nstatement error\nSELECT bad\n\n"
            + "statement error\nSELECT 1\n\nstatement ok\nSELECT bad\n", connection)
        XCTAssertEqual(report.statementsOK, 2)
        XCTAssertEqual(report.statementsFailed, 2)
        XCTAssertEqual(connection.seen.first, "CREATE TABLE t(a INT);\nINSERT INTO t VALUES(1)")
    }

    func testRuntimeErrorEndsTheRowsLikeTheReference() throws {
        let connection = ScriptedConnection()
        connection.executionErrors = ["SELECT sum(x) FROM t1"]
        let report = try run("query I nosort\nSELECT sum(x) FROM t1\n----\n", connection)
        XCTAssertEqual(report.passed, 1)
    }

    func testGuardsAndHalt() throws {
        let text = "onlyif mysql\nquery I\nSELECT 1\n----\n1\n\nskipif sqlite\nquery I\nSELECT 2\n----\n2\n\n"
            + "onlyif sqlite\nquery I\nSELECT 3\n----\n3\n\nskipif tarn\nquery I\nSELECT 4\n----\n4\n\n"
            + "onlyif SQLite\nhalt\n\nquery I\nSELECT 5\n----\n5\n"
        for (names, expectedQueries) in [(["tarn"], ["SELECT 2", "SELECT 5"]), (["tarn", "sqlite"], ["SELECT 3"])] {
            let connection = ScriptedConnection()
            for i in 1...5 { connection.answers["SELECT \(i)"] = [[.bigint(Int64(i))]] }
            let report = try run(text, connection, names: names)
            XCTAssertEqual(connection.seen, expectedQueries, "\(names)")
            XCTAssertEqual(report.queries, expectedQueries.count)
            XCTAssertEqual(report.passed, expectedQueries.count)
            XCTAssertEqual(report.skipped, 5 - expectedQueries.count)
        }
    }

    func testLabelsMustAgreeWithinAFile() throws {
        let connection = ScriptedConnection()
        connection.answers["SELECT a"] = [[.bigint(1)]]
        connection.answers["SELECT b"] = [[.bigint(1)]]
        connection.answers["SELECT c"] = [[.bigint(2)]]
        let text = "query I nosort x1\nSELECT a\n----\n1\n\nquery I nosort x1\nSELECT b\n\nquery I nosort x1\nSELECT c\n"
        let report = try run(text, connection)
        // `SELECT b` has no expected block: zero values expected, it fails on its own; `SELECT c` likewise.
        XCTAssertEqual(report.passed, 1)
        let labelled = "query I nosort x1\nSELECT a\n----\n1\n\nquery I nosort x1\nSELECT c\n----\n2\n"
        let labelReport = try run(labelled, connection)
        XCTAssertEqual(labelReport.failed, 1)
        XCTAssertTrue(labelReport.failures.first?.error?.contains("labelled x1") ?? false)
    }

    func testSamplingRunsEveryKthQuery() throws {
        let connection = ScriptedConnection()
        for i in 1...5 { connection.answers["SELECT \(i)"] = [[.bigint(Int64(i))]] }
        let text = (1...5).map { "query I\nSELECT \($0)\n----\n\($0)\n" }.joined(separator: "\n")
        let runner = SQLLogicTestRunner(sampleStride: 2)
        let report = runner.run(script: try SQLLogicTestParser.parse(text), name: "s", dialect: .native, connection: connection)
        XCTAssertEqual(connection.seen, ["SELECT 1", "SELECT 3", "SELECT 5"])
        XCTAssertEqual(report.skipped, 2)
    }

    func testDialectSetsSQLiteSemantics() {
        var settings = SessionSettings()
        SQLLogicTestDialect.sqlite.apply(to: &settings)
        XCTAssertTrue(settings.sqliteCompatible)
        XCTAssertTrue(settings.divisionByZeroIsNull)
        var native = SessionSettings()
        SQLLogicTestDialect.native.apply(to: &native)
        XCTAssertFalse(native.sqliteCompatible)
    }
}
