import Storage

/// Three-valued AND / OR / NOT and IS [NOT] NULL over boolean columns.
enum LogicalKernels {
    /// FALSE if any operand is FALSE, else NULL if any is NULL, else TRUE.
    static func and(_ operands: [Column], count n: Int) throws -> Column {
        try combine(operands, count: n, dominant: false)
    }

    /// TRUE if any operand is TRUE, else NULL if any is NULL, else FALSE.
    static func or(_ operands: [Column], count n: Int) throws -> Column {
        try combine(operands, count: n, dominant: true)
    }

    /// `dominant` is the value that decides the result on its own (FALSE for AND, TRUE for OR).
    private static func combine(_ operands: [Column], count n: Int, dominant: Bool) throws -> Column {
        if operands.count == 1, operands[0].type == .boolean { return operands[0] }
        var decided = [Bool](repeating: false, count: n)
        var sawNull = [Bool](repeating: false, count: n)
        var anyNull = false
        for c in operands {
            if c.type == .null {
                anyNull = true
                for i in 0..<n { sawNull[i] = true }
                continue
            }
            let values = try ColumnKernels.bools(c)
            decided.withUnsafeMutableBufferPointer { pd in values.withUnsafeBufferPointer { pv in
                if let validity = c.validity {
                    anyNull = true
                    sawNull.withUnsafeMutableBufferPointer { ps in validity.withUnsafeBufferPointer { pm in
                        for i in 0..<n {
                            let valid = pm[i] != 0
                            pd[i] = pd[i] || (valid && pv[i] == dominant)
                            ps[i] = ps[i] || !valid
                        }
                    } }
                } else {
                    for i in 0..<n { pd[i] = pd[i] || pv[i] == dominant }
                }
            } }
        }
        let values = decided.map { $0 ? dominant : !dominant }
        guard anyNull else { return Column(type: .boolean, data: .bool(values)) }
        var validity = [UInt8](repeating: 1, count: n)
        for i in 0..<n where !decided[i] && sawNull[i] { validity[i] = 0 }
        return Column(type: .boolean, data: .bool(values), validity: ColumnKernels.normalized(validity))
    }

    /// NOT x: NULL stays NULL.
    static func not(_ c: Column) throws -> Column {
        if c.type == .null { return Column.nulls(.boolean, count: c.count) }
        let values = try ColumnKernels.bools(c)
        return Column(type: .boolean, data: .bool(values.map { !$0 }), validity: c.validity)
    }

    /// x IS NULL (or IS NOT NULL when `negated`); never NULL itself.
    static func isNull(_ c: Column, negated: Bool) -> Column {
        let n = c.count
        if c.type == .null { return Column(type: .boolean, data: .bool([Bool](repeating: !negated, count: n))) }
        guard let validity = c.validity else { return Column(type: .boolean, data: .bool([Bool](repeating: negated, count: n))) }
        return Column(type: .boolean, data: .bool(validity.map { ($0 == 0) != negated }))
    }
}
