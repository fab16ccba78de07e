import Foundation
import Storage
import Tarn

/// What PostgreSQL clients send that Tarn's SQL does not speak: `SET` / `SHOW` of client parameters,
/// transaction control, `DISCARD` / `DEALLOCATE`, and `version()`, `current_database()` and friends.
/// Answers those statements itself or rewrites the text before Tarn sees it.
struct ClientCompatibility {
    /// Tarn's own settings (`SET` of these goes to the session; others are client parameters).
    static let tarnSettings: Set<String> = ["schema", "search_path", "dialect", "division_by_zero", "threads", "integer_overflow",
                                                  "max_recursion_depth", "memory_limit", "max_memory", "temp_directory",
                                                  "timezone", "time_zone"]

    /// Reported at startup (ParameterStatus) and by `SHOW`.
    var parameters: [String: String]
    let databaseName: String
    let userName: String

    init(databaseName: String, userName: String, serverVersion: String) {
        self.databaseName = databaseName
        self.userName = userName
        parameters = [
            "server_version": serverVersion,
            "server_encoding": "UTF8",
            "client_encoding": "UTF8",
            "DateStyle": "ISO, MDY",
            "TimeZone": "UTC",
            "integer_datetimes": "on",
            "standard_conforming_strings": "on",
            "IntervalStyle": "postgres",
            "is_superuser": "off",
            "application_name": "",
            "session_authorization": userName,
            "password_encryption": "scram-sha-256",
        ]
    }

    /// The parameters announced with ParameterStatus after authentication.
    static let announced = ["server_version", "server_encoding", "client_encoding", "DateStyle", "TimeZone",
                            "integer_datetimes", "standard_conforming_strings", "IntervalStyle", "is_superuser",
                            "application_name", "session_authorization"]

    /// How the server handles one statement's text.
    enum Action {
        /// Answered by the server: a result or a bare command tag.
        case answer(StatementResult)
        /// Transaction control: the tag to send and the transaction status after it.
        case transaction(tag: String, status: UInt8)
        /// A `SET` Tarn may know; if Tarn rejects the name, it is stored as a client parameter.
        case setting(name: String, value: String)
        /// Hand this (possibly rewritten) text to Tarn.
        case run(String)
    }

    func classify(_ text: String) -> Action {
        let words = text.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        let first = words.first.map { $0.lowercased() } ?? ""
        let second = words.count > 1 ? words[1].lowercased() : ""
        switch first {
        case "begin", "start":
            return .transaction(tag: "BEGIN", status: UInt8(ascii: "T"))
        case "commit", "end":
            return .transaction(tag: "COMMIT", status: UInt8(ascii: "I"))
        case "rollback" where second == "to":
            // ROLLBACK TO SAVEPOINT leaves the block open (and no longer failed).
            return .transaction(tag: "ROLLBACK", status: UInt8(ascii: "T"))
        case "rollback", "abort":
            return .transaction(tag: "ROLLBACK", status: UInt8(ascii: "I"))
        case "savepoint":
            return .answer(Self.tag("SAVEPOINT"))
        case "release":
            return .answer(Self.tag("RELEASE"))
        case "discard":
            return .answer(Self.tag("DISCARD ALL"))
        case "deallocate":
            return .answer(Self.tag("DEALLOCATE"))
        case "set":
            if let (name, value) = Self.parseSet(text) { return .setting(name: name, value: value) }
        case "reset" where second == "all":
            return .answer(Self.tag("RESET"))
        case "show":
            let name = text.dropFirst(4).trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
            if let value = showValue(name) { return .answer(Self.single(column: name.lowercased(), value: value)) }
        case "select":
            if let answer = selectOfFunction(text) { return .answer(answer) }
        default: break
        }
        return .run(Self.rewriteArraySubscripts(rewriteFunctions(text)))
    }

    /// `(expression)[n]` → `pg_array_element(expression, n)`: Tarn has no arrays, and the catalog's arrays are
    /// text (`{a,b}`); pgjdbc's `getSchemas` reads `(pg_catalog.current_schemas(true))[1]`, its type cache `(current_schemas(false))[s.r]`.
    /// One level of parentheses inside the expression is recognised.
    static func rewriteArraySubscripts(_ text: String) -> String {
        guard text.contains(")[") else { return text }
        let pattern = #"\(((?:[^()']|\([^()']*\))+)\)\[\s*([A-Za-z0-9_.]+)\s*\]"#
        // Only outside string literals: the text between quotes (every odd piece of a split on ') stays as written.
        let pieces = text.split(separator: "'", omittingEmptySubsequences: false)
        return pieces.enumerated().map { i, piece in
            i % 2 == 1 ? String(piece) : piece.replacingOccurrences(of: pattern, with: "pg_array_element($1, $2)", options: .regularExpression)
        }.joined(separator: "'")
    }

