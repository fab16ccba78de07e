import Storage

/// Compares rows of evaluated sort-key columns by index, without boxing values.
///
/// Integer-like keys (and booleans) are widened to Int64; dictionary strings are replaced by the rank of
/// their code in the byte-wise sorted dictionary, and plain strings with few distinct values by the rank of their
/// value (`StringKeyRanks`), so they compare as integers; other plain strings compare byte-wise; doubles order NaN
/// above every number.
struct RowComparator {
    enum KeyData {
        case integers([Int64])
        case doubles([Double])
        /// DECIMAL(19…38) unscaled values.
        case wide([Int128])
        case strings(StringArray)
    }

    struct Key {
        var data: KeyData
        var validity: [UInt8]?
        var ascending: Bool
        var nullsFirst: Bool
    }

    let keys: [Key]

    init(columns: [Column], keys sortKeys: [SortKey]) {
        keys = zip(columns, sortKeys).map { column, key in
            Key(data: Self.keyData(column), validity: column.validity, ascending: key.ascending, nullsFirst: key.nullsFirst)
        }
    }

    static func keyData(_ c: Column) -> KeyData {
        switch c.data {
        case let .bool(v): return .integers(v.map { $0 ? 1 : 0 })
        case let .int32(v): return .integers(v.map { Int64($0) })
        case let .int64(v): return .integers(v)
        case let .double(v): return .doubles(v)
        case let .int128(v): return .wide(v)
        case let .string(s): return StringKeyRanks.ranks(c).map { .integers($0) } ?? .strings(s)
        case let .dictionary(codes, dict):
            let order = (0..<dict.count).sorted { dict.compare($0, dict, $1) < 0 }
            var rank = [Int64](repeating: 0, count: dict.count)
            var r: Int64 = 0
            for (k, code) in order.enumerated() {
                if k > 0 && dict.compare(order[k - 1], dict, code) != 0 { r += 1 }
                rank[code] = r
            }
            return .integers(codes.map { rank[Int($0)] })
        case .list, .fields: return .integers([Int64](repeating: 0, count: c.count))  // invariant: the binder refuses ARRAY sort keys
        }
    }

    /// Negative when row `i` sorts before row `j`, 0 when they tie on every key.
    @inline(__always)
    func compare(_ i: Int, _ j: Int) -> Int {
        for k in keys {
            let ni = k.validity.map { $0[i] == 0 } ?? false
            let nj = k.validity.map { $0[j] == 0 } ?? false
            if ni || nj {
                if ni && nj { continue }
                return ni == k.nullsFirst ? -1 : 1
            }
            var c: Int
            switch k.data {
            case let .integers(v): c = v[i] == v[j] ? 0 : (v[i] < v[j] ? -1 : 1)
            case let .wide(v): c = v[i] == v[j] ? 0 : (v[i] < v[j] ? -1 : 1)
            case let .doubles(v):
                let a = v[i], b = v[j]
                if a.isNaN || b.isNaN { c = a.isNaN && b.isNaN ? 0 : (a.isNaN ? 1 : -1) } else { c = a == b ? 0 : (a < b ? -1 : 1) }
            case let .strings(s): c = s.compare(i, s, j)
            }
            if c != 0 { return k.ascending ? c : -c }
        }
        return 0
    }

    /// A stable sorting permutation of rows `0..<count`.
    ///
    /// Rows are sorted as (prefix, row) pairs in one contiguous array: `prefix` is an order-preserving 64-bit image of
    /// the first key (`prefixes`), so most comparisons are one integer comparison; equal prefixes fall back to the
    /// full comparison, then to the row index (stability).
    func sortedPermutation(_ count: Int) -> [Int32] {
        // Without a progress to check nothing can throw.
        (try? sortedPermutation(count, checking: nil)) ?? []
    }

