import XCTest
@testable import Execution
import Storage

/// Subexpressions shared by several aggregate arguments are computed once and give the same columns.
final class SharedSubexpressionsTests: XCTestCase {
    func testRepeatedSubexpressionsAreEvaluatedOnce() throws {
        let price = BoundExpression.column(0, .decimal(precision: 15, scale: 2))
        let discount = BoundExpression.column(1, .decimal(precision: 15, scale: 2))
        let tax = BoundExpression.column(2, .decimal(precision: 15, scale: 2))
        let one = ExprTest.lit(.decimal(1, scale: 0))
        let disc = try ExprTest.call("*", [price, try ExprTest.call("-", [one, discount])])
        let charge = try ExprTest.call("*", [disc, try ExprTest.call("+", [one, tax])])
        let lists: [[BoundExpression]] = [[price], [disc], [charge], []]
        let rewritten = SharedSubexpressions.rewrite(lists, width: 3)
        XCTAssertEqual(rewritten.shared.count, 2, "1 - discount, then price * (1 - discount)")
        let values = (0..<50).map { (i: Int) -> [Value] in
            let price = Value.decimal(Int64(1000 + i * 37), scale: 2)
            let discount: Value = i % 7 == 0 ? .null : .decimal(Int64(i % 10), scale: 2)
            let tax = Value.decimal(Int64(i % 8), scale: 2)
            return [price, discount, tax]
        }
        let batch = Batch(columns: (0..<3).map { c in ExprTest.column(values.map { $0[c] }, .decimal(precision: 15, scale: 2)) }, count: 50)
        let shared = SharedSubexpressions(lists)
        XCTAssertTrue(shared.sharesWork)
        let got = try shared.evaluate(batch, ExecutionContext())
        let plain = try lists.map { try OperatorExpressions.evaluate($0, batch, ExecutionContext()) }
        XCTAssertEqual(got.count, plain.count)
        for (x, y) in zip(got, plain) {
            XCTAssertEqual(x.count, y.count)
            for (a, b) in zip(x, y) { for i in 0..<50 { XCTAssertEqual(a.value(at: i), b.value(at: i)) } }
        }
        // Nothing repeated: no sharing.
        XCTAssertFalse(SharedSubexpressions([[price], [discount]]).sharesWork)
    }

    func testExpressionsInsideCaseAreNotHoisted() throws {
        let a = BoundExpression.column(0, .bigint), b = BoundExpression.column(1, .bigint)
        let quotient = try ExprTest.call("/", [b, a])
        let condition = try ExprTest.call("<>", [a, ExprTest.lit(.bigint(0))])
        let guarded = BoundExpression.caseWhen([CaseBranch(condition: condition, result: quotient)], elseResult: nil, .bigint)
        XCTAssertEqual(SharedSubexpressions.rewrite([[guarded], [guarded]], width: 2).shared.count, 0)
    }
}
