import XCTest
@testable import Execution
import Storage

final class ExpressionEvaluatorTests: XCTestCase {
    typealias T = ExprTest

    func testIntegerArithmeticTruncatesAndKeepsType() throws {
        XCTAssertEqual(try T.value("/", [.integer(7), .integer(2)]), .integer(3))
        XCTAssertEqual(try T.value("/", [.integer(-7), .integer(2)]), .integer(-3))
        XCTAssertEqual(try T.value("%", [.integer(-7), .integer(3)]), .integer(-1))
        XCTAssertEqual(try T.value("%", [.integer(7), .integer(-3)]), .integer(1))
        XCTAssertEqual(try T.value("+", [.integer(1), .bigint(2)]), .bigint(3))
        XCTAssertEqual(try T.value("*", [.integer(3), .double(0.5)]), .double(1.5))
        XCTAssertEqual(try T.value("+", [.integer(1), .integer(2)], T.sqlite), .bigint(3))
        XCTAssertEqual(try T.value("%", [.integer(-7), .integer(3)], T.sqlite), .bigint(-1))
        XCTAssertEqual(try T.value("-", [.integer(5), .null]), .null)
        XCTAssertEqual(try T.value("negate", [.integer(5)]), .integer(-5))
    }

    func testDivisionByZeroIsErrorOrNull() throws {
        T.assertThrows("division by zero") { try T.value("/", [.integer(1), .integer(0)]) }
        T.assertThrows("division by zero") { try T.value("%", [.bigint(1), .bigint(0)]) }
        T.assertThrows("division by zero") { try T.value("/", [.decimal(100, scale: 2), .decimal(0, scale: 2)]) }
        XCTAssertEqual(try T.value("/", [.integer(1), .integer(0)], T.divisionNull), .null)
        XCTAssertEqual(try T.value("%", [.integer(1), .integer(0)], T.divisionNull), .null)
        XCTAssertEqual(try T.value("/", [.double(1), .double(0)], T.divisionNull), .null)
        XCTAssertEqual(try T.value("/", [.double(1), .double(0)]), .double(.infinity))
    }

    func testOverflowIsAnError() throws {
        T.assertThrows("integer overflow") { try T.value("+", [.integer(Int32.max), .integer(1)]) }
        T.assertThrows("integer overflow") { try T.value("*", [.integer(65536), .integer(65536)]) }
        T.assertThrows("bigint overflow") { try T.value("-", [.bigint(Int64.min), .bigint(1)]) }
        T.assertThrows("bigint overflow") { try T.value("/", [.bigint(Int64.min), .bigint(-1)]) }
        T.assertThrows("integer overflow") { try T.value("negate", [.integer(Int32.min)]) }
        var lenient = T.sqlite
        lenient.overflowIsError = false
        XCTAssertEqual(try T.value("+", [.bigint(Int64.max), .bigint(1)], lenient), .null)
        XCTAssertEqual(try T.value("%", [.bigint(Int64.min), .bigint(-1)]), .bigint(0))
    }

    func testDecimalArithmetic() throws {
        let sum = try T.call("+", [T.lit(.decimal(125, scale: 2)), T.lit(.decimal(25, scale: 1))])
        XCTAssertEqual(sum.type, .decimal(precision: 4, scale: 2))
        XCTAssertEqual(try T.eval(sum)[0], .decimal(375, scale: 2))
        XCTAssertEqual(try T.value("*", [.decimal(125, scale: 2), .decimal(25, scale: 1)]), .decimal(3125, scale: 3))
        // 1.00 / 3 → scale 2, rounded half away from zero
        XCTAssertEqual(try T.value("/", [.decimal(100, scale: 2), .integer(3)]), .decimal(33, scale: 2))
        XCTAssertEqual(try T.value("/", [.decimal(-200, scale: 2), .integer(3)]), .decimal(-67, scale: 2))
        XCTAssertEqual(try T.value("-", [.integer(1), .decimal(5, scale: 1)]), .decimal(5, scale: 1))
        XCTAssertEqual(try T.value("+", [.decimal(5, scale: 1), .double(1)]), .double(1.5))
        // DECIMAL(18,0) × DECIMAL(18,0) is DECIMAL(36,0) (Trino); beyond 38 digits it is an overflow.
        XCTAssertEqual(try T.value("*", [.decimal(999_999_999_999_999_999, scale: 0), .decimal(10, scale: 0)]),
                       .decimal128(9_999_999_999_999_999_990, scale: 0))
        T.assertThrows("decimal overflow") {
            try T.value("*", [.decimal128(Int128.powerOfTen(37), scale: 0), .decimal(10, scale: 0)])
        }
    }

