import Storage

/// Uniform read access to a VARCHAR column stored plain or dictionary-encoded, plus helpers that apply
/// a per-string computation once per dictionary entry instead of once per row.
struct StringColumnReader {
    let strings: StringArray
    let codes: [Int32]?
    let validity: [UInt8]?
    let count: Int

    init(_ c: Column) throws {
        validity = c.validity
        count = c.count
        switch c.data {
        case let .string(s): strings = s; codes = nil
        case let .dictionary(codes, dictionary): strings = dictionary; self.codes = codes
        default:
            if c.type == .null {
                strings = StringArray(offsets: [Int](repeating: 0, count: c.count + 1), bytes: []); codes = nil
            } else {
                throw TarnError(.internal, "expected a VARCHAR column, got \(c.type)")
            }
        }
    }

    /// Index into `strings` of row `row`.
    @inline(__always) func index(_ row: Int) -> Int { codes.map { Int($0[row]) } ?? row }
    @inline(__always) func isNull(_ row: Int) -> Bool { validity.map { $0[row] == 0 } ?? false }
    func string(_ row: Int) -> String { strings.string(at: index(row)) }
    func withBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try strings.withBytes(at: index(row), body)
    }

    /// A dictionary column with a single entry: a constant string (how the evaluator materialises literals).
    var constantString: String? {
        guard codes != nil, strings.count == 1 else { return nil }
        return strings.string(at: 0)
    }

    // MARK: Per-string kernels

    /// Applies `body` to every non-NULL string and returns the values (NULL rows get `placeholder`).
    /// On a dictionary column `body` runs once per dictionary entry.
    static func mapValues<R>(_ c: Column, placeholder: R, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> [R] {
        let r = try StringColumnReader(c)
        if let codes = r.codes {
            let perEntry = try (0..<r.strings.count).map { try r.strings.withBytes(at: $0, body) }
            return ColumnKernels.map(codes, r.validity, placeholder: placeholder) { perEntry[Int($0)] }
        }
        return try (0..<r.count).map { i in r.isNull(i) ? placeholder : try r.strings.withBytes(at: i, body) }
    }

    /// Builds a VARCHAR column by transforming each string; `body` appends the result to the output.
    /// Dictionary columns keep their codes and get a transformed dictionary.
    static func transform(_ c: Column, _ body: (UnsafeBufferPointer<UInt8>, inout StringArray) throws -> Void) throws -> Column {
        if c.type == .null { return Column.nulls(.varchar, count: c.count) }
        let r = try StringColumnReader(c)
        var out = StringArray()
        if let codes = r.codes {
            out.reserve(strings: r.strings.count, bytes: r.strings.bytes.count)
            for e in 0..<r.strings.count { try r.strings.withBytes(at: e) { try body($0, &out) } }
            return Column(type: .varchar, data: .dictionary(codes: codes, dictionary: out), validity: r.validity)
        }
        out.reserve(strings: r.count, bytes: r.strings.bytes.count)
        for i in 0..<r.count {
            if r.isNull(i) { out.appendEmpty(); continue }
            try r.strings.withBytes(at: i) { try body($0, &out) }
        }
        return Column(type: .varchar, data: .string(out), validity: r.validity)
    }
}

extension StringArray {
    /// Appends the bytes of a Swift string.
    mutating func appendString(_ s: String) { append(s) }
}
