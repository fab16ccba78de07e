import Storage

/// Calendar arithmetic on Tarn's DATE (days since 1970-01-01) and TIMESTAMP (µs since epoch, UTC),
/// proleptic Gregorian, correct before 1970.
public enum DateMath {
    public static let microsPerDay: Int64 = 86_400_000_000
    static let microsPerHour: Int64 = 3_600_000_000
    static let microsPerMinute: Int64 = 60_000_000
    static let microsPerSecond: Int64 = 1_000_000

    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
    @inline(__always) static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    /// Day number and microseconds within the day of a timestamp.
    @inline(__always) static func split(_ t: Int64) -> (days: Int64, micros: Int64) {
        let d = floorDiv(t, microsPerDay)
        return (d, t - d * microsPerDay)
    }

    /// ISO day of week: Monday = 1 … Sunday = 7. 1970-01-01 was a Thursday.
    @inline(__always) static func dayOfWeek(_ days: Int64) -> Int64 { floorMod(days + 3, 7) + 1 }

    static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func dayOfYear(_ days: Int64) -> Int64 {
        let c = ValueFormatting.civil(fromDays: days)
        return days - ValueFormatting.days(year: c.year, month: 1, day: 1) + 1
    }

    /// ISO-8601 week number (weeks start Monday; week 1 contains the year's first Thursday).
    static func isoWeek(_ days: Int64) -> Int64 {
        let thursday = days - dayOfWeek(days) + 4
        let year = ValueFormatting.civil(fromDays: thursday).year
        let jan1 = ValueFormatting.days(year: year, month: 1, day: 1)
        return (thursday - jan1) / 7 + 1
    }

    /// Adds `months` to a civil date, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29).
    public static func addMonths(_ days: Int64, _ months: Int64) -> Int64 {
        let c = ValueFormatting.civil(fromDays: days)
        let total = c.year * 12 + Int64(c.month - 1) + months
        let year = floorDiv(total, 12)
        let month = Int(floorMod(total, 12)) + 1
        let day = min(c.day, ValueFormatting.daysInMonth(year: year, month: month))
        return ValueFormatting.days(year: year, month: month, day: day)
    }

    /// Whole months from `a` to `b` (truncated toward zero, accounting for day and time of day).
    static func monthsBetween(_ a: Int64, _ b: Int64) -> Int64 {
        let (da, ma) = split(a), (db, mb) = split(b)
        let ca = ValueFormatting.civil(fromDays: da), cb = ValueFormatting.civil(fromDays: db)
        var months = (cb.year - ca.year) * 12 + Int64(cb.month - ca.month)
        let laterInMonth = Int64(cb.day) * microsPerDay + mb, earlierInMonth = Int64(ca.day) * microsPerDay + ma
        if months > 0, laterInMonth < earlierInMonth { months -= 1 }
        if months < 0, laterInMonth > earlierInMonth { months += 1 }
        return months
    }
}
