import Storage

/// `bitwise_and_agg(x)` / `bitwise_or_agg(x)` (DuckDB: `bit_and` / `bit_or`) over non-NULL integers.
final class BitwiseAccumulator: GroupedAccumulator {
    let isAnd: Bool
    let resultType: DataType
    private var bits: [Int64] = []
    private var seen: [Bool] = []

    init(isAnd: Bool, resultType: DataType) { self.isAnd = isAnd; self.resultType = resultType }

    func resize(_ count: Int) {
        guard bits.count < count else { return }
        bits.appendGrowing(isAnd ? -1 : 0, count: count - bits.count)
        seen.appendGrowing(false, count: count - seen.count)
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        let x = try ColumnKernels.int64s(c)
        for i in 0..<x.count where !c.isNull(i) {
            let g = Int(gids[i])
            bits[g] = isAnd ? bits[g] & x[i] : bits[g] | x[i]
            seen[g] = true
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? BitwiseAccumulator else { return }
        for g in 0..<o.bits.count where o.seen[g] {
            let t = Int(mapping[g])
            if t < 0 { continue }
            bits[t] = isAnd ? bits[t] & o.bits[g] : bits[t] | o.bits[g]
            seen[t] = true
        }
    }

    func finish(_ count: Int) throws -> Column {
        resize(count)
        return try AggregateResults.column(int64: Array(bits.prefix(count)), valid: AggregateResults.validity(seen.prefix(count).map { $0 ? 1 : 0 }),
                                           type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { BitwiseAccumulator(isAnd: isAnd, resultType: resultType) }
}
