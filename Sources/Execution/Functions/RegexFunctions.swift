import Foundation
import Storage

/// regexp_like(s, pattern), regexp_extract(s, pattern[, group]), regexp_replace(s, pattern[, replacement]),
/// regexp_count(s, pattern), regexp_position(s, pattern[, start[, occurrence]])
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
            FunctionDefinition("regexp_count", [Overload([.varchar, .varchar], .bigint) { a, n, _ in
                try RowwiseKernels.integers(a, n) { x, i in
                    let s = x.string(0, i)
                    return Int64(try RegexCache.shared.regex(x.string(1, i)).numberOfMatches(in: s, range: NSRange(s.startIndex..., in: s)))
                }
            }]),
            FunctionDefinition("regexp_position", [
                Overload([.varchar, .varchar], .bigint) { a, n, _ in try position(a, n) },
                Overload([.varchar, .varchar, .bigint], .bigint) { a, n, _ in try position(a, n) },
                Overload([.varchar, .varchar, .bigint, .bigint], .bigint) { a, n, _ in try position(a, n) },
            ]),
        ]
    }

    /// Trino's `regexp_position(s, pattern [, start [, occurrence]])`: the character position (from 1) where the
    /// `occurrence`-th match at or after `start` begins, or -1.
    static func position(_ a: [Column], _ n: Int) throws -> Column {
        try RowwiseKernels.integers(a, n) { x, i in
            let s = x.string(0, i)
            let start = a.count > 2 ? x.int(2, i) : 1, occurrence = a.count > 3 ? x.int(3, i) : 1
            guard start >= 1 else { throw TarnError(.execution, "regexp_position: start must be positive (got \(start))") }
            guard occurrence >= 1 else { throw TarnError(.execution, "regexp_position: occurrence must be positive (got \(occurrence))") }
            let scalars = s.unicodeScalars
            guard start <= Int64(scalars.count) else { return -1 }
            let from = scalars.index(scalars.startIndex, offsetBy: Int(start - 1))
            let matches = try RegexCache.shared.regex(x.string(1, i)).matches(in: s, range: NSRange(from..., in: s))
            guard occurrence <= Int64(matches.count), let r = Range(matches[Int(occurrence - 1)].range, in: s) else { return -1 }
            return Int64(scalars[..<r.lowerBound].count + 1)
        }
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
