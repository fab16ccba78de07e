import Foundation
import XCTest
@testable import Server

/// Prepared statements that run from a plan made once (Parse once, Bind / Execute many times) answer exactly as the
/// same query with its values written in (a simple query): after writes, DDL and DROP + CREATE, for each parameter
/// type in text and binary, with NULLs, and with errors placed in the client's text.
final class PreparedPlanWireTests: ServerTestCase {
    private struct Outcome: Equatable {
        var columns: [String] = []
        var rows: [[String?]] = []
        var errorState: String?
        var errorMessage: String?
    }

    private func outcome(_ m: [WireClient.Message]) -> Outcome {
        var o = Outcome()
        o.columns = m.first { $0.type == "T" }?.columns.map(\.name) ?? []
        o.rows = m.filter { $0.type == "D" }.map(\.textValues)
        let error = m.first { $0.type == "E" }?.fields
        o.errorState = error?["C"]
        o.errorMessage = error?["M"]
        return o
    }

    private func execute(_ c: WireClient, _ statement: String, _ parameters: [[UInt8]?], formats: [Int16] = []) throws -> Outcome {
        c.bind(statement: statement, formats: formats, parameters: parameters)
        c.describe("P")
        c.execute()
        c.sync()
        return outcome(try c.readUntilReady())
    }

    private func simple(_ c: WireClient, _ sql: String) throws -> Outcome { outcome(try c.query(sql)) }

    func testPreparedLookupFollowsWritesDDLAndRecreatedTables() throws {
        let c = try connect()
        let other = try connect()
        XCTAssertNil(try simple(c, "CREATE TABLE p AS SELECT range AS id, range % 5 AS k FROM range(1000)").errorState)
        c.parse("q", "SELECT * FROM p WHERE id >= $1 ORDER BY id", types: [20])
        c.sync()
        _ = try c.readUntilReady()
        let check = { (from: Int, why: String) in
            XCTAssertEqual(try self.execute(c, "q", [Array("\(from)".utf8)]),
                           try self.simple(c, "SELECT * FROM p WHERE id >= \(from) ORDER BY id"), why)
        }
        try check(995, "first run")
        try check(998, "second run, same plan")
        XCTAssertEqual(try execute(c, "q", [Array("999".utf8)]).rows, [["999", "4"]])
        XCTAssertNil(try simple(c, "INSERT INTO p VALUES (1000, 0), (1001, 1)").errorState)
        XCTAssertEqual(try execute(c, "q", [Array("999".utf8)]).rows, [["999", "4"], ["1000", "0"], ["1001", "1"]],
                       "a statement prepared before an INSERT sees the inserted rows")
        XCTAssertNil(try simple(other, "DELETE FROM p WHERE id = 1000").errorState)
        try check(999, "another connection's DELETE")
        XCTAssertNil(try simple(other, "ALTER TABLE p ADD COLUMN note VARCHAR").errorState)
        XCTAssertNil(try simple(other, "UPDATE p SET note = 'new' WHERE id = 1001").errorState)
        let widened = try execute(c, "q", [Array("999".utf8)])
        XCTAssertEqual(widened.columns, ["id", "k", "note"], "SELECT * after ALTER TABLE ADD COLUMN has the new column")
        XCTAssertEqual(widened.rows, [["999", "4", nil], ["1001", "1", "new"]])
        XCTAssertNil(try simple(other, "DROP TABLE p").errorState)
        let dropped = try execute(c, "q", [Array("1".utf8)])
        XCTAssertEqual(dropped.errorState, "42P01")
        XCTAssertEqual(dropped, try simple(c, "SELECT * FROM p WHERE id >= 1 ORDER BY id"))
        XCTAssertNil(try simple(other, "CREATE TABLE p AS SELECT 'x' AS name, range AS id FROM range(3)").errorState)
        try check(1, "DROP + CREATE with other columns")
    }

