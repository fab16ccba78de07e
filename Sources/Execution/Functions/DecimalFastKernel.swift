import Storage

/// Tight loops for decimal `+`, `-` and `*` whose result needs no rounding (the result scale is at least each
/// operand's for `+`/`-`, and exactly the sum of the operand scales for `*`).
///
/// The loop computes every row with wrapping-free overflow-reporting arithmetic and only ORs the failure flags
/// (overflow or a result beyond the precision), so it vectorises; when any row fails, including NULL rows whose
/// placeholder values happened to overflow, `apply` returns nil and the caller runs the exact per-row path,
/// which reports the error or handles NULLs as before.
struct DecimalFastKernel: Sendable {
    let operation: ArithmeticOperators.Operation
    let leftFactor: Int64
    let rightFactor: Int64
    let limit: UInt64

    init?(_ op: ArithmeticOperators.Operation, _ s1: Int, _ s2: Int, _ s: Int, _ p: Int) {
        guard p < 19, s1 >= 0, s2 >= 0 else { return nil }
        switch op {
        case .add, .subtract:
            guard s >= s1, s >= s2, s - s1 <= 18, s - s2 <= 18 else { return nil }
            leftFactor = Self.power(s - s1); rightFactor = Self.power(s - s2)
        case .multiply:
            guard s == s1 + s2 else { return nil }
            leftFactor = 1; rightFactor = 1
        default:
            return nil
        }
        operation = op
        limit = UInt64(Self.power(p))
    }

    static func power(_ n: Int) -> Int64 {
        var r: Int64 = 1
        for _ in 0..<n { r &*= 10 }
        return r
    }

    /// `a·f1 ± b·f2` and 1 when any step overflows or the result's magnitude reaches `limit`, else 0.
    @inline(__always)
    static func checkedScaledSum(_ a: Int64, _ f1: Int64, _ b: Int64, _ f2: Int64, subtract: Bool,
                                 limit: UInt64) -> (Int64, UInt8) {
        let (l, o1) = a.multipliedReportingOverflow(by: f1)
        let (r, o2) = b.multipliedReportingOverflow(by: f2)
        let (v, o3) = subtract ? l.subtractingReportingOverflow(r) : l.addingReportingOverflow(r)
        return (v, (o1 ? 1 : 0) | (o2 ? 1 : 0) | (o3 ? 1 : 0) | (v.magnitude >= limit ? 1 : 0))
    }

    /// Whether no product of the first `n` rows can overflow or reach `limit`, from the bit lengths of the OR of
    /// each side's magnitudes (vectorisable passes; NULL rows' placeholders are included, conservatively).
    static func productFits(_ x: UnsafeBufferPointer<Int64>, _ y: UnsafeBufferPointer<Int64>, _ n: Int, _ limit: UInt64) -> Bool {
        productFits(x, y, 0..<n, limit)
    }

    @inline(__always)
    static func productFits(_ x: UnsafeBufferPointer<Int64>, _ y: UnsafeBufferPointer<Int64>, _ rows: Range<Int>, _ limit: UInt64) -> Bool {
        var mx: UInt64 = 0, my: UInt64 = 0
        for i in rows { mx |= x[i].magnitude; my |= y[i].magnitude }
        let bits = (64 - mx.leadingZeroBitCount) + (64 - my.leadingZeroBitCount)
        return bits < 64 && (UInt64(1) << UInt64(bits)) <= limit
    }

    /// Whether no `x·f1 ± y·f2` of the first `n` rows can overflow or reach `limit`: each side's magnitude is
    /// below 2^(bits of OR|side|)·factor, and the two bounds together stay within `limit`.
    static func sumFits(_ x: UnsafeBufferPointer<Int64>, _ y: UnsafeBufferPointer<Int64>, _ n: Int,
                        _ f1: Int64, _ f2: Int64, _ limit: UInt64) -> Bool {
        sumFits(x, y, 0..<n, f1, f2, limit)
    }

    @inline(__always)
    static func sumFits(_ x: UnsafeBufferPointer<Int64>, _ y: UnsafeBufferPointer<Int64>, _ rows: Range<Int>,
                        _ f1: Int64, _ f2: Int64, _ limit: UInt64) -> Bool {
        var mx: UInt64 = 0, my: UInt64 = 0
        for i in rows { mx |= x[i].magnitude; my |= y[i].magnitude }
        let bx = 64 - mx.leadingZeroBitCount, by = 64 - my.leadingZeroBitCount
        guard bx < 63, by < 63, f1 > 0, f2 > 0 else { return false }
        let (ex, ox) = (UInt64(1) << UInt64(bx)).multipliedReportingOverflow(by: UInt64(f1))
        let (ey, oy) = (UInt64(1) << UInt64(by)).multipliedReportingOverflow(by: UInt64(f2))
        guard !ox, !oy else { return false }
        let (bound, o) = ex.addingReportingOverflow(ey)
        return !o && bound <= limit
    }

    /// Rows per block: the bounds pass and the arithmetic of a block read the operands while they are in L1.
    static let blockSize = 2048

