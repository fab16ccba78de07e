import Storage

/// The aggregates that return a MAP: `map_agg(k, v)` (Trino: the first value seen for a key; NULL keys skipped),
/// `histogram(x)` (each distinct non-NULL value and its count) and `approx_most_frequent(buckets, x, capacity)`
/// (the `buckets` values with the highest counts; Tarn counts exactly, so the answer is the exact top list and
/// `capacity` is only checked), `map_union(m)` (the union of the group's maps, a key's first value winning) and
/// `multimap_agg(k, v)` (each key with the array of its values). Entries keep the order keys were first seen; a group
/// without keys gives NULL.
/// Keys are hashed as `Value`s per row: these aggregates build per-group dictionaries, not vector kernels.
final class MapAggregateAccumulator: GroupedAccumulator {
    enum Mode: Sendable { case mapAgg, histogram, mostFrequent(buckets: Int), union, multimap }

    /// One group's entries, in first-seen order.
    struct Entries {
        var keys: [Value] = []
        var values: [Value] = []
        var counts: [Int64] = []
        var position: [Value: Int] = [:]
        /// multimap_agg: every value of each key, in input order.
        var lists: [[Value]] = []

        mutating func add(_ key: Value, value: Value, count: Int64, collect: Bool = false) {
            if let p = position[key] {
                counts[p] += count
                if collect { lists[p].append(value) }
                return
            }
            position[key] = keys.count
            keys.append(key)
            values.append(value)
            counts.append(count)
            if collect { lists.append([value]) }
        }
    }

    let mode: Mode
    let resultType: DataType
    private var groups: [Entries] = []

    init(mode: Mode, resultType: DataType) {
        self.mode = mode
        self.resultType = resultType
    }

    func resize(_ n: Int) {
        if groups.count < n { groups.append(contentsOf: repeatElement(Entries(), count: n - groups.count)) }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        guard let keys = arguments.first else { return }
        switch mode {
        case .union:
            for i in 0 ..< gids.count {
                guard case let .map(ks, vs, _, _) = keys.value(at: i) else { continue }
                for (k, v) in zip(ks, vs) { groups[Int(gids[i])].add(k, value: v, count: 1) }
            }
            return
        case .multimap:
            for i in 0 ..< gids.count where !keys.isNull(i) {
                groups[Int(gids[i])].add(keys.value(at: i), value: arguments.count > 1 ? arguments[1].value(at: i) : .null, count: 1, collect: true)
            }
            return
        default: break
        }
        let values: Column? = { if case .mapAgg = mode { return arguments.count > 1 ? arguments[1] : nil }; return nil }()
        for i in 0 ..< gids.count where !keys.isNull(i) {
            groups[Int(gids[i])].add(keys.value(at: i), value: values?.value(at: i) ?? .null, count: 1)
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? MapAggregateAccumulator else { return }
        for g in 0 ..< o.groups.count where mapping[g] >= 0 {
            let entries = o.groups[g]
            for k in entries.keys.indices {
                if case .multimap = mode {
                    for (i, v) in entries.lists[k].enumerated() { groups[Int(mapping[g])].add(entries.keys[k], value: v, count: i == 0 ? 1 : 0, collect: true) }
                } else {
                    groups[Int(mapping[g])].add(entries.keys[k], value: entries.values[k], count: entries.counts[k])
                }
            }
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        guard let (keyType, valueType) = resultType.mapTypes else { throw TarnError(.internal, "a map aggregate returning \(resultType)") }
        var out = ColumnBuilder(type: resultType, capacity: n)
        for g in 0 ..< n {
            let e = groups[g]
            if e.keys.isEmpty { out.appendNull(); continue }
            switch mode {
            case .mapAgg, .union:
                out.append(.map(keys: e.keys, values: e.values, key: keyType, value: valueType))
            case .multimap:
                let element = valueType.elementType ?? .null
                out.append(.map(keys: e.keys, values: e.lists.map { .array($0, element: element) }, key: keyType, value: valueType))
            case .histogram:
                out.append(.map(keys: e.keys, values: e.counts.map { .bigint($0) }, key: keyType, value: valueType))
            case let .mostFrequent(buckets):
                let order = e.keys.indices.sorted { e.counts[$0] != e.counts[$1] ? e.counts[$0] > e.counts[$1] : $0 < $1 }.prefix(buckets)
                out.append(.map(keys: order.map { e.keys[$0] }, values: order.map { .bigint(e.counts[$0]) }, key: keyType, value: valueType))
            }
        }
        return out.finish()
    }

    func makeEmpty() -> GroupedAccumulator { MapAggregateAccumulator(mode: mode, resultType: resultType) }
}