    func testDateArithmetic() throws {
        let d = Value.date(ValueFormatting.parseDate("2024-02-28")!)
        XCTAssertEqual(try T.value("+", [d, .integer(2)]).description, "2024-03-01")
        XCTAssertEqual(try T.value("-", [d, .integer(59)]).description, "2023-12-31")
        XCTAssertEqual(try T.value("-", [d, .date(ValueFormatting.parseDate("1969-12-31")!)]), .bigint(19782))
    }

    func testThreeValuedLogic() throws {
        let values: [Value] = [.boolean(true), .boolean(false), .null]
        var a: [Value] = [], b: [Value] = []
        for x in values { for y in values { a.append(x); b.append(y) } }
        let batch = Batch(columns: [T.column(a, .boolean), T.column(b, .boolean)])
        let and = try T.eval(.and([.column(0, .boolean), .column(1, .boolean)]), batch)
        let or = try T.eval(.or([.column(0, .boolean), .column(1, .boolean)]), batch)
        let not = try T.eval(.not(.column(0, .boolean)), batch)
        XCTAssertEqual(and, [.boolean(true), .boolean(false), .null, .boolean(false), .boolean(false), .boolean(false), .null, .boolean(false), .null])
        XCTAssertEqual(or, [.boolean(true), .boolean(true), .boolean(true), .boolean(true), .boolean(false), .null, .boolean(true), .null, .null])
        XCTAssertEqual(not, [.boolean(false), .boolean(false), .boolean(false), .boolean(true), .boolean(true), .boolean(true), .null, .null, .null])
        let ctx = ExecutionContext()
        XCTAssertEqual(try ExpressionEvaluator.evaluatePredicate(.or([.column(0, .boolean), .column(1, .boolean)]), batch, ctx), [0, 1, 2, 3, 6])
        XCTAssertEqual(try T.eval(.isNull(.column(0, .boolean), negated: false), batch).filter { $0 == .boolean(true) }.count, 3)
        XCTAssertEqual(try T.eval(.and([.constant(.null, .null), .constant(.boolean(false), .boolean)])), [.boolean(false)])
    }

    func testCaseIsLazyAndDoesNotDivideByZeroOnOtherRows() throws {
        let batch = Batch(columns: [T.column([.integer(10), .integer(0), .integer(5), .null], .integer),
                                    T.column([.integer(100), .integer(7), .integer(20), .integer(1)], .integer)])
        let s = BoundExpression.column(0, .integer), a = BoundExpression.column(1, .integer)
        let e = BoundExpression.caseWhen([CaseBranch(condition: try T.call(">", [s, T.lit(.integer(0))]), result: try T.call("/", [a, s]))],
                                         elseResult: T.lit(.integer(0)), .integer)
        XCTAssertEqual(try T.eval(e, batch), [.integer(10), .integer(0), .integer(4), .integer(0)])
        // without ELSE, unmatched rows are NULL; branches are tried in order
        let e2 = BoundExpression.caseWhen([
            CaseBranch(condition: try T.call("=", [s, T.lit(.integer(0))]), result: T.lit(.varchar("zero"))),
            CaseBranch(condition: try T.call(">", [s, T.lit(.integer(6))]), result: T.lit(.varchar("big"))),
        ], elseResult: nil, .varchar)
        XCTAssertEqual(try T.eval(e2, batch), [.varchar("big"), .varchar("zero"), .null, .null])
        // the plain division does raise
        XCTAssertThrowsError(try T.eval(try T.call("/", [a, s]), batch))
    }

    func testPredicateAndEvaluatesConjunctsOnSurvivingRowsOnly() throws {
        let batch = Batch(columns: [T.column([.integer(0), .integer(2), .integer(20), .null, .integer(5)], .integer),
                                    T.column([.varchar("a"), .varchar("b"), .varchar("c"), .varchar("d"), .varchar("e")], .varchar)])
        let x = BoundExpression.column(0, .integer)
        let e = BoundExpression.and([try T.call("<>", [x, T.lit(.integer(0))]),
                                     try T.call(">", [try T.call("/", [T.lit(.integer(10)), x]), T.lit(.integer(1))]),
                                     try T.call("<>", [.column(1, .varchar), T.lit(.varchar("e"))])])
        XCTAssertEqual(try ExpressionEvaluator.evaluatePredicate(e, batch, ExecutionContext()), [1])
        let none = BoundExpression.and([try T.call(">", [x, T.lit(.integer(100))]), try T.call(">", [try T.call("/", [T.lit(.integer(1)), x]), T.lit(.integer(0))])])
        XCTAssertEqual(try ExpressionEvaluator.evaluatePredicate(none, batch, ExecutionContext()), [])
    }

