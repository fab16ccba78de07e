/// A KLL quantile sketch (Karnin, Lang and Liberty, 2016) over doubles: levels of compactors where an item at level
/// h stands for 2^h input values. While a sketch holds at most `k` values it keeps them all and answers exactly;
/// past that, each full level is sorted and every other item (from a pseudo-random offset) moves up a level, so
/// memory stays O(k) per sketch whatever the input size. With k = 400 the rank of an answer is within about 1% of
/// the asked one (Trino's approx_percentile accuracy). Sketches merge level by level, so workers' partial sketches
/// combine into one with the same guarantee.
struct KLLSketch: Sendable {
    /// Items per level at the top; lower levels hold fewer (capacity shrinks by 2/3 per level down, at least 8).
    static let k = 400
    private(set) var levels: [[Double]] = [[]]
    /// Input values this sketch stands for.
    private(set) var count = 0
    private var random: UInt64 = 0x9E37_79B9_7F4A_7C15

    var isEmpty: Bool { count == 0 }

    mutating func insert(_ x: Double) {
        levels[0].append(x)
        count += 1
        if levels[0].count >= capacity(0) { compress() }
    }

    mutating func merge(_ other: KLLSketch) {
        while levels.count < other.levels.count { levels.append([]) }
        for (h, items) in other.levels.enumerated() { levels[h].append(contentsOf: items) }
        count += other.count
        compress()
    }

    /// The value at rank `fraction · (n − 1)` (nearest rank, as the exact path rounds), from the weighted items.
    func quantile(_ fraction: Double) -> Double? {
        guard count > 0 else { return nil }
        var weighted: [(value: Double, weight: Int)] = []
        weighted.reserveCapacity(levels.reduce(0) { $0 + $1.count })
        for (h, items) in levels.enumerated() { for x in items { weighted.append((x, 1 << h)) } }
        weighted.sort { $0.value < $1.value || (!$0.value.isNaN && $1.value.isNaN) }
        let total = weighted.reduce(0) { $0 + $1.weight }
        let target = (fraction * Double(total - 1)).rounded()
        var seen = 0.0
        for item in weighted {
            seen += Double(item.weight)
            if seen > target { return item.value }
        }
        return weighted.last?.value
    }

    /// Capacity of level `h` when the sketch has `levels.count` levels.
    private func capacity(_ h: Int) -> Int {
        let depth = levels.count - 1 - h
        var c = Double(Self.k)
        for _ in 0..<depth { c *= 2.0 / 3.0 }
        return max(8, Int(c.rounded(.up)))
    }

    /// Compacts the lowest over-full level until every level fits.
    private mutating func compress() {
        var h = 0
        while h < levels.count {
            if levels[h].count >= capacity(h) {
                if h + 1 == levels.count { levels.append([]) }
                levels[h].sort { $0 < $1 || (!$0.isNaN && $1.isNaN) }
                // An odd count leaves the last item where it is.
                let items = levels[h]
                let pairs = items.count / 2
                random ^= random << 13; random ^= random >> 7; random ^= random << 17
                let offset = Int(random & 1)
                var promoted: [Double] = []
                promoted.reserveCapacity(pairs)
                for p in 0..<pairs { promoted.append(items[2 * p + offset]) }
                levels[h + 1].append(contentsOf: promoted)
                levels[h] = items.count % 2 == 1 ? [items[items.count - 1]] : []
                // Capacities depend on the number of levels: start over from the bottom.
                h = 0
                continue
            }
            h += 1
        }
    }
}
