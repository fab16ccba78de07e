import Foundation
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
    /// The keys' directions and NULL placement, as given.
    let sortKeys: [SortKey]

    init(columns: [Column], keys sortKeys: [SortKey]) {
        self.sortKeys = sortKeys
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
    func sortedPermutation(_ count: Int, workers: Int = 1) -> [Int32] {
        // Without a progress to check nothing can throw.
        (try? sortedPermutation(count, checking: nil, workers: workers)) ?? []
    }

    /// The layout of this comparator's normalised keys (`NormalizedSortKeys`).
    var normalizedLayout: NormalizedSortKeys.Layout {
        NormalizedSortKeys.Layout(keys: sortKeys, data: keys.map(\.data), validity: keys.map(\.validity))
    }

    /// A stable sorting permutation of rows `0..<count`, throwing `.cancelled` within `comparisonsPerCancelCheck`
    /// comparisons of a cancel (a sort of tens of millions of rows takes seconds); `progress` nil checks nothing.
    ///
    /// Every row's keys are encoded into a normalised image (`NormalizedSortKeys`); the rows are sorted as (first
    /// word, row) pairs in one contiguous array, so most comparisons are one integer comparison; equal first words
    /// compare the rest of the images, equal images (when a string was cut) the keys in full, then the row index
    /// (stability). With `workers` > 1 the pairs are sorted in that many slices on as many threads, then merged.
    func sortedPermutation(_ count: Int, checking progress: QueryProgress?, workers: Int = 1) throws -> [Int32] {
        guard !keys.isEmpty, count > 1 else { return (0 ..< Int32(count)).map { $0 } }
        let images = try NormalizedSortKeys(layout: normalizedLayout, data: keys.map(\.data), validity: keys.map(\.validity),
                                            count: count, checking: progress)
        let stride = images.layout.words
        let exact = images.layout.exact
        var pairs = [PrefixedRow](unsafeUninitializedCapacity: count) { buffer, initialized in
            images.words.withUnsafeBufferPointer { w in
                for i in 0 ..< count { buffer[i] = PrefixedRow(prefix: w[i * stride], row: Int32(i)) }
            }
            initialized = count
        }
        let slices = count >= Self.parallelSortMinimumRows ? max(1, min(workers, 8)) : 1
        var failure: Error? = nil
        images.words.withUnsafeBufferPointer { w in
            let base = w.baseAddress! // invariant: count > 1 rows have images
            @inline(__always) func less(_ a: PrefixedRow, _ b: PrefixedRow) -> Bool {
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                if stride > 1 {
                    let c = NormalizedSortKeys.compare(base + Int(a.row) * stride + 1, base + Int(b.row) * stride + 1, stride - 1)
                    if c != 0 { return c < 0 }
                }
                if !exact {
                    let c = compare(Int(a.row), Int(b.row))
                    if c != 0 { return c < 0 }
                }
                return a.row < b.row
            }
            pairs.withUnsafeMutableBufferPointer { inoutBuffer in
                let buffer = inoutBuffer
                let bounds = (0 ... slices).map { $0 * count / slices }
                let sortSlice = { (s: Int) -> Error? in
                    var untilCheck = Self.comparisonsPerCancelCheck
                    var slice = UnsafeMutableBufferPointer(rebasing: buffer[bounds[s] ..< bounds[s + 1]])
                    do {
                        try slice.sort { a, b in
                            if let progress {
                                untilCheck -= 1
                                if untilCheck == 0 {
                                    untilCheck = Self.comparisonsPerCancelCheck
                                    try progress.checkCancelled()
                                }
                            }
                            return less(a, b)
                        }
                    } catch { return error }
                    return nil
                }
                if slices == 1 {
                    failure = sortSlice(0)
                    return
                }
                var errors = [Error?](repeating: nil, count: slices)
                errors.withUnsafeMutableBufferPointer { inoutSlots in
                    let errorSlots = inoutSlots
                    let work = UncheckedSendable({ (s: Int) in errorSlots[s] = sortSlice(s) })
                    DispatchQueue.concurrentPerform(iterations: slices) { work.value($0) }
                }
                failure = errors.compactMap { $0 }.first
                guard failure == nil else { return }
                // Merge the sorted slices pairwise until one run remains.
                var runs = (0 ..< slices).map { bounds[$0] ..< bounds[$0 + 1] }
                let target = UnsafeMutablePointer<PrefixedRow>.allocate(capacity: count)
                defer { target.deallocate() }
                while runs.count > 1 {
                    var merged: [Range<Int>] = []
                    var r = 0
                    while r < runs.count {
                        guard r + 1 < runs.count else { merged.append(runs[r]); r += 1; continue }
                        let x = runs[r], y = runs[r + 1]
                        var i = x.lowerBound, j = y.lowerBound, o = x.lowerBound
                        while i < x.upperBound && j < y.upperBound {
                            if less(buffer[j], buffer[i]) { target[o] = buffer[j]; j += 1 } else { target[o] = buffer[i]; i += 1 }
                            o += 1
                            if o & 0xFFFF == 0, let progress, progress.isCancelled { failure = TarnError(.cancelled, "query cancelled"); return }
                        }
                        while i < x.upperBound { target[o] = buffer[i]; i += 1; o += 1 }
                        while j < y.upperBound { target[o] = buffer[j]; j += 1; o += 1 }
                        for k in x.lowerBound ..< y.upperBound { buffer[k] = target[k] }
                        merged.append(x.lowerBound ..< y.upperBound)
                        r += 2
                    }
                    runs = merged
                }
            }
        }
        if let failure { throw failure }
        return pairs.map(\.row)
    }

    /// Fewest rows sorted on several threads (below, starting them costs more than it saves).
    static let parallelSortMinimumRows = 1 << 16

    /// A row's first image word and its index, sorted together.
    struct PrefixedRow {
        var prefix: UInt64
        var row: Int32
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