    /// `sortedPermutation`, throwing `.cancelled` within `comparisonsPerCancelCheck` comparisons of a cancel (a sort of
    /// tens of millions of rows takes seconds); `progress` nil checks nothing.
    func sortedPermutation(_ count: Int, checking progress: QueryProgress?) throws -> [Int32] {
        var untilCheck = Self.comparisonsPerCancelCheck
        func checkCancel() throws {
            guard let progress else { return }
            untilCheck -= 1
            if untilCheck == 0 {
                untilCheck = Self.comparisonsPerCancelCheck
                try progress.checkCancelled()
            }
        }
        guard let prefix = prefixes(count) else {
            var perm = (0..<Int32(count)).map { $0 }
            try perm.sort { a, b in
                try checkCancel()
                let c = compare(Int(a), Int(b))
                return c != 0 ? c < 0 : a < b
            }
            return perm
        }
        var pairs = [PrefixedRow](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0 ..< count { buffer[i] = PrefixedRow(prefix: prefix[i], row: Int32(i)) }
            initialized = count
        }
        try pairs.sort { a, b in
            try checkCancel()
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            let c = compare(Int(a.row), Int(b.row))
            return c != 0 ? c < 0 : a.row < b.row
        }
        return pairs.map(\.row)
    }

    /// A row's first-key image and its index, sorted together.
    struct PrefixedRow {
        var prefix: UInt64
        var row: Int32
    }

    /// For every row, a 64-bit number that never orders two rows against the first key's order (direction and NULL
    /// placement included): a < b in prefix ⇒ a sorts first; equal prefixes are decided by `compare`. Integers and
    /// doubles map exactly (sign flipped, doubles by their IEEE order, NaN highest); strings by their first 8 bytes
    /// (big-endian, zero-padded). NULLs map to the lowest or highest number (ties with an extreme value are then
    /// decided by `compare`). Nil when there are no keys.
    func prefixes(_ count: Int) -> [UInt64]? {
        guard let key = keys.first else { return nil }
        var out = [UInt64](repeating: 0, count: count)
        switch key.data {
        case let .integers(v):
            for i in 0 ..< count { out[i] = UInt64(bitPattern: v[i]) ^ (1 << 63) }
        case let .wide(v):
            // The high word: order-preserving but coarse; equal high words are decided by `compare`.
            for i in 0 ..< count { out[i] = UInt64(bitPattern: Int64(truncatingIfNeeded: v[i] >> 64)) ^ (1 << 63) }
        case let .doubles(v):
            for i in 0 ..< count {
                let d = v[i]
                if d.isNaN { out[i] = UInt64.max; continue }
                let bits = (d == 0 ? 0.0 : d).bitPattern
                out[i] = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
            }
        case let .strings(s):
            s.bytes.withUnsafeBufferPointer { bytes in
                for i in 0 ..< count {
                    let lo = s.offsets[i], n = min(8, s.offsets[i + 1] - lo)
                    var p: UInt64 = 0
                    for j in 0 ..< 8 { p = p << 8 | (j < n ? UInt64(bytes[lo + j]) : 0) }
                    out[i] = p
                }
            }
        }
        if !key.ascending { for i in 0 ..< count { out[i] = ~out[i] } }
        if let validity = key.validity {
            let nullPrefix: UInt64 = key.nullsFirst ? 0 : UInt64.max
            for i in 0 ..< count where validity[i] == 0 { out[i] = nullPrefix }
        }
        return out
    }

    /// Comparisons between two looks at the cancel flag while sorting (a few milliseconds of work).
    static let comparisonsPerCancelCheck = 1 << 16
}

/// Collects all batches of an operator into one (materialising operators: sort, window, build sides).
enum OperatorInput {
    static func drain(_ op: PhysicalOperator, _ context: ExecutionContext) throws -> Batch {
        var parts: [Batch] = []
        while let b = try op.next() {
            try context.progress.checkCancelled()
            if b.count > 0 { parts.append(b) }
        }
        if parts.isEmpty {
            return Batch(columns: op.outputTypes.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0)
        }
        return ColumnAssembly.concatenate(parts, types: op.outputTypes)
    }
}
