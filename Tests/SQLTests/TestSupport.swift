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

/// The package's root folder (this file is `Tests/SQLTests/TestSupport.swift`).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A file of the users' workload, vendored in `testdata/workload/`.
func workloadFile(_ name: String) throws -> String {
    let url = packageRoot.appendingPathComponent("testdata/workload").appendingPathComponent(name)
    return try String(contentsOf: url, encoding: .utf8)
}
