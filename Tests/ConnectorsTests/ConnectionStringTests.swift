import XCTest
@testable import Connectors

/// The one form of a DSN that may be shown anywhere keeps user, host, port and database and never the password.
final class ConnectionStringTests: XCTestCase {
    func testURLFormIsRedacted() {
        let dsn = ConnectionString("postgresql://alice:s3cr%40t@db.example:5433/sales?sslmode=disable")
        XCTAssertEqual(dsn.redacted, "alice@db.example:5433/sales")
        XCTAssertEqual(dsn.password, "s3cr@t")
        XCTAssertEqual(dsn.parameters["sslmode"], "disable")
        XCTAssertFalse(dsn.scrub("failed for postgresql://alice:s3cr%40t@db.example:5433/sales?sslmode=disable").contains("s3cr"))
        XCTAssertEqual(dsn.scrub("password s3cr@t was wrong"), "password *** was wrong")
    }

    func testKeywordFormIsRedacted() {
        let dsn = ConnectionString("host=127.0.0.1 port=5499 dbname=ops user=bob password='it''s secret'")
        XCTAssertEqual(dsn.parameters["host"], "127.0.0.1")
        XCTAssertEqual(dsn.redacted, "bob@127.0.0.1:5499/ops")
        XCTAssertFalse(dsn.redacted.contains("secret"))
        let mysql = ConnectionString("host=localhost user=root passwd=pw database=crm port=3306")
        XCTAssertEqual(mysql.password, "pw")
        XCTAssertEqual(mysql.redacted, "root@localhost:3306/crm")
    }

    func testNumericDecodesIntoDecimalAndDouble() throws {
        // 12.50 as numeric: ndigits 2, weight 0, sign +, dscale 2, digits 12 5000.
        let bytes: [UInt8] = [0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 0x13, 0x88]
        let column = { (t: PostgresColumnType) in PostgresColumn(name: "x", type: t, declared: "numeric", isBpchar: false) }
        for (type, expected) in [(PostgresColumnType.numeric(.decimal(precision: 10, scale: 2)), "12.50"), (.numeric(.double), "12.5")] {
            var decoder = PostgresBinaryDecoder(columns: [column(type)], tableName: "t", capacity: 1, rowLabel: { "row \($0)" })
            let message = PostgresBinaryDecoder.signature + [0, 0, 0, 0, 0, 0, 0, 0] + [0, 1, 0, 0, 0, UInt8(bytes.count)] + bytes
            try message.withUnsafeBufferPointer { try decoder.decode($0) }
            let batch = decoder.takeBatch(capacity: 1)
            XCTAssertEqual(batch.count, 1)
            XCTAssertEqual(batch.columns[0].value(at: 0).description, expected)
        }
    }
}
