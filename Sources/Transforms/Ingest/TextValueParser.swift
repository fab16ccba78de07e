import Foundation
import Storage

/// Fast conversions of raw UTF-8 field text (a JSON token or a CSV field) into typed values.
/// Every function returns nil when the text does not fit the type; none allocates on the fast path.
public enum TextValueParser {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    /// A decimal integer with optional sign; nil on anything else or on overflow.
    public static func int64(_ t: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let n = t.count
        guard n > 0 else { return nil }
        var negative = false
        if t[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if t[0] == UInt8(ascii: "+") { i = 1 }
        guard i < n else { return nil }
        var v: Int64 = 0
        while i < n {
            let d = t[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// A decimal number (`-12`, `3.25`, `1e-3`); exact for up to 15 significant digits, else via `strtod`.
    public static func double(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = t.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if t[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if t[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDigit = false
        while i < n, isDigit(t[i]) {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(t[i] &- 48); if mantissa > 0 { digits += 1 } } else { return slow(t) }
            sawDigit = true; i += 1
        }
        if i < n, t[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, isDigit(t[i]) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(t[i] &- 48); if mantissa > 0 { digits += 1 }; fractionDigits += 1 } else { return slow(t) }
                sawDigit = true; i += 1
            }
        }
        guard sawDigit else { return slow(t) }
        if i < n { return slow(t) }   // exponent or junk
        guard digits <= 15, fractionDigits <= 22 else { return slow(t) }
        let v = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -v : v
    }

    private static func slow(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        guard t.count < 64 else { return nil }
        var buf = [CChar](repeating: 0, count: t.count + 1)
        for k in 0..<t.count {
            let b = t[k]
            // Only characters of a number; strtod would also accept hex, "inf", "nan" and leading spaces.
            guard isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                    || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") else { return nil }
            buf[k] = CChar(bitPattern: b)
        }
        var end: UnsafeMutablePointer<CChar>?
        let v = buf.withUnsafeMutableBufferPointer { p -> Double in
            guard let base = p.baseAddress else { return 0 }
            return strtod(base, &end)
        }
        let consumed = buf.withUnsafeMutableBufferPointer { p -> Int in
            guard let base = p.baseAddress, let e = end else { return -1 }
            return base.distance(to: e)
        }
        guard consumed == t.count, v.isFinite else { return nil }
        return v
    }

    /// `true/false`, `t/f`, `yes/no`, `1/0` (case-insensitive).
    public static func boolean(_ t: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch t.count {
        case 1:
            switch t[0] | 0x20 {
            case UInt8(ascii: "t"), UInt8(ascii: "y"), UInt8(ascii: "1"): return true
            case UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "0"): return false
            default: return nil
            }
        case 2, 3, 4, 5:
            let lower = String(decoding: t, as: UTF8.self).lowercased()
            switch lower {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// `YYYY-MM-DD` (fast path) or anything `ValueFormatting.parseDate` accepts.
    public static func date(_ t: UnsafeBufferPointer<UInt8>) -> Int32? {
        if t.count == 10, t[4] == UInt8(ascii: "-"), t[7] == UInt8(ascii: "-") {
            guard let y = fixed(t, 0, 4), let m = fixed(t, 5, 2), let d = fixed(t, 8, 2),
                  (1...12).contains(m), d >= 1, d <= ValueFormatting.daysInMonth(year: Int64(y), month: m) else { return nil }
            return Int32(truncatingIfNeeded: ValueFormatting.days(year: Int64(y), month: m, day: d))
        }
        guard t.count >= 8, t.count <= 12, t.contains(UInt8(ascii: "-")) else { return nil }
        return ValueFormatting.parseDate(Substring(String(decoding: t, as: UTF8.self)))
    }

    /// `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][Z]`; a bare date is midnight.
    public static func timestamp(_ t: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard t.count >= 10, t.count <= 40, t[4] == UInt8(ascii: "-") else { return nil }
        if t.count == 19 || t.count == 20, t[10] == UInt8(ascii: " ") || t[10] == UInt8(ascii: "T"),
           t[13] == UInt8(ascii: ":"), t[16] == UInt8(ascii: ":"), t.count == 19 || t[19] == UInt8(ascii: "Z"),
           let day = date(UnsafeBufferPointer(rebasing: t[0..<10])),
           let h = fixed(t, 11, 2), let m = fixed(t, 14, 2), let s = fixed(t, 17, 2), h < 24, m < 60, s < 60 {
            return Int64(day) * 86_400_000_000 + Int64((h * 60 + m) * 60 + s) * 1_000_000
        }
        return ValueFormatting.parseTimestamp(Substring(String(decoding: t, as: UTF8.self)))
    }

    /// A decimal with `scale` fraction digits as its unscaled value (rounded half away from zero).
    public static func decimal(_ t: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int) -> Int64? {
        guard let d = double(t) else { return nil }
        let scaled = (d * pow(10, Double(scale))).rounded()
        guard abs(scaled) < pow(10, Double(precision)) else { return nil }
        return Int64(scaled)
    }

    @inline(__always) private static func fixed(_ t: UnsafeBufferPointer<UInt8>, _ at: Int, _ width: Int) -> Int? {
        var v = 0
        for k in at..<(at + width) {
            let d = t[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }
}
