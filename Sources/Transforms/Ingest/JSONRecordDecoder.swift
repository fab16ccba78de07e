import Storage

/// Decodes JSON objects one at a time from a byte buffer: newline-delimited JSON, a top-level array of objects,
/// or objects simply one after another (also pretty-printed). Nested objects are flattened into dotted names
/// (`{"geo": {"city": "Paris"}}` gives the field `geo.city`) unless `keepsObjects`; arrays are kept as their JSON text.
///
/// A malformed record is rejected and decoding resumes after the next newline, so one bad line of NDJSON
/// costs exactly that line.
struct JSONRecordDecoder {
    private enum Failure: Error {
        case incomplete
        case malformed(at: Int, reason: String)
    }

    private var p: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
    private var end = 0
    private var atEOF = false
    private var stringScratch: [UInt8] = []
    private var keyScratch: [UInt8] = []
    private var firstProblem: (column: Int?, key: String, reason: String, offset: Int)?
    /// Top-level `[` seen without their `]` yet: a file that ends while this is positive was cut off.
    private var openArrays = 0

    static let maxDepth = 64
    /// `read_json(…, nested => true)`: objects inside a record are one field of kind `.nested` (their JSON text), not
    /// flattened into dotted names.
    var keepsObjects = false

    /// Decodes the next record (or separators) at `start`; `count` bytes are valid.
    mutating func decode<S: IngestRecordSink>(_ buffer: UnsafePointer<UInt8>, start: Int, count: Int, atEOF: Bool,
                                              into sink: S, columnName: (Int) -> String) -> IngestRecordOutcome {
        p = buffer; end = count; self.atEOF = atEOF
        var i = start
        while i < end {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == UInt8(ascii: ",") {
                i += 1
            } else if b == UInt8(ascii: "[") {
                openArrays += 1
                i += 1
            } else if b == UInt8(ascii: "]") {
                openArrays = max(0, openArrays - 1)
                i += 1
            } else { break }
        }
        if i > start { return .skipped(end: i) }
        guard i < end else { return atEOF ? .skipped(end: end) : .incomplete }
        guard p[i] == UInt8(ascii: "{") else {
            return resync(from: start, at: i, reason: "expected a JSON object, found \(describe(i))")
        }
        firstProblem = nil
        sink.beginRecord()
        do {
            let after = try parseObject(at: i, prefixLength: 0, depth: 0, sink: sink)
            if let problem = firstProblem {
                sink.abortRecord()
                return .rejected(end: after, reason: problem.reason, column: problem.column.map(columnName) ?? problem.key, offset: problem.offset - start)
            }
            sink.commitRecord()
            return .record(end: after)
        } catch {
            sink.abortRecord()
            switch error {
            case .incomplete:
                if atEOF {
                    openArrays = 0  // the cut record is the one reject for this truncation
                    return resync(from: start, at: end, reason: "unexpected end of file inside a JSON object")
                }
                return .incomplete
            case let .malformed(at, reason):
                return resync(from: start, at: at, reason: reason)
            }
        }
    }