    func testCoalesceIsLazy() throws {
        let batch = Batch(columns: [T.column([.integer(1), .null, .integer(3)], .integer), T.column([.integer(0), .integer(2), .integer(0)], .integer)])
        let x = BoundExpression.column(0, .integer), z = BoundExpression.column(1, .integer)
        let e = BoundExpression.coalesce([x, try T.call("/", [T.lit(.integer(10)), z]), T.lit(.integer(-1))], .integer)
        XCTAssertEqual(try T.eval(e, batch), [.integer(1), .integer(5), .integer(3)])
        let strings = Batch(columns: [T.column([.null, .varchar("b"), .null], .varchar)])
        XCTAssertEqual(try T.eval(.coalesce([.column(0, .varchar), T.lit(.varchar("dflt"))], .varchar), strings),
                       [.varchar("dflt"), .varchar("b"), .varchar("dflt")])
    }

    func testInListWithNulls() throws {
        let batch = Batch(columns: [T.column([.integer(1), .integer(2), .null, .integer(4)], .integer)])
        let x = BoundExpression.column(0, .integer)
        let list = [T.lit(.integer(1)), T.lit(.integer(4))]
        XCTAssertEqual(try T.eval(.inList(x, list, negated: false), batch), [.boolean(true), .boolean(false), .null, .boolean(true)])
        XCTAssertEqual(try T.eval(.inList(x, list, negated: true), batch), [.boolean(false), .boolean(true), .null, .boolean(false)])
        let withNull = list + [.constant(.null, .integer)]
        XCTAssertEqual(try T.eval(.inList(x, withNull, negated: false), batch), [.boolean(true), .null, .null, .boolean(true)])
        // non-constant items
        let dyn = [try T.call("+", [x, T.lit(.integer(0))])]
        XCTAssertEqual(try T.eval(.inList(x, dyn, negated: false), batch), [.boolean(true), .boolean(true), .null, .boolean(true)])
        // strings incl. dictionary columns
        let dict = Batch(columns: [T.dictionaryColumn(["a", "b", nil, "a"])])
        XCTAssertEqual(try T.eval(.inList(.column(0, .varchar), [T.lit(.varchar("a"))], negated: false), dict),
                       [.boolean(true), .boolean(false), .null, .boolean(true)])
    }

    func testDictionaryComparisonsMatchPlainColumns() throws {
        var rng = SystemRandomNumberGenerator()
        let words = ["apple", "banana", "cherry", "", "Äpfel", "zebra", "app"]
        let values: [String?] = (0..<500).map { _ in Int.random(in: 0..<10, using: &rng) == 0 ? nil : words.randomElement(using: &rng) }
        let plain = T.column(values.map { $0.map(Value.varchar) ?? .null }, .varchar)
        let dict = T.dictionaryColumn(values)
        let ctx = ExecutionContext()
        for op in ["=", "<>", "<", "<=", ">", ">="] {
            for constant in ["apple", "b", "", "zzz", "Äpfel"] {
                let e = try T.call(op, [.column(0, .varchar), T.lit(.varchar(constant))])
                let flipped = try T.call(op, [T.lit(.varchar(constant)), .column(0, .varchar)])
                let p = try ExpressionEvaluator.evaluatePredicate(e, Batch(columns: [plain]), ctx)
                let d = try ExpressionEvaluator.evaluatePredicate(e, Batch(columns: [dict]), ctx)
                XCTAssertEqual(p, d, "\(op) \(constant)")
                let expected = values.enumerated().filter { _, v in
                    guard let v else { return false }
                    let c = v.utf8.lexicographicallyPrecedes(constant.utf8) ? -1 : (v == constant ? 0 : 1)
                    return ComparisonOperators.Operation(rawValue: op)!.holds(c)
                }.map { Int32($0.offset) }
                XCTAssertEqual(p, expected, "\(op) \(constant)")
                let f = try ExpressionEvaluator.evaluatePredicate(flipped, Batch(columns: [dict]), ctx)
                let direct = try ExpressionEvaluator.evaluatePredicate(
                    try T.call(ComparisonOperators.Operation(rawValue: op)!.flipped.rawValue, [.column(0, .varchar), T.lit(.varchar(constant))]),
                    Batch(columns: [plain]), ctx)
                XCTAssertEqual(f, direct)
            }
        }
        // column × column on mixed encodings
        let e = try T.call("=", [.column(0, .varchar), .column(1, .varchar)])
        XCTAssertEqual(try T.eval(e, Batch(columns: [plain, dict])).filter { $0 == .boolean(true) }.count, values.compactMap { $0 }.count)
    }

