import Storage

/// The merge phase of the external sort: reads sorted runs (spill files of the sorted rows followed by their
/// evaluated sort keys that are not row columns) batch by batch and yields their rows in one order. Ties go to the earlier run, so a
/// stable sort of the runs' concatenated input stays stable. A loser tree of run cursors (one comparison per
/// level for each row taken), one batch held per run;
/// each loaded batch's keys are encoded into normalised images of one `layout` shared by all runs
/// (`NormalizedSortKeys`), so comparing two runs' rows is comparing a few words.
final class SortedRunMerger {
    /// One run's read position: its current batch (strings flattened) and that batch's key arrays.
    private final class Cursor {
        let reader: SpillReader
        var batch = Batch(columns: [], count: 0)
        var keys: [MergeKey] = []
        var images: [UInt64] = []
        var row = 0
        init(reader: SpillReader) { self.reader = reader }
    }

    /// A sort key's values in one batch (strings as bytes, never batch-local ranks: comparable across batches).
    private struct MergeKey {
        var data: RowComparator.KeyData
        var validity: [UInt8]?
    }

    private let sortKeys: [SortKey]
    private let layout: NormalizedSortKeys.Layout
    private let types: [DataType]
    private let keyColumns: [Int]
    private let batchSize: Int
    private var cursors: [Cursor] = []
    /// The loser tree over the cursors: `tree[0]` is the cursor whose row comes next, `tree[1 ..< k]` the losers of
    /// each internal node (node n's children are 2n and 2n + 1; n ≥ k stands for cursor n - k).
    private var tree: [Int] = []
    /// Per cursor: its current row's image (the cursor's `images` keep the storage alive), and whether its run is
    /// used up (it then sorts after every other cursor).
    private var heads: [UnsafePointer<UInt64>?] = []
    private var exhausted: [Bool] = []
    private var live = 0

    /// `types`: the runs' columns (rows, then the keys that are not row columns); `keyColumns[k]`: key k's column.
    /// `layout`: the images' layout, made from every run's keys (`SortOperator.mergeLayout`).
    init(runs: [SpillFile], sortKeys: [SortKey], layout: NormalizedSortKeys.Layout, types: [DataType], keyColumns: [Int],
         batchSize: Int = Batch.defaultSize) throws {
        self.sortKeys = sortKeys
        self.layout = layout
        self.types = types
        self.keyColumns = keyColumns
        self.batchSize = batchSize
        for run in runs {
            let cursor = Cursor(reader: try run.makeReader())
            cursors.append(cursor)
            heads.append(nil)
            exhausted.append(false)
            if try load(cursors.count - 1) { live += 1 } else { exhausted[cursors.count - 1] = true }
        }
        buildTree()
    }

    /// Plays every match of the tournament from the leaves up.
    private func buildTree() {
        let k = cursors.count
        tree = [Int](repeating: 0, count: max(1, k))
        guard k > 1 else { return }
        var winners = [Int](repeating: 0, count: k)
        for node in stride(from: k - 1, through: 1, by: -1) {
            let left = 2 * node < k ? winners[2 * node] : 2 * node - k
            let right = 2 * node + 1 < k ? winners[2 * node + 1] : 2 * node + 1 - k
            if before(right, left) {
                winners[node] = right
                tree[node] = left
            } else {
                winners[node] = left
                tree[node] = right
            }
        }
        tree[0] = winners[1]
    }

    /// After cursor `c` (the last winner) moved on: replays its matches up to the root.
    private func replay(_ c: Int) {
        var winner = c
        var node = (c + cursors.count) >> 1
        while node > 0 {
            let other = tree[node]
            if before(other, winner) {
                tree[node] = winner
                winner = other
            }
            node >>= 1
        }
        tree[0] = winner
    }

    /// Bytes of the batches the cursors hold now (for the memory reservation).
    var heldBytes: Int { cursors.reduce(0) { $0 + $1.batch.estimatedBytes } }

