import XCTest
@testable import Execution
import Storage

final class OperatorWindowTests: XCTestCase {
    /// p: partition (dictionary string), o: order key with ties and a NULL, x: value.
    let p = OpFixtures.dictionaryColumn(["a", "a", "a", "a", "a", "b", "b"])
    let o = OpFixtures.column(.integer, [.integer(1), .integer(2), .integer(2), .integer(4), .null, .integer(10), .integer(20)])
    let x = OpFixtures.column(.bigint, [.bigint(1), .bigint(2), .bigint(3), .bigint(4), .bigint(5), .bigint(6), .null])

    func run(_ kind: WindowFunctionKind, _ args: [BoundExpression] = [], frame: WindowFrameSpec = .defaultWithOrder,
             ascending: Bool = true, ignoreNulls: Bool = false, type: DataType = .bigint) throws -> [[Value]] {
        let call = WindowCall(kind: kind, arguments: args, partitionBy: [.column(0, .varchar)],
                              orderBy: [SortKey(expression: .column(1, .integer), ascending: ascending, nullsFirst: false)],
                              frame: frame, ignoreNulls: ignoreNulls, resultType: type)
        return try OpFixtures.rows(WindowOperator(child: OpFixtures.values([p, o, x], batchSize: 3), calls: [call]))
    }

    func bigints(_ xs: [Int?]) -> [Value] { xs.map { $0.map { Value.bigint(Int64($0)) } ?? .null } }
    func last(_ rows: [[Value]]) -> [Value] { rows.map { $0[3] } }
    let xs = BoundExpression.column(2, .bigint)