    private func describe(_ i: Int) -> String {
        let b = p[i]
        if b >= 0x20 && b < 0x7F { return "'\(Character(UnicodeScalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    /// Rejects from `start` through the end of the line holding `at` (more input needed if the line is not complete).
    private func resync(from start: Int, at: Int, reason: String) -> IngestRecordOutcome {
        var j = max(at, start)
        // The problem may be the newline itself (a string cut by a line break): skip to the line after it.
        if j < end, p[j] == 0x0A { return .rejected(end: j + 1, reason: reason, column: nil, offset: at - start) }
        // Found on a later line than the record's start (a truncated NDJSON line followed by the next record):
        // reject through the line break before the problem and resume at the problem's line.
        var k = min(j, end) - 1
        while k > start, p[k] != 0x0A { k -= 1 }
        if k > start { return .rejected(end: k + 1, reason: reason, column: nil, offset: at - start) }
        while j < end, p[j] != 0x0A { j += 1 }
        if j < end { return .rejected(end: j + 1, reason: reason, column: nil, offset: at - start) }
        if !atEOF { return .incomplete }
        return .rejected(end: end, reason: reason, column: nil, offset: at - start)
    }

    @inline(__always) private func skipSpace(_ i: inout Int) {
        while i < end {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { return }
        }
    }

    /// Parses the object at `i` (a `{`), sending its fields to `sink`; returns the offset after its `}`.
    private mutating func parseObject<S: IngestRecordSink>(at start: Int, prefixLength: Int, depth: Int, sink: S) throws(Failure) -> Int {
        guard depth < Self.maxDepth else { throw .malformed(at: start, reason: "objects nested more than \(Self.maxDepth) deep") }
        var i = start + 1
        skipSpace(&i)
        guard i < end else { throw .incomplete }
        if p[i] == UInt8(ascii: "}") { return i + 1 }
        while true {
            guard i < end else { throw .incomplete }
            guard p[i] == UInt8(ascii: "\"") else { throw .malformed(at: i, reason: "expected a field name in quotes, found \(describe(i))") }
            // Key.
            let keyStart = i + 1
            let (keyEnd, keyEscaped) = try scanString(from: keyStart)
            i = keyEnd + 1
            skipSpace(&i)
            guard i < end else { throw .incomplete }
            guard p[i] == UInt8(ascii: ":") else { throw .malformed(at: i, reason: "expected ':' after a field name, found \(describe(i))") }
            i += 1
            skipSpace(&i)
            guard i < end else { throw .incomplete }
            // The key's full (dotted) name goes into keyScratch when nested or escaped; else it is used in place.
            let direct = prefixLength == 0 && !keyEscaped
            if !direct {
                keyScratch.removeLast(keyScratch.count - prefixLength)
                if prefixLength > 0 { keyScratch.append(UInt8(ascii: ".")) }
                if keyEscaped { try unescape(keyStart, keyEnd, into: &keyScratch) } else { keyScratch.append(contentsOf: UnsafeBufferPointer(start: p + keyStart, count: keyEnd - keyStart)) }
            }
            let b = p[i]
            if b == UInt8(ascii: "{"), !keepsObjects {
                if direct {
                    keyScratch.removeAll(keepingCapacity: true)
                    keyScratch.append(contentsOf: UnsafeBufferPointer(start: p + keyStart, count: keyEnd - keyStart))
                }
                i = try parseObject(at: i, prefixLength: keyScratch.count, depth: depth + 1, sink: sink)
                keyScratch.removeLast(keyScratch.count - prefixLength)
            } else {
                let valueStart = i
                var kind: IngestFieldKind
                var textStart = i, textEnd = i
                var escaped = false
                switch b {
                case UInt8(ascii: "\""):
                    textStart = i + 1
                    (textEnd, escaped) = try scanString(from: textStart)
                    i = textEnd + 1
                    kind = .string
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    i = try skipNested(from: i, depth: depth)
                    textEnd = i
                    kind = .nested
                case UInt8(ascii: "t"):
                    try literal("true", at: i); i += 4; textEnd = i; kind = .boolean
                case UInt8(ascii: "f"):
                    try literal("false", at: i); i += 5; textEnd = i; kind = .boolean
                case UInt8(ascii: "n"):
                    try literal("null", at: i); i += 4; textEnd = i; kind = .null
                default:
                    guard b == UInt8(ascii: "-") || (b &- 48) < 10 else {
                        throw .malformed(at: i, reason: "expected a JSON value, found \(describe(i))")
                    }
                    i += 1
                    while i < end {
                        let c = p[i]
                        if (c &- 48) < 10 || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { i += 1 } else { break }
                    }
                    guard i < end else { throw .incomplete }
                    textEnd = i
                    kind = .number
                }
                if firstProblem == nil {
                    let verdict: IngestFieldVerdict
                    if escaped {
                        stringScratch.removeAll(keepingCapacity: true)
                        try unescape(textStart, textEnd, into: &stringScratch)
                        verdict = stringScratch.withUnsafeBufferPointer { text in
                            deliver(direct: direct, keyStart: keyStart, keyEnd: keyEnd, kind: kind, text: text, sink: sink)
                        }
                    } else {
                        verdict = deliver(direct: direct, keyStart: keyStart, keyEnd: keyEnd, kind: kind,
                                          text: UnsafeBufferPointer(start: p + textStart, count: textEnd - textStart), sink: sink)
                    }
                    switch verdict {
                    case .accepted: break
                    case .unknownField:
                        let key = currentKey(direct: direct, keyStart: keyStart, keyEnd: keyEnd)
                        firstProblem = (nil, key, "field '\(key)' is not a column of the target table", valueStart)
                    case let .doesNotFit(column):
                        let key = currentKey(direct: direct, keyStart: keyStart, keyEnd: keyEnd)
                        let text = String(decoding: UnsafeBufferPointer(start: p + valueStart, count: min(i - valueStart, 200)), as: UTF8.self)
                        firstProblem = (column, key, "value \(text) of field '\(key)' does not fit the column's type", valueStart)
                    case let .invalidUTF8(column):
                        let key = currentKey(direct: direct, keyStart: keyStart, keyEnd: keyEnd)
                        firstProblem = (column, key, "field '\(key)' is not valid UTF-8 text", valueStart)
                    }
                }
            }
            skipSpace(&i)
            guard i < end else { throw .incomplete }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                skipSpace(&i)
                continue
            }
            if p[i] == UInt8(ascii: "}") { return i + 1 }
            throw .malformed(at: i, reason: "expected ',' or '}' after a value, found \(describe(i))")
        }
    }

    private func currentKey(direct: Bool, keyStart: Int, keyEnd: Int) -> String {
        direct ? String(decoding: UnsafeBufferPointer(start: p + keyStart, count: keyEnd - keyStart), as: UTF8.self)
            : String(decoding: keyScratch, as: UTF8.self)
    }

    @inline(__always)
    private func deliver<S: IngestRecordSink>(direct: Bool, keyStart: Int, keyEnd: Int, kind: IngestFieldKind,
                                              text: UnsafeBufferPointer<UInt8>, sink: S) -> IngestFieldVerdict {
        if direct { return sink.field(key: UnsafeBufferPointer(start: p + keyStart, count: keyEnd - keyStart), kind: kind, text: text) }
        return keyScratch.withUnsafeBufferPointer { sink.field(key: $0, kind: kind, text: text) }
    }

    private func literal(_ word: StaticString, at i: Int) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= end else {
            // A prefix of the word at the end of the buffer may complete with more input.
            for k in 0..<(end - i) where p[i + k] != word.utf8Start[k] { throw .malformed(at: i, reason: "invalid literal") }
            throw .incomplete
        }
        for k in 0..<n where p[i + k] != word.utf8Start[k] { throw .malformed(at: i, reason: "expected '\(word)'") }
    }

