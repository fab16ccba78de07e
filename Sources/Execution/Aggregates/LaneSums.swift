/// Per-group sums and counts of a batch when there are few groups (TPC-H Q1 has 4): rows go round-robin to four
/// lanes of partial sums, so consecutive rows of the same group do not wait for each other's add through memory
/// (a store-to-load chain per row), and the lanes are folded into the group's total once per block.
enum LaneSums {
    /// Most groups for which the lanes are used (4 lanes × groups stay in a few cache lines).
    static let maxGroups = 32
    /// Fewest rows for which the lanes pay off.
    static let minRows = 256

    /// `sums[gids[i]] += values[i]` for every row, exactly; true when some addition overflowed. Rows whose id is
    /// `groups` (default: `sums.count`, the discard id of a batch consumed with a selection) are skipped.
    ///
    /// Blocks of 1024 rows whose values all lie in [-2^52, 2^52) (checked with an OR, no per-row flag) are added
    /// with wrapping adds — a lane then holds at most 256 of them, below 2^60 — and each lane is folded into the
    /// group's sum with an overflow check; a block with a larger value is added row by row with checks instead.
    @inline(__always)
    static func add<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ gids: UnsafeBufferPointer<Int32>,
                                          into sums: UnsafeMutableBufferPointer<Int64>, groups: Int? = nil) -> Bool {
        let groups = Swift.min(groups ?? sums.count, sums.count)
        let stride = groups &+ 1  // lane slot `groups` collects discarded rows and is never folded
        let n = Swift.min(values.count, gids.count)
        var overflow: UInt8 = 0
        var lanes = [Int64](repeating: 0, count: 4 &* stride)
        lanes.withUnsafeMutableBufferPointer { lane in
            let l1 = stride, l2 = 2 &* stride, l3 = 3 &* stride
            var start = 0
            while start < n {
                let end = Swift.min(start &+ 1024, n)
                for k in 0..<lane.count { lane[k] = 0 }
                var outside: UInt64 = 0
                var i = start
                while i &+ 4 <= end {
                    let v0 = Int64(values[i]), v1 = Int64(values[i &+ 1]), v2 = Int64(values[i &+ 2]), v3 = Int64(values[i &+ 3])
                    lane[Int(gids[i])] &+= v0
                    lane[l1 &+ Int(gids[i &+ 1])] &+= v1
                    lane[l2 &+ Int(gids[i &+ 2])] &+= v2
                    lane[l3 &+ Int(gids[i &+ 3])] &+= v3
                    outside |= (UInt64(bitPattern: v0 &+ (1 << 52)) | UInt64(bitPattern: v1 &+ (1 << 52))
                                | UInt64(bitPattern: v2 &+ (1 << 52)) | UInt64(bitPattern: v3 &+ (1 << 52))) >> 53
                    i &+= 4
                }
                while i < end {
                    let v = Int64(values[i])
                    lane[Int(gids[i])] &+= v
                    outside |= UInt64(bitPattern: v &+ (1 << 52)) >> 53
                    i &+= 1
                }
                if outside == 0 {
                    for g in 0..<groups {
                        for l in 0..<4 {
                            let r = sums[g].addingReportingOverflow(lane[l &* stride &+ g])
                            sums[g] = r.partialValue
                            overflow |= r.overflow ? 1 : 0
                        }
                    }
                } else {
                    for i in start..<end {
                        let g = Int(gids[i])
                        if g >= groups { continue }
                        let r = sums[g].addingReportingOverflow(Int64(values[i]))
                        sums[g] = r.partialValue
                        overflow |= r.overflow ? 1 : 0
                    }
                }
                start = end
            }
        }
        return overflow != 0
    }

    /// `counts[gids[i]] += 1` for every row; rows whose id is `groups` (default `counts.count`) are skipped.
    @inline(__always)
    static func count(_ gids: UnsafeBufferPointer<Int32>, into counts: UnsafeMutableBufferPointer<Int64>, groups: Int? = nil) {
        let groups = Swift.min(groups ?? counts.count, counts.count)
        let s = groups &+ 1
        let n = gids.count
        var lanes = [Int64](repeating: 0, count: 4 &* s)
        lanes.withUnsafeMutableBufferPointer { lane in
            var i = 0
            while i &+ 4 <= n {
                lane[Int(gids[i])] &+= 1
                lane[s &+ Int(gids[i &+ 1])] &+= 1
                lane[2 &* s &+ Int(gids[i &+ 2])] &+= 1
                lane[3 &* s &+ Int(gids[i &+ 3])] &+= 1
                i &+= 4
            }
            while i < n { lane[Int(gids[i])] &+= 1; i &+= 1 }
            for g in 0..<groups { counts[g] &+= lane[g] &+ lane[s &+ g] &+ lane[2 &* s &+ g] &+ lane[3 &* s &+ g] }
        }
    }

    /// Whether a batch of `rows` rows into `groups` groups should use the lanes.
    @inline(__always)
    static func applies(groups: Int, rows: Int) -> Bool { groups > 1 && groups <= maxGroups && rows >= minRows }
}
