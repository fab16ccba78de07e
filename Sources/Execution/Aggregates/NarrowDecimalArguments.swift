import Storage

/// Evaluates a `sum` / `avg` argument of type DECIMAL(19…38) that is a tree of decimal `+ - *` in 64-bit arithmetic
/// when its batch's values allow, so the 128-bit column is never built.
///
/// Trino's result types make TPC-H's `l_extendedprice * (1 - l_discount)` DECIMAL(31,4) and
/// `… * (1 + l_tax)` DECIMAL(38,6), although every value of the batch fits 64 bits. Each `+ - *` node whose type
/// is DECIMAL(19…38) computes its two operands' Int64 values (DECIMAL(≤18) operands as they are, 128-bit ones when
/// every row fits 64 bits) with overflow-reporting adds and multiplies, and yields a column of its DECIMAL(19…38)
/// type holding `.int64` data. Such a value cannot exceed the node's precision (|v| < 2^63 < 10^19), so the
/// result is the same; when any row overflows 64 bits (or holds an operand that does not fit), the node runs its
/// own 128-bit kernel on the operands instead, which checks and reports exactly as before.
///
/// Only `Decimal128SumAccumulator` reads these columns (it sums `.int64` data at the column type's scale), so
/// `GroupedAggregation` uses this for the arguments of its DECIMAL sums and averages alone, and
/// `SharedSubexpressions` does not share such nodes between calls (a shared column may reach other consumers).
enum NarrowDecimalArguments {
    /// Whether `e` is a decimal `+ - *` with a DECIMAL(19…38) result (evaluated here rather than as one column).
    static func applies(_ e: BoundExpression) -> Bool {
        guard case let .call(f, args, t) = e, t.isInt128Decimal, args.count == 2,
              let op = ArithmeticOperators.Operation(rawValue: f.name), op != .divide, op != .modulo else { return false }
        return args.allSatisfy { if case .decimal = $0.type { return true } else { return false } }
    }

    /// `e` over `batch`: as `OperatorExpressions.evaluate`, except that a DECIMAL(19…38) `+ - *` tree may come back
    /// with `.int64` data (see the type's comment).
    static func evaluate(_ e: BoundExpression, _ batch: Batch, _ context: ExecutionContext) throws -> Column {
        guard applies(e), case let .call(function, args, type) = e, let op = ArithmeticOperators.Operation(rawValue: function.name),
              case let .decimal(_, s) = type, case let .decimal(_, s1) = args[0].type, case let .decimal(_, s2) = args[1].type else {
            return try OperatorExpressions.evaluate(e, batch, context)
        }
        let a = try evaluate(args[0], batch, context), b = try evaluate(args[1], batch, context)
        if a.count == batch.count, b.count == batch.count, let x = int64s(a), let y = int64s(b),
           let values = combine(op, x, y, scales: s1, s2, to: s) {
            return Column(type: type, data: .int64(values), validity: ColumnKernels.intersect(a.validity, b.validity))
        }
        let result = try function.kernel([a, b], batch.count, context)
        guard result.count == batch.count else {
            throw TarnError(.internal, "function \(function.name) returned \(result.count) rows for \(batch.count)")
        }
        return result.type == type ? result : Column(type: type, data: result.data, validity: result.validity)
    }

    /// The column's values as Int64: DECIMAL(≤18) data as it is, 128-bit data when every row (NULL placeholders
    /// included) fits; nil otherwise.
    static func int64s(_ c: Column) -> [Int64]? {
        switch c.data {
        case let .int64(v): return v
        case let .int128(v):
            var outside = false
            let out = [Int64](unsafeUninitializedCapacity: v.count) { out, initialized in
                for i in 0..<v.count {
                    let low = Int64(truncatingIfNeeded: v[i])
                    outside = outside || Int128(low) != v[i]
                    out[i] = low
                }
                initialized = v.count
            }
            return outside ? nil : out
        default: return nil
        }
    }

    /// `x op y` per row at scale `s` in 64 bits, or nil when a row (NULL placeholders included) overflows, or the
    /// operation is not an exact one here (`*` whose scale is not s1 + s2, a rescale beyond 10^18).
    static func combine(_ op: ArithmeticOperators.Operation, _ x: [Int64], _ y: [Int64], scales s1: Int, _ s2: Int, to s: Int) -> [Int64]? {
        let n = Swift.min(x.count, y.count)
        var failed: UInt8 = 0
        let out: [Int64]
        switch op {
        case .multiply:
            guard s == s1 + s2 else { return nil }
            out = x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    [Int64](unsafeUninitializedCapacity: n) { buffer, initialized in
                        for i in 0..<n {
                            let (r, o) = x[i].multipliedReportingOverflow(by: y[i])
                            buffer[i] = r
                            failed |= o ? 1 : 0
                        }
                        initialized = n
                    }
                }
            }
        case .add, .subtract:
            guard s >= s1, s >= s2, s - s1 <= 18, s - s2 <= 18 else { return nil }
            let f1 = DecimalMath.powerOfTen(s - s1), f2 = DecimalMath.powerOfTen(s - s2)
            let subtract = op == .subtract
            out = x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    [Int64](unsafeUninitializedCapacity: n) { buffer, initialized in
                        for i in 0..<n {
                            let (r, f) = DecimalFastKernel.checkedScaledSum(x[i], f1, y[i], f2, subtract: subtract, limit: UInt64(Int64.max))
                            buffer[i] = r
                            failed |= f
                        }
                        initialized = n
                    }
                }
            }
        case .divide, .modulo:
            return nil
        }
        return failed == 0 ? out : nil
    }
}
