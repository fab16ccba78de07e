import XCTest
@testable import Tarn
import Storage

/// TIMESTAMP WITH TIME ZONE beyond what the differential suite compares with DuckDB
/// (Tests/differential/queries/37_time_zones.sql): Trino's functions, the expected values of Trino's documentation
/// (trinodb/trino docs/src/main/sphinx/functions/datetime.md) quoted in each comment, errors, and a table with a
/// TIMESTAMPTZ column written, read back and time-travelled.
final class TimeZoneTests: XCTestCase {
    func testWithTimezoneAndAtTimezoneFromTrinoDocs() throws {
        let db = try TestLake()
        try db.run("SET TIME ZONE 'America/New_York'")
        // datetime.md: "SELECT current_timezone() -- America/New_York"
        XCTAssertEqual(try db.rows("SELECT current_timezone()"), [["America/New_York"]])
        // datetime.md: with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles')
        //   -- 2022-11-01 09:08:07.321 America/Los_Angeles
        // Tarn's TIMESTAMPTZ keeps the instant, not the zone: it is 09:08:07.321 in Los Angeles (PDT, -07), shown here
        // in the session zone New York (EDT, -04) as 12:08:07.321.
        XCTAssertEqual(try db.rows("""
            SELECT with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles') AT TIME ZONE 'America/Los_Angeles',
                   CAST(with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles') AS VARCHAR)
            """), [["2022-11-01 09:08:07.321", "2022-11-01 12:08:07.321-04"]])
        // datetime.md (session America/New_York): at_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles')
        //   -- 2022-11-01 06:08:07.321 America/Los_Angeles
        XCTAssertEqual(try db.rows("""
            SELECT at_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles') AT TIME ZONE 'America/Los_Angeles',
                   CAST(at_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles') AS VARCHAR)
            """), [["2022-11-01 06:08:07.321", "2022-11-01 09:08:07.321-04"]])
        // datetime.md: timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles'
        //   -- 2012-10-30 18:00:00.000 America/Los_Angeles
        // (Trino gives a TIMESTAMP WITH TIME ZONE in Los Angeles; Tarn, as DuckDB, the local TIMESTAMP there.)
        XCTAssertEqual(try db.rows("SELECT timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles'"), [["2012-10-30 18:00:00"]])
        // datetime.md: date_add('day', -1, TIMESTAMP '2020-03-01 00:00:00 UTC') -- 2020-02-29 00:00:00.000 UTC
        // and date_diff('hour', TIMESTAMP '2020-03-01 00:00:00 UTC', TIMESTAMP '2020-03-02 00:00:00 UTC') -- 24
        try db.run("SET TIME ZONE 'UTC'")
        XCTAssertEqual(try db.rows("""
            SELECT CAST(date_add('day', -1, TIMESTAMP '2020-03-01 00:00:00 UTC') AS VARCHAR),
                   date_diff('hour', TIMESTAMP '2020-03-01 00:00:00 UTC', TIMESTAMP '2020-03-02 00:00:00 UTC')
            """), [["2020-02-29 00:00:00+00", "24"]])
    }

    func testTimezoneHourMinuteAndUnixtime() throws {
        let db = try TestLake()
        // datetime.md: timezone_hour / timezone_minute "return the hour / minute of the time zone offset"; Trino's docs
        // give no example, so the offsets are India's (+05:30 all year) and Newfoundland's in summer (-02:30, NDT).
        try db.run("SET TimeZone = 'Asia/Kolkata'")
        XCTAssertEqual(try db.rows("SELECT timezone_hour(TIMESTAMPTZ '2024-06-01 00:00:00+00'), timezone_minute(TIMESTAMPTZ '2024-06-01 00:00:00+00')"),
                       [["5", "30"]])
        try db.run("SET time_zone = 'America/St_Johns'")
        XCTAssertEqual(try db.rows("SELECT timezone_hour(TIMESTAMPTZ '2024-07-01 12:00:00+00'), timezone_minute(TIMESTAMPTZ '2024-07-01 12:00:00+00'), extract(timezone_hour FROM TIMESTAMPTZ '2024-01-01 12:00:00+00')"),
                       [["-2", "-30", "-3"]])
        // datetime.md: from_unixtime(unixtime, zone) "returns the UNIX timestamp unixtime as a timestamp with time zone
        // using zone": 1,700,000,000 s is 2023-11-14 22:13:20 UTC, 2023-11-15 07:13:20 in Tokyo (+09).
        XCTAssertEqual(try db.rows("""
            SELECT from_unixtime(1700000000, 'Asia/Tokyo') AT TIME ZONE 'Asia/Tokyo',
                   to_unixtime(from_unixtime(1700000000, 'Asia/Tokyo')), to_unixtime(TIMESTAMPTZ '2023-11-14 22:13:20+00')
            """), [["2023-11-15 07:13:20", "1700000000.0", "1700000000.0"]])
        try db.run("RESET TimeZone")
        XCTAssertEqual(try db.rows("SELECT current_timezone(), current_setting('TimeZone')"), [["UTC", "UTC"]])
        try db.run("SET TIME ZONE '+05:30'")
        XCTAssertEqual(try db.rows("SELECT CAST(TIMESTAMPTZ '2024-01-01 00:00:00Z' AS VARCHAR)"), [["2024-01-01 05:30:00+05:30"]])
        // Trino's spelling of the type with a precision; to_iso8601 with the session zone's offset (Trino: `+05:30`).
        XCTAssertEqual(try db.rows("SELECT CAST(CAST('2024-01-01 10:00:00+02' AS timestamp(3) with time zone) AS VARCHAR), to_iso8601(TIMESTAMPTZ '2024-01-01 00:00:00Z')"),
                       [["2024-01-01 13:30:00+05:30", "2024-01-01T05:30:00.000000+05:30"]])
        try db.run("SET TIME ZONE LOCAL")
        XCTAssertEqual(try db.rows("SHOW TIME ZONE"), [["UTC"]])
        try db.run("SET TIME ZONE 'Asia/Tokyo'")
        try db.run("SET TimeZone TO DEFAULT")
        XCTAssertEqual(try db.rows("SELECT current_timezone()"), [["UTC"]])
    }

