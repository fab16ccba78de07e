/// Tells whether a CSV file's first line holds column names, as DuckDB's `read_csv_auto` does, when `header` was not
/// given: the first line is data when every value in it fits the type its column has in the next lines (numbers,
/// dates, timestamps, booleans) and at least one column has such a type; otherwise (a name over a numeric column, or
/// text everywhere) it is a header.
enum CSVHeaderSniffer {
    /// Value classes, from most to least specific.
    enum Kind: Int { case integer, number, date, timestamp, boolean, text }

    static func firstLineIsHeader(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, quote: UInt8, complete: Bool) -> Bool {
        let lines = records(bytes, delimiter: delimiter, quote: quote, complete: complete)
        guard lines.count >= 2, let first = lines.first else { return true }
        let rest = lines.dropFirst()
        var typedColumns = 0
        for column in first.indices {
            let values = rest.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.isEmpty }
            guard !values.isEmpty else { continue }
            let kind = values.map(classify).max(by: { $0.rawValue < $1.rawValue }) ?? .text
            guard kind != .text else { continue }
            typedColumns += 1
            let head = first[column]
            if !head.isEmpty, !fits(classify(head), kind) { return true }
        }
        return typedColumns == 0
    }

    static func fits(_ value: Kind, _ column: Kind) -> Bool {
        switch column {
        case .integer: return value == .integer
        case .number: return value == .integer || value == .number
        default: return value == column
        }
    }

    static func classify(_ text: String) -> Kind {
        let s = text.trimmingCharacters(in: .whitespaces)
        if Int64(s) != nil { return .integer }
        if Double(s) != nil, s.contains(where: { $0.isNumber }) { return .number }
        let lower = s.lowercased()
        if lower == "true" || lower == "false" { return .boolean }
        let bytes = Array(s.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= bytes.count && range.allSatisfy { bytes[$0] >= 48 && bytes[$0] <= 57 } }
        if bytes.count == 10, digits(0..<4), bytes[4] == 45, digits(5..<7), bytes[7] == 45, digits(8..<10) { return .date }
        if bytes.count >= 19, digits(0..<4), bytes[4] == 45, digits(5..<7), bytes[7] == 45, digits(8..<10),
           bytes[10] == 32 || bytes[10] == 84, digits(11..<13), bytes[13] == 58 { return .timestamp }
        return .text
    }

    /// The first lines' fields (quotes removed, doubled quotes undone); the last line only when the sample is whole.
    static func records(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, quote: UInt8, complete: Bool) -> [[String]] {
        var lines: [[String]] = [], fields: [String] = [], field: [UInt8] = []
        var quoted = false, i = 0
        while i < bytes.count, lines.count < CSVDelimiterSniffer.sampleLines {
            let b = bytes[i]
            if quoted {
                if b == quote {
                    if i + 1 < bytes.count, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                    quoted = false
                } else {
                    field.append(b)
                }
            } else if b == quote {
                quoted = true
            } else if b == delimiter {
                fields.append(String(decoding: field, as: UTF8.self)); field.removeAll()
            } else if b == 0x0A {
                fields.append(String(decoding: field, as: UTF8.self)); field.removeAll()
                if fields.count > 1 || !(fields.first ?? "").isEmpty { lines.append(fields) }
                fields.removeAll()
            } else if b != 0x0D {
                field.append(b)
            }
            i += 1
        }
        if complete, i == bytes.count, !quoted, !field.isEmpty || !fields.isEmpty {
            fields.append(String(decoding: field, as: UTF8.self))
            lines.append(fields)
        }
        return lines
    }
}
