import Foundation
import Storage

/// A compiled SQL LIKE pattern matched on UTF-8 bytes: `%` any sequence, `_` exactly one character
/// (code point), optional escape character. Patterns that are a plain string, a prefix, a suffix or a
/// substring (`abc`, `abc%`, `%abc`, `%abc%`) take memcmp / substring fast paths; other patterns without `_`
/// (`%special%requests%`, `a%b%c`) are literal segments found in order.
struct LikeMatcher: Sendable {
    enum Token: Equatable, Sendable { case byte(UInt8), anyCharacter, anySequence }
    enum Shape: Sendable {
        case exact([UInt8]), prefix([UInt8]), suffix([UInt8]), contains([UInt8])
        /// Literal segments separated by `%`: `head` anchored at the start (empty when the pattern starts with `%`),
        /// `middle` found left to right, `tail` anchored at the end (empty when the pattern ends with `%`).
        case segments(head: [UInt8], middle: [[UInt8]], tail: [UInt8])
        case general
    }

    let tokens: [Token]
    let shape: Shape
    let caseInsensitive: Bool

    init(pattern: String, escape: String?, caseInsensitive: Bool = false) throws {
        self.caseInsensitive = caseInsensitive
        let text = caseInsensitive ? pattern.lowercased() : pattern
        var escapeScalar: Unicode.Scalar? = nil
        if let escape {
            let scalars = Array(escape.unicodeScalars)
            guard scalars.count == 1 else { throw TarnError(.execution, "LIKE escape must be a single character, got '\(escape)'") }
            escapeScalar = scalars[0]
        }
        var tokens: [Token] = []
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                guard scalar == "%" || scalar == "_" || scalar == escapeScalar else {
                    throw TarnError(.execution, "escape character must be followed by '%', '_' or the escape character")
                }
                tokens += String(scalar).utf8.map { Token.byte($0) }
                escaping = false
            } else if scalar == escapeScalar {
                escaping = true
            } else if scalar == "%" {
                if tokens.last != .anySequence { tokens.append(.anySequence) }
            } else if scalar == "_" {
                tokens.append(.anyCharacter)
            } else {
                tokens += String(scalar).utf8.map { Token.byte($0) }
            }
        }
        if escaping { throw TarnError(.execution, "LIKE pattern must not end with the escape character") }
        self.tokens = tokens
        self.shape = LikeMatcher.classify(tokens)
    }

    private static func classify(_ tokens: [Token]) -> Shape {
        func literal(_ slice: ArraySlice<Token>) -> [UInt8]? {
            var out: [UInt8] = []
            for t in slice { guard case let .byte(b) = t else { return nil }; out.append(b) }
            return out
        }
        let leading = tokens.first == .anySequence, trailing = tokens.last == .anySequence && tokens.count > 1
        let inner = tokens[(leading ? 1 : 0)..<(tokens.count - (trailing ? 1 : 0))]
        guard let bytes = literal(inner) else { return segments(tokens) ?? .general }
        switch (leading, trailing) {
        case (false, false): return .exact(bytes)
        case (false, true): return .prefix(bytes)
        case (true, false): return .suffix(bytes)
        case (true, true): return .contains(bytes)
        }
    }

    /// The `.segments` shape of a pattern made of literal bytes and `%` only (nil when it has `_`).
    private static func segments(_ tokens: [Token]) -> Shape? {
        var parts: [[UInt8]] = [[]]
        for t in tokens {
            switch t {
            case let .byte(b): parts[parts.count - 1].append(b)
            case .anySequence: parts.append([])
            case .anyCharacter: return nil
            }
        }
        // At least two parts, since the pattern has a `%` (a pattern without one is `.exact`).
        guard parts.count >= 2, let head = parts.first, let tail = parts.last else { return nil }
        return .segments(head: head, middle: parts.dropFirst().dropLast().filter { !$0.isEmpty }, tail: tail)
    }

    /// Whether `input` (UTF-8) matches. For ILIKE the input is lower-cased first.
    func matches(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        if caseInsensitive {
            let lowered = Array(String(decoding: input, as: UTF8.self).lowercased().utf8)
            return lowered.withUnsafeBufferPointer { matchesCased($0) }
        }
        return matchesCased(input)
    }

    private func matchesCased(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        switch shape {
        case let .exact(b): return s.count == b.count && Self.equal(s, 0, b)
        case let .prefix(b): return s.count >= b.count && Self.equal(s, 0, b)
        case let .suffix(b): return s.count >= b.count && Self.equal(s, s.count - b.count, b)
        case let .contains(b): return Self.find(b, in: s, from: 0) != nil
        case let .segments(head, middle, tail):
            // Leftmost matches of each segment in order are optimal: a later start can only leave less room.
            guard s.count >= head.count + tail.count, Self.equal(s, 0, head), Self.equal(s, s.count - tail.count, tail) else { return false }
            let end = s.count - tail.count
            var position = head.count
            for segment in middle {
                guard let found = Self.find(segment, in: UnsafeBufferPointer(rebasing: s[..<end]), from: position) else { return false }
                position = found + segment.count
            }
            return true
        case .general: return matchGeneral(s)
        }
    }

    @inline(__always) private static func equal(_ s: UnsafeBufferPointer<UInt8>, _ offset: Int, _ b: [UInt8]) -> Bool {
        for k in 0..<b.count where s[offset + k] != b[k] { return false }
        return true
    }

    /// Offset of the first occurrence of `needle` in `s` at or after `start`: the vectorised `memchr` finds each
    /// candidate first byte, then the rest is compared.
    private static func find(_ needle: [UInt8], in s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        if needle.isEmpty { return start <= s.count ? start : nil }
        guard let base = s.baseAddress else { return nil }
        let first = Int32(needle[0]), last = s.count - needle.count
        var i = start
        while i <= last {
            guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
            let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if equal(s, offset, needle) { return offset }
            i = offset + 1
        }
        return nil
    }

    /// Length of the UTF-8 sequence starting with `lead` (1 for invalid lead bytes).
    @inline(__always) private static func sequenceLength(_ lead: UInt8) -> Int {
        if lead < 0xC0 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    /// Greedy wildcard matching with backtracking to the last `%`.
    private func matchGeneral(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = tokens.count, n = s.count
        var p = 0, i = 0, starP = -1, starI = 0
        while i < n {
            if p < m {
                switch tokens[p] {
                case let .byte(b) where s[i] == b: p += 1; i += 1; continue
                case .anyCharacter: p += 1; i = min(n, i + Self.sequenceLength(s[i])); continue
                case .anySequence: starP = p; starI = i; p += 1; continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starI = min(n, starI + Self.sequenceLength(s[starI]))
            i = starI
        }
        while p < m, tokens[p] == .anySequence { p += 1 }
        return p == m
    }
}

/// `like(value, pattern[, escape])` and `ilike(…)`. A constant pattern is compiled once; on a
/// dictionary-encoded value column it is evaluated once per dictionary entry.
enum LikeFunctions {
    static var definitions: [FunctionDefinition] {
        ["like", "ilike"].map { name in
            FunctionDefinition(name, [
                Overload([.varchar, .varchar], .boolean) { a, n, _ in try like(a, n, caseInsensitive: name == "ilike") },
                Overload([.varchar, .varchar, .varchar], .boolean) { a, n, _ in try like(a, n, caseInsensitive: name == "ilike") },
            ])
        }
    }

    static func like(_ args: [Column], _ n: Int, caseInsensitive: Bool) throws -> Column {
        if args.contains(where: { $0.type == .null }) { return Column.nulls(.boolean, count: n) }
        let value = args[0]
        let patterns = try StringColumnReader(args[1])
        let escapes = args.count > 2 ? try StringColumnReader(args[2]) : nil
        let validity = ColumnKernels.intersect(args.map(\.validity))
        if let pattern = patterns.constantString, escapes == nil || escapes?.constantString != nil {
            let matcher = try LikeMatcher(pattern: pattern, escape: escapes?.constantString, caseInsensitive: caseInsensitive)
            let hits = try StringColumnReader.mapValues(value, placeholder: false) { matcher.matches($0) }
            return Column(type: .boolean, data: .bool(hits), validity: validity)
        }
        let values = try StringColumnReader(value)
        var cache: [String: LikeMatcher] = [:]
        var hits = [Bool](repeating: false, count: n)
        for i in 0..<n where (validity?[i] ?? 1) != 0 {
            let pattern = patterns.string(i), escape = escapes?.string(i)
            let key = pattern + "\u{0}" + (escape ?? "")
            let matcher: LikeMatcher
            if let m = cache[key] { matcher = m } else {
                matcher = try LikeMatcher(pattern: pattern, escape: escape, caseInsensitive: caseInsensitive)
                cache[key] = matcher
            }
            hits[i] = values.withBytes(i) { matcher.matches($0) }
        }
        return Column(type: .boolean, data: .bool(hits), validity: validity)
    }
}
