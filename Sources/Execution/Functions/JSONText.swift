import Storage

/// JSON values found in text without building objects: the JSON functions walk a document with a path and return the
/// span of the value they reach. `canonical` gives a value's text without insignificant white space (Trino's and
/// DuckDB's `json_extract` output); `scalarText` a scalar's SQL text (a string unquoted and unescaped).
struct JSONDocument {
    enum Kind { case object, array, string, number, boolean, null }

    /// One value: its kind and its bytes in the document.
    struct Span {
        var kind: Kind
        var range: Range<Int>
    }

    /// One step of a JSON path: a member name or an array index (negative: from the end).
    enum Step: Equatable {
        case member(String)
        case index(Int)
    }

    let bytes: [UInt8]
    /// Deepest nesting read (the scanner recurses; worker threads have small stacks): deeper text counts as invalid.
    static let maximumDepth = 256

    init(_ text: String) { bytes = Array(text.utf8) }

    /// The whole document, or nil when it is not one valid JSON value (white space around it allowed).
    func root() -> Span? {
        var i = 0
        skipSpace(&i)
        guard let span = value(&i) else { return nil }
        skipSpace(&i)
        return i == bytes.count ? span : nil
    }

    /// The value `path` reaches from `start`, or nil when a step is missing or of the wrong kind.
    func find(_ path: [Step], in start: Span) -> Span? {
        var current = start
        for step in path {
            switch step {
            case let .member(name):
                guard current.kind == .object, let next = members(of: current).first(where: { $0.key == name })?.value else { return nil }
                current = next
            case let .index(k):
                guard current.kind == .array else { return nil }
                let items = elements(of: current)
                let position = k < 0 ? items.count + k : k
                guard items.indices.contains(position) else { return nil }
                current = items[position]
            }
        }
        return current
    }

    /// The members of an object span, in order.
    func members(of span: Span) -> [(key: String, value: Span)] {
        var out: [(String, Span)] = []
        var i = span.range.lowerBound + 1
        skipSpace(&i)
        if i < span.range.upperBound, bytes[i] == UInt8(ascii: "}") { return [] }
        while i < span.range.upperBound {
            skipSpace(&i)
            guard let keySpan = string(&i) else { return out }
            skipSpace(&i)
            i += 1  // ':'
            skipSpace(&i)
            guard let v = value(&i) else { return out }
            out.append((unescaped(keySpan), v))
            skipSpace(&i)
            if i < span.range.upperBound, bytes[i] == UInt8(ascii: ",") { i += 1 } else { break }
        }
        return out
    }

    /// The elements of an array span, in order.
    func elements(of span: Span) -> [Span] {
        var out: [Span] = []
        var i = span.range.lowerBound + 1
        skipSpace(&i)
        if i < span.range.upperBound, bytes[i] == UInt8(ascii: "]") { return [] }
        while i < span.range.upperBound {
            skipSpace(&i)
            guard let v = value(&i) else { return out }
            out.append(v)
            skipSpace(&i)
            if i < span.range.upperBound, bytes[i] == UInt8(ascii: ",") { i += 1 } else { break }
        }
        return out
    }