    func testRankingFunctions() throws {
        let rows = try run(.rowNumber)
        XCTAssertEqual(rows.map { $0[1] }, [.integer(1), .integer(2), .integer(2), .integer(4), .null, .integer(10), .integer(20)])
        XCTAssertEqual(last(rows), [1, 2, 3, 4, 5, 1, 2].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.rank)), [1, 2, 2, 4, 5, 1, 2].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.denseRank)), [1, 2, 2, 3, 4, 1, 2].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.percentRank, type: .double)), [0, 0.25, 0.25, 0.75, 1, 0, 1].map { Value.double($0) })
        XCTAssertEqual(last(try run(.cumeDist, type: .double)), [0.2, 0.6, 0.6, 0.8, 1, 0.5, 1].map { Value.double($0) })
        XCTAssertEqual(last(try run(.ntile, [.constant(.bigint(2), .bigint)])), [1, 1, 1, 2, 2, 1, 2].map { Value.bigint($0) })
    }

    func testLagLeadWithDefault() throws {
        XCTAssertEqual(last(try run(.lag, [xs])), [.null, .bigint(1), .bigint(2), .bigint(3), .bigint(4), .null, .bigint(6)])
        XCTAssertEqual(last(try run(.lead, [xs, .constant(.bigint(2), .bigint), .constant(.bigint(-1), .bigint)])),
                       [3, 4, 5, -1, -1, -1, -1].map { Value.bigint($0) })
    }

    func testRunningSumDefaultFrameIncludesPeers() throws {
        // RANGE UNBOUNDED PRECEDING .. CURRENT ROW: ties (o = 2) share the sum.
        XCTAssertEqual(last(try run(.aggregate(.sum), [xs])), [1, 6, 6, 10, 15, 6, 6].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.aggregate(.count), [xs])), [1, 3, 3, 4, 5, 1, 1].map { Value.bigint($0) })
    }

    func testRowsFrameAndGenericAggregates() throws {
        let frame = WindowFrameSpec(unit: .rows, start: .preceding(.bigint(1)), end: .following(.bigint(1)))
        XCTAssertEqual(last(try run(.aggregate(.sum), [xs], frame: frame)), [3, 6, 9, 12, 9, 6, 6].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.aggregate(.max), [xs], frame: frame)), [2, 3, 4, 5, 5, 6, 6].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.aggregate(.min), [xs], frame: .wholePartition)), [1, 1, 1, 1, 1, 6, 6].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.aggregate(.avg), [xs], frame: frame, type: .double)), [1.5, 2, 3, 4, 4.5, 6, 6].map { Value.double($0) })
    }

    func testRangeFrameWithOffsets() throws {
        // RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING on o: o=1 → {1,2,2}; o=2 → {1,2,2}; o=4 → {4}; NULL → NULL peers {5}.
        let frame = WindowFrameSpec(unit: .range, start: .preceding(.integer(1)), end: .following(.integer(1)))
        XCTAssertEqual(last(try run(.aggregate(.sum), [xs], frame: frame)), bigints([6, 6, 6, 4, 5, 6, nil]))
        // Descending order: 2 PRECEDING means larger values.
        let desc = WindowFrameSpec(unit: .range, start: .preceding(.integer(2)), end: .currentRow)
        let rows = try run(.aggregate(.sum), [xs], frame: desc, ascending: false)
        // a sorted desc (nulls last): 4,2,2,1,NULL → sums: o=4:{4}=4, o=2:{4,2,3}=9, o=1:{2,3,1}=6, NULL:{5}=5;
        // rows come out in input order (o = 1, 2, 2, 4, NULL).
        XCTAssertEqual(rows.filter { $0[0] == .varchar("a") }.map { $0[1] }, [.integer(1), .integer(2), .integer(2), .integer(4), .null])
        XCTAssertEqual(rows.filter { $0[0] == .varchar("a") }.map { $0[3] }, [6, 9, 9, 4, 5].map { Value.bigint($0) })
    }

    func testValueFunctions() throws {
        XCTAssertEqual(last(try run(.firstValue, [xs])), [1, 1, 1, 1, 1, 6, 6].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.lastValue, [xs])), bigints([1, 3, 3, 4, 5, 6, nil]))
        XCTAssertEqual(last(try run(.lastValue, [xs], frame: .wholePartition, ignoreNulls: true)), [5, 5, 5, 5, 5, 6, 6].map { Value.bigint($0) })
        XCTAssertEqual(last(try run(.nthValue, [xs, .constant(.bigint(2), .bigint)], frame: .wholePartition)),
                       bigints([2, 2, 2, 2, 2, nil, nil]))
    }

    func testGeometricAdstock() throws {
        let rows = try run(.geometricAdstock, [xs, .constant(.double(0.5), .double), .constant(.bigint(2), .bigint)], frame: .wholePartition, type: .double)
        // a: x = 1,2,3,4,5 → 1, 2.5, 4.25, 6, 7.75 (lags 0..2); b: 6, 3 (NULL counts 0)
        XCTAssertEqual(last(rows), [1, 2.5, 4.25, 6, 7.75, 6, 3].map { Value.double($0) })
    }

    func testWeibullAdstockWeightsAreNormalised() throws {
        let w = WindowOperator.weibullWeights(shape: 2, scale: 3, maxLag: 6)
        XCTAssertEqual(w.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(w.count, 6)
        let rows = try run(.weibullAdstock, [xs, .constant(.double(2), .double), .constant(.double(3), .double), .constant(.bigint(6), .bigint)],
                           frame: .wholePartition, type: .double)
        if case let .double(v) = rows[1][3] { XCTAssertEqual(v, w[0] * 2 + w[1] * 1, accuracy: 1e-12) } else { XCTFail() }
    }

    /// The binder casts adstock arguments to DOUBLE: max_lag given as an integral double is honoured (it used to fall
    /// back to 12 lags silently), a fractional one is an error.
    func testAdstockMaxLagAsDouble() throws {
        let rows = try run(.geometricAdstock, [xs, .constant(.double(0.5), .double), .constant(.double(1), .double)], frame: .wholePartition, type: .double)
        XCTAssertEqual(last(rows), [1, 2.5, 4, 5.5, 7, 6, 3].map { Value.double($0) })
        let w = WindowOperator.weibullWeights(shape: 2, scale: 3, maxLag: 2)
        let weibull = try run(.weibullAdstock, [xs, .constant(.double(2), .double), .constant(.double(3), .double), .constant(.double(2), .double)],
                              frame: .wholePartition, type: .double)
        if case let .double(v) = weibull[2][3] { XCTAssertEqual(v, w[0] * 3 + w[1] * 2, accuracy: 1e-12) } else { XCTFail() }
        XCTAssertThrowsError(try run(.geometricAdstock, [xs, .constant(.double(0.5), .double), .constant(.double(1.5), .double)],
                                     frame: .wholePartition, type: .double))
    }
}
