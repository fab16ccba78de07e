import XCTest
import Storage
@testable import SQL

final class ErrorReportingTests: XCTestCase {
    func testUnexpectedTokenAfterSelectList() {
        assertSyntaxError("SELECT a, b x\nFRO t", line: 2, column: 1, "unexpected 'FRO' after the select list; expected ")
        assertSyntaxError("SELECT a b c FROM t", line: 1, column: 12, "'c'")
    }

    func testPositions() {
        assertSyntaxError("SELECT * FROM t WHERE", line: 1, column: 22, "end of input")
        assertSyntaxError("SELECT (1 + 2", line: 1, column: 14, "expected an operator or ')'")
        assertSyntaxError("SELECT 1 +\n\n   * 2", line: 3, column: 4, "expected an expression")
        assertSyntaxError("SELEC 1", line: 1, column: 1, "'SELEC'")
        assertSyntaxError("SELECT é, FROM t", line: 1, column: 11, "'FROM'")
        assertSyntaxError("CREATE TABLE t (a INT", line: 1, column: 22, "')'")
        assertSyntaxError("SELECT * FROM a LEFT b", line: 1, column: 22, "JOIN")
        assertSyntaxError("SELECT CASE WHEN 1 THEN 2", line: 1, column: 26, "END")
        assertSyntaxError("SELECT 1 2", line: 1, column: 10)
        assertSyntaxError("INSERT t VALUES (1)", line: 1, column: 8, "INTO or OVERWRITE")
    }

    func testTablePropertyValuesMustBeLiterals() {
        let message = "the value of table property 'deletion_vectors' must be a string, boolean or number literal"
        assertSyntaxError("CREATE TABLE t (a INT) TBLPROPERTIES ('deletion_vectors' = NULL)", line: 1, column: 60, message)
        assertSyntaxError("CREATE TABLE t\nTBLPROPERTIES ('x' = 'y',\n  'deletion_vectors' = lower('TRUE')) AS SELECT 1", line: 3, column: 24, message)
        assertSyntaxError("CREATE TABLE t (a INT) WITH (deletion_vectors = NULL)", line: 1, column: 49, message)
        assertSyntaxError("ALTER TABLE t SET TBLPROPERTIES ('deletion_vectors' = 1 + 1)", line: 1, column: 55, message)
        // A connector option of Trino's may be anything, but not missing.
        assertSyntaxError("CREATE TABLE t (a INT) WITH (format = )", line: 1, column: 39, "a value")
        assertSyntaxError("CREATE TABLE t (a INT) WITH (fillfactor = 70, deletion_vectors)", line: 1, column: 47, message)
    }