    /// The results, or nil when some row overflows or exceeds the precision. Works block by block; each block
    /// takes the plain loop when its operand bounds prove every result fits, else the checked loop.
    func apply(_ a: [Int64], _ b: [Int64]) -> [Int64]? {
        let n = min(a.count, b.count)
        var failures: UInt8 = 0
        let values = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                [Int64](unsafeUninitializedCapacity: n) { out, initialized in
                    var start = 0
                    while start < n {
                        let end = min(start + Self.blockSize, n)
                        failures |= applyBlock(x, y, out, start..<end)
                        start = end
                    }
                    initialized = n
                }
            }
        }
        return failures != 0 ? nil : values
    }

    @inline(__always)
    private func applyBlock(_ x: UnsafeBufferPointer<Int64>, _ y: UnsafeBufferPointer<Int64>,
                            _ out: UnsafeMutableBufferPointer<Int64>, _ rows: Range<Int>) -> UInt8 {
        var failures: UInt8 = 0
        switch operation {
        case .multiply where Self.productFits(x, y, rows, limit):
            // Every |x|·|y| < 2^(bits of OR|x| + bits of OR|y|) ≤ limit: a plain multiply loop.
            for i in rows { out[i] = x[i] &* y[i] }
        case .multiply:
            for i in rows {
                let (v, o) = x[i].multipliedReportingOverflow(by: y[i])
                out[i] = v
                failures |= (o ? 1 : 0) | (v.magnitude >= limit ? 1 : 0)
            }
        case .add where Self.sumFits(x, y, rows, leftFactor, rightFactor, limit):
            let f1 = leftFactor, f2 = rightFactor
            for i in rows { out[i] = x[i] &* f1 &+ y[i] &* f2 }
        case .subtract where Self.sumFits(x, y, rows, leftFactor, rightFactor, limit):
            let f1 = leftFactor, f2 = rightFactor
            for i in rows { out[i] = x[i] &* f1 &- y[i] &* f2 }
        case .add, .subtract:
            let f1 = leftFactor, f2 = rightFactor, subtract = operation == .subtract
            for i in rows {
                let (v, failed) = Self.checkedScaledSum(x[i], f1, y[i], f2, subtract: subtract, limit: limit)
                out[i] = v
                failures |= failed
            }
        default:
            failures = 1
            for i in rows { out[i] = 0 }
        }
        return failures
    }
}

extension DecimalFastKernel {
    /// `c op y[i]` (`constantOnLeft`) or `y[i] op c` for every row without a column of the constant, or nil when
    /// some row overflows or exceeds the precision (the caller then runs the exact path over a materialised
    /// constant). Block by block like `apply`: the plain loop when the OR of the column's magnitudes and the
    /// constant's magnitude bound every result.
    func apply(constant c: Int64, _ y: [Int64], constantOnLeft: Bool) -> [Int64]? {
        let n = y.count
        var failures: UInt8 = 0
        let values = y.withUnsafeBufferPointer { y in
            [Int64](unsafeUninitializedCapacity: n) { out, initialized in
                var start = 0
                while start < n {
                    let end = min(start + Self.blockSize, n)
                    failures |= applyBlock(constant: c, y, out, start..<end, constantOnLeft)
                    start = end
                }
                initialized = n
            }
        }
        return failures != 0 ? nil : values
    }

    @inline(__always)
    private func applyBlock(constant c: Int64, _ y: UnsafeBufferPointer<Int64>, _ out: UnsafeMutableBufferPointer<Int64>,
                            _ rows: Range<Int>, _ constantOnLeft: Bool) -> UInt8 {
        var my: UInt64 = 0
        for i in rows { my |= y[i].magnitude }
        let bc = 64 - c.magnitude.leadingZeroBitCount, by = 64 - my.leadingZeroBitCount
        // Factors of the constant's side and the column's side.
        let fc = constantOnLeft ? leftFactor : rightFactor, fy = constantOnLeft ? rightFactor : leftFactor
        switch operation {
        case .multiply where bc + by < 64 && (UInt64(1) << UInt64(bc + by)) <= limit:
            for i in rows { out[i] = c &* y[i] }
            return 0
        case .add, .subtract:
            let (cs, oc) = c.multipliedReportingOverflow(by: fc)
            if !oc, by < 63, fy > 0 {
                let (ey, oy) = (UInt64(1) << UInt64(by)).multipliedReportingOverflow(by: UInt64(fy))
                let (bound, o) = cs.magnitude.addingReportingOverflow(ey)
                if !oy, !o, bound <= limit {
                    if operation == .add {
                        for i in rows { out[i] = cs &+ y[i] &* fy }
                    } else if constantOnLeft {
                        for i in rows { out[i] = cs &- y[i] &* fy }
                    } else {
                        for i in rows { out[i] = y[i] &* fy &- cs }
                    }
                    return 0
                }
            }
        default:
            break
        }
        // Checked loop over the same rows (a block the bounds do not prove).
        var failures: UInt8 = 0
        switch operation {
        case .multiply:
            for i in rows {
                let (v, o) = c.multipliedReportingOverflow(by: y[i])
                out[i] = v
                failures |= (o ? 1 : 0) | (v.magnitude >= limit ? 1 : 0)
            }
        case .add, .subtract:
            let subtract = operation == .subtract
            for i in rows {
                let (v, failed) = Self.checkedScaledSum(constantOnLeft ? c : y[i], leftFactor,
                                                        constantOnLeft ? y[i] : c, rightFactor,
                                                        subtract: subtract, limit: limit)
                out[i] = v
                failures |= failed
            }
        default:
            failures = 1
            for i in rows { out[i] = 0 }
        }
        return failures
    }
}
