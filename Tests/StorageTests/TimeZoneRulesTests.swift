import XCTest
@testable import Storage

/// The zone table against Foundation (which reads the tz database itself), and the per-loop cursor against the table.
final class TimeZoneRulesTests: XCTestCase {
    private let zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata", "America/St_Johns", "UTC", "+05:30"]

    /// Every hour of 2010–2012 (Samoa skipped 2011-12-30) and of 2024: the table's offset equals Foundation's, and
    /// local → instant → local is the identity except inside a spring-forward gap.
    func testOffsetsMatchFoundationAndRoundTrip() throws {
        for name in zones {
            let rules = try XCTUnwrap(TimeZoneRules.named(name), name)
            let foundation = TimeZone(identifier: name)
            var cursor = rules.cursor()
            for (from, to) in [(1_262_304_000 as Int64, 1_356_998_400 as Int64), (1_704_067_200, 1_735_689_600)] {
                var t = from
                while t < to {
                    let offset = rules.offsetSeconds(atUTCSeconds: t)
                    if let foundation { XCTAssertEqual(offset, Int64(foundation.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))), "\(name) at \(t)") }
                    XCTAssertEqual(cursor.offsetSeconds(atUTCSeconds: t), offset, "\(name) cursor at \(t)")
                    let local = rules.localMicros(fromUTC: t * 1_000_000)
                    XCTAssertEqual(cursor.localMicros(fromUTC: t * 1_000_000), local)
                    // An existing local time maps back to an instant showing the same wall clock.
                    let back = cursor.utcMicros(fromLocal: local)
                    XCTAssertEqual(back, rules.utcMicros(fromLocal: local), "\(name) cursor vs table at local \(local)")
                    XCTAssertEqual(rules.localMicros(fromUTC: back), local, "\(name) round trip at \(t)")
                    t += 3_600 + 17 * 60  // steps that drift through every minute offset of the hour
                }
            }
        }
    }

    /// The DST edges as DuckDB (ICU) reads them: a skipped local time takes the offset before the gap; a repeated one
    /// is its second occurrence.
    func testGapsAndOverlaps() throws {
        func instant(_ zone: String, _ local: String) throws -> String {
            let rules = try XCTUnwrap(TimeZoneRules.named(zone))
            return ValueFormatting.format(timestamp: rules.utcMicros(fromLocal: try XCTUnwrap(ValueFormatting.parseTimestamp(Substring(local)))))
        }
        XCTAssertEqual(try instant("Europe/Berlin", "2024-03-31 02:30:00"), "2024-03-31 01:30:00")
        XCTAssertEqual(try instant("Europe/Berlin", "2024-10-27 02:30:00"), "2024-10-27 01:30:00")
        XCTAssertEqual(try instant("America/New_York", "2024-03-10 02:30:00"), "2024-03-10 07:30:00")
        XCTAssertEqual(try instant("America/New_York", "2024-11-03 01:30:00"), "2024-11-03 06:30:00")
        let berlin = try XCTUnwrap(TimeZoneRules.named("europe/berlin"))
        XCTAssertEqual(berlin.name, "Europe/Berlin")
        XCTAssertEqual(berlin.format(1_711_848_600_000_000), "2024-03-31 03:30:00+02")
        XCTAssertEqual(TimeZoneRules.named("+05:30")?.format(0), "1970-01-01 05:30:00+05:30")
        XCTAssertNil(TimeZoneRules.named("Mars/Olympus_Mons"))
        XCTAssertNil(TimeZoneRules.named("../../etc/passwd"))
        XCTAssertThrowsError(try TimeZoneRules.utc.parseInstant("2024-01-01 10:00 Nowhere/Land"))
        XCTAssertEqual(try TimeZoneRules.utc.parseInstant("2024-01-01 10:00 America/New_York"), 1_704_121_200_000_000)
        XCTAssertEqual(try TimeZoneRules.utc.parseInstant("2024-01-01T10:00:00+05:30"), 1_704_083_400_000_000)
    }
}