    /// At the end of the file: whether a top-level array was left open (a writer that died mid-file). The
    /// objects before the cut loaded, but the file is not whole, so the caller counts a reject rather than
    /// passing silently. Resets, so it is reported once.
    mutating func takeUnclosedArray() -> Bool {
        defer { openArrays = 0 }
        return openArrays > 0
    }

    /// Finds the closing quote of a string whose content starts at `i`; returns its offset and whether escapes occur.
    @inline(__always)
    private func scanString(from start: Int) throws(Failure) -> (Int, Bool) {
        var i = start
        var escaped = false
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") { return (i, escaped) }
            if b == UInt8(ascii: "\\") { escaped = true; i += 2; continue }
            if b < 0x20 { throw .malformed(at: i, reason: b == 0x0A ? "line break inside a string" : "control character inside a string") }
            i += 1
        }
        throw .incomplete
    }

    /// Skips a nested array or object at `i`; returns the offset after it.
    private func skipNested(from start: Int, depth: Int) throws(Failure) -> Int {
        var level = 0
        var i = start
        while i < end {
            let b = p[i]
            switch b {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                level += 1
                if depth + level > Self.maxDepth { throw .malformed(at: i, reason: "values nested more than \(Self.maxDepth) deep") }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                level -= 1
                if level == 0 { return i + 1 }
            case UInt8(ascii: "\""):
                let (close, _) = try scanString(from: i + 1)
                i = close
            case 0x0A:
                break
            default: break
            }
            i += 1
        }
        throw .incomplete
    }

    /// Appends the unescaped content of the string `[start, stop)` to `out`.
    private func unescape(_ start: Int, _ stop: Int, into out: inout [UInt8]) throws(Failure) {
        var i = start
        while i < stop {
            let b = p[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < stop else { throw .malformed(at: i, reason: "unfinished escape") }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i, stop) else { throw .malformed(at: i - 2, reason: "invalid \\u escape") }
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= stop, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u"),
                   let low = hex4(i + 2, stop), low >= 0xDC00 && low < 0xE000 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let u = UnicodeScalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(u)).utf8)
            default:
                throw .malformed(at: i - 2, reason: "invalid escape '\\\(Character(UnicodeScalar(e)))'")
            }
        }
    }

    private func hex4(_ i: Int, _ stop: Int) -> UInt32? {
        guard i + 4 <= stop else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - 55
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