    func testNumericComparisonsWiden() throws {
        XCTAssertEqual(try T.value("<", [.integer(1), .double(1.5)]), .boolean(true))
        XCTAssertEqual(try T.value("=", [.integer(2), .decimal(200, scale: 2)]), .boolean(true))
        XCTAssertEqual(try T.value(">=", [.bigint(3), .integer(4)]), .boolean(false))
        XCTAssertEqual(try T.value("=", [.date(ValueFormatting.parseDate("2024-01-05")!), .varchar("2024-01-05")]), .boolean(true))
        XCTAssertEqual(try T.value("is_distinct_from", [.null, .integer(1)]), .boolean(true))
        XCTAssertEqual(try T.value("is_not_distinct_from", [.null, .null]), .boolean(true))
        XCTAssertEqual(try T.value("=", [.null, .integer(1)]), .null)
        let batch = Batch(columns: [T.column([.integer(1), .integer(5), .null], .integer)])
        XCTAssertEqual(try ExpressionEvaluator.evaluatePredicate(try T.call(">", [.column(0, .integer), T.lit(.integer(2))]), batch, ExecutionContext()), [1])
    }

    func testParametersAndSubqueries() throws {
        let ctx = ExecutionContext(parameters: [.integer(42)])
        let c = try ExpressionEvaluator.evaluate(.parameter(0, .bigint), Batch(columns: [], count: 2), ctx)
        XCTAssertEqual(c.value(at: 1), .bigint(42))
        XCTAssertThrowsError(try ExpressionEvaluator.evaluate(.parameter(3, .integer), Batch(columns: [], count: 1), ctx)) { e in
            XCTAssertTrue("\(e)".contains("parameter"))
        }
        final class Doubler: SubqueryEvaluator, @unchecked Sendable {
            func evaluate(_ batch: Batch, context: ExecutionContext) throws -> Column {
                Column(type: .integer, data: .int32((try ColumnKernels.int32s(batch.columns[0])).map { $0 * 2 }))
            }
            var explainText: String { "doubler" }
        }
        let batch = Batch(columns: [T.column([.integer(1), .integer(2)], .integer)])
        XCTAssertEqual(try T.eval(.subquery(Doubler(), .integer), batch), [.integer(2), .integer(4)])
    }

    /// Differential test of integer arithmetic and comparisons against the sqlite3 CLI.
    func testArithmeticMatchesSQLite() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("sqlite3 not installed") }
        var rng = SystemRandomNumberGenerator()
        let n = 300
        let a = (0..<n).map { _ in Int64.random(in: -100_000...100_000, using: &rng) }
        let b = (0..<n).map { _ in Int64.random(in: -1000...1000, using: &rng) }.map { $0 == 0 ? 7 : $0 }
        let batch = Batch(columns: [Column(type: .bigint, data: .int64(a)), Column(type: .bigint, data: .int64(b))])
        let x = BoundExpression.column(0, .bigint), y = BoundExpression.column(1, .bigint)
        var ours: [[String]] = Array(repeating: [], count: n)
        for op in ["+", "-", "*", "/", "%", "<", "="] {
            let vals = try T.eval(try T.call(op, [x, y]), batch)
            for i in 0..<n { ours[i].append(vals[i] == .boolean(true) ? "1" : vals[i] == .boolean(false) ? "0" : vals[i].description) }
        }
        let sql = (0..<n).map { i in "SELECT \(a[i])+\(b[i]), \(a[i])-(\(b[i])), \(a[i])*(\(b[i])), \(a[i])/(\(b[i])), \(a[i])%(\(b[i])), \(a[i])<(\(b[i])), \(a[i])=(\(b[i]));" }.joined(separator: "\n")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [":memory:"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(sql.data(using: .utf8)!)
        input.fileHandleForWriting.closeFile()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let theirs = text.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        XCTAssertEqual(theirs.count, n)
        for i in 0..<min(n, theirs.count) { XCTAssertEqual(ours[i], theirs[i], "row \(i): \(a[i]) op \(b[i])") }
    }
}
