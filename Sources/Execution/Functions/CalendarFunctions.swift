import Foundation
import Storage

/// Calendar and clock helpers from Trino and DuckDB: `last_day_of_month(d)` (DuckDB: `last_day`),
/// `from_unixtime_nanos(n)`, `localtimestamp` (`current_timezone()` is in `TimeZoneFunctions`)
/// and `human_readable_seconds(s)` ('1 hour, 2 minutes, 42 seconds').
enum CalendarFunctions {
    static var definitions: [FunctionDefinition] {
        [
            lastDayOfMonth("last_day_of_month"),
            lastDayOfMonth("last_day"),
            FunctionDefinition("from_unixtime_nanos", [Overload([.bigint], .timestamp) { a, n, _ in
                try RowwiseKernels.timestamps(a, n) { x, i in DateMath.floorDiv(x.int(0, i), 1_000) }
            }]),
            FunctionDefinition("localtimestamp", deterministic: false, [Overload([], .timestamp) { _, n, ctx in
                ColumnKernels.constant(.timestamp(ctx.settings.timeZone.localMicros(fromUTC: ctx.settings.statementTimestamp)), type: .timestamp, count: n)
            }]),
            FunctionDefinition("human_readable_seconds", [Overload([.double], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in try humanReadable(seconds: x.double(0, i)) }
            }]),
        ]
    }

    private static func lastDayOfMonth(_ name: String) -> FunctionDefinition {
        FunctionDefinition(name, [
            Overload([.date], .date) { a, n, _ in try RowwiseKernels.dates(a, n) { x, i in lastDay(ofMonthOf: x.int(0, i)) } },
            Overload([.timestamp], .date) { a, n, _ in
                try RowwiseKernels.dates(a, n) { x, i in lastDay(ofMonthOf: DateMath.split(x.int(0, i)).days) }
            },
        ])
    }

    static func lastDay(ofMonthOf days: Int64) -> Int64 {
        let c = ValueFormatting.civil(fromDays: days)
        return ValueFormatting.days(year: c.year, month: c.month, day: ValueFormatting.daysInMonth(year: c.year, month: c.month))
    }

    /// Weeks, days, hours, minutes and seconds of a duration rounded to whole seconds; zero parts left out.
    static func humanReadable(seconds: Double) throws -> String {
        guard seconds.isFinite, abs(seconds) < 9e18 else { throw TarnError(.execution, "human_readable_seconds: \(seconds) is not a finite number of seconds") }
        let total = Int64(abs(seconds).rounded())
        let parts: [(Int64, String)] = [(total / 604_800, "week"), (total % 604_800 / 86_400, "day"), (total % 86_400 / 3_600, "hour"),
                                        (total % 3_600 / 60, "minute"), (total % 60, "second")]
        let shown = parts.filter { $0.0 != 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
        let text = shown.isEmpty ? "0 seconds" : shown.joined(separator: ", ")
        return seconds < 0 && total != 0 ? "-" + text : text
    }
}
