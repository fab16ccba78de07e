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

    init(partitionColumns: [Column], orderColumns: [Column], orderKeys: [SortKey], count n: Int, progress: QueryProgress = QueryProgress()) throws {
        let partitionKeys = partitionColumns.map { _ in SortKey(expression: .constant(.null, .null), ascending: true, nullsFirst: true) }
        let partitionComparator = RowComparator(columns: partitionColumns, keys: partitionKeys)
        let orderComparator = RowComparator(columns: orderColumns, keys: orderKeys)
        let all = RowComparator(columns: partitionColumns + orderColumns, keys: partitionKeys + orderKeys)
        perm = try all.sortedPermutation(n, checking: progress)
        partitionStart = [Int32](repeating: 0, count: n)
        partitionEnd = [Int32](repeating: 0, count: n)
        peerStart = [Int32](repeating: 0, count: n)
        peerEnd = [Int32](repeating: 0, count: n)
        var p = 0
        while p < n {
            var e = p + 1
            while e < n && partitionComparator.compare(Int(perm[e - 1]), Int(perm[e])) == 0 { e += 1 }
            for k in p..<e { partitionStart[k] = Int32(p); partitionEnd[k] = Int32(e) }
            var q = p
            while q < e {
                var r = q + 1
                while r < e && orderComparator.compare(Int(perm[r - 1]), Int(perm[r])) == 0 { r += 1 }
                for k in q..<r { peerStart[k] = Int32(q); peerEnd[k] = Int32(r) }
                q = r
            }
            p = e
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
