/// A file-name pattern: `*` matches within one path segment, `**` any number of segments (also none),
/// `?` one character, `[abc]` a character class. Matched against '/'-separated relative paths.
public struct GlobPattern: Sendable {
    public let text: String
    private let pattern: [UInt8]

    public init(_ text: String) {
        self.text = text
        pattern = Array(text.utf8)
    }

    /// Whether the text contains glob characters at all.
    public static func hasWildcards(_ text: String) -> Bool { text.contains { "*?[".contains($0) } }

    public func matches(_ path: String) -> Bool {
        let s = Array(path.utf8)
        return match(0, s, 0)
    }

    private func match(_ pi: Int, _ s: [UInt8], _ si: Int) -> Bool {
        var pi = pi, si = si
        while pi < pattern.count {
            let c = pattern[pi]
            if c == UInt8(ascii: "*") {
                if pi + 1 < pattern.count, pattern[pi + 1] == UInt8(ascii: "*") {
                    // `**/` may match no segment at all.
                    var next = pi + 2
                    if next < pattern.count, pattern[next] == UInt8(ascii: "/") {
                        next += 1
                        if match(next, s, si) { return true }
                    }
                    var k = si
                    while k <= s.count {
                        if match(next, s, k) { return true }
                        k += 1
                    }
                    return false
                }
                var k = si
                while true {
                    if match(pi + 1, s, k) { return true }
                    if k >= s.count || s[k] == UInt8(ascii: "/") { return false }
                    k += 1
                }
            }
            guard si < s.count else { return false }
            if c == UInt8(ascii: "?") {
                guard s[si] != UInt8(ascii: "/") else { return false }
            } else if c == UInt8(ascii: "["), let close = pattern[(pi + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                var set = Array(pattern[(pi + 1)..<close])
                let negate = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                if negate { set.removeFirst() }
                var found = false
                var k = 0
                while k < set.count {
                    if k + 2 < set.count, set[k + 1] == UInt8(ascii: "-") {
                        if s[si] >= set[k] && s[si] <= set[k + 2] { found = true }
                        k += 3
                    } else {
                        if s[si] == set[k] { found = true }
                        k += 1
                    }
                }
                guard found != negate else { return false }
                pi = close
            } else if c != s[si] {
                return false
            }
            pi += 1
            si += 1
        }
        return si == s.count
    }
}
