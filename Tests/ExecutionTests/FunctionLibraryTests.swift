import XCTest
@testable import Execution
import Storage

final class FunctionLibraryTests: XCTestCase {
    typealias T = ExprTest

    func testResolutionErrors() {
        T.assertThrows("function 'lowr' does not exist; did you mean 'lower'?") {
            try FunctionRegistry.resolve("lowr", argumentTypes: [.varchar], settings: SessionSettings())
        }
        T.assertThrows("function 'qqqqqqqqqqqq' does not exist") {
            try FunctionRegistry.resolve("qqqqqqqqqqqq", argumentTypes: [], settings: SessionSettings())
        }
        T.assertThrows("accepted: lower(VARCHAR) → VARCHAR") {
            try FunctionRegistry.resolve("lower", argumentTypes: [.integer], settings: SessionSettings())
        }
        T.assertThrows("cannot be applied to (VARCHAR, INTEGER)") {
            try FunctionRegistry.resolve("+", argumentTypes: [.varchar, .integer], settings: SessionSettings())
        }
        XCTAssertNoThrow(try FunctionRegistry.resolve("SUBSTRING", argumentTypes: [.varchar, .integer], settings: SessionSettings()))
        XCTAssertFalse(try FunctionRegistry.resolve("random", argumentTypes: [], settings: SessionSettings()).function.isDeterministic)
    }

    func testStringFunctions() throws {
        XCTAssertEqual(try T.value("lower", [.varchar("HeLLo ÄÖ")]), .varchar("hello äö"))
        XCTAssertEqual(try T.value("upper", [.varchar("straße")]), .varchar("STRASSE"))
        XCTAssertEqual(try T.value("length", [.varchar("héllo")]), .bigint(5))
        XCTAssertEqual(try T.value("substr", [.varchar("héllo"), .integer(2), .integer(3)]), .varchar("éll"))
        XCTAssertEqual(try T.value("substr", [.varchar("hello"), .integer(-3)]), .varchar("llo"))
        XCTAssertEqual(try T.value("substr", [.varchar("hello"), .integer(0)]), .varchar(""))
        XCTAssertEqual(try T.value("substr", [.varchar("hello"), .integer(9)]), .varchar(""))
        XCTAssertEqual(try T.value("concat", [.varchar("a"), .varchar("b"), .varchar("c")]), .varchar("abc"))
        XCTAssertEqual(try T.value("concat", [.varchar("a"), .null]), .null)
        XCTAssertEqual(try T.value("||", [.varchar("a"), .varchar("é")]), .varchar("aé"))
        XCTAssertEqual(try T.value("trim", [.varchar("  x y  ")]), .varchar("x y"))
        XCTAssertEqual(try T.value("ltrim", [.varchar("  x  ")]), .varchar("x  "))
        XCTAssertEqual(try T.value("rtrim", [.varchar("  x  ")]), .varchar("  x"))
        XCTAssertEqual(try T.value("replace", [.varchar("a-b-c"), .varchar("-"), .varchar("+")]), .varchar("a+b+c"))
        XCTAssertEqual(try T.value("split_part", [.varchar("a,b,c"), .varchar(","), .integer(2)]), .varchar("b"))
        XCTAssertEqual(try T.value("split_part", [.varchar("a,b,c"), .varchar(","), .integer(4)]), .null)
        XCTAssertEqual(try T.value("strpos", [.varchar("héllo"), .varchar("l")]), .bigint(3))
        XCTAssertEqual(try T.value("strpos", [.varchar("hello"), .varchar("z")]), .bigint(0))
        XCTAssertEqual(try T.value("starts_with", [.varchar("hello"), .varchar("he")]), .boolean(true))
        XCTAssertEqual(try T.value("reverse", [.varchar("abé")]), .varchar("éba"))
        XCTAssertEqual(try T.value("lpad", [.varchar("7"), .integer(3), .varchar("0")]), .varchar("007"))
        XCTAssertEqual(try T.value("rpad", [.varchar("hello"), .integer(3), .varchar("0")]), .varchar("hel"))
        XCTAssertEqual(try T.value("regexp_like", [.varchar("abc123"), .varchar("[0-9]+$")]), .boolean(true))
        XCTAssertEqual(try T.value("regexp_extract", [.varchar("id=42;"), .varchar("id=([0-9]+)"), .integer(1)]), .varchar("42"))
        XCTAssertEqual(try T.value("regexp_extract", [.varchar("none"), .varchar("[0-9]")]), .null)
        XCTAssertEqual(try T.value("regexp_replace", [.varchar("a1b22"), .varchar("[0-9]+"), .varchar("#")]), .varchar("a#b#"))
        XCTAssertEqual(try T.value("lower", [.null]), .null)
        XCTAssertEqual(try T.value("concat", [.varchar("id-"), .integer(5), .boolean(true)]), .varchar("id-5true"))
        XCTAssertThrowsError(try FunctionRegistry.resolve("||", argumentTypes: [.varchar, .integer], settings: SessionSettings()))
        XCTAssertEqual(try T.value("||", [.varchar("n"), .integer(1)], T.sqlite), .varchar("n1"))
        T.assertThrows("target length") { try T.value("lpad", [.varchar("x"), .bigint(1 << 40), .varchar(" ")]) }
        XCTAssertEqual(try T.value("left", [.varchar("héllo"), .integer(2)]), .varchar("hé"))
        XCTAssertEqual(try T.value("right", [.varchar("héllo"), .integer(3)]), .varchar("llo"))
        XCTAssertEqual(try T.value("trim", [.varchar("xxhixx"), .varchar("x")]), .varchar("hi"))
    }

