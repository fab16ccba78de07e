import XCTest
@testable import Execution
import Storage

/// Decimal `+ - *` with a constant operand run through `ScalarFunction.constantOperandKernel` (the constant is
/// not materialised): the results and errors must equal the same call over a column of the constant.
final class DecimalConstantOperandTests: XCTestCase {
    typealias T = ExprTest

    /// 5,000 DECIMAL(15,2) rows with NULLs; `large` puts values near 10^13 into the second block.
    static func column(large: Bool = false) -> Column {
        T.column((0..<5_000).map { i -> Value in
            if i % 9 == 0 { return .null }
            if large && (2_048..<4_096).contains(i) { return .decimal(9_999_999_999_999 - Int64(i), scale: 2) }
            return .decimal(Int64(i * 37 % 10_000) - 3_000, scale: 2)
        }, .decimal(precision: 15, scale: 2))
    }

    /// `name(constant, x)` or `name(x, constant)` evaluated with the constant as a literal and as a column.
    func check(_ name: String, _ constant: Value, constantLeft: Bool, large: Bool = false,
               file: StaticString = #filePath, line: UInt = #line) throws {
        let x = Self.column(large: large)
        let lit = T.lit(constant)
        let repeated = T.column([Value](repeating: constant, count: x.count), lit.type)
        let columns = Batch(columns: [x, repeated])
        let xe = BoundExpression.column(0, x.type), ce = BoundExpression.column(1, lit.type)
        let withConstant = try T.call(name, constantLeft ? [lit, xe] : [xe, lit])
        let withColumn = try T.call(name, constantLeft ? [ce, xe] : [xe, ce])
        guard case .call = withConstant else { return XCTFail("not a call", file: file, line: line) }
        let context = ExecutionContext()
        var expected: Result<Column, Error>
        do { expected = .success(try ExpressionEvaluator.evaluate(withColumn, columns, context)) } catch { expected = .failure(error) }
        do {
            let got = try ExpressionEvaluator.evaluate(withConstant, columns, context)
            guard case let .success(e) = expected else { return XCTFail("expected an error", file: file, line: line) }
            XCTAssertEqual(got.type, e.type, file: file, line: line)
            XCTAssertEqual((0..<got.count).map { got.value(at: $0) }, (0..<e.count).map { e.value(at: $0) }, file: file, line: line)
        } catch {
            guard case let .failure(e) = expected else { return XCTFail("unexpected \(error)", file: file, line: line) }
            XCTAssertEqual((error as? TarnError)?.message, (e as? TarnError)?.message, file: file, line: line)
        }
    }

    func testConstantOperandsMatchColumnOperands() throws {
        for (name, constant) in [("-", Value.decimal(1, scale: 0)), ("+", .decimal(1, scale: 0)), ("*", .decimal(3, scale: 0)),
                                 ("*", .decimal(-15, scale: 1)), ("-", .decimal(-250, scale: 3)), ("+", .decimal(7, scale: 2))] {
            for left in [true, false] {
                for large in [false, true] { try check(name, constant, constantLeft: left, large: large) }
            }
        }
    }

    /// A product beyond DECIMAL(18) widens to DECIMAL(p1 + p2) (Trino); one beyond 38 digits is still reported.
    func testOverflowIsStillAnError() throws {
        try check("*", .decimal(999_999, scale: 0), constantLeft: true, large: true)
        let x = Self.column(large: true)
        let wide = try T.call("*", [T.lit(.decimal(999_999, scale: 0)), .column(0, x.type)])
        XCTAssertEqual(wide.type, .decimal(precision: 21, scale: 2))
        XCTAssertEqual(try ExpressionEvaluator.evaluate(wide, Batch(columns: [x]), ExecutionContext()).value(at: 2048),
                       .decimal128(Int128(999_999) * Int128(9_999_999_999_999 - 2_048), scale: 2))
        let e = try T.call("*", [T.lit(.decimal128(Int128.powerOfTen(37), scale: 0)), .column(0, x.type)])
        XCTAssertThrowsError(try ExpressionEvaluator.evaluate(e, Batch(columns: [x]), ExecutionContext()))
    }
}
