import Foundation
import Storage

/// Fixed-point helpers on unscaled Int64 values (precision ≤ 18), with rounding half away from zero.
/// Arithmetic works through 128-bit intermediates (`wide…`), so only the final result has to fit.
enum DecimalMath {
    private static let powers: [Int64] = {
        var p: [Int64] = [1]
        for _ in 1...18 { p.append(p[p.count - 1] * 10) }
        return p
    }()

    /// 10^n for 0 ≤ n ≤ 18 (clamped).
    @inline(__always) static func powerOfTen(_ n: Int) -> Int64 { powers[max(0, min(18, n))] }

    /// `value` with scale `from` expressed with scale `to`; nil on overflow.
    @inline(__always) static func rescale(_ value: Int64, from: Int, to: Int) -> Int64? {
        if to == from { return value }
        if to > from {
            let (r, o) = value.multipliedReportingOverflow(by: powerOfTen(to - from))
            return o ? nil : r
        }
        return divideRounded(value, powerOfTen(from - to))
    }

    /// a / b rounded half away from zero (b ≠ 0); nil on overflow. For Int64 and, for 128-bit
    /// intermediates, Int128.
    @inline(__always) static func divideRounded<T: FixedWidthInteger & SignedInteger>(_ a: T, _ b: T) -> T? {
        let (q, o) = a.dividedReportingOverflow(by: b)
        if o { return nil }
        let r = a - q &* b
        if r == 0 { return q }
        let rm = r.magnitude, bm = b.magnitude
        if rm >= bm - rm { return (a < 0) != (b < 0) ? q - 1 : q + 1 }
        return q
    }

    /// 10^n as a 128-bit value for 0 ≤ n ≤ 38 (clamped).
    @inline(__always) static func widePowerOfTen(_ n: Int) -> Int128 { widePowers[max(0, min(38, n))] }

    private static let widePowers: [Int128] = {
        var p: [Int128] = [1]
        for _ in 1...38 { p.append(p[p.count - 1] * 10) }
        return p
    }()

    /// `value` with scale `from` expressed with scale `to`, in 128 bits; nil on overflow.
    @inline(__always) static func wideRescale(_ value: Int128, from: Int, to: Int) -> Int128? {
        if to == from { return value }
        if to > from {
            guard to - from <= 38 else { return value == 0 ? 0 : nil }
            let (r, o) = value.multipliedReportingOverflow(by: widePowerOfTen(to - from))
            return o ? nil : r
        }
        guard from - to <= 38 else { return 0 }
        return divideRounded(value, widePowerOfTen(from - to))
    }


    /// The 128-bit result as an Int64 that fits `precision` digits, or nil.
    @inline(__always) static func narrow(_ value: Int128, precision: Int) -> Int64? {
        guard let v = Int64(exactly: value), fits(v, precision: precision) else { return nil }
        return v
    }

    /// Whether an unscaled value fits `precision` digits.
    @inline(__always) static func fits(_ value: Int64, precision: Int) -> Bool {
        precision >= 19 || value.magnitude < UInt64(powerOfTen(precision))
    }

    /// Parses decimal text (`-12.345`, `1e3`, ` 7 `) exactly into an unscaled value at `scale`, rounding extra digits.
    static func parse(_ text: String, scale: Int) -> Int64? { parseUnscaled(text, scale: scale, as: Int64.self) }

    /// `parse` into any width (Int128 for DECIMAL(19…38)).
    static func parseUnscaled<T: FixedWidthInteger & SignedInteger>(_ text: String, scale: Int, as: T.Type) -> T? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        var mantissa = Substring(t), exponent = 0
        if let e = t.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(t[t.index(after: e)...]) else { return nil }
            exponent = max(-1000, min(1000, x))
            mantissa = t[..<e]
        }
        var negative = false
        if mantissa.first == "-" || mantissa.first == "+" { negative = mantissa.first == "-"; mantissa = mantissa.dropFirst() }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        for ch in mantissa.utf8 {
            if ch == UInt8(ascii: ".") { if seenPoint { return nil }; seenPoint = true; continue }
            guard ch >= 48, ch <= 57 else { return nil }
            digits.append(ch - 48)
            if seenPoint { fractionDigits += 1 }
        }
        guard !digits.isEmpty else { return nil }
        // value = digits × 10^(exponent − fractionDigits); we want value × 10^scale.
        let shift = scale + exponent - fractionDigits
        var keep = digits.count + min(0, shift)     // digits kept before rounding
        var roundUp = false
        if shift < 0 {
            if keep < 0 { return 0 }
            roundUp = keep < digits.count && digits[keep] >= 5
        }
        keep = max(0, keep)
        var v: T = 0
        for d in digits.prefix(keep) {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(T(d))
            if o1 || o2 { return nil }
            v = s
        }
        if shift > 0, v != 0 {
            guard shift <= 38 else { return nil }
            for _ in 0..<shift {
                let (m, o) = v.multipliedReportingOverflow(by: 10)
                if o { return nil }
                v = m
            }
        }
        if roundUp { v += 1 }
        return negative ? -v : v
    }

    /// `x op y` for unscaled decimals of scales `s1` and `s2`, exact in 128 bits, at scale `s` (`/` rounds half away
    /// from zero); nil for a NULL result (division or modulo by zero when `zeroIsNull`). Throws `overflow` when a
    /// rescaled operand or the result leaves 128 bits, and division by zero otherwise. The caller checks the result
    /// against its precision. Shared by the 64-bit and 128-bit decimal kernels.
    static func combine(_ op: ArithmeticOperators.Operation, _ x: Int128, _ y: Int128, scales s1: Int, _ s2: Int, to s: Int,
                        zeroIsNull: Bool, overflow: TarnError) throws -> Int128? {
        let r: Int128?
        switch op {
        case .add, .subtract:
            guard let xs = wideRescale(x, from: s1, to: s), let ys = wideRescale(y, from: s2, to: s) else { throw overflow }
            let (v, o) = op == .add ? xs.addingReportingOverflow(ys) : xs.subtractingReportingOverflow(ys)
            r = o ? nil : v
        case .multiply:
            let (v, o) = x.multipliedReportingOverflow(by: y)
            r = o ? nil : wideRescale(v, from: s1 + s2, to: s)
        case .divide:
            if y == 0 { if zeroIsNull { return nil }; throw ArithmeticOperators.divisionByZero }
            // x·10^(s − s1 + s2) / y has scale s.
            guard let numerator = wideRescale(x, from: s1, to: s + s2) else { throw overflow }
            r = divideRounded(numerator, y)
        case .modulo:
            if y == 0 { if zeroIsNull { return nil }; throw ArithmeticOperators.divisionByZero }
            guard let xs = wideRescale(x, from: s1, to: s), let ys = wideRescale(y, from: s2, to: s) else { throw overflow }
            r = xs.remainderReportingOverflow(dividingBy: ys).partialValue
        }
        guard let r else { throw overflow }
        return r
    }
}
