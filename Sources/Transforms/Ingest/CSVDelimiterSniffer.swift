/// Guesses a CSV file's delimiter from its first lines, as DuckDB's `read_csv_auto` does, when none was given:
/// `,` when it splits the lines into the same number (more than one) of fields, else the first of `;`, tab and `|`
/// that does (the most fields on a tie), else `,`. Quoted fields are respected, so a delimiter inside quotes
/// does not count.
enum CSVDelimiterSniffer {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|")]
    /// Lines looked at (the header and the first records).
    static let sampleLines = 20

    /// The delimiter and quote for `bytes` when neither, or only the delimiter, was given: `"` unless the lines only
    /// split consistently with `'` as the quote (a `'`-quoted field holding the delimiter).
    static func dialect(_ bytes: UnsafeBufferPointer<UInt8>, complete: Bool, delimiter given: UInt8?, quote givenQuote: UInt8?) -> (delimiter: UInt8, quote: UInt8) {
        let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'")
        if let givenQuote {
            return (given ?? delimiter(bytes, complete: complete, quote: givenQuote), givenQuote)
        }
        let withDouble = given ?? delimiter(bytes, complete: complete, quote: doubleQuote)
        if (consistentFieldCount(bytes, delimiter: withDouble, complete: complete, quote: doubleQuote) ?? 0) > 1 { return (withDouble, doubleQuote) }
        let withSingle = given ?? delimiter(bytes, complete: complete, quote: singleQuote)
        if (consistentFieldCount(bytes, delimiter: withSingle, complete: complete, quote: singleQuote) ?? 0) > 1 { return (withSingle, singleQuote) }
        return (withDouble, doubleQuote)
    }

    /// The delimiter for `bytes` (the file's first block); `complete` says the block is the whole file, so its last
    /// line is whole even without a final newline.
    static func delimiter(_ bytes: UnsafeBufferPointer<UInt8>, complete: Bool, quote: UInt8) -> UInt8 {
        var best: (delimiter: UInt8, fields: Int)? = nil
        for candidate in candidates {
            guard let fields = consistentFieldCount(bytes, delimiter: candidate, complete: complete, quote: quote), fields > 1 else { continue }
            if candidate == UInt8(ascii: ",") { return candidate }
            if fields > (best?.fields ?? 0) { best = (candidate, fields) }
        }
        return best?.delimiter ?? UInt8(ascii: ",")
    }

    /// The number of fields every sampled line has with this delimiter, or nil when the lines disagree.
    static func consistentFieldCount(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, complete: Bool, quote: UInt8) -> Int? {
        var counts: [Int] = []
        var fields = 1, quoted = false, lineHasContent = false
        var i = 0
        while i < bytes.count, counts.count < sampleLines {
            let b = bytes[i]
            if b == quote {
                quoted.toggle()
                lineHasContent = true
            } else if !quoted, b == delimiter {
                fields += 1
                lineHasContent = true
            } else if !quoted, b == 0x0A {
                if lineHasContent { counts.append(fields) }
                fields = 1; lineHasContent = false
            } else if b != 0x0D {
                lineHasContent = true
            }
            i += 1
        }
        if complete, i == bytes.count, lineHasContent, !quoted, counts.count < sampleLines { counts.append(fields) }
        guard let first = counts.first, counts.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}
