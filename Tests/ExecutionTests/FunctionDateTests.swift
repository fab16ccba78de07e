import XCTest
@testable import Execution
import Storage

final class FunctionDateTests: XCTestCase {
    typealias T = ExprTest

    func date(_ s: String) -> Value { .date(ValueFormatting.parseDate(Substring(s)) ?? 0) }
    func ts(_ s: String) -> Value { .timestamp(ValueFormatting.parseTimestamp(Substring(s)) ?? 0) }

    func testFieldExtractionBefore1970AndLeapYears() throws {
        XCTAssertEqual(try T.value("year", [date("1900-02-28")]), .bigint(1900))
        XCTAssertEqual(try T.value("day_of_year", [date("2000-12-31")]), .bigint(366))
        XCTAssertEqual(try T.value("day_of_year", [date("1900-12-31")]), .bigint(365))
        XCTAssertEqual(try T.value("day_of_week", [date("1969-12-31")]), .bigint(3))  // Wednesday
        XCTAssertEqual(try T.value("dow", [date("2024-03-03")]), .bigint(7))         // Sunday
        XCTAssertEqual(try T.value("day_of_week", [date("1582-10-15")]), .bigint(5))  // Friday
        XCTAssertEqual(try T.value("quarter", [date("1965-08-01")]), .bigint(3))
        XCTAssertEqual(try T.value("month", [ts("1950-11-30 23:59:59")]), .bigint(11))
        XCTAssertEqual(try T.value("day", [date("2024-02-29")]), .bigint(29))
        XCTAssertEqual(try T.value("week", [date("2021-01-03")]), .bigint(53))
        XCTAssertEqual(try T.value("week", [date("2024-12-30")]), .bigint(1))
        XCTAssertEqual(try T.value("hour", [ts("1969-12-31 23:15:30.5")]), .bigint(23))
        XCTAssertEqual(try T.value("minute", [ts("1969-12-31 23:15:30.5")]), .bigint(15))
        XCTAssertEqual(try T.value("second", [ts("1969-12-31 23:15:30.5")]), .bigint(30))
    }

    func testTruncAddDiff() throws {
        XCTAssertEqual(try T.value("date_trunc", [.varchar("month"), date("1969-07-20")]), date("1969-07-01"))
        XCTAssertEqual(try T.value("date_trunc", [.varchar("week"), date("1970-01-01")]), date("1969-12-29"))
        XCTAssertEqual(try T.value("date_trunc", [.varchar("quarter"), date("2024-11-15")]), date("2024-10-01"))
        XCTAssertEqual(try T.value("date_trunc", [.varchar("year"), date("1600-06-06")]), date("1600-01-01"))
        XCTAssertEqual(try T.value("date_trunc", [.varchar("hour"), ts("1969-12-31 23:59:59")]), ts("1969-12-31 23:00:00"))
        XCTAssertEqual(try T.value("date_trunc", [.varchar("day"), ts("1969-12-31 23:59:59")]), ts("1969-12-31 00:00:00"))
        T.assertThrows("unknown date/time unit 'fortnight'") { try T.value("date_trunc", [.varchar("fortnight"), date("2024-01-01")]) }
        XCTAssertEqual(try T.value("date_add", [.varchar("month"), .integer(1), date("2024-01-31")]), date("2024-02-29"))
        XCTAssertEqual(try T.value("date_add", [.varchar("year"), .integer(1), date("2024-02-29")]), date("2025-02-28"))
        XCTAssertEqual(try T.value("date_add", [.varchar("day"), .integer(-1), date("1970-01-01")]), date("1969-12-31"))
        XCTAssertEqual(try T.value("date_add", [.varchar("quarter"), .integer(-2), date("1970-01-15")]), date("1969-07-15"))
        XCTAssertEqual(try T.value("date_add", [.varchar("hour"), .integer(25), ts("1969-12-31 00:00:00")]), ts("1970-01-01 01:00:00"))
        XCTAssertEqual(try T.value("date_diff", [.varchar("day"), date("1969-12-25"), date("1970-01-05")]), .bigint(11))
        XCTAssertEqual(try T.value("date_diff", [.varchar("month"), date("2024-01-31"), date("2024-02-29")]), .bigint(0))
        XCTAssertEqual(try T.value("date_diff", [.varchar("month"), date("2024-01-31"), date("2024-03-31")]), .bigint(2))
        XCTAssertEqual(try T.value("date_diff", [.varchar("year"), date("2000-02-29"), date("2004-02-28")]), .bigint(3))
        XCTAssertEqual(try T.value("date_diff", [.varchar("month"), date("2024-03-31"), date("2024-01-31")]), .bigint(-2))
        XCTAssertEqual(try T.value("date_diff", [.varchar("hour"), ts("2024-01-01 00:00:00"), ts("2024-01-01 05:59:00")]), .bigint(5))
    }

