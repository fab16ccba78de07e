import Storage

/// Decimal `+ - * / %` whose result or an operand is DECIMAL(19…38): 128-bit arithmetic on `ColumnKernels.int128s`
/// (DECIMAL(≤18) operands widened). Products of two DECIMAL(≤18) columns whose precisions add up to at most the
/// result's take one 64×64→128-bit multiply per row with no check (they cannot overflow); everything else checks
/// each row and raises "decimal overflow: result does not fit DECIMAL(p,s)" beyond the result's precision.
enum Decimal128Arithmetic {
    static func kernel(_ op: ArithmeticOperators.Operation, _ left: DataType, _ right: DataType, _ result: DataType) -> ScalarFunction.Kernel {
        guard case let .decimal(_, s1) = left, case let .decimal(_, s2) = right, case let .decimal(p, s) = result else {
            return { _, n, _ in Column.nulls(result, count: n) }
        }
        let overflow = TarnError(.execution, "decimal overflow: result does not fit \(result)")
        let bound = Int128.powerOfTen(p).magnitude
        let wideResult = result.isInt128Decimal
        return { args, _, ctx in
            guard args.count == 2 else { throw TarnError(.internal, "\(op.rawValue) expects 2 arguments") }
            let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
            if op == .multiply, s == s1 + s2, let values = multiply(args[0].data, args[1].data, validity, bound: bound) {
                guard let values else { throw overflow }
                if wideResult { return Column(type: result, data: .int128(values), validity: validity) }
                return Column(type: result, data: .int64(values.map { Int64(truncatingIfNeeded: $0) }), validity: validity)
            }
            let a = try ColumnKernels.int128s(args[0]), b = try ColumnKernels.int128s(args[1])
            let zeroIsNull = ctx.settings.divisionByZeroIsNull
            let (values, outValidity) = try ColumnKernels.map2Optional(a, b, validity, placeholder: Int128(0)) { x, y -> Int128? in
                guard let r = try DecimalMath.combine(op, x, y, scales: s1, s2, to: s, zeroIsNull: zeroIsNull, overflow: overflow) else { return nil }
                guard r.magnitude < bound else { throw overflow }
                return r
            }
            if wideResult { return Column(type: result, data: .int128(values), validity: outValidity) }
            return Column(type: result, data: .int64(values.map { Int64(truncatingIfNeeded: $0) }), validity: outValidity)
        }
    }

    /// Products of two Int64 / Int128 buffers (no widened copies), each below `bound` in magnitude: `.some(nil)` when
    /// one is not (NULL rows hold 0 and are not checked), nil for other column data. Operands that fit 64 bits (TPC-H's
    /// prices times discounts) take one 64×64→128-bit multiply; others a checked 128-bit one.
    static func multiply(_ a: ColumnData, _ b: ColumnData, _ validity: [UInt8]?, bound: UInt128) -> [Int128]?? {
        switch (a, b) {
        case let (.int64(x), .int64(y)): return x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in multiply(x, y, validity, bound: bound) } }
        case let (.int128(x), .int64(y)): return x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in multiply(x, y, validity, bound: bound) } }
        case let (.int64(x), .int128(y)): return y.withUnsafeBufferPointer { y in x.withUnsafeBufferPointer { x in multiply(y, x, validity, bound: bound) } }
        case let (.int128(x), .int128(y)): return x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in multiply(x, y, validity, bound: bound) } }
        default: return nil
        }
    }

    @inline(__always)
    private static func multiply<A: FixedWidthInteger & SignedInteger, B: FixedWidthInteger & SignedInteger>(
        _ x: UnsafeBufferPointer<A>, _ y: UnsafeBufferPointer<B>, _ validity: [UInt8]?, bound: UInt128
    ) -> [Int128]? {
        let n = Swift.min(x.count, y.count)
        var bad = false
        let out = [Int128](unsafeUninitializedCapacity: n) { out, initialized in
            for i in 0..<n {
                let wx = Int128(truncatingIfNeeded: x[i]), wy = Int128(truncatingIfNeeded: y[i])
                let lx = Int64(truncatingIfNeeded: wx), ly = Int64(truncatingIfNeeded: wy)
                var r: Int128
                if Int128(lx) == wx && Int128(ly) == wy {
                    let full = lx.multipliedFullWidth(by: ly)
                    r = Int128(full.high) << 64 | Int128(full.low)
                } else {
                    let (v, o) = wx.multipliedReportingOverflow(by: wy)
                    r = v
                    if o { r = Int128.max }
                }
                if let validity, validity[i] == 0 { r = 0 }
                bad = bad || r.magnitude >= bound
                out[i] = r
            }
            initialized = n
        }
        return bad ? nil : out
    }

    /// `-x` for DECIMAL(19…38) (cannot overflow: |x| < 10^38 < 2^127).
    static let negate: ScalarFunction.Kernel = { args, _, _ in
        let a = try ColumnKernels.int128s(args[0])
        return Column(type: args[0].type, data: .int128(ColumnKernels.map(a, args[0].validity, placeholder: Int128(0)) { 0 &- $0 }),
                      validity: args[0].validity)
    }
}
