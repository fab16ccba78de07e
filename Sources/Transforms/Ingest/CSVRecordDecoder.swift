/// Decodes delimited records (RFC 4180): fields separated by `delimiter`, records by LF or CRLF, fields optionally
/// enclosed in `quote` with the quote doubled inside. A quoted field may span lines. An empty unquoted field is NULL;
/// an empty quoted field is the empty string. A record with a different number of fields than expected is rejected.
struct CSVRecordDecoder {
    let delimiter: UInt8
    let quote: UInt8
    /// Fields every record must have (nil: any number, e.g. while reading the header).
    var expectedFields: Int?
    private var scratch: [UInt8] = []

    init(delimiter: UInt8, quote: UInt8) {
        self.delimiter = delimiter
        self.quote = quote
    }

    /// The fields of one record as strings (for the header line); nil when more input is needed.
    mutating func header(_ p: UnsafePointer<UInt8>, start: Int, count: Int, atEOF: Bool) -> (fields: [String], end: Int)? {
        let collector = FieldCollector()
        let saved = expectedFields
        expectedFields = nil
        defer { expectedFields = saved }
        switch decode(p, start: start, count: count, atEOF: atEOF, into: collector, columnName: { "#\($0)" }) {
        case let .record(end): return (collector.fields, end)
        case let .skipped(end): return ([], end)
        case let .rejected(end, _, _, _): return (collector.fields, end)
        case .incomplete: return nil
        }
    }

    /// Decodes the record at `start`.
    mutating func decode<S: IngestRecordSink>(_ p: UnsafePointer<UInt8>, start: Int, count end: Int, atEOF: Bool, into sink: S,
                                              columnName: (Int) -> String) -> IngestRecordOutcome {
        var i = start
        guard i < end else { return atEOF ? .skipped(end: end) : .incomplete }
        // A blank line is no record.
        if p[i] == 0x0A { return .skipped(end: i + 1) }
        if p[i] == 0x0D, i + 1 < end, p[i + 1] == 0x0A { return .skipped(end: i + 2) }
        sink.beginRecord()
        var position = 0
        var problem: (reason: String, column: String?, offset: Int)?
        while true {
            // One field starting at i.
            let fieldStart = i
            var kind: IngestFieldKind = .text
            var textStart = i, textEnd = i
            var escaped = false
            if i < end, p[i] == quote {
                kind = .string
                i += 1
                textStart = i
                var closed = false
                while i < end {
                    if p[i] == quote {
                        if i + 1 < end, p[i + 1] == quote { escaped = true; i += 2; continue }
                        if i + 1 >= end && !atEOF { break }   // a doubled quote may follow in the next chunk
                        closed = true
                        break
                    }
                    i += 1
                }
                guard closed else {
                    if !atEOF { sink.abortRecord(); return .incomplete }
                    sink.abortRecord()
                    return .rejected(end: end, reason: "unterminated quoted field", column: nil, offset: fieldStart - start)
                }
                textEnd = i
                i += 1
                // After the closing quote: delimiter, end of line or end of input.
                if i < end, p[i] != delimiter, p[i] != 0x0A, p[i] != 0x0D, problem == nil {
                    problem = ("unexpected character after a closing quote", nil, i - start)
                    while i < end, p[i] != delimiter, p[i] != 0x0A { i += 1 }
                }
            } else {
                while i < end {
                    let b = p[i]
                    if b == delimiter || b == 0x0A { break }
                    i += 1
                }
                textEnd = i
                if textEnd > textStart, p[textEnd - 1] == 0x0D, i < end, p[i] == 0x0A { textEnd -= 1 }
                if textEnd == textStart { kind = .null }
            }
            if i >= end && !atEOF { sink.abortRecord(); return .incomplete }
            if problem == nil {
                let verdict: IngestFieldVerdict
                if escaped {
                    scratch.removeAll(keepingCapacity: true)
                    var k = textStart
                    while k < textEnd {
                        scratch.append(p[k])
                        k += p[k] == quote ? 2 : 1
                    }
                    verdict = scratch.withUnsafeBufferPointer { sink.field(position: position, kind: kind, text: $0) }
                } else {
                    verdict = sink.field(position: position, kind: kind, text: UnsafeBufferPointer(start: p + textStart, count: textEnd - textStart))
                }
                switch verdict {
                case .accepted: break
                case .unknownField:
                    problem = ("the record has more than \(position) fields", nil, fieldStart - start)
                case let .doesNotFit(column):
                    let text = String(decoding: UnsafeBufferPointer(start: p + textStart, count: min(textEnd - textStart, 200)), as: UTF8.self)
                    problem = ("value '\(text)' does not fit the column's type", columnName(column), fieldStart - start)
                case let .invalidUTF8(column):
                    problem = ("the field is not valid UTF-8 text", columnName(column), fieldStart - start)
                }
            }
            position += 1
            if i < end, p[i] == delimiter { i += 1; continue }
            // End of record: at a line break or the end of input.
            if i < end, p[i] == 0x0D { i += 1 }
            if i < end, p[i] == 0x0A { i += 1 }
            break
        }
        if problem == nil, let expected = expectedFields, position != expected {
            problem = ("expected \(expected) fields but the record has \(position)", nil, 0)
        }
        if let problem {
            sink.abortRecord()
            return .rejected(end: i, reason: problem.reason, column: problem.column, offset: problem.offset)
        }
        sink.commitRecord()
        return .record(end: i)
    }
}

/// Collects one record's fields as strings (the header line).
private final class FieldCollector: IngestRecordSink {
    var fields: [String] = []
    func beginRecord() { fields = [] }
    func field(key: UnsafeBufferPointer<UInt8>, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict { .accepted }
    func field(position: Int, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict {
        fields.append(String(decoding: text, as: UTF8.self))
        return .accepted
    }
    func commitRecord() {}
    func abortRecord() {}
}