    func testEachParameterTypeInTextAndBinaryAnswersAsItsLiteral() throws {
        let c = try connect()
        func be64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        func f8(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }
        // (statement, type OID, format, value, the literal written in its place)
        let cases: [(String, Int32, Int16, [UInt8]?, String)] = [
            ("SELECT id, name FROM t WHERE id = $1", 23, 0, Array(" 2".utf8), "2"),
            ("SELECT id, name FROM t WHERE id = $1", 23, 1, c.be32(1), "1"),
            ("SELECT id FROM t WHERE id < $1 ORDER BY id", 21, 1, c.be16(3), "3"),
            ("SELECT id FROM t WHERE id < $1 ORDER BY id", 21, 0, Array("3".utf8), "3"),
            ("SELECT id, big FROM t WHERE big > $1 ORDER BY id", 20, 0, Array("-5".utf8), "-5"),
            ("SELECT id, big FROM t WHERE big > $1 ORDER BY id", 20, 1, be64(8_999_999_999), "8999999999"),
            ("SELECT id, x FROM t WHERE x < $1 ORDER BY id", 701, 0, Array("1.25".utf8), "1.25"),
            ("SELECT id, x FROM t WHERE x < $1 ORDER BY id", 701, 1, f8(-0.1), "-0.1"),
            ("SELECT id, x * $1 AS y FROM t ORDER BY id", 701, 0, Array("NaN".utf8), "CAST('NaN' AS DOUBLE)"),
            ("SELECT id FROM t WHERE ok = $1 ORDER BY id", 16, 0, Array("t".utf8), "TRUE"),
            ("SELECT id FROM t WHERE ok = $1 ORDER BY id", 16, 1, [0], "FALSE"),
            ("SELECT id, d FROM t WHERE d < $1 ORDER BY id", 1082, 0, Array("2020-01-01".utf8), "DATE '2020-01-01'"),
            ("SELECT id, d FROM t WHERE d > $1 ORDER BY id", 1082, 1, c.be32(-2), "DATE '1999-12-30'"),
            ("SELECT id, ts FROM t WHERE ts >= $1 ORDER BY id", 1114, 0, Array("2024-01-02 03:04:05.25".utf8), "TIMESTAMP '2024-01-02 03:04:05.25'"),
            ("SELECT id, ts FROM t WHERE ts > $1 ORDER BY id", 1114, 1, be64(-946_684_800_000_001), "TIMESTAMP '1969-12-31 23:59:59.999999'"),
            ("SELECT id FROM t WHERE id = $1 OR $1 IS NULL ORDER BY id", 23, 0, nil, "NULL"),
            ("SELECT id FROM t WHERE id = $1", 23, 0, Array("99999999999".utf8), "CAST(99999999999 AS INTEGER)"),
            ("SELECT id FROM t WHERE d = $1", 1082, 0, Array("not a date".utf8), "CAST('not a date' AS DATE)"),
        ]
        for (i, (sql, oid, format, value, literal)) in cases.enumerated() {
            let name = "s\(i)"
            c.parse(name, sql, types: [oid])
            c.sync()
            _ = try c.readUntilReady()
            let expected = try simple(c, sql.replacingOccurrences(of: "$1", with: literal))
            for run in 0..<3 {
                var got = try execute(c, name, [value], formats: [format])
                if got.errorState == "22P02" || got.errorState == "22003" { got.errorMessage = nil }
                var want = expected
                if want.errorState == "22P02" || want.errorState == "22003" || want.errorState == "22007" { want.errorMessage = nil }
                // A value the literal's CAST refuses is an error either way (the message quotes the value as sent).
                XCTAssertEqual(got.rows, want.rows, "\(sql) with \(literal), run \(run)")
                XCTAssertEqual(got.errorState == nil, want.errorState == nil, "\(sql) with \(literal), run \(run): \(got) vs \(want)")
            }
        }
    }

    func testErrorsArePlacedInTheClientsText() throws {
        let c = try connect()
        let sql = "SELECT id FROM t WHERE id = $1 AND nosuch = 1"
        c.parse("e", sql, types: [23])
        c.sync()
        _ = try c.readUntilReady()
        c.bind(statement: "e", parameters: [Array("1".utf8)])
        c.execute()
        c.sync()
        let error = try XCTUnwrap(try c.readUntilReady().first { $0.type == "E" })
        XCTAssertEqual(error.fields["C"], "42703")
        let offset = sql.distance(from: sql.startIndex, to: try XCTUnwrap(sql.range(of: "nosuch")).lowerBound) + 1
        XCTAssertEqual(error.fields["P"], "\(offset)", "the position counts in the statement as the client wrote it")
        // A division by zero found while running a reused plan is 22012, as for the literal query.
        c.parse("z", "SELECT 10 / (id - $1) AS q FROM t WHERE id = 2", types: [23])
        for _ in 0..<2 {
            c.bind(statement: "z", parameters: [Array("2".utf8)])
            c.execute()
            c.sync()
            XCTAssertEqual(try c.readUntilReady().first { $0.type == "E" }?.fields["C"], "22012")
        }
    }
}
