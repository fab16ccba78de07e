import XCTest
import Storage
@testable import SQL

/// Parses the SQL of the SQLite sqllogictest corpus (the records a `tarn`+`sqlite` runner executes).
final class SQLLogicCorpusTests: XCTestCase {
    static let root = packageRoot.appendingPathComponent("testdata/sqllogictest/sqlite").path + "/"

    /// The SQL texts of `statement ok` and `query` records not guarded by `onlyif <other engine>`.
    static func statements(in relativePath: String) throws -> [String] {
        let text = try String(contentsOfFile: root + relativePath, encoding: .utf8)
        var result: [String] = []
        var record: [String] = []
        func flush() {
            defer { record.removeAll() }
            var skip = false
            var index = 0
            while index < record.count, record[index].hasPrefix("skipif") || record[index].hasPrefix("onlyif") {
                let words = record[index].split(separator: " ")
                if words.first == "onlyif", words.count > 1, words[1] != "sqlite" { skip = true }
                index += 1
            }
            guard !skip, index < record.count else { return }
            let header = record[index]
            guard header.hasPrefix("statement ok") || header.hasPrefix("query") else { return }
            var sql: [String] = []
            for line in record[(index + 1)...] {
                if line == "----" { break }
                sql.append(line)
            }
            if !sql.isEmpty { result.append(sql.joined(separator: "\n")) }
        }
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.hasPrefix("#") { continue }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { flush() } else { record.append(line) }
        }
        flush()
        return result
    }

    func parseAll(_ paths: [String], minimum: Int) throws {
        var count = 0
        var failures: [String] = []
        let start = Date()
        for path in paths {
            for sql in try SQLLogicCorpusTests.statements(in: path) {
                count += 1
                do { _ = try Parser.parse(sql) } catch let error as TarnError where error.kind == .unsupported {
                    continue
                } catch {
                    failures.append("\(path): \(sql)\n    \(error)")
                }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("parsed \(count) corpus statements in \(String(format: "%.2f", seconds)) s")
        XCTAssertGreaterThanOrEqual(count, minimum)
        XCTAssertEqual(failures.count, 0, failures.prefix(10).joined(separator: "\n"))
    }

    func testSelectAndEvidenceFilesParse() throws {
        try parseAll(["select1.test", "select2.test", "select3.test", "evidence/in1.test", "evidence/slt_lang_aggfunc.test"], minimum: 5000)
    }

    func testRandomFilesParse() throws {
        try parseAll(["random/expr/slt_good_0.test", "random/aggregates/slt_good_129.test", "random/groupby/slt_good_0.test"],
                     minimum: 20000)
    }
}
