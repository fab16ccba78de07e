import XCTest
@testable import Execution
import Storage

final class OperatorJoinTests: XCTestCase {
    /// Left: (id INTEGER, lk BIGINT); right: (rk BIGINT, name VARCHAR). Keys with NULLs and duplicates.
    static func inputs(seed: UInt64, leftRows: Int = 60, rightRows: Int = 40) -> (left: [Column], right: [Column]) {
        var r = OpRandom(seed)
        let ids = (0..<leftRows).map { Value.integer(Int32($0)) }
        let lk = (0..<leftRows).map { _ in r.chance(0.1) ? Value.null : .bigint(Int64(r.int(0...25))) }
        let rk = (0..<rightRows).map { _ in r.chance(0.1) ? Value.null : .bigint(Int64(r.int(0...25))) }
        let names = (0..<rightRows).map { Value.varchar("n\($0)") }
        return ([OpFixtures.column(.integer, ids), OpFixtures.column(.bigint, lk)],
                [OpFixtures.column(.bigint, rk), OpFixtures.column(.varchar, names)])
    }

    /// Naive reference join on lk = rk.
    static func reference(_ kind: PhysicalJoinKind, _ left: [[Value]], _ right: [[Value]], nullAware: Bool = false) -> [[Value]] {
        var out: [[Value]] = []
        var rightMatched = [Bool](repeating: false, count: right.count)
        let rightHasNull = right.contains { $0[0].isNull }
        for l in left {
            var matches: [[Value]] = []
            for (j, r) in right.enumerated() where !l[1].isNull && l[1] == r[0] { matches.append(r); rightMatched[j] = true }
            let unknown = !right.isEmpty && (l[1].isNull || rightHasNull)
            switch kind {
            case .inner, .right: out += matches.map { l + $0 }
            case .left, .full: out += matches.isEmpty ? [l + [.null, .null]] : matches.map { l + $0 }
            case .semi: if !matches.isEmpty { out.append(l) }
            case .anti: if matches.isEmpty && !(nullAware && unknown) { out.append(l) }
            case .mark: out.append(l + [matches.isEmpty ? (unknown ? .null : .boolean(false)) : .boolean(true)])
            case .count: if !matches.isEmpty { out.append(l + [.bigint(Int64(matches.count))]) }
            case .rightSemi, .rightAnti: break
            }
        }
        if kind == .right || kind == .full {
            for (j, r) in right.enumerated() where !rightMatched[j] { out.append([.null, .null] + r) }
        }
        // Right semi / anti: each right row once, when some left row matches it (or none does).
        if kind == .rightSemi || kind == .rightAnti {
            for (j, r) in right.enumerated() where rightMatched[j] == (kind == .rightSemi) { out.append(r) }
        }
        return out
    }

    func rows(_ cols: [Column]) -> [[Value]] { let b = Batch(columns: cols); return (0..<b.count).map { b.row($0) } }

    func testHashJoinEveryKindMatchesReference() throws {
        for seed in 1...4 as ClosedRange<UInt64> {
            let (l, r) = Self.inputs(seed: seed)
            for kind in [PhysicalJoinKind.inner, .left, .right, .full, .semi, .anti, .mark, .rightSemi, .rightAnti, .count] {
                for nullAware in kind == .anti ? [false, true] : [false] {
                    let op = HashJoinOperator(left: OpFixtures.values(l, batchSize: 16), right: OpFixtures.values(r, batchSize: 7), kind: kind,
                                              leftKeys: [.column(1, .bigint)], rightKeys: [.column(0, .bigint)], nullAware: nullAware)
                    let got = OpFixtures.sorted(try OpFixtures.rows(op))
                    let expected = OpFixtures.sorted(Self.reference(kind, rows(l), rows(r), nullAware: nullAware))
                    XCTAssertEqual(got, expected, "\(kind) nullAware=\(nullAware) seed \(seed)")
                }
            }
        }
    }

    func testNestedLoopJoinEveryKindMatchesReference() throws {
        let (l, r) = Self.inputs(seed: 9)
        for kind in [PhysicalJoinKind.inner, .left, .right, .full, .semi, .anti, .mark] {
            for nullAware in kind == .anti ? [false, true] : [false] {
                let condition = OpFixtures.equals(.column(1, .bigint), .column(2, .bigint))
                let op = NestedLoopJoinOperator(left: OpFixtures.values(l, batchSize: 16), right: OpFixtures.values(r, batchSize: 7), kind: kind,
                                                condition: condition, nullAware: nullAware)
                let got = OpFixtures.sorted(try OpFixtures.rows(op))
                // Through a condition, NULL arises from the NULL comparisons made: the same rule as the reference.
                let expected = Self.reference(kind, rows(l), rows(r), nullAware: nullAware)
                XCTAssertEqual(got, OpFixtures.sorted(expected), "\(kind)")
            }
        }
    }

