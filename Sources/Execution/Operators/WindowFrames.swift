import Storage

/// The sorted layout of one window call's input: a permutation ordering rows by (partition, order keys),
/// partition boundaries and peer groups, plus frame bounds per row (in permutation positions).
struct WindowLayout {
    /// perm[p] = input row at sorted position p.
    let perm: [Int32]
    /// Start / end (exclusive) position of the partition of position p.
    var partitionStart: [Int32]
    var partitionEnd: [Int32]
    /// Start / end (exclusive) position of the peer group of position p.
    var peerStart: [Int32]
    var peerEnd: [Int32]

    /// Sorts rows by (partition keys, order keys, input row). When the partition keys are integers, booleans or
    /// strings, rows are first grouped by partition with a hash key table and a counting sort (partitions in key
    /// order, NULLs first), and each partition is then sorted by the order keys alone, the partitions spread over
    /// `threads` workers; without PARTITION BY the one sort runs in slices on `threads` workers; otherwise one sort
    /// compares the partition keys too.
    init(partitionColumns: [Column], orderColumns: [Column], orderKeys: [SortKey], count n: Int, progress: QueryProgress = QueryProgress(),
         threads: Int = 1) throws {
        let partitionKeys = partitionColumns.map { _ in SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: true) }
        let orderComparator = RowComparator(columns: orderColumns, keys: orderKeys)
        var perm: [Int32]
        var starts: [Int32]
        if partitionColumns.isEmpty {
            // One partition: the sort itself runs in slices on `threads` cores and merges them.
            perm = try orderComparator.sortedPermutation(n, checking: progress, workers: threads)
            starts = [0, Int32(n)]
        } else if let grouped = Self.partitionRuns(partitionColumns, keys: partitionKeys, count: n) {
            perm = grouped.perm
            starts = grouped.starts
            try Self.sortWithinPartitions(&perm, starts: starts, by: orderComparator, count: n, threads: threads, progress: progress)
        } else {
            let partitionComparator = RowComparator(columns: partitionColumns, keys: partitionKeys)
            let all = RowComparator(columns: partitionColumns + orderColumns, keys: partitionKeys + orderKeys)
            perm = try all.sortedPermutation(n, checking: progress)
            starts = [0]
            var e = 1
            while e < n {
                if partitionComparator.compare(Int(perm[e - 1]), Int(perm[e])) != 0 { starts.append(Int32(e)) }
                e += 1
            }
            starts.append(Int32(n))
        }
        self.perm = perm
        partitionStart = [Int32](repeating: 0, count: n)
        partitionEnd = [Int32](repeating: 0, count: n)
        peerStart = [Int32](repeating: 0, count: n)
        peerEnd = [Int32](repeating: 0, count: n)
        for partition in 0 ..< starts.count - 1 {
            let p = Int(starts[partition]), e = Int(starts[partition + 1])
            guard p < e else { continue }
            for k in p..<e { partitionStart[k] = Int32(p); partitionEnd[k] = Int32(e) }
            var q = p
            while q < e {
                var r = q + 1
                while r < e && orderComparator.compare(Int(perm[r - 1]), Int(perm[r])) == 0 { r += 1 }
                for k in q..<r { peerStart[k] = Int32(q); peerEnd[k] = Int32(r) }
                q = r
            }
        }
    }

    /// Rows grouped by partition: `perm` lists the rows of each partition in input order, partitions in the order of
    /// their keys (`keys`: ascending, NULLs first); partition `i` is `perm[starts[i] ..< starts[i + 1]]`. Nil without
    /// keys (the caller sorts the one partition) or when a key's type is not one a key table groups exactly as the sort
    /// comparator ties it (doubles: -0.0 and 0.0, NaN).
    static func partitionRuns(_ columns: [Column], keys: [SortKey], count n: Int) -> (perm: [Int32], starts: [Int32])? {
        guard !columns.isEmpty, n > 0, columns.allSatisfy({ [.int32, .int64, .bool, .string].contains($0.type.physical) }) else { return nil }
        let table = GroupKeyTables.make(for: columns.map(\.type))
        var ids: [Int32] = []
        table.assign(columns, count: n, groupIDs: &ids)
        let groups = table.groupCount
        let keyOrder = RowComparator(columns: table.keyColumns(), keys: keys).sortedPermutation(groups)
        guard keyOrder.count == groups else { return nil }
        var rank = [Int32](repeating: 0, count: groups)
        for (r, id) in keyOrder.enumerated() { rank[Int(id)] = Int32(r) }
        var starts = [Int32](repeating: 0, count: groups + 1)
        for i in 0 ..< n { starts[Int(rank[Int(ids[i])]) + 1] += 1 }
        for r in 0 ..< groups { starts[r + 1] += starts[r] }
        var next = starts
        var perm = [Int32](repeating: 0, count: n)
        for i in 0 ..< n {
            let r = Int(rank[Int(ids[i])])
            perm[Int(next[r])] = Int32(i)
            next[r] += 1
        }
        return (perm, starts)
    }

    /// Sorts each partition's rows (input order on entry) by `comparator`, ties by input row, on every row's normalised
    /// key image (`NormalizedSortKeys`): pairs of the image's first word and the row, then the rest of the image, then
    /// (when a long string was cut) the keys in full. Partitions are split into up to `threads` contiguous ranges of
    /// about equal row counts, each sorted on its own thread; the cancel flag is looked at every
    /// `comparisonsPerCancelCheck` comparisons.
    static func sortWithinPartitions(_ perm: inout [Int32], starts: [Int32], by comparator: RowComparator, count n: Int, threads: Int,
                                     progress: QueryProgress) throws {
        guard !comparator.keys.isEmpty, n > 1 else { return }
        let images = try NormalizedSortKeys(layout: comparator.normalizedLayout, data: comparator.keys.map(\.data),
                                            validity: comparator.keys.map(\.validity), count: n, checking: progress)
        let stride = images.layout.words, exact = images.layout.exact
        let partitions = starts.count - 1
        var cuts = [0]
        let workers = max(1, min(threads, partitions))
        for w in 1 ..< workers {
            let target = Int32(n / workers * w)
            var p = cuts[cuts.count - 1]
            while p < partitions && starts[p] < target { p += 1 }
            if p > cuts[cuts.count - 1] && p < partitions { cuts.append(p) }
        }
        cuts.append(partitions)
        try images.words.withUnsafeBufferPointer { words in
            guard let base = words.baseAddress else { return }
            try perm.withUnsafeMutableBufferPointer { rows in
                _ = try PartitionedMerge.parallelMap(cuts.count - 1) { worker in
                    var scratch: [RowComparator.PrefixedRow] = []
                    var untilCheck = RowComparator.comparisonsPerCancelCheck
                    for partition in cuts[worker] ..< cuts[worker + 1] {
                        let s = Int(starts[partition]), e = Int(starts[partition + 1])
                        guard e - s > 1 else { continue }
                        try progress.checkCancelled()
                        scratch.removeAll(keepingCapacity: true)
                        for q in s ..< e { scratch.append(RowComparator.PrefixedRow(prefix: base[Int(rows[q]) * stride], row: rows[q])) }
                        try scratch.sort { a, b in
                            untilCheck -= 1
                            if untilCheck == 0 {
                                untilCheck = RowComparator.comparisonsPerCancelCheck
                                try progress.checkCancelled()
                            }
                            if a.prefix != b.prefix { return a.prefix < b.prefix }
                            if stride > 1 {
                                let c = NormalizedSortKeys.compare(base + Int(a.row) * stride + 1, base + Int(b.row) * stride + 1, stride - 1)
                                if c != 0 { return c < 0 }
                            }
                            if !exact {
                                let c = comparator.compare(Int(a.row), Int(b.row))
                                if c != 0 { return c < 0 }
                            }
                            return a.row < b.row
                        }
                        for (k, pair) in scratch.enumerated() { rows[s + k] = pair.row }
                    }
                }
            }
        }
    }

    /// Frame [lo, hi) of every position. RANGE with offsets needs one numeric ORDER BY key (`orderValues`).
    func frames(_ frame: WindowFrameSpec, orderValues: Column?, ascending: Bool) throws -> (lo: [Int32], hi: [Int32]) {
        let n = perm.count
        var lo = [Int32](repeating: 0, count: n), hi = [Int32](repeating: 0, count: n)
        let keys: [Double]? = orderValues.map { AggregateResults.doubles($0) }
        func offset(_ v: Value) throws -> Double {
            guard let d = v.doubleValue, d >= 0 else { throw TarnError.execution("window frame offset must be a non-negative number") }
            return d
        }
        for p in 0..<n {
            let ps = Int(partitionStart[p]), pe = Int(partitionEnd[p])
            var l: Int, h: Int
            switch frame.unit {
            case .rows:
                switch frame.start {
                case .unboundedPreceding: l = ps
                case let .preceding(v): l = p - Int(try offset(v))
                case .currentRow: l = p
                case let .following(v): l = p + Int(try offset(v))
                case .unboundedFollowing: l = pe
                }
                switch frame.end {
                case .unboundedPreceding: h = ps
                case let .preceding(v): h = p - Int(try offset(v)) + 1
                case .currentRow: h = p + 1
                case let .following(v): h = p + Int(try offset(v)) + 1
                case .unboundedFollowing: h = pe
                }
            case .range:
                l = try rangeBound(frame.start, p, ps, pe, keys, ascending, isStart: true, offset)
                h = try rangeBound(frame.end, p, ps, pe, keys, ascending, isStart: false, offset)
            }
            l = min(max(l, ps), pe); h = min(max(h, ps), pe)
            if h < l { h = l }
            lo[p] = Int32(l); hi[p] = Int32(h)
        }
        return (lo, hi)
    }

    private func rangeBound(_ bound: WindowFrameSpec.Bound, _ p: Int, _ ps: Int, _ pe: Int, _ keys: [Double]?, _ ascending: Bool,
                            isStart: Bool, _ offset: (Value) throws -> Double) throws -> Int {
        switch bound {
        case .unboundedPreceding: return ps
        case .unboundedFollowing: return pe
        case .currentRow: return isStart ? Int(peerStart[p]) : Int(peerEnd[p])
        case let .preceding(v), let .following(v):
            guard let keys else { throw TarnError.unsupported("RANGE with an offset needs exactly one numeric ORDER BY key") }
            return try numericBound(bound, v, p, ps, pe, keys, ascending, isStart, offset)
        }
    }

    /// Validity of the single RANGE order key (set by the operator when it has NULLs).
    var keyValidity: [UInt8]? = nil

    private func numericBound(_ bound: WindowFrameSpec.Bound, _ v: Value, _ p: Int, _ ps: Int, _ pe: Int, _ keys: [Double], _ ascending: Bool,
                              _ isStart: Bool, _ offset: (Value) throws -> Double) throws -> Int {
        let isNull: (Int) -> Bool = { pos in keyValidity.map { $0[Int(perm[pos])] == 0 } ?? false }
        // NULL order keys: the frame is the NULL peer group.
        if isNull(p) { return isStart ? Int(peerStart[p]) : Int(peerEnd[p]) }
        var nnLo = ps, nnHi = pe
        while nnLo < nnHi && isNull(nnLo) { nnLo += 1 }
        while nnHi > nnLo && isNull(nnHi - 1) { nnHi -= 1 }
        let d = try offset(v)
        let current = keys[Int(perm[p])]
        var preceding = false
        if case .preceding = bound { preceding = true }
        // Value limit in sort direction: preceding moves against the order, following with it.
        let target = (preceding == ascending) ? current - d : current + d
        // Position of the first row (in sort order) at or beyond `target` (start) or beyond it (end).
        var a = nnLo, b = nnHi
        while a < b {
            let m = (a + b) / 2
            let k = keys[Int(perm[m])]
            let before = ascending ? (isStart ? k < target : k <= target) : (isStart ? k > target : k >= target)
            if before { a = m + 1 } else { b = m }
        }
        return a
    }
}
