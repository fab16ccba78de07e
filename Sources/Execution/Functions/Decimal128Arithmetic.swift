import Storage

/// Decimal `+ - * / %` whose result or an operand is DECIMAL(19…38): 128-bit arithmetic on `ColumnKernels.int128s`
/// (DECIMAL(≤18) operands widened). Products of two DECIMAL(≤18) columns whose precisions add up to at most the
/// result's take one 64×64→128-bit multiply per row with no check (they cannot overflow); everything else checks
/// each row and raises "decimal overflow: result does not fit DECIMAL(p,s)" beyond the result's precision.
enum Decimal128Arithmetic {
    static func kernel(_ op: ArithmeticOperators.Operation, _ left: DataType, _ right: DataType, _ result: DataType) -> ScalarFunction.Kernel {
        guard case let .decimal(p1, s1) = left, case let .decimal(p2, s2) = right, case let .decimal(p, s) = result else {
            return { _, n, _ in Column.nulls(result, count: n) }
        }
        let overflow = TarnError(.execution, "decimal overflow: result does not fit \(result)")
        let bound = Int128.powerOfTen(p).magnitude
        let wideResult = result.isInt128Decimal
        return { args, _, ctx in
            guard args.count == 2 else { throw TarnError(.internal, "\(op.rawValue) expects 2 arguments") }
            let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
            if op == .multiply, s == s1 + s2, p1 + p2 <= p, wideResult,
               case let .int64(a) = args[0].data, case let .int64(b) = args[1].data {
                let values = ColumnKernels.map2(a, b, validity, placeholder: Int128(0)) { Int128($0) &* Int128($1) }
                return Column(type: result, data: .int128(values), validity: validity)
            }
            let a = try ColumnKernels.int128s(args[0]), b = try ColumnKernels.int128s(args[1])
            if op == .multiply, s == s1 + s2 {
                guard let values = multiply(a, b, validity, bound: bound) else { throw overflow }
                if wideResult { return Column(type: result, data: .int128(values), validity: validity) }
                return Column(type: result, data: .int64(values.map { Int64(truncatingIfNeeded: $0) }), validity: validity)
            }
            let zeroIsNull = ctx.settings.divisionByZeroIsNull
            let (values, outValidity) = try ColumnKernels.map2Optional(a, b, validity, placeholder: Int128(0)) { x, y -> Int128? in
                let r: Int128?
                switch op {
                case .add, .subtract:
                    guard let xs = DecimalMath.wideRescale(x, from: s1, to: s), let ys = DecimalMath.wideRescale(y, from: s2, to: s) else { throw overflow }
                    let (v, o) = op == .add ? xs.addingReportingOverflow(ys) : xs.subtractingReportingOverflow(ys)
                    r = o ? nil : v
                case .multiply:
                    let (v, o) = x.multipliedReportingOverflow(by: y)
                    r = o ? nil : DecimalMath.wideRescale(v, from: s1 + s2, to: s)
                case .divide:
                    if y == 0 { if zeroIsNull { return nil }; throw ArithmeticOperators.divisionByZero }
                    // x·10^(s − s1 + s2) / y has scale s.
                    guard let numerator = DecimalMath.wideRescale(x, from: s1, to: s + s2) else { throw overflow }
                    r = DecimalMath.divideRounded(numerator, y)
                case .modulo:
                    if y == 0 { if zeroIsNull { return nil }; throw ArithmeticOperators.divisionByZero }
                    guard let xs = DecimalMath.wideRescale(x, from: s1, to: s), let ys = DecimalMath.wideRescale(y, from: s2, to: s) else { throw overflow }
                    r = xs.remainderReportingOverflow(dividingBy: ys).partialValue
                }
                guard let r, r.magnitude < bound else { throw overflow }
                return r
            }
            if wideResult { return Column(type: result, data: .int128(values), validity: outValidity) }
            return Column(type: result, data: .int64(values.map { Int64(truncatingIfNeeded: $0) }), validity: outValidity)
        }
    }

    /// Products below `bound` in magnitude, or nil when one is not (NULL rows hold 0 and are not checked). Operands that
    /// fit 64 bits (TPC-H's prices times discounts) take one 64×64→128-bit multiply; others a checked 128-bit one.
    static func multiply(_ a: [Int128], _ b: [Int128], _ validity: [UInt8]?, bound: UInt128) -> [Int128]? {
        let n = a.count
        var bad = false
        let out = [Int128](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    for i in 0..<n {
                        if let validity, validity[i] == 0 { out[i] = 0; continue }
                        let lx = Int64(truncatingIfNeeded: x[i]), ly = Int64(truncatingIfNeeded: y[i])
                        let r: Int128
                        if Int128(lx) == x[i] && Int128(ly) == y[i] {
                            r = Int128(lx) &* Int128(ly)
                        } else {
                            let (v, o) = x[i].multipliedReportingOverflow(by: y[i])
                            bad = bad || o
                            r = v
                        }
                        bad = bad || r.magnitude >= bound
                        out[i] = r
                    }
                }
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
