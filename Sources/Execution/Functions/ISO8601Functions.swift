import Storage

/// ISO-8601 text: `to_iso8601(date | timestamp | timestamptz)`, `from_iso8601_date(text)` (calendar `2020-05-11`, week
/// `2020-W10-2` and ordinal `2020-132` dates, also `2020-05` and `2020`) and `from_iso8601_timestamp(text)`
/// (a UTC offset or `Z` is converted to UTC: Tarn's TIMESTAMP is UTC, where Trino keeps the zone).
enum ISO8601Functions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("to_iso8601", [
                Overload([.date], .varchar) { a, n, _ in
                    try RowwiseKernels.strings(a, n) { x, i in ValueFormatting.format(date: Int32(truncatingIfNeeded: x.int(0, i))) }
                },
                Overload([.timestamp], .varchar) { a, n, _ in try RowwiseKernels.strings(a, n) { x, i in format(timestamp: x.int(0, i)) } },
                // TIMESTAMPTZ: the local time in the session zone and its offset (`2024-07-01T08:00:00.000000-04:00`, `Z` for UTC).
                Overload([.timestampTZ], .varchar) { a, n, ctx in
                    let zone = ctx.settings.timeZone
                    return try RowwiseKernels.strings(a, n) { x, i in
                        let t = x.int(0, i)
                        let offset = zone.offsetSeconds(atUTCSeconds: DateMath.floorDiv(t, DateMath.microsPerSecond))
                        return format(timestamp: t + offset * DateMath.microsPerSecond) + formatOffset(seconds: offset)
                    }
                },
            ]),
            FunctionDefinition("from_iso8601_date", [Overload([.varchar], .date) { a, n, _ in
                try RowwiseKernels.dates(a, n) { x, i in
                    let text = x.string(0, i)
                    guard let days = parseDate(text) else { throw TarnError(.execution, "from_iso8601_date: '\(text)' is not an ISO-8601 date") }
                    return days
                }
            }]),
            FunctionDefinition("from_iso8601_timestamp", [Overload([.varchar], .timestamp) { a, n, _ in
                try RowwiseKernels.timestamps(a, n) { x, i in
                    let text = x.string(0, i)
                    if let t = ValueFormatting.parseTimestamp(Substring(text)) { return t }
                    if let days = parseDate(text) { return days * DateMath.microsPerDay }
                    throw TarnError(.execution, "from_iso8601_timestamp: '\(text)' is not an ISO-8601 timestamp")
                }
            }]),
        ]
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` (always six fraction digits: Tarn's TIMESTAMP has microseconds).
    static func format(timestamp t: Int64) -> String {
        let (days, micros) = DateMath.split(t)
        let date = ValueFormatting.format(date: Int32(truncatingIfNeeded: days))
        let seconds = micros / 1_000_000, fraction = micros % 1_000_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let digits = String(fraction)
        return "\(date)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))."
            + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// ISO-8601 offset: `Z`, `+05:30`, `-04:00`.
    static func formatOffset(seconds: Int64) -> String {
        if seconds == 0 { return "Z" }
        let m = seconds.magnitude
        func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return (seconds < 0 ? "-" : "+") + two(m / 3600) + ":" + two(m / 60 % 60)
    }

    /// Days since 1970-01-01 of an ISO-8601 date in any of its forms; nil when malformed.
    static func parseDate(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, first.count == 4, let year = Int64(first) else { return nil }
        func number(_ s: String, digits: Int) -> Int? { s.count == digits && s.allSatisfy(\.isASCII) ? Int(s) : nil }
        switch parts.count {
        case 1:
            return ValueFormatting.days(year: year, month: 1, day: 1)
        case 2 where parts[1].hasPrefix("W"), 3 where parts[1].hasPrefix("W"):
            guard let week = number(String(parts[1].dropFirst()), digits: 2), week >= 1, week <= 53 else { return nil }
            var weekday = 1
            if parts.count == 3 { guard let d = number(parts[2], digits: 1), d >= 1, d <= 7 else { return nil }; weekday = d }
            // Week 1 holds January 4th; weeks start on Monday.
            let jan4 = ValueFormatting.days(year: year, month: 1, day: 4)
            let mondayOfWeek1 = jan4 - (DateMath.dayOfWeek(jan4) - 1)
            let days = mondayOfWeek1 + Int64(week - 1) * 7 + Int64(weekday - 1)
            guard week < 53 || DateMath.isoWeek(days) == 53 else { return nil }
            return days
        case 2 where parts[1].count == 3:
            guard let ordinal = number(parts[1], digits: 3), ordinal >= 1, ordinal <= (DateMath.isLeap(year) ? 366 : 365) else { return nil }
            return ValueFormatting.days(year: year, month: 1, day: 1) + Int64(ordinal - 1)
        case 2:
            guard let month = number(parts[1], digits: 2), (1...12).contains(month) else { return nil }
            return ValueFormatting.days(year: year, month: month, day: 1)
        case 3:
            guard let month = number(parts[1], digits: 2), (1...12).contains(month), let day = number(parts[2], digits: 2),
                  day >= 1, day <= ValueFormatting.daysInMonth(year: year, month: month) else { return nil }
            return ValueFormatting.days(year: year, month: month, day: day)
        default:
            return nil
        }
    }
}
