import Storage

/// The merge phase of the external sort: reads sorted runs (spill files of the sorted rows followed by their
/// evaluated sort keys that are not row columns) batch by batch and yields their rows in one order. Ties go to the earlier run, so a
/// stable sort of the runs' concatenated input stays stable. A binary heap of run cursors, one batch held per run;
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
    private var heap: [Int] = []

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
            if try load(cursor) {
                cursors.append(cursor)
                heap.append(cursors.count - 1)
                siftUp(heap.count - 1)
            }
        }
    }

    /// Bytes of the batches the cursors hold now (for the memory reservation).
    var heldBytes: Int { cursors.reduce(0) { $0 + $1.batch.estimatedBytes } }

    /// The next merged batch (rows and keys, `types`), nil when every run is exhausted.
    func next() throws -> Batch? {
        guard !heap.isEmpty else { return nil }
        var picks: [Int32] = []
        var rows: [Int32] = []
        picks.reserveCapacity(batchSize)
        rows.reserveCapacity(batchSize)
        while picks.count < batchSize, let top = heap.first {
            let cursor = cursors[top]
            picks.append(Int32(top))
            rows.append(Int32(cursor.row))
            cursor.row += 1
            if cursor.row < cursor.batch.count {
                siftDown(0)
                continue
            }
            // The cursor's batch is used up: emit what was picked before its batch is replaced.
            let out = emit(picks: picks, rows: rows)
            if try load(cursor) {
                siftDown(0)
            } else {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
                if !heap.isEmpty { siftDown(0) }
            }
            return out
        }
        return emit(picks: picks, rows: rows)
    }

    private func emit(picks: [Int32], rows: [Int32]) -> Batch {
        InterleavedGather.gather(cursors.map(\.batch), picks: picks, rows: rows, types: types)
    }

    /// Reads the cursor's next non-empty batch; false at the end of its run.
    private func load(_ cursor: Cursor) throws -> Bool {
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
            return true
        }
        // An exhausted run keeps an empty batch of the right columns (the gather of other runs' rows reads every source).
        cursor.batch = Batch(columns: types.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0)
        cursor.keys = []
        cursor.images = []
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
    /// ties: the earlier run first): their images, then (when a string was cut) the keys in full.
    private func before(_ a: Int, _ b: Int) -> Bool {
        let ca = cursors[a], cb = cursors[b]
        let i = ca.row, j = cb.row
        let words = layout.words
        let c = ca.images.withUnsafeBufferPointer { x in
            cb.images.withUnsafeBufferPointer { y in
                NormalizedSortKeys.compare(x.baseAddress! + i * words, y.baseAddress! + j * words, words)   // invariant: a loaded cursor has images
            }
        }
        if c != 0 { return c < 0 }
        if layout.exact { return a < b }
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

    private func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, before(heap[left], heap[best]) { best = left }
            if right < heap.count, before(heap[right], heap[best]) { best = right }
            if best == parent { return }
            heap.swapAt(parent, best)
            parent = best
        }
    }
}
