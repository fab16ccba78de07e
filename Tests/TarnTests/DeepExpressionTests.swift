import XCTest
@testable import Tarn
import Storage

/// Very long and very deep expressions run or fail with a clear error, never overflow a stack (a 10,000-term OR and
/// an 8,000-term sum crashed the process in the binder).
final class DeepExpressionTests: XCTestCase {
    func testLongOrAndAndChainsRun() throws {
        let db = try TestLake()
        try db.run("CREATE TABLE t AS SELECT * FROM generate_series(1, 2000) g(x)")
        let or = (0..<10_000).map { "x = \($0 * 2)" }.joined(separator: " OR ")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t WHERE \(or)"), [["1000"]], "the even x in 2 … 2,000")
        let and = (0..<5_000).map { "x <> \($0 * 3)" }.joined(separator: " AND ")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t WHERE \(and)"), [["1334"]], "the 2,000 x less the 666 multiples of 3")
        let list = (0..<100_000).map(String.init).joined(separator: ", ")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM t WHERE x IN (\(list))"), [["2000"]])
        // Short chains keep their written (left-deep) shape, so default column names do not change.
        XCTAssertEqual(try db.session.execute("SELECT x = 1 OR x = 2 OR x = 3 FROM t LIMIT 1").last?.columns.first?.name,
                       "(((x = 1) OR (x = 2)) OR (x = 3))")
    }

    func testOverlongArithmeticChainsAndNestingAreClearErrors() throws {
        let db = try TestLake()
        let sum = (0..<8_000).map(String.init).joined(separator: " + ")
        let error = db.error("SELECT \(sum)")
        XCTAssertEqual(error?.kind, .syntax)
        XCTAssertEqual(error?.line, 1)
        XCTAssertNotNil(error?.column)
        XCTAssertTrue(error?.message.contains("expression too deep: more than 500 operators chained or nested") ?? false, "\(String(describing: error))")
        let nested = String(repeating: "(", count: 1_000) + "1" + String(repeating: ")", count: 1_000)
        XCTAssertEqual(db.error("SELECT \(nested)")?.kind, .syntax)
        // Up to the limit, long sums still run.
        let fine = (1...400).map(String.init).joined(separator: " + ")
        XCTAssertEqual(try db.rows("SELECT \(fine)"), [["80200"]])
    }
}
