import XCTest
import Storage
@testable import SQL

/// Parses one expression and prints it as an S-expression.
func expr(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    do { return ASTPrinter.print(try Parser.parseExpression(text)) } catch {
        XCTFail("\(text): \(error)", file: file, line: line)
        return "<error>"
    }
}

/// Parses exactly one statement and prints it.
func stmt(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        let statements = try Parser.parse(text)
        XCTAssertEqual(statements.count, 1, "statement count for \(text)", file: file, line: line)
        return statements.first.map { ASTPrinter.print($0.statement) } ?? "<none>"
    } catch {
        XCTFail("\(text): \(error)", file: file, line: line)
        return "<error>"
    }
}

/// Asserts that parsing fails with a syntax error at `line`:`column` whose message contains `fragment`.
func assertSyntaxError(_ text: String, line: Int, column: Int, _ fragment: String = "",
                       file: StaticString = #filePath, at sourceLine: UInt = #line) {
    do {
        let result = try Parser.parse(text)
        XCTFail("expected a syntax error for \(text), got \(result.map { ASTPrinter.print($0.statement) })", file: file, line: sourceLine)
    } catch let error as TarnError {
        XCTAssertEqual(error.kind, .syntax, "\(error)", file: file, line: sourceLine)
        XCTAssertEqual(error.line, line, "line of \(error)", file: file, line: sourceLine)
        XCTAssertEqual(error.column, column, "column of \(error)", file: file, line: sourceLine)
        if !fragment.isEmpty {
            XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' should contain '\(fragment)'", file: file, line: sourceLine)
        }
    } catch {
        XCTFail("unexpected error type \(error)", file: file, line: sourceLine)
    }
}

/// The shared workload folder (tests using it are skipped when it is absent).
func workloadFile(_ name: String) throws -> String {
    let path = "/work/shared/workload/" + name
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw XCTSkip("\(path) not available") }
    return text
}
