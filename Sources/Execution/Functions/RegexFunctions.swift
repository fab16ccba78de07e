import Foundation
import Storage

/// regexp_like(s, pattern), regexp_extract(s, pattern[, group]), regexp_replace(s, pattern[, replacement])
/// on NSRegularExpression (ICU syntax; `$1` in replacements). Compiled patterns are cached process-wide.
enum RegexFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("regexp_like", [Overload([.varchar, .varchar], .boolean) { a, n, _ in
                let access = try StringFunctions.RowAccess(a, n)
                let rows = (0..<n).map { Int32($0) }
                let v = try ColumnKernels.map(rows, access.validity, placeholder: false) { i in
                    let s = access.strings(Int(i))
                    let regex = try RegexCache.shared.regex(s[1])
                    return regex.firstMatch(in: s[0], range: NSRange(s[0].startIndex..., in: s[0])) != nil
                }
                return Column(type: .boolean, data: .bool(v), validity: access.validity)
            }]),
            FunctionDefinition("regexp_extract", [
                Overload([.varchar, .varchar], .varchar) { a, n, _ in try extract(a, n) },
                Overload([.varchar, .varchar, .bigint], .varchar) { a, n, _ in try extract(a, n) },
            ]),
            FunctionDefinition("regexp_replace", [
                Overload([.varchar, .varchar], .varchar) { a, n, _ in try replace(a, n) },
                Overload([.varchar, .varchar, .varchar], .varchar) { a, n, _ in try replace(a, n) },
            ]),
        ]
    }

    /// First match (or capture group `group`); NULL when there is no match.
    static func extract(_ a: [Column], _ n: Int) throws -> Column {
        try StringFunctions.rowwiseString(a, n) { s, ints in
            let regex = try RegexCache.shared.regex(s[1])
            let group = a.count > 2 ? Int(ints[2]) : 0
            guard group >= 0, group <= regex.numberOfCaptureGroups else {
                throw TarnError(.execution, "regexp_extract: pattern has \(regex.numberOfCaptureGroups) groups, cannot access group \(group)")
            }
            guard let match = regex.firstMatch(in: s[0], range: NSRange(s[0].startIndex..., in: s[0])),
                  let r = Range(match.range(at: group), in: s[0]) else { return nil }
            return String(s[0][r])
        }
    }

    static func replace(_ a: [Column], _ n: Int) throws -> Column {
        try StringFunctions.rowwiseString(a, n) { s, _ in
            let regex = try RegexCache.shared.regex(s[1])
            return regex.stringByReplacingMatches(in: s[0], range: NSRange(s[0].startIndex..., in: s[0]), withTemplate: a.count > 2 ? s[2] : "")
        }
    }
}

/// Thread-safe cache of compiled regular expressions.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    func regex(_ pattern: String) throws -> NSRegularExpression {
        lock.lock()
        if let r = compiled[pattern] { lock.unlock(); return r }
        lock.unlock()
        let r: NSRegularExpression
        do { r = try NSRegularExpression(pattern: pattern) } catch {
            throw TarnError(.execution, "invalid regular expression '\(pattern)'")
        }
        lock.lock()
        if compiled.count > 1000 { compiled.removeAll() }
        compiled[pattern] = r
        lock.unlock()
        return r
    }
}
