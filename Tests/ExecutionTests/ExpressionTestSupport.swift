import XCTest
@testable import Execution
import Storage

/// Helpers shared by the expression and function tests: resolving calls like the binder does and
/// evaluating them over small batches.
enum ExprTest {
    static func call(_ name: String, _ args: [BoundExpression], _ settings: SessionSettings = SessionSettings()) throws -> BoundExpression {
        let r = try FunctionRegistry.resolve(name, argumentTypes: args.map(\.type), settings: settings)
        let cast = zip(args, r.parameterTypes).map { a, t in a.type == t ? a : BoundExpression.cast(a, t, isTry: false) }
        return .call(r.function, cast, r.returnType)
    }

    static func lit(_ v: Value) -> BoundExpression {
        if case .decimal(let u, let s) = v { return .constant(v, .decimal(precision: max(s + 1, String(u.magnitude).count), scale: s)) }
        return .constant(v, v.dataType == .null ? .null : v.dataType)
    }

    static func column(_ values: [Value], _ type: DataType) -> Column {
        var b = ColumnBuilder(type: type, capacity: values.count)
        for v in values { b.append(v) }
        return b.finish()
    }

    static func dictionaryColumn(_ values: [String?]) -> Column {
        var dict: [String] = []
        var codes: [Int32] = []
        var validity: [UInt8] = []
        for v in values {
            if let v {
                if let i = dict.firstIndex(of: v) { codes.append(Int32(i)) } else { dict.append(v); codes.append(Int32(dict.count - 1)) }
                validity.append(1)
            } else { codes.append(0); validity.append(0) }
        }
        if dict.isEmpty { dict = [""] }
        return Column(type: .varchar, data: .dictionary(codes: codes, dictionary: StringArray(dict)),
                      validity: validity.contains(0) ? validity : nil)
    }

    static func eval(_ e: BoundExpression, _ batch: Batch = Batch(columns: [], count: 1),
                     _ settings: SessionSettings = SessionSettings()) throws -> [Value] {
        let c = try ExpressionEvaluator.evaluate(e, batch, ExecutionContext(settings: settings))
        return (0..<c.count).map { c.value(at: $0) }
    }

    /// Evaluates `name(args…)` on constants, one row.
    static func value(_ name: String, _ args: [Value], _ settings: SessionSettings = SessionSettings()) throws -> Value {
        try eval(call(name, args.map(lit), settings), Batch(columns: [], count: 1), settings)[0]
    }

    static func castValue(_ v: Value, _ t: DataType, isTry: Bool = false, _ settings: SessionSettings = SessionSettings()) throws -> Value {
        try eval(.cast(lit(v), t, isTry: isTry), Batch(columns: [], count: 1), settings)[0]
    }

    static var sqlite: SessionSettings { var s = SessionSettings(); s.sqliteCompatible = true; return s }
    static var divisionNull: SessionSettings { var s = SessionSettings(); s.divisionByZeroIsNull = true; return s }

    static func assertThrows(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
        do {
            _ = try body()
            XCTFail("expected an error containing '\(message)'", file: file, line: line)
        } catch let e as TarnError {
            XCTAssertTrue(e.message.contains(message), "'\(e.message)' does not contain '\(message)'", file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }
}
