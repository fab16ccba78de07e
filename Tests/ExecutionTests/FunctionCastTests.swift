import XCTest
@testable import Execution
import Storage

final class FunctionCastTests: XCTestCase {
    typealias T = ExprTest

    func testVarcharToNumbers() throws {
        XCTAssertEqual(try T.castValue(.varchar(" 42 "), .integer), .integer(42))
        XCTAssertEqual(try T.castValue(.varchar("-9000000000"), .bigint), .bigint(-9_000_000_000))
        T.assertThrows("cannot cast 'abc' to INTEGER") { try T.castValue(.varchar("abc"), .integer) }
        T.assertThrows("cannot cast '3000000000' to INTEGER") { try T.castValue(.varchar("3000000000"), .integer) }
        XCTAssertEqual(try T.castValue(.varchar("abc"), .integer, isTry: true), .null)
        XCTAssertEqual(try T.castValue(.varchar("1.5e2"), .double), .double(150))
        XCTAssertEqual(try T.castValue(.varchar("12.345"), .decimal(precision: 5, scale: 2)), .decimal(1235, scale: 2))
        XCTAssertEqual(try T.castValue(.varchar("-12.345"), .decimal(precision: 5, scale: 2)), .decimal(-1235, scale: 2))
        T.assertThrows("cannot cast '12345.6'") { try T.castValue(.varchar("12345.6"), .decimal(precision: 5, scale: 2)) }
        // SQLite: leading numeric prefix or 0, never an error
        XCTAssertEqual(try T.castValue(.varchar("12abc"), .bigint, T.sqlite), .bigint(12))
        XCTAssertEqual(try T.castValue(.varchar("abc"), .bigint, T.sqlite), .bigint(0))
        XCTAssertEqual(try T.castValue(.varchar(" -3.9x"), .bigint, T.sqlite), .bigint(-3))
        XCTAssertEqual(try T.castValue(.varchar("2.5e1z"), .double, T.sqlite), .double(25))
        XCTAssertEqual(try T.castValue(.varchar("1e-99999999999"), .decimal(precision: 5, scale: 2)), .decimal(0, scale: 2))
        XCTAssertEqual(try T.castValue(.varchar("1e99999999999"), .decimal(precision: 5, scale: 2), isTry: true), .null)
        XCTAssertEqual(try T.castValue(.varchar("1.5e2"), .decimal(precision: 5, scale: 1)), .decimal(1500, scale: 1))
    }

    func testNumericConversions() throws {
        XCTAssertEqual(try T.castValue(.double(2.5), .integer), .integer(3))
        XCTAssertEqual(try T.castValue(.double(-2.5), .integer), .integer(-3))
        XCTAssertEqual(try T.castValue(.double(2.4999), .bigint), .bigint(2))
        T.assertThrows("out of range") { try T.castValue(.double(1e10), .integer) }
        T.assertThrows("out of range") { try T.castValue(.double(.nan), .bigint) }
        T.assertThrows("out of range") { try T.castValue(.bigint(1 << 40), .integer) }
        XCTAssertEqual(try T.castValue(.bigint(1 << 40), .integer, isTry: true), .null)
        XCTAssertEqual(try T.castValue(.decimal(-125, scale: 2), .integer), .integer(-1))
        XCTAssertEqual(try T.castValue(.decimal(-150, scale: 2), .integer), .integer(-2))
        XCTAssertEqual(try T.castValue(.decimal(12345, scale: 3), .decimal(precision: 6, scale: 1)), .decimal(123, scale: 1))
        XCTAssertEqual(try T.castValue(.decimal(12355, scale: 3), .decimal(precision: 6, scale: 2)), .decimal(1236, scale: 2))
        XCTAssertEqual(try T.castValue(.decimal(5, scale: 1), .decimal(precision: 4, scale: 3)), .decimal(500, scale: 3))
        T.assertThrows("does not fit") { try T.castValue(.decimal(99999, scale: 0), .decimal(precision: 4, scale: 0)) }
        XCTAssertEqual(try T.castValue(.double(1.005), .decimal(precision: 10, scale: 1)), .decimal(10, scale: 1))
        XCTAssertEqual(try T.castValue(.integer(7), .decimal(precision: 5, scale: 2)), .decimal(700, scale: 2))
        XCTAssertEqual(try T.castValue(.decimal(250, scale: 2), .double), .double(2.5))
        XCTAssertEqual(try T.castValue(.integer(0), .boolean), .boolean(false))
        XCTAssertEqual(try T.castValue(.boolean(true), .integer), .integer(1))
    }

