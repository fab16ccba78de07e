import Storage

/// Sort keys encoded as one fixed-width image per row whose unsigned, word-by-word order is the rows' order
/// (DuckDB's "normalised keys"): a sort compares two rows with a few integer comparisons instead of a loop over key
/// columns, and falls back to `RowComparator.compare` only when two images tie and the layout is not `exact`.
///
/// Per key, in key order: a NULL byte when the key can be NULL (NULLS FIRST: NULL 0, value 1; NULLS LAST: value 0,
/// NULL 1; NULLs have zero value bytes), then the value bytes, big-endian, all inverted for DESC:
/// - integers (booleans, INTEGER, BIGINT, dictionary ranks): 8 bytes, sign bit flipped;
/// - DECIMAL(19…38): 16 bytes, sign bit flipped;
/// - doubles: 8 bytes of the IEEE order (negative: all bits inverted, else sign set; -0 as 0, NaN above all);
/// - strings: the first `prefix` bytes zero-padded, then (when no string of the key is longer than `prefix`) one
///   length byte, which makes the image exact: equal padded bytes mean one string is the other plus zero bytes, and
///   the shorter sorts first. Longer strings make the key inexact: the prefix never orders two rows against their
///   byte order, the image ends there (the later keys are left out), and ties are decided by the full comparison.
/// The bytes are packed into 64-bit words (big-endian, so comparing words compares bytes).
struct NormalizedSortKeys {
    /// The byte layout of one row's image; every image compared with another must have the same layout (the runs and
    /// the merge of one sort share it).
    struct Layout: Equatable, Sendable {
        enum Kind: Equatable, Sendable {
            case integer
            case wide
            case double
            /// `prefix` bytes; `lengthByte` when every string fits (the image is then exact).
            case string(prefix: Int, lengthByte: Bool)
        }

        struct Part: Equatable, Sendable {
            var kind: Kind
            var nullable: Bool
            var ascending: Bool
            var nullsFirst: Bool
            /// Byte offset of the part (its NULL byte, if any) in the row's image.
            var offset: Int
            /// Value bytes (after the NULL byte).
            var valueWidth: Int {
                switch kind {
                case .integer, .double: return 8
                case .wide: return 16
                case let .string(prefix, lengthByte): return prefix + (lengthByte ? 1 : 0)
                }
            }
        }

        /// Longest string prefix encoded (a longer one is cut and the key compared in full on ties).
        static let maximumStringPrefix = 32

        let parts: [Part]
        /// 64-bit words per row.
        let words: Int
        /// Whether equal images mean equal keys (no string was cut).
        let exact: Bool

        /// `kinds[k]` for key k: `.string` with its longest value's length as prefix (cut to `maximumStringPrefix`,
        /// the length byte added when it fits), the others as they are.
        init(keys: [SortKey], kinds: [Kind], nullable: [Bool]) {
            var parts: [Part] = []
            var offset = 0
            var exact = true
            for (k, key) in keys.enumerated() {
                var kind = kinds[k]
                var cut = false
                if case let .string(longest, _) = kind {
                    let prefix = min(longest, Self.maximumStringPrefix)
                    kind = .string(prefix: prefix, lengthByte: longest <= prefix && prefix < 256)
                    cut = longest > prefix
                }
                let part = Part(kind: kind, nullable: nullable[k], ascending: key.ascending, nullsFirst: key.nullsFirst, offset: offset)
                offset += (part.nullable ? 1 : 0) + part.valueWidth
                parts.append(part)
                // Two strings with the same cut prefix may still differ: the keys after are not in the image (their
                // bytes would decide what the rest of the string decides), ties go to the full comparison.
                if cut {
                    exact = false
                    break
                }
            }
            self.parts = parts
            self.words = max(1, (offset + 7) / 8)
            self.exact = exact
        }

        /// The layout for key data as the comparator holds it: strings' longest length measured, NULL bytes where a
        /// column has validity.
        init(keys: [SortKey], data: [RowComparator.KeyData], validity: [[UInt8]?]) {
            self.init(keys: keys, kinds: data.map(Self.kind), nullable: validity.map { $0 != nil })
        }

        static func kind(_ data: RowComparator.KeyData) -> Kind {
            switch data {
            case .integers: return .integer
            case .wide: return .wide
            case .doubles: return .double
            case let .strings(s): return .string(prefix: longestString(s), lengthByte: true)
            }
        }

        static func longestString(_ s: StringArray) -> Int {
            var longest = 0
            s.offsets.withUnsafeBufferPointer { o in
                for i in 0 ..< max(0, o.count - 1) { longest = max(longest, o[i + 1] - o[i]) }
            }
            return longest
        }
    }

    let layout: Layout
    /// `count * layout.words` words, row after row.
    let words: [UInt64]

    /// Encodes `count` rows of `data` (one entry per key, with its validity; keys past the layout's parts are left
    /// out) into images of `layout`.
    init(layout: Layout, data: [RowComparator.KeyData], validity: [[UInt8]?], count: Int) {
        // Without a progress to check nothing can throw.
        self = (try? NormalizedSortKeys(layout: layout, data: data, validity: validity, count: count, checking: nil))
            ?? NormalizedSortKeys(layout: layout, words: [])
    }

