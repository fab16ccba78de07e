import Storage

/// `count(*)` and `count(x)` (non-NULL values) per group.
final class CountAccumulator: DiscardingAccumulator {
    let star: Bool
    let resultType: DataType
    private var counts: [Int64] = []

    init(star: Bool, resultType: DataType) { self.star = star; self.resultType = resultType }

    func resize(_ n: Int) { if counts.count < n { counts.appendGrowing(0, count: n - counts.count) } }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let validity = star ? nil : arguments.first?.validity
        counts.withUnsafeMutableBufferPointer { c in
            if let v = validity {
                for i in 0..<gids.count where v[i] != 0 { c[Int(gids[i])] &+= 1 }
            } else if c.count == 1 {
                c[0] &+= Int64(gids.count)
            } else if LaneSums.applies(groups: c.count, rows: gids.count) {
                LaneSums.count(gids, into: c)
            } else {
                for i in 0..<gids.count { c[Int(gids[i])] &+= 1 }
            }
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>, discarding discard: Int32) throws -> Bool {
        let validity = star ? nil : arguments.first?.validity
        let groups = Int(discard)
        counts.withUnsafeMutableBufferPointer { c in
            if let v = validity {
                for i in 0..<gids.count where v[i] != 0 && gids[i] != discard { c[Int(gids[i])] &+= 1 }
            } else if LaneSums.applies(groups: groups, rows: gids.count) {
                LaneSums.count(gids, into: c, groups: groups)
            } else {
                for i in 0..<gids.count where gids[i] != discard { c[Int(gids[i])] &+= 1 }
            }
        }
        return true
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? CountAccumulator else { return }
        for g in 0..<o.counts.count where mapping[g] >= 0 { counts[Int(mapping[g])] &+= o.counts[g] }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        return try AggregateResults.column(int64: Array(counts.prefix(n)), valid: nil, type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { CountAccumulator(star: star, resultType: resultType) }
}
