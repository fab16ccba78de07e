import Tarn
import Foundation

/// A sqllogictest script that does not follow the record format.
public struct SQLLogicTestParseError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// Parses sqllogictest text into records (see `testdata/sqllogictest/README.md` for the format).
public enum SQLLogicTestParser {
    /// Parses a whole script. Lines may end in `\n` or `\r\n`; `#` comments in column 1 are dropped.
    public static func parse(_ text: String) throws -> SQLLogicTestScript {
        var records: [SQLLogicTestRecord] = []
        var headerDialect: SQLLogicTestDialect?
        // Group the non-comment lines into blocks separated by blank lines, keeping line numbers.
        var block: [(number: Int, text: Substring)] = []
        var lineNumber = 0
        func flush() throws {
            defer { block.removeAll(keepingCapacity: true) }
            guard !block.isEmpty else { return }
            records.append(try parseRecord(block))
        }
        // Split on scalars, not Characters: "\r\n" is one Character and would not split on "\n".
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(rawLine.last == "\r" ? rawLine.dropLast() : rawLine)
            if line.first == "#" {
                if let dialect = dialectDirective(line) { headerDialect = dialect }
                continue
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                try flush()
                continue
            }
            block.append((lineNumber, line))
        }
        try flush()
        return SQLLogicTestScript(records: records, headerDialect: headerDialect)
    }

    /// `# tarn: dialect=sqlite` (spaces optional) names the semantics the file's results encode.
    static func dialectDirective(_ line: Substring) -> SQLLogicTestDialect? {
        let compact = line.dropFirst().filter { $0 != " " && $0 != "\t" }.lowercased()
        guard compact.hasPrefix("tarn:dialect=") else { return nil }
        return SQLLogicTestDialect(rawValue: String(compact.dropFirst("tarn:dialect=".count)))
    }

    private static func tokens(_ line: Substring) -> [Substring] {
        Array(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(4))
    }

    private static func parseRecord(_ lines: [(number: Int, text: Substring)]) throws -> SQLLogicTestRecord {
        var guards: [SQLLogicTestGuard] = []
        var index = 0
        while index < lines.count {
            let words = tokens(lines[index].text)
            guard let first = words.first?.lowercased(), first == "skipif" || first == "onlyif" else { break }
            guard words.count >= 2 else { throw SQLLogicTestParseError(line: lines[index].number, message: "\(first) without a database name") }
            let name = String(words[1]).lowercased()
            guards.append(first == "skipif" ? .skipIf(name) : .onlyIf(name))
            index += 1
        }
        guard index < lines.count else {
            throw SQLLogicTestParseError(line: lines[lines.count - 1].number, message: "guard without a record")
        }
        let header = lines[index]
        let words = tokens(header.text)
        let body = lines[(index + 1)...].map(\.text)
        let kind: SQLLogicTestRecord.Kind
        switch words.first?.lowercased() ?? "" {
        case "statement":
            let mode = words.count > 1 ? words[1].lowercased() : ""
            guard mode == "ok" || mode == "error" else {
                throw SQLLogicTestParseError(line: header.number, message: "expected `statement ok` or `statement error`")
            }
            kind = .statement(sql: body.joined(separator: "\n"), expectsError: mode == "error")
        case "query":
            kind = .query(try parseQuery(words: words, body: body, line: header.number))
        case "hash-threshold":
            guard words.count > 1, let threshold = Int(words[1]), threshold >= 0 else {
                throw SQLLogicTestParseError(line: header.number, message: "hash-threshold needs a non-negative number")
            }
            kind = .hashThreshold(threshold)
        case "halt":
            kind = .halt
        default:
            throw SQLLogicTestParseError(line: header.number, message: "unknown record type `\(header.text)`")
        }
        return SQLLogicTestRecord(line: header.number, guards: guards, kind: kind)
    }

    private static func parseQuery(words: [Substring], body: [Substring], line: Int) throws -> SQLLogicTestQuery {
        guard words.count > 1 else { throw SQLLogicTestParseError(line: line, message: "query without column types") }
        var types: [SQLLogicTestColumnType] = []
        for letter in words[1] {
            guard let type = SQLLogicTestColumnType(rawValue: Character(letter.uppercased())) else {
                throw SQLLogicTestParseError(line: line, message: "unknown column type `\(letter)`")
            }
            types.append(type)
        }
        var sortMode = SQLLogicTestSortMode.noSort
        if words.count > 2 {
            guard let mode = SQLLogicTestSortMode(rawValue: words[2].lowercased()) else {
                throw SQLLogicTestParseError(line: line, message: "unknown sort mode `\(words[2])`")
            }
            sortMode = mode
        }
        let label = words.count > 3 ? String(words[3]) : nil
        let separator = body.firstIndex(of: "----")
        let sqlLines = separator.map { body[body.startIndex..<$0] } ?? body[...]
        let valueLines = separator.map { body[($0 + 1)...] } ?? []
        return SQLLogicTestQuery(columnTypes: types, sortMode: sortMode, label: label,
                                 sql: sqlLines.joined(separator: "\n"), expected: expectedResult(Array(valueLines)))
    }

    /// One line `N values hashing to <md5>` is a hash; anything else is a list of values.
    static func expectedResult(_ lines: [Substring]) -> SQLLogicTestExpectedResult {
        if lines.count == 1 {
            let parts = lines[0].split(separator: " ")
            if parts.count == 5, parts[1] == "values", parts[2] == "hashing", parts[3] == "to",
               let count = Int(parts[0]), count >= 0, parts[4].count == 32,
               parts[4].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                return .hash(valueCount: count, md5: String(parts[4]))
            }
        }
        return .values(lines.map(String.init))
    }
}