    /// The span's text without white space outside strings.
    func canonical(_ span: Span) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(span.range.count)
        var inString = false, escaped = false
        for b in bytes[span.range] {
            if inString {
                out.append(b)
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
                out.append(b)
            } else if b != 0x20, b != 0x09, b != 0x0A, b != 0x0D {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A scalar's SQL text: a string's characters, a number or boolean as written; nil for null, objects and arrays.
    func scalarText(_ span: Span) -> String? {
        switch span.kind {
        case .string: return unescaped(span)
        case .number, .boolean: return String(decoding: bytes[span.range], as: UTF8.self)
        default: return nil
        }
    }

    /// A string span's characters, escapes undone.
    func unescaped(_ span: Span) -> String {
        let inner = bytes[(span.range.lowerBound + 1)..<(span.range.upperBound - 1)]
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        var out = String.UnicodeScalarView()
        var it = Array(inner)[...]
        var pendingHigh: UInt32? = nil
        while let b = it.first {
            it = it.dropFirst()
            guard b == UInt8(ascii: "\\"), let e = it.first else {
                // Copy one UTF-8 sequence as is.
                var seq = [b]
                while let c = it.first, c & 0xC0 == 0x80 { seq.append(c); it = it.dropFirst() }
                out.append(contentsOf: String(decoding: seq, as: UTF8.self).unicodeScalars)
                continue
            }
            it = it.dropFirst()
            switch e {
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "u"):
                let hex = String(decoding: it.prefix(4), as: UTF8.self)
                it = it.dropFirst(4)
                guard let v = UInt32(hex, radix: 16) else { continue }
                if (0xD800...0xDBFF).contains(v) { pendingHigh = v; continue }
                if (0xDC00...0xDFFF).contains(v), let high = pendingHigh {
                    pendingHigh = nil
                    if let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00)) { out.append(s) }
                    continue
                }
                if let s = Unicode.Scalar(v) { out.append(s) }
            default: out.append(Unicode.Scalar(e))
            }
        }
        return String(out)
    }

    // MARK: scanning

    private func skipSpace(_ i: inout Int) {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    /// Scans one value at `i` (nesting bounded, so hostile input cannot exhaust the stack).
    private func value(_ i: inout Int, depth: Int = 0) -> Span? {
        guard i < bytes.count, depth < JSONDocument.maximumDepth else { return nil }
        let start = i
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let isObject = bytes[i] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace(&i)
            if i < bytes.count, bytes[i] == close { i += 1; return Span(kind: isObject ? .object : .array, range: start..<i) }
            while i < bytes.count {
                skipSpace(&i)
                if isObject {
                    guard string(&i) != nil else { return nil }
                    skipSpace(&i)
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    skipSpace(&i)
                }
                guard value(&i, depth: depth + 1) != nil else { return nil }
                skipSpace(&i)
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == close else { return nil }
                i += 1
                return Span(kind: isObject ? .object : .array, range: start..<i)
            }
            return nil
        case UInt8(ascii: "\""):
            return string(&i)
        case UInt8(ascii: "t"): return literal("true", .boolean, &i)
        case UInt8(ascii: "f"): return literal("false", .boolean, &i)
        case UInt8(ascii: "n"): return literal("null", .null, &i)
        default:
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            guard i > start, Double(String(decoding: bytes[start..<i], as: UTF8.self)) != nil else { i = start; return nil }
            return Span(kind: .number, range: start..<i)
        }
    }

    private func string(_ i: inout Int) -> Span? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        let start = i
        i += 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == UInt8(ascii: "\"") { i += 1; return Span(kind: .string, range: start..<i) }
            i += 1
        }
        return nil
    }

    private func literal(_ word: String, _ kind: Kind, _ i: inout Int) -> Span? {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return nil }
        let start = i
        i += w.count
        return Span(kind: kind, range: start..<i)
    }

    /// A JSONPath as Trino and DuckDB take it: `$`, `.name`, `["name"]` / `['name']`, `[index]` (`[-1]` from the end);
    /// a bare name (DuckDB's `j -> 'name'`) is one member step. Nil when the path does not parse.
    static func path(_ text: String) -> [Step]? {
        let t = Array(text)
        guard t.first == "$" else { return text.isEmpty ? nil : [.member(text)] }
        var steps: [Step] = []
        var i = 1
        while i < t.count {
            if t[i] == "." {
                i += 1
                var name = ""
                if i < t.count, t[i] == "\"" {
                    i += 1
                    while i < t.count, t[i] != "\"" { name.append(t[i]); i += 1 }
                    i += 1
                } else {
                    while i < t.count, t[i] != ".", t[i] != "[" { name.append(t[i]); i += 1 }
                }
                guard !name.isEmpty else { return nil }
                steps.append(.member(name))
            } else if t[i] == "[" {
                i += 1
                if i < t.count, t[i] == "\"" || t[i] == "'" {
                    let q = t[i]
                    i += 1
                    var name = ""
                    while i < t.count, t[i] != q { name.append(t[i]); i += 1 }
                    i += 1
                    guard i < t.count, t[i] == "]" else { return nil }
                    steps.append(.member(name))
                } else {
                    var digits = ""
                    while i < t.count, t[i] != "]" { digits.append(t[i]); i += 1 }
                    guard let k = Int(digits.filter { $0 != " " }), i < t.count else { return nil }
                    steps.append(.index(k))
                }
                i += 1
            } else {
                return nil
            }
        }
        return steps
    }
}
