import Storage

/// Filters as one mask: the leading `column op constant` conjuncts of an AND are each evaluated on every row (a
/// straight vectorised comparison that cannot fail) and AND-ed into a byte mask, which becomes the selected rows
/// in one branch-free pass. Cheaper than narrowing the batch after every conjunct when each keeps many rows, and
/// never more than one extra comparison pass when the first keeps few.
enum ConjunctMask {
    /// The mask (1 = every leading conjunct TRUE; NULL counts as not TRUE) and how many leading conjuncts it
    /// covers; nil when fewer than two conjuncts qualify (nothing to gain).
    static func leading(_ conjuncts: [BoundExpression], _ batch: Batch, _ ctx: ExecutionContext) throws -> ([UInt8]?, Int) {
        var count = 0
        while count < conjuncts.count, isColumnConstantComparison(conjuncts[count]) { count += 1 }
        guard count >= 2 else { return (nil, 0) }
        var mask: [UInt8]? = nil
        for k in 0..<count {
            guard case let .call(function, arguments, _) = conjuncts[k],
                  let column = try ComparisonOperators.evaluateAgainstConstant(function, arguments, batch, ctx),
                  case let .bool(values) = column.data, values.count == batch.count else {
                // Not the fast comparison after all: cover only the conjuncts before this one.
                return k >= 2 ? (mask, k) : (nil, 0)
            }
            mask = combine(mask, values, column.validity)
        }
        return (mask, count)
    }

    /// `column op constant` (either order) with a comparison operator: the shape `evaluateAgainstConstant` handles.
    static func isColumnConstantComparison(_ e: BoundExpression) -> Bool {
        guard case let .call(function, arguments, _) = e, arguments.count == 2,
              ComparisonOperators.Operation(rawValue: function.name) != nil else { return false }
        switch (arguments[0], arguments[1]) {
        case (.column, .constant), (.constant, .column): return true
        default: return false
        }
    }

    private static func combine(_ mask: [UInt8]?, _ values: [Bool], _ validity: [UInt8]?) -> [UInt8] {
        let n = values.count
        return [UInt8](unsafeUninitializedCapacity: n) { out, initialized in
            values.withUnsafeBufferPointer { v in
                v.withMemoryRebound(to: UInt8.self) { bits in
                    switch (mask, validity) {
                    case (nil, nil): for i in 0..<n { out[i] = bits[i] }
                    case let (m?, nil): m.withUnsafeBufferPointer { m in for i in 0..<n { out[i] = m[i] & bits[i] } }
                    case let (nil, valid?): valid.withUnsafeBufferPointer { valid in for i in 0..<n { out[i] = bits[i] & Swift.min(valid[i], 1) } }
                    case let (m?, valid?):
                        m.withUnsafeBufferPointer { m in valid.withUnsafeBufferPointer { valid in
                            for i in 0..<n { out[i] = m[i] & bits[i] & Swift.min(valid[i], 1) }
                        } }
                    }
                }
            }
            initialized = n
        }
    }

    /// Rows whose mask byte is 1 (mask bytes are 0 or 1).
    static func selectedRows(_ mask: [UInt8]) -> [Int32] {
        mask.withUnsafeBufferPointer { m in selectedRows(count: m.count) { m[$0] } }
    }

    /// Rows `i` in `0..<count` with `bit(i) == 1` (`bit` returns 0 or 1), ascending, without a data-dependent
    /// branch per row: every index is written and the write position advances by the bit (a compare-and-branch
    /// mispredicts on scattered selections).
    @inline(__always)
    static func selectedRows(count n: Int, _ bit: (Int) -> UInt8) -> [Int32] {
        var selected = 0
        return [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n {
                buffer[selected] = Int32(truncatingIfNeeded: i)
                selected &+= Int(bit(i))
            }
            initialized = selected
        }
    }
}
