import XCTest
@testable import Execution
import Storage

/// DECIMAL(19…38) sum arguments computed in 64 bits give the same values as the 128-bit kernels, fall back to them
/// when a row does not fit, and the DECIMAL sum accumulator adds the 64-bit columns exactly.
final class NarrowDecimalArgumentsTests: XCTestCase {
    private let d15 = DataType.decimal(precision: 15, scale: 2)

    /// TPC-H Q1's products over `rows` rows (a NULL discount every 7th row), price scaled by `priceFactor`.
    private func q1(rows: Int, priceFactor: Int64 = 1) throws -> (batch: Batch, disc: BoundExpression, charge: BoundExpression) {
        let price = BoundExpression.column(0, d15), discount = BoundExpression.column(1, d15), tax = BoundExpression.column(2, d15)
        let one = ExprTest.lit(.decimal(1, scale: 0))
        let disc = try ExprTest.call("*", [price, try ExprTest.call("-", [one, discount])])
        let charge = try ExprTest.call("*", [disc, try ExprTest.call("+", [one, tax])])
        let values = (0..<rows).map { (i: Int) -> [Value] in
            [.decimal(Int64(100_000 + i * 37) * priceFactor, scale: 2), i % 7 == 0 ? .null : .decimal(Int64(i % 10), scale: 2),
             .decimal(Int64(i % 8), scale: 2)]
        }
        let batch = Batch(columns: (0..<3).map { c in ExprTest.column(values.map { $0[c] }, d15) }, count: rows)
        return (batch, disc, charge)
    }

    private func assertSameValues(_ got: Column, _ expected: Column, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(got.type, expected.type, file: file, line: line)
        XCTAssertEqual(got.count, expected.count, file: file, line: line)
        let a = try ColumnKernels.int128s(got), b = try ColumnKernels.int128s(expected)
        for i in 0..<got.count {
            XCTAssertEqual(got.isNull(i), expected.isNull(i), "row \(i)", file: file, line: line)
            if !got.isNull(i) { XCTAssertEqual(a[i], b[i], "row \(i)", file: file, line: line) }
        }
    }

    func testProductsThatFitSixtyFourBitsComeBackNarrow() throws {
        let (batch, disc, charge) = try q1(rows: 300)
        XCTAssertEqual(disc.type, .decimal(precision: 31, scale: 4))
        XCTAssertEqual(charge.type, .decimal(precision: 38, scale: 6))
        for e in [disc, charge] {
            XCTAssertTrue(NarrowDecimalArguments.applies(e))
            let got = try NarrowDecimalArguments.evaluate(e, batch, ExecutionContext())
            guard case .int64 = got.data else { return XCTFail("expected 64-bit data for \(e.type)") }
            try assertSameValues(got, try OperatorExpressions.evaluate(e, batch, ExecutionContext()))
        }
    }

    func testProductsBeyondSixtyFourBitsUseTheWideKernel() throws {
        // Prices near 10^13 (unscaled 10^15) times (1 + tax) (unscaled ≤ 107) times (1 − discount): past 2^63.
        let (batch, _, charge) = try q1(rows: 50, priceFactor: 9_000_000_000)
        let got = try NarrowDecimalArguments.evaluate(charge, batch, ExecutionContext())
        guard case .int128 = got.data else { return XCTFail("expected 128-bit data") }
        try assertSameValues(got, try OperatorExpressions.evaluate(charge, batch, ExecutionContext()))
    }

    func testWideNodesAreNotSharedForNarrowLists() throws {
        let (batch, disc, charge) = try q1(rows: 100)
        let lists: [[BoundExpression]] = [[disc], [charge]]
        XCTAssertEqual(SharedSubexpressions.rewrite(lists, width: 3).shared.count, 2)
        XCTAssertEqual(SharedSubexpressions.rewrite(lists, width: 3, keepingWide: true).shared.count, 1, "only 1 - discount")
        let shared = SharedSubexpressions(lists, narrow: [true, true])
        let got = try shared.evaluate(batch, ExecutionContext())
        for (k, e) in [disc, charge].enumerated() {
            try assertSameValues(got[k][0], try OperatorExpressions.evaluate(e, batch, ExecutionContext()))
        }
    }

    /// Sums and averages of 64-bit data of a DECIMAL(31,4) argument: few groups (lanes), many groups whose 64-bit
    /// sums overflow into 128 bits, and partial states merged; against exact sums computed here.
    func testSumAccumulatorAddsNarrowDataExactly() throws {
        let type = DataType.decimal(precision: 31, scale: 4)
        for (groups, magnitude) in [(3, Int64(1_000_000)), (500, Int64.max / 3)] {
            let rows = 2_000
            let values = (0..<rows).map { i in (i % 5 == 0 ? -1 : 1) * (magnitude - Int64(i)) }
            let gids = (0..<rows).map { Int32($0 % groups) }
            var expected = [Int128](repeating: 0, count: groups)
            for i in 0..<rows { expected[Int(gids[i])] += Int128(values[i]) }
            let column = Column(type: type, data: .int64(values))
            let first = Decimal128SumAccumulator(inputType: type, resultType: .decimal(precision: 38, scale: 4), isAverage: false)
            let second = first.makeEmpty()
            for (acc, range) in [(first as GroupedAccumulator, 0..<1000), (second, 1000..<rows)] {
                acc.resize(groups)
                let part = column.gather(range.map { Int32($0) })
                try Array(gids[range]).withUnsafeBufferPointer { try acc.update([part], $0) }
            }
            try first.merge(second, mapping: (0..<groups).map { Int32($0) })
            let sums = try ColumnKernels.int128s(try first.finish(groups))
            XCTAssertEqual(sums, expected, "\(groups) groups")
        }
    }

    /// An average over 128-bit input with few groups (the lane path) is not NULL.
    func testAverageOfWideInputWithFewGroups() throws {
        let type = DataType.decimal(precision: 30, scale: 2)
        let rows = 600
        let values = (0..<rows).map { Int128($0) * 1_000 }
        let gids = (0..<rows).map { Int32($0 % 3) }
        let acc = Decimal128SumAccumulator(inputType: type, resultType: .decimal(precision: 30, scale: 2), isAverage: true)
        acc.resize(3)
        let handled = try gids.withUnsafeBufferPointer {
            try acc.update([Column(type: type, data: .int128(values))], $0, discarding: 3)
        }
        XCTAssertTrue(handled)
        let result = try acc.finish(3)
        for g in 0..<3 {
            XCTAssertFalse(result.isNull(g), "group \(g)")
            let mean = (0..<rows).filter { $0 % 3 == g }.reduce(Int128(0)) { $0 + values[$1] } / 200
            XCTAssertEqual(try ColumnKernels.int128s(result)[g], mean)
        }
    }
}