    func testDictionaryStringFunctionsMatchPlain() throws {
        let values: [String?] = ["Alpha", nil, "beta", "Alpha", "GAMMA", "", "béta"]
        let dict = T.dictionaryColumn(values)
        let plain = T.column(values.map { $0.map(Value.varchar) ?? .null }, .varchar)
        let exprs: [BoundExpression] = [
            try T.call("lower", [.column(0, .varchar)]), try T.call("length", [.column(0, .varchar)]),
            try T.call("upper", [.column(0, .varchar)]), try T.call("like", [.column(0, .varchar), T.lit(.varchar("%eta"))]),
            try T.call("substr", [.column(0, .varchar), T.lit(.integer(2))]), .cast(.column(0, .varchar), .integer, isTry: true),
        ]
        for e in exprs {
            XCTAssertEqual(try T.eval(e, Batch(columns: [dict])), try T.eval(e, Batch(columns: [plain])))
        }
    }

    /// Every shape of pattern (exact, prefix, suffix, contains, `%`-separated segments, general) against a
    /// dynamic-programming reference on random short strings over a small alphabet (many overlaps and repeats).
    func testLikeShapesAgreeWithReference() throws {
        func reference(_ s: [UInt8], _ p: [UInt8]) -> Bool {
            var match = [[Bool]](repeating: [Bool](repeating: false, count: p.count + 1), count: s.count + 1)
            match[0][0] = true
            for j in 1...max(1, p.count) where j <= p.count && p[j - 1] == UInt8(ascii: "%") { match[0][j] = match[0][j - 1] }
            for i in stride(from: 1, through: s.count, by: 1) {
                for j in stride(from: 1, through: p.count, by: 1) {
                    switch p[j - 1] {
                    case UInt8(ascii: "%"): match[i][j] = match[i][j - 1] || match[i - 1][j]
                    case UInt8(ascii: "_"): match[i][j] = match[i - 1][j - 1]
                    default: match[i][j] = match[i - 1][j - 1] && s[i - 1] == p[j - 1]
                    }
                }
            }
            return match[s.count][p.count]
        }
        var rng = SystemRandomNumberGenerator()
        let letters = Array("ab".utf8), patternLetters = Array("ab%%_".utf8)
        var checked = 0, matched = 0
        for _ in 0..<20_000 {
            let s = (0..<Int.random(in: 0...9, using: &rng)).map { _ in letters.randomElement(using: &rng) ?? 0 }
            let p = (0..<Int.random(in: 0...6, using: &rng)).map { _ in patternLetters.randomElement(using: &rng) ?? 0 }
            let matcher = try LikeMatcher(pattern: String(decoding: p, as: UTF8.self), escape: nil)
            let got = s.withUnsafeBufferPointer { matcher.matches($0) }
            XCTAssertEqual(got, reference(s, p), "'\(String(decoding: s, as: UTF8.self))' LIKE '\(String(decoding: p, as: UTF8.self))'")
            checked += 1
            if got { matched += 1 }
        }
        XCTAssertGreaterThan(matched, checked / 10)
        XCTAssertLessThan(matched, checked * 9 / 10)
    }