    /// The next merged batch (rows and keys, `types`), nil when every run is exhausted.
    func next() throws -> Batch? {
        guard live > 0 else { return nil }
        var picks: [Int32] = []
        var rows: [Int32] = []
        picks.reserveCapacity(batchSize)
        rows.reserveCapacity(batchSize)
        let words = layout.words
        while picks.count < batchSize, live > 0 {
            let top = tree[0]
            let cursor = cursors[top]
            picks.append(Int32(top))
            rows.append(Int32(cursor.row))
            cursor.row += 1
            if cursor.row < cursor.batch.count {
                heads[top] = heads[top].map { $0 + words }
                replay(top)
                continue
            }
            // The cursor's batch is used up: emit what was picked before its batch is replaced.
            let out = emit(picks: picks, rows: rows)
            if try !load(top) {
                exhausted[top] = true
                live -= 1
            }
            replay(top)
            return out
        }
        return emit(picks: picks, rows: rows)
    }

    private func emit(picks: [Int32], rows: [Int32]) -> Batch {
        InterleavedGather.gather(cursors.map(\.batch), picks: picks, rows: rows, types: types)
    }

    /// Reads cursor `c`'s next non-empty batch; false at the end of its run.
    private func load(_ c: Int) throws -> Bool {
        let cursor = cursors[c]
        while let batch = try cursor.reader.next() {
            guard batch.count > 0 else { continue }
            var flat = batch
            for i in flat.columns.indices { flat.columns[i] = flat.columns[i].flattened() }
            cursor.batch = flat
            cursor.row = 0
            cursor.keys = (0 ..< sortKeys.count).map { k in
                let column = flat.columns[keyColumns[k]]
                return MergeKey(data: Self.keyData(column), validity: column.validity)
            }
            cursor.images = NormalizedSortKeys(layout: layout, data: cursor.keys.map(\.data),
                                               validity: cursor.keys.map(\.validity), count: flat.count).words
            // The images stay in `cursor.images`, unchanged, until the next load: their storage does not move.
            heads[c] = cursor.images.withUnsafeBufferPointer { $0.baseAddress }
            return true
        }
        // An exhausted run keeps an empty batch of the right columns (the gather of other runs' rows reads every source).
        cursor.batch = Batch(columns: types.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0)
        cursor.keys = []
        cursor.images = []
        heads[c] = nil
        return false
    }

    private static func keyData(_ c: Column) -> RowComparator.KeyData {
        switch c.data {
        case let .bool(v): return .integers(v.map { $0 ? 1 : 0 })
        case let .int32(v): return .integers(v.map { Int64($0) })
        case let .int64(v): return .integers(v)
        case let .double(v): return .doubles(v)
        case let .int128(v): return .wide(v)
        case let .string(s): return .strings(s)
        case .dictionary:
            if case let .string(s) = c.flattened().data { return .strings(s) }
            return .strings(StringArray())
        case .list, .fields: return .integers([Int64](repeating: 0, count: c.count))  // invariant: the binder refuses ARRAY sort keys
        }
    }

    /// Whether cursor `a`'s current row sorts before cursor `b`'s (the same order as `RowComparator`;
    /// ties: the earlier run first; a used-up run after every other): their images, then (when a string was cut)
    /// the keys in full.
    private func before(_ a: Int, _ b: Int) -> Bool {
        guard let x = heads[a] else { return false }
        guard let y = heads[b] else { return true }
        let c = NormalizedSortKeys.compare(x, y, layout.words)
        if c != 0 { return c < 0 }
        if layout.exact { return a < b }
        let ca = cursors[a], cb = cursors[b]
        let i = ca.row, j = cb.row
        for k in 0 ..< sortKeys.count {
            let ka = ca.keys[k], kb = cb.keys[k]
            let ni = ka.validity.map { $0[i] == 0 } ?? false
            let nj = kb.validity.map { $0[j] == 0 } ?? false
            if ni || nj {
                if ni && nj { continue }
                return ni == sortKeys[k].nullsFirst
            }
            var c = 0
            switch (ka.data, kb.data) {
            case let (.integers(x), .integers(y)): c = x[i] == y[j] ? 0 : (x[i] < y[j] ? -1 : 1)
            case let (.wide(x), .wide(y)): c = x[i] == y[j] ? 0 : (x[i] < y[j] ? -1 : 1)
            case let (.doubles(x), .doubles(y)):
                let p = x[i], q = y[j]
                if p.isNaN || q.isNaN { c = p.isNaN && q.isNaN ? 0 : (p.isNaN ? 1 : -1) } else { c = p == q ? 0 : (p < q ? -1 : 1) }
            case let (.strings(x), .strings(y)): c = x.compare(i, y, j)
            default: c = 0
            }
            if c != 0 { return sortKeys[k].ascending ? c < 0 : c > 0 }
        }
        return a < b
    }
}
