import Storage

/// The aggregates that return a MAP: `map_agg(k, v)` (Trino: the first value seen for a key; NULL keys skipped),
/// `histogram(x)` (each distinct non-NULL value and its count) and `approx_most_frequent(buckets, x, capacity)`
/// (the `buckets` values with the highest counts; Tarn counts exactly, so the answer is the exact top list and
/// `capacity` is only checked). Entries keep the order keys were first seen; a group without keys gives NULL.
/// Keys are hashed as `Value`s per row: these aggregates build per-group dictionaries, not vector kernels.
final class MapAggregateAccumulator: GroupedAccumulator {
    enum Mode: Sendable { case mapAgg, histogram, mostFrequent(buckets: Int) }

    /// One group's entries, in first-seen order.
    struct Entries {
        var keys: [Value] = []
        var values: [Value] = []
        var counts: [Int64] = []
        var position: [Value: Int] = [:]

        mutating func add(_ key: Value, value: Value, count: Int64) {
            if let p = position[key] { counts[p] += count; return }
            position[key] = keys.count
            keys.append(key)
            values.append(value)
            counts.append(count)
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
                groups[Int(mapping[g])].add(entries.keys[k], value: entries.values[k], count: entries.counts[k])
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
            case .mapAgg:
                out.append(.map(keys: e.keys, values: e.values, key: keyType, value: valueType))
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