    func testLikeEdgeCases() throws {
        func like(_ s: String, _ p: String, _ escape: String? = nil) throws -> Bool {
            let matcher = try LikeMatcher(pattern: p, escape: escape)
            return Array(s.utf8).withUnsafeBufferPointer { matcher.matches($0) }
        }
        XCTAssertTrue(try like("abc", "abc"))
        XCTAssertFalse(try like("abcd", "abc"))
        XCTAssertTrue(try like("abc", "a%"))
        XCTAssertTrue(try like("abc", "%c"))
        XCTAssertTrue(try like("abc", "%b%"))
        XCTAssertTrue(try like("", "%"))
        XCTAssertFalse(try like("", "_"))
        XCTAssertTrue(try like("é", "_"))
        XCTAssertTrue(try like("日本語", "_本_"))
        XCTAssertFalse(try like("日本語", "__"))
        XCTAssertTrue(try like("aXbYc", "a_b%c"))
        XCTAssertTrue(try like("mississippi", "%iss%ppi"))
        XCTAssertFalse(try like("mississippi", "%iss%ppx"))
        XCTAssertTrue(try like("my special customer requests", "%special%requests%"))
        XCTAssertFalse(try like("requests are special", "%special%requests%"))
        XCTAssertTrue(try like("abXab", "ab%ab"))
        XCTAssertFalse(try like("aba", "ab%ba"))          // the head and the tail may not overlap
        XCTAssertTrue(try like("abcbd", "a%b%d"))
        XCTAssertFalse(try like("abd", "a%bd%b"))
        XCTAssertTrue(try like("100%", "100!%", "!"))
        XCTAssertFalse(try like("1000", "100!%", "!"))
        XCTAssertTrue(try like("a_b", "a#_b", "#"))
        XCTAssertFalse(try like("axb", "a#_b", "#"))
        XCTAssertTrue(try like("a#b", "a##b", "#"))
        XCTAssertThrowsError(try like("a", "a#", "#"))
        XCTAssertThrowsError(try like("a", "a#x", "#"))
        XCTAssertThrowsError(try like("a", "a", "##"))
        XCTAssertEqual(try T.value("ilike", [.varchar("HeLLo"), .varchar("h%O")]), .boolean(true))
        XCTAssertEqual(try T.value("like", [.varchar("HeLLo"), .varchar("h%O")]), .boolean(false))
        XCTAssertEqual(try T.value("like", [.varchar("50%"), .varchar("50\\%"), .varchar("\\")]), .boolean(true))
        XCTAssertEqual(try T.value("like", [.null, .varchar("%")]), .null)
        // non-constant patterns
        let batch = Batch(columns: [T.column([.varchar("abc"), .varchar("xyz")], .varchar), T.column([.varchar("a%"), .varchar("%y_")], .varchar)])
        XCTAssertEqual(try T.eval(try T.call("like", [.column(0, .varchar), .column(1, .varchar)]), batch), [.boolean(true), .boolean(true)])
    }

