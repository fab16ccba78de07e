import Tarn
import Foundation
import Storage

/// Renders result values as the sqllogictest reference runner prints them (SQLite's conventions).
///
/// The column's type letter decides the format, not the value's runtime type:
/// `I` is a 32-bit integer (reals truncate, text gives its numeric prefix), `R` is `%.3f` with SQLite's
/// 16-significant-digit limit, `T` is the text with `(empty)` for "" and `@` for bytes outside 0x20–0x7E.
public enum SQLLogicTestValueRenderer {
    public static func render(_ value: Value, as type: SQLLogicTestColumnType) -> String {
        if value.isNull { return "NULL" }
        switch type {
        case .integer: return String(Int32(truncatingIfNeeded: integer(value)))
        case .real: return formatReal(real(value))
        case .text: return printable(text(value))
        }
    }

    // MARK: Conversions (SQLite's)

    /// The value as SQLite's `sqlite3_column_int64` sees it.
    static func integer(_ value: Value) -> Int64 {
        switch value {
        case .null: return 0
        case let .boolean(b): return b ? 1 : 0
        case let .integer(v): return Int64(v)
        case let .bigint(v): return v
        case let .double(v): return clampedInteger(v)
        case let .decimal(v, scale):
            var result = v
            for _ in 0..<max(0, scale) { result /= 10 }
            return result
        case let .decimal128(v, scale):
            let result = v / Int128.powerOfTen(scale)
            return Int64(clamping: result)
        case let .varchar(s): return integerPrefix(s)
        case let .date(d): return Int64(d)
        case let .timestamp(t): return t
        case let .timestampTZ(t): return t
        case .array, .row, .map: return integerPrefix(value.description)
        }
    }

    static func real(_ value: Value) -> Double {
        switch value {
        case let .varchar(s): return realPrefix(s)
        case let .date(d): return Double(d)
        case let .timestamp(t), let .timestampTZ(t): return Double(t)
        default: return value.doubleValue ?? 0
        }
    }

    static func text(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case let .boolean(b): return b ? "1" : "0"
        case let .double(v): return sqliteRealText(v)
        case let .varchar(s): return s
        default: return value.description
        }
    }

    /// Double → Int64 truncating toward zero, saturating out of range and NaN → 0, as SQLite does.
    static func clampedInteger(_ v: Double) -> Int64 {
        if v.isNaN { return 0 }
        if v <= -9.223372036854775808e18 { return Int64.min }
        if v >= 9.223372036854775808e18 { return Int64.max }
        return Int64(v.rounded(.towardZero))
    }

    /// Leading `[space][sign]digits` of `text` as an integer (0 when there are none), saturating.
    static func integerPrefix(_ text: String) -> Int64 {
        var bytes = Substring(text).utf8.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d })[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-"); bytes = bytes.dropFirst()
        }
        var magnitude: UInt64 = 0
        var overflow = false
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { break }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            if o1 || o2 { overflow = true; break }
            magnitude = sum
        }
        if negative {
            return overflow || magnitude > UInt64(Int64.max) + 1 ? Int64.min : Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        return overflow || magnitude > UInt64(Int64.max) ? Int64.max : Int64(magnitude)
    }

    /// Longest numeric prefix of `text` (`[sign]digits[.digits][e[sign]digits]`) as a double, else 0.
    static func realPrefix(_ text: String) -> Double {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var digits = 0
        while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1; digits += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return 0 }
        var end = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "-") || bytes[j] == UInt8(ascii: "+") { j += 1 }
            let exponentStart = j
            while j < bytes.count, bytes[j] >= 0x30 && bytes[j] <= 0x39 { j += 1 }
            if j > exponentStart { end = j }
        }
        return Double(String(decoding: bytes[start..<end], as: UTF8.self)) ?? 0
    }

    // MARK: Formatting

    /// `%.3f` keeping only 16 significant digits, like SQLite's printf: -2^63 → `-9223372036854776000.000`.
    public static func formatReal(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Inf" : "-Inf" }
        guard abs(v) >= 1e13 else { return cFormat("%.3f", v) }
        // 16 significant digits d.ddddddddddddddde±X; lay them out in fixed notation, padding with zeros.
        let scientific = cFormat("%.15e", v)
        guard let e = scientific.firstIndex(of: "e"), let exponent = Int(scientific[scientific.index(after: e)...]) else {
            return cFormat("%.3f", v)
        }
        let negative = scientific.hasPrefix("-")
        let digits = Array(scientific[..<e].filter { $0.isNumber })
        let integerDigits = exponent + 1
        var integerPart = ""
        var fraction = ""
        if integerDigits >= digits.count {
            integerPart = String(digits) + String(repeating: "0", count: integerDigits - digits.count)
        } else {
            integerPart = String(digits[..<integerDigits])
            fraction = String(digits[integerDigits...].prefix(3))
        }
        fraction += String(repeating: "0", count: 3 - fraction.count)
        return (negative ? "-" : "") + integerPart + "." + fraction
    }

    /// SQLite's text form of a REAL (`%!.15g`): `1.5`, `2.0`, `1.0e+20`.
    public static func sqliteRealText(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Inf" : "-Inf" }
        var text = cFormat("%.15g", v)
        if let e = text.firstIndex(of: "e") {
            if !text[..<e].contains(".") { text.insert(contentsOf: ".0", at: e) }
        } else if !text.contains(".") {
            text += ".0"
        }
        return text
    }

    /// Replaces "" by `(empty)` and every byte outside 0x20–0x7E by `@`.
    public static func printable(_ text: String) -> String {
        if text.isEmpty { return "(empty)" }
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7e }) { return text }
        return String(decoding: text.utf8.map { $0 >= 0x20 && $0 <= 0x7e ? $0 : UInt8(ascii: "@") }, as: UTF8.self)
    }

    private static func cFormat(_ format: String, _ v: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer -> String in
            guard let base = buffer.baseAddress else { return String(v) }
            let written = withVaList([v]) { vsnprintf(base, 512, format, $0) }
            guard written >= 0 else { return String(v) }
            return String(cString: base)
        }
    }
}