    func testTextFormats() throws {
        XCTAssertEqual(try T.castValue(.boolean(true), .varchar), .varchar("true"))
        XCTAssertEqual(try T.castValue(.varchar("FALSE"), .boolean), .boolean(false))
        T.assertThrows("cannot cast 'maybe' to BOOLEAN") { try T.castValue(.varchar("maybe"), .boolean) }
        XCTAssertEqual(try T.castValue(.double(1.5), .varchar), .varchar("1.5"))
        XCTAssertEqual(try T.castValue(.double(3), .varchar), .varchar("3.0"))
        XCTAssertEqual(try T.castValue(.decimal(-5, scale: 2), .varchar), .varchar("-0.05"))
        let d = try T.castValue(.varchar("1969-07-20"), .date)
        XCTAssertEqual(d, .date(-165))
        XCTAssertEqual(try T.castValue(d, .varchar), .varchar("1969-07-20"))
        T.assertThrows("cannot cast '2023-02-29' to DATE") { try T.castValue(.varchar("2023-02-29"), .date) }
        XCTAssertEqual(try T.castValue(.varchar("2024-02-29"), .date, isTry: true).description, "2024-02-29")
        let ts = try T.castValue(.varchar("1960-01-01 12:30:45.25"), .timestamp)
        XCTAssertEqual(ts.description, "1960-01-01 12:30:45.25")
        XCTAssertEqual(try T.castValue(ts, .varchar), .varchar("1960-01-01 12:30:45.25"))
        XCTAssertEqual(try T.castValue(ts, .date).description, "1960-01-01")
        XCTAssertEqual(try T.castValue(.date(-1), .timestamp).description, "1969-12-31 00:00:00")
        XCTAssertEqual(try T.castValue(.timestamp(-1), .date).description, "1969-12-31")
        T.assertThrows("cannot cast 'noon'") { try T.castValue(.varchar("noon"), .timestamp) }
        XCTAssertEqual(try T.castValue(.null, .date), .null)
        XCTAssertFalse(CastKernels.canCast(from: .boolean, to: .date))
        T.assertThrows("cannot cast BOOLEAN to DATE") { try T.castValue(.boolean(true), .date) }
    }

    func testDictionaryCastOnlyFailsForRowsInUse() throws {
        // The dictionary holds an invalid entry that no valid row references.
        let dict = Column(type: .varchar, data: .dictionary(codes: [0, 1, 0], dictionary: StringArray(["7", "oops"])), validity: [1, 0, 1])
        let ctx = ExecutionContext()
        let c = try ExpressionEvaluator.evaluate(.cast(.column(0, .varchar), .integer, isTry: false), Batch(columns: [dict]), ctx)
        XCTAssertEqual((0..<3).map { c.value(at: $0) }, [.integer(7), .null, .integer(7)])
        let bad = Column(type: .varchar, data: .dictionary(codes: [0, 1], dictionary: StringArray(["7", "oops"])))
        XCTAssertThrowsError(try ExpressionEvaluator.evaluate(.cast(.column(0, .varchar), .integer, isTry: false), Batch(columns: [bad]), ctx))
        let tried = try ExpressionEvaluator.evaluate(.cast(.column(0, .varchar), .integer, isTry: true), Batch(columns: [bad]), ctx)
        XCTAssertEqual(tried.value(at: 1), .null)
    }

    func testCoercionRules() {
        XCTAssertEqual(TypeCoercion.commonSuperType(.integer, .bigint), .bigint)
        XCTAssertEqual(TypeCoercion.commonSuperType(.integer, .decimal(precision: 5, scale: 2)), .decimal(precision: 12, scale: 2))
        XCTAssertEqual(TypeCoercion.commonSuperType(.decimal(precision: 5, scale: 2), .decimal(precision: 10, scale: 0)), .decimal(precision: 12, scale: 2))
        XCTAssertEqual(TypeCoercion.commonSuperType(.bigint, .double), .double)
        XCTAssertEqual(TypeCoercion.commonSuperType(.null, .varchar), .varchar)
        XCTAssertEqual(TypeCoercion.commonSuperType(.date, .timestamp), .timestamp)
        XCTAssertEqual(TypeCoercion.commonSuperType(.varchar, .date), .date)
        XCTAssertNil(TypeCoercion.commonSuperType(.varchar, .integer))
        XCTAssertNil(TypeCoercion.commonSuperType(.boolean, .integer))
        XCTAssertTrue(TypeCoercion.canImplicitlyCast(from: .integer, to: .double))
        XCTAssertFalse(TypeCoercion.canImplicitlyCast(from: .double, to: .bigint))
        XCTAssertFalse(TypeCoercion.canImplicitlyCast(from: .decimal(precision: 10, scale: 2), to: .decimal(precision: 10, scale: 4)))
    }
}