    func testMathFunctions() throws {
        XCTAssertEqual(try T.value("abs", [.integer(-3)]), .integer(-3 * -1))
        T.assertThrows("integer overflow") { try T.value("abs", [.integer(Int32.min)]) }
        XCTAssertEqual(try T.value("round", [.double(2.5)]), .double(3))
        XCTAssertEqual(try T.value("round", [.double(-2.5)]), .double(-3))
        XCTAssertEqual(try T.value("round", [.double(1.2345), .integer(2)]), .double(1.23))
        XCTAssertEqual(try T.value("round", [.decimal(12345, scale: 3), .integer(1)]), .decimal(12300, scale: 3))
        XCTAssertEqual(try T.value("round", [.integer(1250), .integer(-2)]), .integer(1300))
        XCTAssertEqual(try T.value("floor", [.double(-1.5)]), .double(-2))
        XCTAssertEqual(try T.value("ceil", [.decimal(-150, scale: 2)]), .decimal(-100, scale: 2))
        XCTAssertEqual(try T.value("trunc", [.double(-1.7)]), .double(-1))
        XCTAssertEqual(try T.value("sign", [.bigint(-9)]), .bigint(-1))
        XCTAssertEqual(try T.value("mod", [.integer(-7), .integer(3)]), .integer(-1))
        XCTAssertEqual(try T.value("power", [.integer(2), .integer(10)]), .double(1024))
        XCTAssertEqual(try T.value("sqrt", [.integer(16)]), .double(4))
        XCTAssertEqual(try T.value("cbrt", [.double(27)]), .double(3))
        XCTAssertEqual(try T.value("log", [.integer(2), .integer(8)]).doubleValue ?? 0, 3, accuracy: 1e-12)
        XCTAssertEqual(try T.value("log10", [.integer(1000)]), .double(3))
        XCTAssertEqual(try T.value("ln", [.integer(1)]), .double(0))
        XCTAssertEqual(try T.value("greatest", [.integer(1), .integer(5), .integer(3)]), .integer(5))
        XCTAssertEqual(try T.value("least", [.integer(1), .double(0.5)]), .double(0.5))
        XCTAssertEqual(try T.value("greatest", [.integer(1), .null]), .null)
        XCTAssertEqual(try T.value("greatest", [.varchar("b"), .varchar("a")]), .varchar("b"))
        XCTAssertEqual(try T.value("nullif", [.integer(1), .integer(1)]), .null)
        XCTAssertEqual(try T.value("nullif", [.integer(1), .integer(2)]), .integer(1))
        XCTAssertEqual(try T.value("if", [.boolean(false), .varchar("y"), .varchar("n")]), .varchar("n"))
        XCTAssertEqual(try T.value("if", [.null, .integer(1)]), .null)
        XCTAssertEqual(try T.value("typeof", [.decimal(1, scale: 1)]), .varchar("decimal(2,1)"))
        let r = try T.eval(try T.call("random", []), Batch(columns: [], count: 100))
        XCTAssertTrue(r.allSatisfy { ($0.doubleValue ?? -1) >= 0 && ($0.doubleValue ?? 2) < 1 })
    }

    func testAdMetrics() throws {
        XCTAssertEqual(try T.value("safe_divide", [.integer(1), .integer(0)]), .null)
        XCTAssertEqual(try T.value("safe_divide", [.integer(1), .integer(4)]), .double(0.25))
        XCTAssertEqual(try T.value("ctr", [.integer(5), .integer(100)]), .double(0.05))
        XCTAssertEqual(try T.value("ctr", [.integer(5), .integer(0)]), .double(0))
        XCTAssertEqual(try T.value("cpc", [.decimal(1000, scale: 2), .integer(4)]), .double(2.5))
        XCTAssertEqual(try T.value("cpm", [.double(5), .integer(1000)]), .double(5))
        XCTAssertEqual(try T.value("conversion_rate", [.integer(1), .integer(0)]), .double(0))
        XCTAssertEqual(try T.value("conversion_rate", [.null, .integer(3)]), .null)
        XCTAssertEqual(try T.value("hill", [.double(2), .double(2), .double(3)]), .double(0.5))
        let l = try T.value("logistic_saturation", [.double(1), .double(2)]).doubleValue ?? 0
        XCTAssertEqual(l, (1 - exp(-2.0)) / (1 + exp(-2.0)), accuracy: 1e-12)
    }
}