    func testUnknownZonesAreErrorsNamingThem() throws {
        let db = try TestLake()
        let set = db.error("SET TIME ZONE 'Mars/Olympus_Mons'")
        XCTAssertTrue(set?.message.contains("unknown time zone 'Mars/Olympus_Mons'") ?? false, set?.description ?? "")
        XCTAssertEqual(set?.line, 1)
        XCTAssertEqual(set?.column, 15)
        XCTAssertEqual(try db.rows("SELECT current_timezone()"), [["UTC"]], "a failed SET changes nothing")
        let at = db.error("SELECT 1 AS x,\n  TIMESTAMP '2024-01-01 00:00:00' AT TIME ZONE 'Europe/Atlantis'")
        XCTAssertTrue(at?.message.contains("unknown time zone 'Europe/Atlantis'") ?? false, at?.description ?? "")
        XCTAssertEqual(at?.line, 2)
        let with = db.error("SELECT with_timezone(TIMESTAMP '2024-01-01 00:00:00', 'Nowhere')")
        XCTAssertTrue(with?.message.contains("unknown time zone 'Nowhere'") ?? false, with?.description ?? "")
        let literal = db.error("SELECT TIMESTAMPTZ '2024-01-01 10:00:00 Nowhere/Land'")
        XCTAssertTrue(literal?.message.contains("unknown time zone 'Nowhere/Land'") ?? false, literal?.description ?? "")
        // A zone name that comes from data fails when the row is reached, still naming it.
        try db.run("CREATE TABLE zones AS SELECT * FROM (VALUES ('UTC'), ('Moon/Base')) AS v(z)")
        let fromData = db.error("SELECT TIMESTAMP '2024-01-01 00:00:00' AT TIME ZONE z FROM zones")
        XCTAssertTrue(fromData?.message.contains("unknown time zone 'Moon/Base'") ?? false, fromData?.description ?? "")
        XCTAssertTrue(db.error("SELECT CAST('2024-01-01 10:00:00 Nowhere/Land' AS TIMESTAMPTZ)")?.message.contains("Nowhere/Land") ?? false)
        XCTAssertEqual(try db.rows("SELECT TRY_CAST('2024-01-01 10:00:00 Nowhere/Land' AS TIMESTAMPTZ)"), [["NULL"]])
    }

    func testTimestampTZColumnRoundTripAndTimeTravel() throws {
        let db = try TestLake()
        try db.run("SET TIME ZONE 'Europe/Berlin'")
        try db.run("CREATE TABLE events (id INTEGER, at TIMESTAMP WITH TIME ZONE)")
        try db.run("INSERT INTO events VALUES (1, '2024-03-31 01:30:00'), (2, TIMESTAMPTZ '2024-03-31 03:30:00+02'), (3, NULL)")
        XCTAssertEqual(try db.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position"),
                       [["id", "INTEGER"], ["at", "TIMESTAMP WITH TIME ZONE"]])
        try db.run("UPDATE events SET at = at + INTERVAL '1' DAY WHERE id = 1")
        // Read back from the files in another session (UTC): the instants were stored, not Berlin's wall-clock times.
        // 01:30 was still winter time (+01); one calendar day later, 2024-04-01 01:30 is summer time (+02).
        let other = db.database.connect()
        let rows = try other.query("SELECT id, CAST(at AS VARCHAR) FROM events ORDER BY at NULLS LAST").map { $0.map(\.description) }
        XCTAssertEqual(rows, [["2", "2024-03-31 01:30:00+00"], ["1", "2024-03-31 23:30:00+00"], ["3", "NULL"]])
        // Version 1 (before the UPDATE) still has the first instant; statistics on the column prune by instant.
        XCTAssertEqual(try other.query("SELECT CAST(at AS VARCHAR) FROM events VERSION AS OF 1 WHERE id = 1").map { $0.map(\.description) },
                       [["2024-03-31 00:30:00+00"]])
        XCTAssertEqual(try other.query("SELECT id FROM events WHERE at > TIMESTAMPTZ '2024-03-31 02:00:00+00'").map { $0.map(\.description) },
                       [["1"]])
        XCTAssertEqual(try db.rows("SELECT min(at) = TIMESTAMPTZ '2024-03-31 01:30:00Z', count(DISTINCT at), max(date_trunc('day', at)) FROM events"),
                       [["true", "2", "2024-03-31 22:00:00+00"]])
    }
}
