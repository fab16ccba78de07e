import Storage

/// `array_agg(x)`: every input value of a group (NULLs included, as Trino and DuckDB keep them) in input order.
/// The argument columns are kept as they come and each group remembers the positions of its rows; `finish` gathers
/// all groups' elements from the concatenated input at once. A group without rows gives NULL.
final class ArrayAggregateAccumulator: GroupedAccumulator {
    let elementType: DataType
    private var parts: [Column] = []
    private var total: Int32 = 0
    private var rows: [[Int32]] = []

    init(elementType: DataType) { self.elementType = elementType }

    func resize(_ n: Int) {
        if rows.count < n { rows.appendGrowing([], count: n - rows.count) }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        guard c.count > 0 else { return }
        guard Int(total) + c.count <= Int(Int32.max) else { throw TarnError(.execution, "array_agg: more than \(Int32.max) values") }
        parts.append(c.type == elementType ? c : Column.nulls(elementType, count: c.count))
        for i in 0 ..< gids.count { rows[Int(gids[i])].append(total + Int32(i)) }
        total += Int32(c.count)
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? ArrayAggregateAccumulator else { return }
        guard Int(total) + Int(o.total) <= Int(Int32.max) else { throw TarnError(.execution, "array_agg: more than \(Int32.max) values") }
        let base = total
        parts += o.parts
        total += o.total
        for g in 0 ..< o.rows.count where mapping[g] >= 0 {
            rows[Int(mapping[g])].append(contentsOf: o.rows[g].lazy.map { $0 + base })
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        let all = Column.concatenate(parts, type: elementType)
        var picks: [Int32] = []
        var offsets: [Int32] = [0]
        var validity = [UInt8](repeating: 1, count: n)
        for g in 0 ..< n {
            if rows[g].isEmpty { validity[g] = 0 }
            picks += rows[g]
            offsets.append(Int32(picks.count))
        }
        return Column(type: .array(elementType), data: .list(offsets: offsets, child: all.gather(picks)),
                      validity: AggregateResults.validity(validity))
    }

    func makeEmpty() -> GroupedAccumulator { ArrayAggregateAccumulator(elementType: elementType) }
}