    func testMarkJoinInSemantics() throws {
        // x IN (1, NULL): 1 → TRUE, 2 → NULL, NULL → NULL. x IN (empty): FALSE even for NULL x.
        let left = [OpFixtures.column(.bigint, [.bigint(1), .bigint(2), .null])]
        let right = [OpFixtures.column(.bigint, [.bigint(1), .null])]
        let mark = HashJoinOperator(left: OpFixtures.values(left), right: OpFixtures.values(right), kind: .mark,
                                    leftKeys: [.column(0, .bigint)], rightKeys: [.column(0, .bigint)])
        XCTAssertEqual(try OpFixtures.rows(mark).map { $0[1] }, [.boolean(true), .null, .null])
        let empty = HashJoinOperator(left: OpFixtures.values(left), right: ValuesOperator(types: [.bigint], batches: []), kind: .mark,
                                     leftKeys: [.column(0, .bigint)], rightKeys: [.column(0, .bigint)])
        XCTAssertEqual(try OpFixtures.rows(empty).map { $0[1] }, [.boolean(false), .boolean(false), .boolean(false)])
        // NOT IN (1, NULL) keeps nothing; NOT IN (empty) keeps everything; NOT EXISTS-style anti keeps 2 and NULL.
        let notIn = HashJoinOperator(left: OpFixtures.values(left), right: OpFixtures.values(right), kind: .anti,
                                     leftKeys: [.column(0, .bigint)], rightKeys: [.column(0, .bigint)], nullAware: true)
        XCTAssertEqual(try OpFixtures.rows(notIn), [])
        let notInEmpty = HashJoinOperator(left: OpFixtures.values(left), right: ValuesOperator(types: [.bigint], batches: []), kind: .anti,
                                          leftKeys: [.column(0, .bigint)], rightKeys: [.column(0, .bigint)], nullAware: true)
        XCTAssertEqual(try OpFixtures.rows(notInEmpty).count, 3)
        let notExists = HashJoinOperator(left: OpFixtures.values(left), right: OpFixtures.values(right), kind: .anti,
                                         leftKeys: [.column(0, .bigint)], rightKeys: [.column(0, .bigint)])
        XCTAssertEqual(try OpFixtures.rows(notExists), [[.bigint(2)], [.null]])
    }

    func testCompositeStringKeysAndResidual() throws {
        let left = [OpFixtures.dictionaryColumn(["a", "b", "a", nil]), OpFixtures.column(.integer, [.integer(1), .integer(2), .integer(3), .integer(4)])]
        let right = [OpFixtures.column(.varchar, [.varchar("a"), .varchar("a"), .varchar("b")]), OpFixtures.column(.integer, [.integer(1), .integer(5), .integer(2)])]
        let join = HashJoinOperator(left: OpFixtures.values(left), right: OpFixtures.values(right), kind: .inner,
                                    leftKeys: [.column(0, .varchar), .column(1, .integer)], rightKeys: [.column(0, .varchar), .column(1, .integer)])
        XCTAssertEqual(OpFixtures.sorted(try OpFixtures.rows(join)),
                       [[.varchar("a"), .integer(1), .varchar("a"), .integer(1)], [.varchar("b"), .integer(2), .varchar("b"), .integer(2)]])
        // Single string key with residual left.x < right.y.
        let residual = BoundExpression.call(OpFixtures.less, [.column(1, .integer), .column(3, .integer)], .boolean)
        let join2 = HashJoinOperator(left: OpFixtures.values(left), right: OpFixtures.values(right), kind: .left,
                                     leftKeys: [.column(0, .varchar)], rightKeys: [.column(0, .varchar)], residual: residual)
        XCTAssertEqual(OpFixtures.sorted(try OpFixtures.rows(join2)), OpFixtures.sorted([
            [.varchar("a"), .integer(1), .varchar("a"), .integer(5)],
            [.varchar("b"), .integer(2), .null, .null],
            [.varchar("a"), .integer(3), .varchar("a"), .integer(5)],
            [.null, .integer(4), .null, .null],
        ]))
    }

    func testCrossJoin() throws {
        let a = [OpFixtures.column(.integer, (0..<50).map { .integer($0) })]
        let b = [OpFixtures.column(.integer, (0..<70).map { .integer($0) })]
        let op = NestedLoopJoinOperator(left: OpFixtures.values(a, batchSize: 13), right: OpFixtures.values(b), kind: .inner, condition: nil)
        XCTAssertEqual(try OpFixtures.rows(op).count, 3500)
        XCTAssertEqual(op.explainLine, "CrossJoin")
    }
}