    func testFormattingAndParsing() throws {
        let t = ts("1969-07-20 20:17:40.123")
        XCTAssertEqual(try T.value("format_datetime", [t, .varchar("yyyy-MM-dd HH:mm:ss.SSS")]), .varchar("1969-07-20 20:17:40.123"))
        XCTAssertEqual(try T.value("format_datetime", [t, .varchar("EEE, dd MMM yyyy 'at' hh a")]), .varchar("Sun, 20 Jul 1969 at 08 PM"))
        XCTAssertEqual(try T.value("format_datetime", [date("2024-02-29"), .varchar("yyyy/MM/dd")]), .varchar("2024/02/29"))
        XCTAssertEqual(try T.value("date_format", [t, .varchar("%Y-%m-%d %H:%i:%s %W %j")]), .varchar("1969-07-20 20:17:40 Sunday 201"))
        XCTAssertEqual(try T.value("date_parse", [.varchar("1969-07-20 20:17:40"), .varchar("%Y-%m-%d %H:%i:%s")]), ts("1969-07-20 20:17:40"))
        XCTAssertEqual(try T.value("date_parse", [.varchar("20/Feb/2024 08:05 PM"), .varchar("%d/%b/%Y %h:%i %p")]), ts("2024-02-20 20:05:00"))
        XCTAssertEqual(try T.value("date_parse", [.varchar("2024-01-02 03:04:05.25"), .varchar("%Y-%m-%d %T.%f")]), ts("2024-01-02 03:04:05.25"))
        T.assertThrows("date_parse: cannot parse") { try T.value("date_parse", [.varchar("2024-01-02 03:04:05.-1234567"), .varchar("%Y-%m-%d %T.%f")]) }
        T.assertThrows("date_parse: cannot parse") { try T.value("date_parse", [.varchar("2023-02-29"), .varchar("%Y-%m-%d")]) }
        XCTAssertEqual(try T.value("to_date", [.varchar("1955-11-05")]), date("1955-11-05"))
        XCTAssertEqual(try T.value("date", [ts("1955-11-05 10:00:00")]), date("1955-11-05"))
        XCTAssertEqual(try T.value("from_unixtime", [.integer(-86400)]), ts("1969-12-31 00:00:00"))
        XCTAssertEqual(try T.value("to_unixtime", [ts("1970-01-02 00:00:00")]), .double(86400))
        var s = SessionSettings()
        s.statementTimestamp = ValueFormatting.parseTimestamp("2024-05-06 07:08:09") ?? 0
        XCTAssertEqual(try T.value("current_date", [], s), date("2024-05-06"))
        // now() / current_timestamp are TIMESTAMP WITH TIME ZONE (Trino, DuckDB); localtimestamp the session zone's wall clock.
        XCTAssertEqual(try T.value("now", [], s), .timestampTZ(ValueFormatting.parseTimestamp("2024-05-06 07:08:09") ?? 0))
        s.timeZone = try TimeZoneRules.require("Asia/Tokyo")
        XCTAssertEqual(try T.value("localtimestamp", [], s), ts("2024-05-06 16:08:09"))
        XCTAssertEqual(try T.value("current_date", [], s), date("2024-05-06"))
    }

    /// Day-of-week and calendar fields against Python's datetime for random dates, 1600–2400.
    func testCalendarMatchesPython() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("python3 not installed") }
        var rng = SystemRandomNumberGenerator()
        let days = (0..<200).map { _ in Int32.random(in: -135_000...156_000, using: &rng) }
        let col = Column(type: .date, data: .int32(days))
        let batch = Batch(columns: [col])
        var ours: [String] = Array(repeating: "", count: days.count)
        for f in ["year", "month", "day", "day_of_week", "day_of_year", "week"] {
            let v = try T.eval(try T.call(f, [.column(0, .date)]), batch)
            for i in 0..<days.count { ours[i] += (ours[i].isEmpty ? "" : " ") + v[i].description }
        }
        let script = """
        import datetime, sys
        base = datetime.date(1970, 1, 1)
        for line in sys.stdin:
            d = base + datetime.timedelta(days=int(line))
            print(d.year, d.month, d.day, d.isoweekday(), d.timetuple().tm_yday, d.isocalendar()[1])
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(days.map(String.init).joined(separator: "\n").data(using: .utf8)!)
        input.fileHandleForWriting.closeFile()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        p.waitUntilExit()
        XCTAssertEqual(lines, ours)
    }
}
