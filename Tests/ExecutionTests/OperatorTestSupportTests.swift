import XCTest
@testable import Execution
import Storage

/// Deterministic pseudo-random numbers for differential operator tests.
struct OpRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
}

enum OpFixtures {
    static func column(_ type: DataType, _ values: [Value]) -> Column {
        var b = ColumnBuilder(type: type, capacity: values.count)
        for v in values { b.append(v) }
        return b.finish()
    }

    /// A dictionary-encoded VARCHAR column.
    static func dictionaryColumn(_ values: [String?]) -> Column {
        var dict: [String] = []
        var index: [String: Int32] = [:]
        var codes: [Int32] = []
        var validity: [UInt8] = []
        for v in values {
            guard let v else { codes.append(0); validity.append(0); continue }
            if index[v] == nil { index[v] = Int32(dict.count); dict.append(v) }
            codes.append(index[v] ?? 0); validity.append(1)
        }
        if dict.isEmpty { dict = [""] }
        return Column(type: .varchar, data: .dictionary(codes: codes, dictionary: StringArray(dict)), validity: validity.contains(0) ? validity : nil)
    }

    /// Splits rows into batches of `size` as a ValuesOperator.
    static func values(_ columns: [Column], batchSize: Int = 100) -> ValuesOperator {
        let batch = Batch(columns: columns)
        var batches: [Batch] = []
        var lo = 0
        while lo < batch.count { let hi = min(lo + batchSize, batch.count); batches.append(batch.slice(lo..<hi)); lo = hi }
        return ValuesOperator(types: columns.map(\.type), batches: batches)
    }

    static func rows(_ op: PhysicalOperator, threads: Int = 1) throws -> [[Value]] {
        var settings = SessionSettings()
        settings.threads = threads
        let batches = try PlanExecutor.collect(op, ExecutionContext(settings: settings))
        return batches.flatMap { b in (0..<b.count).map { b.row($0) } }
    }

    static func sorted(_ rows: [[Value]]) -> [[Value]] {
        // Each row's sort key is built once (not per comparison: tests sort tens of thousands of groups).
        rows.map { ($0.map(\.description).joined(separator: "|"), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// `a = b` over two INTEGER/BIGINT columns as a scalar function (for join conditions in tests).
    static let equal = ScalarFunction(name: "=") { args, count, _ in
        var values = [Bool](repeating: false, count: count)
        var validity = [UInt8](repeating: 1, count: count)
        for i in 0..<count {
            let a = args[0].value(at: i).int64Value, b = args[1].value(at: i).int64Value
            if let a, let b { values[i] = a == b } else { validity[i] = 0 }
        }
        return Column(type: .boolean, data: .bool(values), validity: validity)
    }

    static func equals(_ l: BoundExpression, _ r: BoundExpression) -> BoundExpression { .call(equal, [l, r], .boolean) }

    /// `a < b` over two numeric columns.
    static let less = ScalarFunction(name: "<") { args, count, _ in
        var values = [Bool](repeating: false, count: count)
        var validity = [UInt8](repeating: 1, count: count)
        for i in 0..<count {
            let a = args[0].value(at: i).doubleValue, b = args[1].value(at: i).doubleValue
            if let a, let b { values[i] = a < b } else { validity[i] = 0 }
        }
        return Column(type: .boolean, data: .bool(values), validity: validity)
    }
}

func opAssertClose(_ a: Value, _ b: Value, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    if let x = a.doubleValue, let y = b.doubleValue, case .double = a {
        XCTAssertEqual(x, y, accuracy: 1e-6 * max(1, abs(y)), message, file: file, line: line)
    } else {
        XCTAssertEqual(a, b, message, file: file, line: line)
    }
}