    private init(layout: Layout, words: [UInt64]) { self.layout = layout; self.words = words }

    /// The same, looking at `progress`'s cancel flag every `rowsPerCancelCheck` rows (millions of rows take a while).
    init(layout: Layout, data: [RowComparator.KeyData], validity: [[UInt8]?], count: Int, checking progress: QueryProgress?) throws {
        self.layout = layout
        let stride = layout.words * 8
        var words = [UInt64](repeating: 0, count: count * layout.words)
        try words.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            for start in Swift.stride(from: 0, to: count, by: Self.rowsPerCancelCheck) {
                try progress?.checkCancelled()
                let rows = start ..< min(count, start + Self.rowsPerCancelCheck)
                for (k, part) in layout.parts.enumerated() {
                    Self.encode(part, data[k], validity[k], rows: rows, into: base, stride: stride)
                }
            }
        }
        // The bytes were written in comparison order: read each word big-endian.
        for i in words.indices { words[i] = UInt64(bigEndian: words[i]) }
        self.words = words
    }

    /// Rows encoded between two looks at the cancel flag.
    static let rowsPerCancelCheck = 1 << 16

    /// Writes one key's bytes for `rows`.
    private static func encode(_ part: Layout.Part, _ data: RowComparator.KeyData, _ validity: [UInt8]?, rows: Range<Int>,
                               into base: UnsafeMutablePointer<UInt8>, stride: Int) {
        let valueOffset = part.offset + (part.nullable ? 1 : 0)
        let width = part.valueWidth
        @inline(__always) func put(_ value: UInt64, _ row: UnsafeMutablePointer<UInt8>, at start: Int) {
            var v = value
            for b in (0 ..< 8).reversed() { row[start + b] = UInt8(truncatingIfNeeded: v); v >>= 8 }
        }
        switch data {
        case let .integers(v):
            v.withUnsafeBufferPointer { v in
                for i in rows { put(UInt64(bitPattern: v[i]) ^ (1 << 63), base + i * stride, at: valueOffset) }
            }
        case let .wide(v):
            v.withUnsafeBufferPointer { v in
                for i in rows {
                    let x = v[i]
                    put(UInt64(bitPattern: Int64(truncatingIfNeeded: x >> 64)) ^ (1 << 63), base + i * stride, at: valueOffset)
                    put(UInt64(truncatingIfNeeded: x), base + i * stride, at: valueOffset + 8)
                }
            }
        case let .doubles(v):
            v.withUnsafeBufferPointer { v in
                for i in rows {
                    let d = v[i]
                    let image: UInt64
                    if d.isNaN {
                        image = UInt64.max
                    } else {
                        let bits = (d == 0 ? 0.0 : d).bitPattern
                        image = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
                    }
                    put(image, base + i * stride, at: valueOffset)
                }
            }
        case let .strings(s):
            guard case let .string(prefix, lengthByte) = part.kind else { return }   // invariant: the layout was made from this data
            s.offsets.withUnsafeBufferPointer { offsets in
                s.bytes.withUnsafeBufferPointer { bytes in
                    for i in rows {
                        let lo = offsets[i], n = offsets[i + 1] - lo
                        let row = base + i * stride + valueOffset
                        let cut = min(n, prefix)
                        for j in 0 ..< cut { row[j] = bytes[lo + j] }
                        if lengthByte { row[prefix] = UInt8(truncatingIfNeeded: n) }
                    }
                }
            }
        }
        if !part.ascending {
            for i in rows {
                let row = base + i * stride + valueOffset
                for j in 0 ..< width { row[j] = ~row[j] }
            }
        }
        // NULL byte: NULLS FIRST puts 0 on NULLs and 1 on values, NULLS LAST the reverse; NULLs' value bytes are zero.
        guard part.nullable else { return }
        let valueFlag: UInt8 = part.nullsFirst ? 1 : 0
        for i in rows {
            let row = base + i * stride
            if let validity, validity[i] == 0 {
                row[part.offset] = 1 - valueFlag
                for j in 0 ..< width { row[valueOffset + j] = 0 }
            } else {
                row[part.offset] = valueFlag
            }
        }
    }

    /// Negative, 0 or positive as row `i`'s image orders before, with, or after row `j`'s image in `other`.
    @inline(__always)
    func compare(_ i: Int, _ other: NormalizedSortKeys, _ j: Int) -> Int {
        words.withUnsafeBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in
                Self.compare(a.baseAddress! + i * layout.words, b.baseAddress! + j * layout.words, layout.words)   // invariant: non-empty when rows exist
            }
        }
    }

    /// Word-by-word unsigned comparison of two images of `count` words.
    @inline(__always)
    static func compare(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ count: Int) -> Int {
        for w in 0 ..< count where a[w] != b[w] { return a[w] < b[w] ? -1 : 1 }
        return 0
    }
}