    func testUnterminatedTokensReportTheirStart() {
        assertSyntaxError("SELECT 'abc", line: 1, column: 8, "unterminated string literal")
        assertSyntaxError("SELECT 1,\n  \"abc", line: 2, column: 3, "unterminated quoted identifier")
        assertSyntaxError("SELECT 1 /* never\n closed", line: 1, column: 10, "unterminated comment")
        assertSyntaxError("SELECT `x", line: 1, column: 8, "unterminated quoted identifier")
        assertSyntaxError("SELECT 1 # 2", line: 1, column: 10, "unexpected character")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertThrowsError(try Parser.parse("SELECT " + deep)) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .syntax)
            XCTAssertEqual((error as? TarnError)?.message, "expression nested too deeply")
            XCTAssertEqual((error as? TarnError)?.line, 1)
        }
        XCTAssertNoThrow(try Parser.parse("SELECT " + String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)))
        let subqueries = String(repeating: "(SELECT ", count: 1000) + "1" + String(repeating: ")", count: 1000)
        XCTAssertThrowsError(try Parser.parse("SELECT " + subqueries))
        let chain = "SELECT " + String(repeating: "- ", count: 20000) + "1"
        XCTAssertNoThrow(try Parser.parse(chain))
        let cases = "SELECT " + String(repeating: "CASE WHEN 1 THEN ", count: 2000) + "1"
        XCTAssertThrowsError(try Parser.parse(cases))
        let nots = "SELECT " + String(repeating: "NOT ", count: 20000) + "1"
        XCTAssertNoThrow(try Parser.parse(nots))
        let plusNot = "SELECT " + String(repeating: "1 + NOT ", count: 2000) + "1"
        XCTAssertThrowsError(try Parser.parse(plusNot))
    }

    func testFuzzNeverTraps() {
        var generator = SplitMix64(seed: 12345)
        let pieces = ["SELECT", "FROM", "WHERE", "(", ")", ",", "'", "\"", "--", "/*", "*/", "a", "1", "1.5", "1e5", "+", "-", "*",
                      "CASE", "WHEN", "THEN", "END", "AND", "OR", "NOT", "IN", "BETWEEN", "IS", "NULL", "JOIN", "ON", "AS", "::",
                      "=", "<>", ";", "OVER", "PARTITION", "BY", "ORDER", "CREATE", "TABLE", "VIEW", "INSERT", "INTO", "VALUES",
                      "WITH", "UNION", "CAST", "INTERVAL", "DATE", "'x'", "`", "é", "\n", "[", "]", "ARRAY", "=>", "TABLE", "COPY"]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 30) {
                text += pieces[Int(generator.next() % UInt64(pieces.count))] + (generator.next() % 3 == 0 ? "" : " ")
            }
            _ = try? Parser.parse(text)
            _ = StatementSplitter.split(text)
        }
        for _ in 0..<2000 {
            let bytes = (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Parser.parse(text)
            _ = try? Parser.parseExpression(text)
            _ = StatementSplitter.isComplete(text)
        }
    }

    func testEveryPrefixOfTheWorkloadParsesOrThrows() throws {
        for name in ["athena_views.sql"] {
            let bytes = Array(try workloadFile(name).utf8)
            var index = 0
            while index <= bytes.count {
                let prefix = String(decoding: bytes[0..<index], as: UTF8.self)
                do { _ = try Parser.parse(prefix) } catch let error as TarnError {
                    XCTAssertEqual(error.kind, .syntax)
                    XCTAssertNotNil(error.line)
                }
                _ = StatementSplitter.split(prefix)
                index += 1
            }
        }
    }
}

/// Small deterministic generator for the fuzz tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// The depth limit must keep parsing within a small (512 KB) thread stack, even in debug builds.
final class StackDepthTests: XCTestCase {
    func testMaximumNestingFitsInASmallStack() {
        let depth = SQLParser.maximumDepth
        let inputs = [
            "SELECT " + String(repeating: "(", count: depth * 2) + "1" + String(repeating: ")", count: depth * 2),
            "SELECT " + String(repeating: "(SELECT ", count: depth) + "1" + String(repeating: ")", count: depth),
            "SELECT " + String(repeating: "abs(", count: depth * 2) + "1" + String(repeating: ")", count: depth * 2),
            "SELECT " + String(repeating: "CASE WHEN 1 THEN ", count: depth * 2) + "1" + String(repeating: " END", count: depth * 2),
            "SELECT * FROM " + String(repeating: "(", count: depth * 2) + "t" + String(repeating: ")", count: depth * 2),
            "SELECT " + String(repeating: "1 IN (", count: depth * 2) + "1" + String(repeating: ")", count: depth * 2),
            "SELECT " + String(repeating: "- (", count: depth * 2) + "1" + String(repeating: ")", count: depth * 2),
        ]
        let done = expectation(description: "parsed on a small stack")
        nonisolated(unsafe) var outcomes: [Bool] = []
        let thread = Thread {
            for input in inputs { outcomes.append((try? Parser.parse(input)) != nil) }
            done.fulfill()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        wait(for: [done], timeout: 60)
        XCTAssertEqual(outcomes.count, inputs.count)
        XCTAssertFalse(outcomes.contains(true), "all of these exceed the depth limit and must be rejected")
    }
}
