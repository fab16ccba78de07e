import Storage

/// `substr(s, start [, count])` on UTF-8 bytes: characters are code points, found by their lead bytes, so no Swift
/// `String` is built per row. 1-based `start`; 0 gives ''; a negative `start` counts from the end; a `count` of 0 or
/// less gives ''. With a constant `start` / `count` over a dictionary column it runs once per dictionary entry.
enum SubstringKernel {
    static func evaluate(_ args: [Column], _ n: Int) throws -> Column {
        if args.contains(where: { $0.type == .null }) { return Column.nulls(.varchar, count: n) }
        let text = try StringColumnReader(args[0])
        guard case let .int64(starts) = args[1].data else { throw TarnError(.internal, "substr: start is not BIGINT") }
        var counts: [Int64]? = nil
        if args.count > 2 {
            guard case let .int64(c) = args[2].data else { throw TarnError(.internal, "substr: length is not BIGINT") }
            counts = c
        }
        let validity = ColumnKernels.intersect(args.map(\.validity))
        if let codes = text.codes, args.dropFirst().allSatisfy({ $0.validity == nil }), let start = constant(starts, n),
           counts.map({ constant($0, n) != nil }) ?? true {
            let count = counts.flatMap { constant($0, n) }
            var dictionary = StringArray()
            dictionary.reserve(strings: text.strings.count, bytes: text.strings.bytes.count)
            for e in 0 ..< text.strings.count { text.strings.withBytes(at: e) { append($0, start, count, to: &dictionary) } }
            return Column(type: .varchar, data: .dictionary(codes: codes, dictionary: dictionary), validity: validity)
        }
        var out = StringArray()
        out.reserve(strings: n, bytes: text.strings.bytes.count)
        for i in 0 ..< n {
            if let validity, validity[i] == 0 { out.appendEmpty(); continue }
            text.withBytes(i) { append($0, starts[i], counts?[i], to: &out) }
        }
        return Column(type: .varchar, data: .string(out), validity: validity)
    }

    /// The single value of `values` (n > 0), or nil when they differ.
    private static func constant(_ values: [Int64], _ n: Int) -> Int64? {
        guard n > 0, let first = values.first else { return nil }
        for v in values.prefix(n) where v != first { return nil }
        return first
    }

    @inline(__always) private static func isLead(_ b: UInt8) -> Bool { b & 0xC0 != 0x80 }

    /// Appends the substring of `s` (Trino's rules, as documented on the type) to `out`.
    static func append(_ s: UnsafeBufferPointer<UInt8>, _ startArgument: Int64, _ count: Int64?, to out: inout StringArray) {
        var start = startArgument
        if start == 0 { out.appendEmpty(); return }
        if start < 0 {
            var length: Int64 = 0
            for b in s where isLead(b) { length += 1 }
            start = length + start + 1
            if start <= 0 { out.appendEmpty(); return }
        }
        if let count, count <= 0 { out.appendEmpty(); return }
        // Byte offset of character `start` (1-based): skip start - 1 lead bytes.
        var i = 0, skipped: Int64 = 0
        while i < s.count {
            if isLead(s[i]) {
                if skipped == start - 1 { break }
                skipped += 1
            }
            i += 1
        }
        if i >= s.count { out.appendEmpty(); return }
        var end = s.count
        if let count {
            var taken: Int64 = 0, j = i
            while j < s.count {
                if isLead(s[j]) {
                    if taken == count { break }
                    taken += 1
                }
                j += 1
            }
            end = j
        }
        out.append(bytes: UnsafeBufferPointer(rebasing: s[i ..< end]))
    }
}
