/// Per-group sums and counts of a batch when there are few groups (TPC-H Q1 has 4): rows go round-robin to four
/// lanes of partial sums, so consecutive rows of the same group do not wait for each other's add through memory
/// (a store-to-load chain per row), and the lanes are folded into the group's total once per batch.
enum LaneSums {
    /// Most groups for which the lanes are used (4 lanes × groups stay in a few cache lines).
    static let maxGroups = 32
    /// Fewest rows for which the lanes pay off.
    static let minRows = 256

    /// `sums[gids[i]] += values[i]` for every row, exactly; true when some addition overflowed.
    @inline(__always)
    static func add<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ gids: UnsafeBufferPointer<Int32>,
                                          into sums: UnsafeMutableBufferPointer<Int64>) -> Bool {
        let groups = sums.count
        let n = Swift.min(values.count, gids.count)
        var overflow = false
        var lanes = [Int64](repeating: 0, count: 4 &* groups)
        lanes.withUnsafeMutableBufferPointer { lane in
            var i = 0
            while i &+ 4 <= n {
                for l in 0..<4 {
                    let k = l &* groups &+ Int(gids[i &+ l])
                    let r = lane[k].addingReportingOverflow(Int64(values[i &+ l]))
                    lane[k] = r.partialValue
                    overflow = overflow || r.overflow
                }
                i &+= 4
            }
            while i < n {
                let k = Int(gids[i])
                let r = lane[k].addingReportingOverflow(Int64(values[i]))
                lane[k] = r.partialValue
                overflow = overflow || r.overflow
                i &+= 1
            }
            for g in 0..<groups {
                for l in 0..<4 {
                    let r = sums[g].addingReportingOverflow(lane[l &* groups &+ g])
                    sums[g] = r.partialValue
                    overflow = overflow || r.overflow
                }
            }
        }
        return overflow
    }

    /// `counts[gids[i]] += 1` for every row.
    @inline(__always)
    static func count(_ gids: UnsafeBufferPointer<Int32>, into counts: UnsafeMutableBufferPointer<Int64>) {
        let groups = counts.count
        let n = gids.count
        var lanes = [Int64](repeating: 0, count: 4 &* groups)
        lanes.withUnsafeMutableBufferPointer { lane in
            var i = 0
            while i &+ 4 <= n {
                lane[Int(gids[i])] &+= 1
                lane[groups &+ Int(gids[i &+ 1])] &+= 1
                lane[2 &* groups &+ Int(gids[i &+ 2])] &+= 1
                lane[3 &* groups &+ Int(gids[i &+ 3])] &+= 1
                i &+= 4
            }
            while i < n { lane[Int(gids[i])] &+= 1; i &+= 1 }
            for g in 0..<groups { counts[g] &+= lane[g] &+ lane[groups &+ g] &+ lane[2 &* groups &+ g] &+ lane[3 &* groups &+ g] }
        }
    }

    /// Whether a batch of `rows` rows into `groups` groups should use the lanes.
    @inline(__always)
    static func applies(groups: Int, rows: Int) -> Bool { groups > 1 && groups <= maxGroups && rows >= minRows }
}
