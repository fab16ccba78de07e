import XCTest
@testable import Parquet
import Storage

/// Row-group skipping decisions from statistics: skip only what cannot match, and never on statistics whose
/// order is uncertain.
final class StatisticsFilterTests: XCTestCase {
    private func column(_ type: PhysicalKind, _ logical: LogicalType? = nil) throws -> ParquetColumn {
        var e = SchemaElement(name: "c")
        e.type = type; e.rawType = type.rawValue; e.repetition = .optional; e.logicalType = logical
        return try ParquetColumn(index: 0, element: e)
    }

    private func le<T>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }

    private func stats(min: [UInt8]?, max: [UInt8]?, nulls: Int64? = 0, legacy: Bool = false) -> Statistics {
        var s = Statistics()
        if legacy { s.min = min; s.max = max } else { s.minValue = min; s.maxValue = max }
        s.nullCount = nulls
        return s
    }

    private func may(_ c: ParquetColumn, _ s: Statistics?, _ op: ColumnPredicate.Comparison, _ v: Value = .null, rows: Int64 = 100) -> Bool {
        StatisticsFilter.mayMatch(ColumnPredicate(column: 0, comparison: op, value: v), column: c, statistics: s, rows: rows)
    }

    func testIntegerRanges() throws {
        let c = try column(.int64)
        let s = stats(min: le(Int64(10).littleEndian), max: le(Int64(20).littleEndian))
        XCTAssertTrue(may(c, s, .equal, .bigint(10)))
        XCTAssertTrue(may(c, s, .equal, .integer(20)))
        XCTAssertFalse(may(c, s, .equal, .bigint(21)))
        XCTAssertFalse(may(c, s, .less, .bigint(10)))
        XCTAssertTrue(may(c, s, .lessOrEqual, .bigint(10)))
        XCTAssertFalse(may(c, s, .greater, .bigint(20)))
        XCTAssertTrue(may(c, s, .greaterOrEqual, .bigint(20)))
        XCTAssertTrue(may(c, s, .notEqual, .bigint(15)))
        XCTAssertFalse(may(c, stats(min: le(Int64(7)), max: le(Int64(7))), .notEqual, .bigint(7)))
        // Legacy min/max are trusted for signed integers.
        XCTAssertFalse(may(c, stats(min: le(Int64(10)), max: le(Int64(20)), legacy: true), .greater, .bigint(30)))
        // No statistics, or a constant of another kind: read it.
        XCTAssertTrue(may(c, nil, .equal, .bigint(99)))
        XCTAssertTrue(may(c, s, .equal, .varchar("99")))
        XCTAssertTrue(may(c, s, .equal, .double(99)))
    }

    func testNulls() throws {
        let c = try column(.int32)
        let none = stats(min: le(Int32(1)), max: le(Int32(5)), nulls: 0)
        let all = stats(min: nil, max: nil, nulls: 100)
        XCTAssertFalse(may(c, none, .isNull))
        XCTAssertTrue(may(c, none, .isNotNull))
        XCTAssertTrue(may(c, all, .isNull))
        XCTAssertFalse(may(c, all, .isNotNull))
        XCTAssertFalse(may(c, all, .equal, .integer(3)))  // all NULL: no comparison holds
        XCTAssertTrue(may(c, stats(min: nil, max: nil, nulls: nil), .isNull))
    }

    func testTimestampsAreComparedInTheirTarnUnit() throws {
        let c = try column(.int64, .timestamp(unit: .millis, utc: true))
        let s = stats(min: le(Int64(1_000)), max: le(Int64(2_000)))  // 1 s .. 2 s
        XCTAssertFalse(may(c, s, .greater, .timestamp(2_000_000)))
        XCTAssertTrue(may(c, s, .greater, .timestamp(1_999_999)))
        let d = try column(.int32, .date)
        XCTAssertFalse(may(d, stats(min: le(Int32(100)), max: le(Int32(200))), .less, .date(100)))
    }

    func testStringsCompareAsUTF8Bytes() throws {
        let c = try column(.byteArray, .string)
        let s = stats(min: Array("apple".utf8), max: Array("zebra".utf8))
        XCTAssertTrue(may(c, s, .equal, .varchar("mango")))
        XCTAssertFalse(may(c, s, .equal, .varchar("Zebra")))    // 'Z' < 'a' in bytes
        XCTAssertFalse(may(c, s, .equal, .varchar("épée")))     // é (0xC3…) sorts after z in UTF-8
        XCTAssertTrue(may(c, s, .less, .varchar("b")))
        // Legacy min/max of byte arrays used signed byte order in old writers: never trusted.
        XCTAssertTrue(may(c, stats(min: Array("apple".utf8), max: Array("zebra".utf8), legacy: true), .equal, .varchar("Zebra")))
    }

    func testUncertainOrdersAreNeverUsed() throws {
        // Floating point (NaN), unsigned integers, decimals of another scale: always read.
        XCTAssertTrue(may(try column(.double), stats(min: le(1.0), max: le(2.0)), .greater, .double(5)))
        XCTAssertTrue(may(try column(.int64, .integer(bitWidth: 64, signed: false)), stats(min: le(Int64(1)), max: le(Int64(2))), .greater, .bigint(5)))
        let dec = try column(.int32, .decimal(precision: 9, scale: 2))
        XCTAssertTrue(may(dec, stats(min: le(Int32(100)), max: le(Int32(200))), .greater, .decimal(5, scale: 0)))
        XCTAssertFalse(may(dec, stats(min: le(Int32(100)), max: le(Int32(200))), .greater, .decimal(500, scale: 2)))
        // Statistics bytes of the wrong size are ignored.
        XCTAssertTrue(may(try column(.int64), stats(min: [1, 2], max: [3]), .equal, .bigint(99)))
    }
}
