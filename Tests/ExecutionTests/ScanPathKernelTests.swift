import XCTest
@testable import Execution
import Storage

/// Kernels of the scan path: the AND-ed comparison mask and branch-free selection, the bounded decimal product.
final class ScanPathKernelTests: XCTestCase {
    typealias T = ExprTest

    /// Leading column-constant conjuncts evaluated as one mask give the same rows as evaluating each conjunct on
    /// the rows the previous ones kept, with NULLs, dictionary strings, a trailing general conjunct and empty results.
    func testConjunctMaskMatchesConjunctByConjunct() throws {
        var random = OpRandom(42)
        let n = 5000
        let a = ExprTest.column((0..<n).map { _ in random.chance(0.1) ? .null : .bigint(Int64(random.int(0...99))) }, .bigint)
        let s = ExprTest.dictionaryColumn((0..<n).map { _ in random.chance(0.05) ? nil : ["FR", "DE", "US"][random.int(0...2)] })
        let d = ExprTest.column((0..<n).map { _ in random.chance(0.2) ? .null : .double(Double(random.int(0...1000)) / 10) }, .double)
        let batch = Batch(columns: [a, s, d], count: n)
        let col0 = BoundExpression.column(0, .bigint), col1 = BoundExpression.column(1, .varchar), col2 = BoundExpression.column(2, .double)
        let cases: [[BoundExpression]] = [
            [try ExprTest.call(">", [col0, ExprTest.lit(.bigint(10))]), try ExprTest.call("=", [col1, ExprTest.lit(.varchar("FR"))])],
            [try ExprTest.call("<=", [ExprTest.lit(.bigint(50)), col0]), try ExprTest.call("<", [col2, ExprTest.lit(.double(40))]),
             try ExprTest.call("<>", [col1, ExprTest.lit(.varchar("US"))])],
            [try ExprTest.call(">", [col0, ExprTest.lit(.bigint(10))]), try ExprTest.call(">", [col0, ExprTest.lit(.bigint(20))]),
             try ExprTest.call(">", [try ExprTest.call("+", [col0, col0]), ExprTest.lit(.bigint(100))])],
            [try ExprTest.call(">", [col0, ExprTest.lit(.bigint(1000))]), try ExprTest.call(">", [col2, ExprTest.lit(.double(0))])],
        ]
        for conjuncts in cases {
            let got = try ExpressionEvaluator.evaluatePredicate(.and(conjuncts), batch, ExecutionContext())
            var expected: [Int32] = []
            for i in 0..<n {
                let row = batch.slice(i..<(i + 1))
                if try conjuncts.allSatisfy({ try ExpressionEvaluator.evaluate($0, row, ExecutionContext()).value(at: 0) == .boolean(true) }) {
                    expected.append(Int32(i))
                }
            }
            XCTAssertEqual(got, expected, conjuncts.map(OperatorExpressions.describe).joined(separator: " AND "))
        }
        XCTAssertEqual(ConjunctMask.selectedRows([0, 1, 1, 0, 1]), [1, 2, 4])
        XCTAssertEqual(ConjunctMask.selectedRows([]), [])
        XCTAssertEqual(try ExpressionEvaluator.selectedRows(Column(type: .boolean, data: .bool([true, false, true, true]), validity: [1, 1, 0, 1])), [0, 3])
    }

    /// The plain multiply loop runs only when the operands' bit lengths prove every product fits; otherwise the
    /// checked loop still reports overflow and precision errors.
    func testDecimalProductBoundsDecideTheFastPath() throws {
        func fits(_ x: [Int64], _ y: [Int64], _ limit: UInt64) -> Bool {
            x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in DecimalFastKernel.productFits(px, py, x.count, limit) } }
        }
        XCTAssertTrue(fits([1000, -999], [99, 7], 1_000_000_000))
        XCTAssertFalse(fits([Int64.min], [1], UInt64(Int64.max)))
        XCTAssertFalse(fits([1 << 40], [1 << 30], 1_000_000_000_000_000_000))
        guard let kernel = DecimalFastKernel(.multiply, 2, 2, 4, 18) else { return XCTFail("kernel") }
        XCTAssertEqual(kernel.apply([12345, -7, 0], [100, 3, 5]), [1_234_500, -21, 0])
        XCTAssertNil(kernel.apply([1_000_000_000_000], [1_000_000]), "beyond DECIMAL(18,4) without overflowing")
        XCTAssertEqual(kernel.apply([999_999_999_999], [999_999]), [999_998_999_999_000_001])
        XCTAssertNil(kernel.apply([Int64.max / 2], [3]), "overflow")
        XCTAssertEqual(try T.value("*", [.decimal(999_999_999_999, scale: 2), .decimal(1_000_000_000, scale: 2)]),
                       .decimal128(999_999_999_999_000_000_000, scale: 4), "DECIMAL(36,4) since DECIMAL(38)")
        T.assertThrows("decimal overflow") {
            try T.value("*", [.decimal128(Int128.powerOfTen(36), scale: 2), .decimal(1_000_000_000, scale: 2)])
        }
        // Add / subtract with rescaling: plain loop when the bounds fit, checked loop (and errors) otherwise.
        func sumFits(_ x: [Int64], _ y: [Int64], _ f1: Int64, _ f2: Int64, _ limit: UInt64) -> Bool {
            x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in DecimalFastKernel.sumFits(px, py, x.count, f1, f2, limit) } }
        }
        XCTAssertTrue(sumFits([1], [99, -5], 100, 1, 1_000))
        XCTAssertFalse(sumFits([1 << 62], [1], 1, 1, UInt64(Int64.max)))
        XCTAssertFalse(sumFits([999], [999], 1, 1, 1_000))
        guard let minus = DecimalFastKernel(.subtract, 0, 2, 2, 15) else { return XCTFail("kernel") }
        XCTAssertEqual(minus.apply([1, 1, 1], [5, 100, -7]), [95, 0, 107])
        XCTAssertNil(minus.apply([10_000_000_000_000], [-1]), "beyond DECIMAL(15,2)")
        // Block by block: a block with a large operand takes the checked loop, the others the plain one.
        var xs = (0..<5000).map { Int64($0 - 2500) }
        xs[3000] = 999_999_999_999
        let ys = [Int64](repeating: 999_999, count: 5000)
        XCTAssertEqual(kernel.apply(xs, ys), zip(xs, ys).map { $0 * $1 })
        xs[4999] = 2_000_000_000_000
        XCTAssertNil(kernel.apply(xs, ys), "the last block goes beyond DECIMAL(18,4)")
        guard let plus = DecimalFastKernel(.add, 1, 2, 2, 18) else { return XCTFail("kernel") }
        XCTAssertEqual(plus.apply([15, -3], [1, 30]), [151, 0])
    }
}
