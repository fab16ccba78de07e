import Foundation

/// One scalar SQL value, used for literals, statistics, constants and row-at-a-time output.
/// Inner loops never use `Value`; they work on `Column` buffers.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case boolean(Bool)
    case integer(Int32)
    case bigint(Int64)
    case double(Double)
    /// Unscaled value and scale: `.decimal(12345, scale: 2)` is 123.45.
    case decimal(Int64, scale: Int)
    /// A DECIMAL(19…38) value: unscaled 128-bit value and scale.
    case decimal128(Int128, scale: Int)
    case varchar(String)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    case timestamp(Int64)
    /// TIMESTAMP WITH TIME ZONE: an instant, microseconds since 1970-01-01 00:00:00 UTC. `description` shows it in
    /// UTC (`2024-03-10 12:00:00+00`); result renderers show it in the session's zone (`TimeZoneRules.format`).
    case timestampTZ(Int64)
    /// An ARRAY value: its elements (each `.null` or of `element`'s type) and the element type.
    indirect case array([Value], element: DataType)
    /// A ROW value: one value per field (each `.null` or of its field's type).
    indirect case row([Value], fields: [RowField])
    /// A MAP value: distinct non-NULL keys and their values, in insertion order.
    indirect case map(keys: [Value], values: [Value], key: DataType, value: DataType)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The natural type of this value (`.null` for NULL; decimals report precision 18).
    public var dataType: DataType {
        switch self {
        case .null: return .null
        case .boolean: return .boolean
        case .integer: return .integer
        case .bigint: return .bigint
        case .double: return .double
        case let .decimal(_, s): return .decimal(precision: 18, scale: s)
        case let .decimal128(_, s): return .decimal(precision: 38, scale: s)
        case .varchar: return .varchar
        case .date: return .date
        case .timestamp: return .timestamp
        case .timestampTZ: return .timestampTZ
        case let .array(_, element): return .array(element)
        case let .row(_, fields): return .row(fields)
        case let .map(_, _, k, v): return .map(key: k, value: v)
        }
    }

    /// Numeric view of the value, when it has one.
    public var doubleValue: Double? {
        switch self {
        case let .integer(v): return Double(v)
        case let .bigint(v): return Double(v)
        case let .double(v): return v
        case let .decimal(v, s): return Double(v) / pow(10, Double(s))
        case let .decimal128(v, s): return Double(v) / pow(10, Double(s))
        case let .boolean(b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Integer view of the value, when it is an integer-like value.
    public var int64Value: Int64? {
        switch self {
        case let .integer(v): return Int64(v)
        case let .bigint(v): return v
        case let .date(v): return Int64(v)
        case let .timestamp(v): return v
        case let .timestampTZ(v): return v
        case let .boolean(b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Text rendering as SQL shells print it (NULL prints as `NULL`).
    public var description: String {
        switch self {
        case .null: return "NULL"
        case let .boolean(b): return b ? "true" : "false"
        case let .integer(v): return String(v)
        case let .bigint(v): return String(v)
        case let .double(v): return ValueFormatting.format(double: v)
        case let .decimal(v, s): return ValueFormatting.format(decimal: v, scale: s)
        case let .decimal128(v, s): return ValueFormatting.format(decimal: v, scale: s)
        case let .varchar(s): return s
        case let .date(d): return ValueFormatting.format(date: d)
        case let .timestamp(t): return ValueFormatting.format(timestamp: t)
        case let .timestampTZ(t): return ValueFormatting.format(timestamp: t) + "+00"
        case let .array(elements, _): return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case let .row(values, fields):
            // DuckDB's struct text: {'x': 1, 'y': a}.
            return "{" + zip(fields, values).map { "'\($0.name)': \($1.description)" }.joined(separator: ", ") + "}"
        case let .map(keys, values, _, _):
            return "{" + zip(keys, values).map { "\($0.description)=\($1.description)" }.joined(separator: ", ") + "}"
        }
    }
}

/// Text conversions of dates, timestamps, decimals and doubles, shared by output and CAST.
public enum ValueFormatting {
    /// Trino-style double rendering: integral values keep a `.0`, others the shortest round-trip form.
    public static func format(double v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        if v == v.rounded(), abs(v) < 1e16 { return String(format: "%.1f", v) }
        return "\(v)"
    }

    public static func format(decimal v: Int64, scale: Int) -> String { formatUnscaled(v, scale: scale) }

    /// A DECIMAL(19…38) value's text.
    public static func format(decimal v: Int128, scale: Int) -> String { formatUnscaled(v, scale: scale) }

    private static func formatUnscaled<T: BinaryInteger>(_ v: T, scale: Int) -> String {
        if scale == 0 { return String(v) }
        let negative = v < 0
        let magnitude = v.magnitude
        var digits = String(magnitude)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    /// Civil date from days since epoch (proleptic Gregorian), Howard Hinnant's algorithm.
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, Int(m), Int(d))
    }

    /// Days since epoch from a civil date.
    public static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func format(date d: Int32) -> String {
        let c = civil(fromDays: Int64(d))
        let year = c.year < 0 ? "-" + pad(-c.year, 4) : pad(c.year, 4)
        return "\(year)-\(pad(Int64(c.month), 2))-\(pad(Int64(c.day), 2))"
    }

    public static func format(timestamp t: Int64) -> String {
        let micros = 86_400_000_000 as Int64
        var days = t / micros
        var rem = t % micros
        if rem < 0 { rem += micros; days -= 1 }
        let secs = rem / 1_000_000
        let frac = rem % 1_000_000
        var s = format(date: Int32(truncatingIfNeeded: days)) + " " + pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2)
        if frac != 0 {
            var f = pad(frac, 6)
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses `YYYY-MM-DD` (also `YYYY-M-D`); nil when malformed or out of range.
    public static func parseDate(_ text: Substring) -> Int32? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        var negative = false
        var p = parts[...]
        if parts.first == "" { negative = true; p = parts.dropFirst() }
        guard p.count == 3, let y = Int64(p[p.startIndex]), let m = Int(p[p.startIndex + 1]), let d = Int(p[p.startIndex + 2]),
              (1...12).contains(m), d >= 1, d <= daysInMonth(year: negative ? -y : y, month: m) else { return nil }
        let days = Self.days(year: negative ? -y : y, month: m, day: d)
        guard let v = Int32(exactly: days) else { return nil }
        return v
    }

    public static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        default:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        }
    }

    /// Parses `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]` or a bare date; nil when malformed.
    public static func parseTimestamp(_ text: Substring) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let sep = t.firstIndex(where: { $0 == " " || $0 == "T" })
        let datePart = sep.map { t[..<$0] } ?? t[...]
        guard let days = parseDate(datePart) else { return nil }
        var micros: Int64 = 0
        var offsetMicros: Int64 = 0
        if let sep {
            var timePart = t[t.index(after: sep)...].trimmingCharacters(in: .whitespaces)
            if timePart.hasSuffix("Z") || timePart.hasSuffix("z") { timePart.removeLast() }
            // A UTC offset (`+02:00`, `-0500`, `+05`) names a different moment than the bare time: the value is
            // converted to UTC, so 10:00+02:00 and 10:00-05:00 stay two moments instead of one.
            if let signIndex = timePart.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                guard let offset = parseUTCOffset(timePart[signIndex...]) else { return nil }
                offsetMicros = offset
                timePart = timePart[..<signIndex].trimmingCharacters(in: .whitespaces)
            }
            let hms = timePart.split(separator: ":", omittingEmptySubsequences: false)
            guard hms.count >= 2, hms.count <= 3, let h = Int64(hms[0]), let m = Int64(hms[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            var sec: Int64 = 0
            var frac: Int64 = 0
            if hms.count == 3 {
                let sp = hms[2].split(separator: ".", omittingEmptySubsequences: false)
                guard let s = Int64(sp[0]), (0..<60).contains(s), sp.count <= 2 else { return nil }
                sec = s
                if sp.count == 2 {
                    var digits = String(sp[1].prefix(6))
                    guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
                    while digits.count < 6 { digits += "0" }
                    frac = Int64(digits) ?? 0
                }
            }
            micros = ((h * 60 + m) * 60 + sec) * 1_000_000 + frac
        }
        return Int64(days) * 86_400_000_000 + micros - offsetMicros
    }

    /// `+HH`, `+HH:MM` or `+HHMM` (or `-…`) as microseconds east of UTC; nil when malformed or beyond ±18 hours.
    static func parseUTCOffset(_ text: Substring) -> Int64? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              text.dropFirst().filter({ $0 == ":" }).count <= (digits.count == 4 ? 1 : 0),
              let hours = Int64(digits.prefix(2)), let minutes = Int64(digits.count == 4 ? String(digits.suffix(2)) : "0"),
              hours <= 18, minutes < 60 else { return nil }
        let micros = (hours * 60 + minutes) * 60_000_000
        return sign == "-" ? -micros : micros
    }
}