    /// The value `SHOW name` reports, or nil when it is not a client parameter (e.g. `SHOW TABLES`).
    func showValue(_ name: String) -> String? {
        let lower = name.lowercased()
        if lower == "transaction isolation level" || lower == "transaction_isolation" { return "read committed" }
        if lower == "search_path" { return nil }
        return parameters.first { $0.key.lowercased() == lower }?.value
    }

    /// `SET [SESSION|LOCAL] name {=|TO} value` → (name, value without quotes).
    static func parseSet(_ text: String) -> (String, String)? {
        var rest = text.trimmingCharacters(in: .whitespacesAndNewlines)
        rest = String(rest.dropFirst(3)).trimmingCharacters(in: .whitespaces)
        for prefix in ["session ", "local "] where rest.lowercased().hasPrefix(prefix) {
            rest = String(rest.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        let lower = rest.lowercased()
        if lower.hasPrefix("time zone ") {
            return ("TimeZone", unquote(String(rest.dropFirst(10))))
        }
        guard let nameEnd = rest.firstIndex(where: { $0 == " " || $0 == "=" }) else { return nil }
        let name = String(rest[..<nameEnd])
        var value = rest[nameEnd...].trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("=") { value = String(value.dropFirst()) } else if value.lowercased().hasPrefix("to ") { value = String(value.dropFirst(3)) } else { return nil }
        return (name, unquote(value))
    }

    static func unquote(_ s: String) -> String {
        var v = s.trimmingCharacters(in: .whitespaces)
        if v.hasSuffix(";") { v.removeLast() }
        if v.count >= 2, v.hasPrefix("'"), v.hasSuffix("'") { v = String(v.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") }
        return v
    }

    /// Stores a client parameter set with `SET`.
    mutating func set(_ name: String, _ value: String) {
        if let key = parameters.keys.first(where: { $0.lowercased() == name.lowercased() }) {
            parameters[key] = value
        } else {
            parameters[name] = value
        }
    }

    /// Functions answered from the connection, by lower-case name.
    func functionValue(_ name: String) -> String? {
        switch name {
        case "version": return "PostgreSQL \(parameters["server_version"] ?? "15.0")"
        case "current_database": return databaseName
        case "current_schema": return "main"
        case "current_user", "session_user", "user": return userName
        case "pg_backend_pid": return nil
        default: return nil
        }
    }

    static let rewritable = ["version", "current_database", "current_schema", "current_user", "session_user", "user"]
    /// The ones PostgreSQL also accepts without parentheses.
    static let bareKeywords: Set<String> = ["current_user", "session_user", "current_schema"]

    /// Whether `text` may call a function `rewriteFunctions` replaces: it holds `current_setting`, one of `rewritable`
    /// followed by `(` (or ` (`), or one of `bareKeywords`, in any case. One pass over the ASCII-lowercased bytes,
    /// comparing the names that start with the byte at hand (all start with c, v, s or u): every statement a client
    /// sends passes here, and Foundation's substring searches, one per name, cost more than planning a point lookup.
    static func mayNameRewritable(_ text: String) -> Bool {
        var lower = Array(text.utf8)
        for i in lower.indices where lower[i] >= 65 && lower[i] <= 90 { lower[i] |= 0x20 }
        let n = lower.count
        for start in 0 ..< n where lower[start] == UInt8(ascii: "c") || lower[start] == UInt8(ascii: "v")
            || lower[start] == UInt8(ascii: "s") || lower[start] == UInt8(ascii: "u") {
            for needle in rewriteNeedles where needle[0] == lower[start] && needle.count <= n - start {
                if lower[start ..< start + needle.count].elementsEqual(needle) { return true }
            }
        }
        return false
    }

    /// The byte strings `mayNameRewritable` looks for.
    private static let rewriteNeedles: [[UInt8]] = [Array("current_setting".utf8)]
        + rewritable.flatMap { [Array(($0 + "(").utf8), Array(($0 + " (").utf8)] }
        + bareKeywords.map { Array($0.utf8) }

    /// `SELECT version()` alone (optionally `pg_catalog.`-qualified): answered with the column PostgreSQL names.
    func selectOfFunction(_ text: String) -> StatementResult? {
        // Only a statement ending in `()` or `user` (before spaces and `;`) can be one: checked on the bytes first.
        let tail = text.utf8.reversed().drop(while: { $0 == 32 || ($0 >= 9 && $0 <= 13) || $0 == 59 }).prefix(4).map { $0 | 0x20 }
        guard tail.starts(with: [0x29, 0x28]) || tail.elementsEqual("resu".utf8) else { return nil }
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.hasSuffix(";") { t.removeLast() }
        var body = t.dropFirst(6).trimmingCharacters(in: .whitespaces).lowercased()
        if body.hasPrefix("pg_catalog.") { body = String(body.dropFirst(11)) }
        if body == "current_user" || body == "session_user" || body == "user" { body += "()" }
        guard body.hasSuffix("()") else { return nil }
        let name = String(body.dropLast(2)).trimmingCharacters(in: .whitespaces)
        guard Self.rewritable.contains(name), let value = functionValue(name) else { return nil }
        return Self.single(column: name, value: value)
    }

    /// Replaces calls like `version()` outside strings by string literals.
    func rewriteFunctions(_ text: String) -> String {
        guard Self.mayNameRewritable(text) else { return text }
        var out = ""
        var i = text.startIndex
        var quote: Character?
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                out.append(c)
                if c == q { quote = nil }
                i = text.index(after: i)
                continue
            }
            if c == "'" || c == "\"" { quote = c; out.append(c); i = text.index(after: i); continue }
            var matched = false
            if c == "c" || c == "C", let (value, end) = currentSetting(in: text, at: i) {
                out += value.map(ParameterLiteral.quote) ?? "NULL"
                i = end
                continue
            }
            if c.isLetter, i == text.startIndex || !(text[text.index(before: i)].isLetter || text[text.index(before: i)] == "_" || text[text.index(before: i)].isNumber) {
                for name in Self.rewritable {
                    for prefix in ["pg_catalog.", ""] {
                        let candidate = prefix + name
                        guard let end = text.index(i, offsetBy: candidate.count, limitedBy: text.endIndex),
                              text[i..<end].lowercased() == candidate else { continue }
                        var j = end
                        while j < text.endIndex, text[j] == " " { j = text.index(after: j) }
                        if prefix.isEmpty, Self.bareKeywords.contains(name), let value = functionValue(name),
                           i == text.startIndex || text[text.index(before: i)] != ".",
                           end == text.endIndex || !(text[end].isLetter || text[end].isNumber || text[end] == "_" || text[end] == "("),
                           j == text.endIndex || text[j] != "(" {
                            // PostgreSQL's `current_user` / `session_user` / `current_schema` are keywords, written without ().
                            out += ParameterLiteral.quote(value)
                            i = end
                            matched = true
                            break
                        }
                        guard j < text.endIndex, text[j] == "(" else { continue }
                        var k = text.index(after: j)
                        while k < text.endIndex, text[k] == " " { k = text.index(after: k) }
                        guard k < text.endIndex, text[k] == ")", let value = functionValue(name) else { continue }
                        out += ParameterLiteral.quote(value)
                        i = text.index(after: k)
                        matched = true
                        break
                    }
                    if matched { break }
                }
            }
            if !matched { out.append(c); i = text.index(after: i) }
        }
        return out
    }

    /// `current_setting('name')` at `i`: the parameter's value (nil when unknown) and where the call ends.
    private func currentSetting(in text: String, at i: String.Index) -> (String?, String.Index)? {
        let name = "current_setting"
        guard let end = text.index(i, offsetBy: name.count, limitedBy: text.endIndex), text[i..<end].lowercased() == name,
              i == text.startIndex || !(text[text.index(before: i)].isLetter || text[text.index(before: i)] == "_" || text[text.index(before: i)] == ".")
        else { return nil }
        var j = end
        func skipSpaces() { while j < text.endIndex, text[j] == " " { j = text.index(after: j) } }
        skipSpaces()
        guard j < text.endIndex, text[j] == "(" else { return nil }
        j = text.index(after: j)
        skipSpaces()
        guard j < text.endIndex, text[j] == "'" else { return nil }
        j = text.index(after: j)
        let start = j
        while j < text.endIndex, text[j] != "'" { j = text.index(after: j) }
        guard j < text.endIndex else { return nil }
        let setting = String(text[start..<j]).lowercased()
        j = text.index(after: j)
        skipSpaces()
        // SQLAlchemy 2.1 casts its bound parameters: `current_setting('name'::VARCHAR)`.
        if text[j...].hasPrefix("::") {
            j = text.index(j, offsetBy: 2)
            while j < text.endIndex, text[j].isLetter || text[j] == "_" { j = text.index(after: j) }
            skipSpaces()
        }
        guard j < text.endIndex, text[j] == ")" else { return nil }
        let value = setting == "server_version_num" ? "150000" : parameters.first { $0.key.lowercased() == setting }?.value
        return (value, text.index(after: j))
    }

    static func tag(_ tag: String) -> StatementResult { StatementResult(columns: [], batches: [], rowCount: 0, message: tag) }

    /// A one-row, one-column text result.
    static func single(column: String, value: String) -> StatementResult {
        let col = Column(type: .varchar, data: .string(StringArray([value])))
        return StatementResult(columns: [Field(name: column, type: .varchar)], batches: [Batch(columns: [col], count: 1)], rowCount: 1)
    }
}
