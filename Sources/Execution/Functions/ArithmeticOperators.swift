import Foundation
import Storage

/// `+ - * / %` and unary `negate` over INTEGER, BIGINT, DECIMAL, DOUBLE, plus DATE ± days and DATE − DATE.
///
/// Trino semantics: INTEGER op INTEGER is INTEGER, BIGINT op BIGINT is BIGINT, integer division truncates
/// toward zero, division/modulo by zero and overflow are errors. SQLite mode: integer op integer is BIGINT,
/// overflow gives NULL when `overflowIsError` is off (a BIGINT column cannot turn into DOUBLE mid-batch),
/// and `divisionByZeroIsNull` turns division by zero into NULL. `%` takes the sign of the dividend.
///
/// DECIMAL result types follow Trino, up to precision 38:
/// `+ −`: scale max(s1,s2), precision min(38, max(p1−s1, p2−s2) + scale + 1);
/// `*`: scale s1+s2 (more than 38 is an error), precision min(38, p1+p2); `/`: scale max(s1,s2), precision
/// min(38, p1 + s2 + max(0, s2−s1)); `%`: scale max(s1,s2), precision min(38, min(p1−s1, p2−s2) + scale).
/// Results that do not fit the precision raise "decimal overflow". Results or operands of precision 19…38
/// compute in `Decimal128Arithmetic`.
enum ArithmeticOperators {
    enum Operation: String, Sendable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    }

    static var definitions: [FunctionDefinition] {
        var defs = Operation.allCases.map { op in
            FunctionDefinition(op.rawValue, signatures: [
                "\(op.rawValue)(INTEGER, INTEGER) → INTEGER", "\(op.rawValue)(BIGINT, BIGINT) → BIGINT",
                "\(op.rawValue)(DECIMAL, DECIMAL) → DECIMAL", "\(op.rawValue)(DOUBLE, DOUBLE) → DOUBLE",
            ] + (op == .add ? ["+(DATE, BIGINT) → DATE"] : op == .subtract ? ["-(DATE, BIGINT) → DATE", "-(DATE, DATE) → BIGINT"] : []),
            resolver: { args, settings in resolveBinary(op, args, settings) })
        }
        defs.append(FunctionDefinition("negate", signatures: ["negate(INTEGER|BIGINT|DECIMAL|DOUBLE)"],
                                       resolver: { args, _ in resolveNegate(args) }))
        return defs
    }

    static let divisionByZero = TarnError(.execution, "division by zero")

    // MARK: Resolution

    static func resolveBinary(_ op: Operation, _ args: [DataType], _ settings: SessionSettings) -> ResolvedFunction? {
        guard args.count == 2 else { return nil }
        let a = args[0] == .null ? (args[1] == .null ? DataType.integer : args[1]) : args[0]
        let b = args[1] == .null ? a : args[1]
        let name = op.rawValue
        // Date arithmetic.
        if a == .date || b == .date {
            switch (op, a, b) {
            case (.add, .date, .integer), (.add, .date, .bigint), (.subtract, .date, .integer), (.subtract, .date, .bigint):
                return ResolvedFunction(function: ScalarFunction(name: name, kernel: dateShiftKernel(negative: op == .subtract, dateFirst: true)),
                                        parameterTypes: [.date, .bigint], returnType: .date)
            case (.add, .integer, .date), (.add, .bigint, .date):
                return ResolvedFunction(function: ScalarFunction(name: name, kernel: dateShiftKernel(negative: false, dateFirst: false)),
                                        parameterTypes: [.bigint, .date], returnType: .date)
            case (.subtract, .date, .date):
                return ResolvedFunction(function: ScalarFunction(name: name, kernel: dateDifferenceKernel),
                                        parameterTypes: [.date, .date], returnType: .bigint)
            default: return nil
            }
        }
        guard a.isNumeric, b.isNumeric else { return nil }
        if a == .double || b == .double {
            return ResolvedFunction(function: ScalarFunction(name: name, kernel: doubleKernel(op)),
                                    parameterTypes: [.double, .double], returnType: .double)
        }
        if case .decimal = a { return resolveDecimal(op, a, b) }
        if case .decimal = b { return resolveDecimal(op, a, b) }
        let type: DataType = a == .integer && b == .integer && !settings.sqliteCompatible ? .integer : .bigint
        let kernel: ScalarFunction.Kernel = type == .integer
            ? integerKernel(op, Int32.self, type: type, wrap: { .int32($0) }, unwrap: ColumnKernels.int32s)
            : integerKernel(op, Int64.self, type: type, wrap: { .int64($0) }, unwrap: ColumnKernels.int64s)
        return ResolvedFunction(function: ScalarFunction(name: name, kernel: kernel), parameterTypes: [type, type], returnType: type)
    }

    private static func resolveDecimal(_ op: Operation, _ a: DataType, _ b: DataType) -> ResolvedFunction? {
        guard case let .decimal(p1, s1) = TypeCoercion.decimalEquivalent(a),
              case let .decimal(p2, s2) = TypeCoercion.decimalEquivalent(b) else { return nil }
        let maxP = DataType.maxDecimalPrecision
        let p: Int, s: Int
        switch op {
        case .add, .subtract: s = max(s1, s2); p = min(maxP, max(p1 - s1, p2 - s2) + s + 1)
        case .multiply:
            guard s1 + s2 <= maxP else { return nil }
            s = s1 + s2; p = min(maxP, p1 + p2)
        case .divide: s = max(s1, s2); p = min(maxP, p1 + s2 + max(0, s2 - s1))
        case .modulo: s = max(s1, s2); p = min(maxP, min(p1 - s1, p2 - s2) + s)
        }
        let result = DataType.decimal(precision: max(p, s, 1), scale: s)
        let params = [DataType.decimal(precision: p1, scale: s1), .decimal(precision: p2, scale: s2)]
        if result.isInt128Decimal || params[0].isInt128Decimal || params[1].isInt128Decimal {
            return ResolvedFunction(function: ScalarFunction(name: op.rawValue, kernel: Decimal128Arithmetic.kernel(op, params[0], params[1], result)),
                                    parameterTypes: params, returnType: result)
        }
        return ResolvedFunction(function: ScalarFunction(name: op.rawValue, constantOperandKernel: decimalConstantKernel(op, s1, s2, result),
                                                         kernel: decimalKernel(op, s1, s2, result)),
                                parameterTypes: params, returnType: result)
    }

    private static func resolveNegate(_ args: [DataType]) -> ResolvedFunction? {
        guard args.count == 1 else { return nil }
        let t = args[0] == .null ? DataType.integer : args[0]
        let kernel: ScalarFunction.Kernel
        switch t {
        case .integer: kernel = negateKernel(Int32.self, type: t, wrap: { .int32($0) }, unwrap: ColumnKernels.int32s)
        case .decimal where t.isInt128Decimal: kernel = Decimal128Arithmetic.negate
        case .bigint, .decimal: kernel = negateKernel(Int64.self, type: t, wrap: { .int64($0) }, unwrap: ColumnKernels.int64s)
        case .double: kernel = { args, _, _ in
            Column(type: .double, data: .double(try ColumnKernels.doubles(args[0]).map { -$0 }), validity: args[0].validity) }
        default: return nil
        }
        return ResolvedFunction(function: ScalarFunction(name: "negate", kernel: kernel), parameterTypes: [t], returnType: t)
    }

    // MARK: Kernels

    static func integerKernel<T: FixedWidthInteger & SignedInteger & Sendable>(
        _ op: Operation, _: T.Type, type: DataType,
        wrap: @escaping @Sendable ([T]) -> ColumnData, unwrap: @escaping @Sendable (Column) throws -> [T]
    ) -> ScalarFunction.Kernel {
        let overflow = TarnError(.execution, "\(type.description.lowercased()) overflow")
        return { args, _, ctx in
            guard args.count == 2 else { throw TarnError(.internal, "\(op.rawValue) expects 2 arguments") }
            let a = try unwrap(args[0]), b = try unwrap(args[1])
            let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
            let settings = ctx.settings
            let overflowIsNull = settings.sqliteCompatible && !settings.overflowIsError
            let zeroIsNull = settings.divisionByZeroIsNull
            var values: [T]
            var outValidity = validity
            switch op {
            case .add, .subtract, .multiply:
                @inline(__always) func apply(_ x: T, _ y: T) -> (T, Bool) {
                    switch op {
                    case .add: return x.addingReportingOverflow(y)
                    case .subtract: return x.subtractingReportingOverflow(y)
                    default: return x.multipliedReportingOverflow(by: y)
                    }
                }
                if overflowIsNull {
                    (values, outValidity) = ColumnKernels.map2Optional(a, b, validity, placeholder: 0) { x, y in
                        let (r, o) = apply(x, y); return o ? nil : r
                    }
                } else {
                    switch op {
                    case .add:
                        values = try ColumnKernels.map2(a, b, validity, placeholder: 0) { x, y in
                            let (r, o) = x.addingReportingOverflow(y); if o { throw overflow }; return r }
                    case .subtract:
                        values = try ColumnKernels.map2(a, b, validity, placeholder: 0) { x, y in
                            let (r, o) = x.subtractingReportingOverflow(y); if o { throw overflow }; return r }
                    default:
                        values = try ColumnKernels.map2(a, b, validity, placeholder: 0) { x, y in
                            let (r, o) = x.multipliedReportingOverflow(by: y); if o { throw overflow }; return r }
                    }
                }
            case .divide:
                (values, outValidity) = try ColumnKernels.map2Optional(a, b, validity, placeholder: 0) { x, y in
                    if y == 0 { if zeroIsNull { return nil }; throw divisionByZero }
                    let (r, o) = x.dividedReportingOverflow(by: y)
                    if o { if overflowIsNull { return nil }; throw overflow }
                    return r
                }
            case .modulo:
                (values, outValidity) = try ColumnKernels.map2Optional(a, b, validity, placeholder: 0) { x, y in
                    if y == 0 { if zeroIsNull { return nil }; throw divisionByZero }
                    let (r, o) = x.remainderReportingOverflow(dividingBy: y)
                    return o ? 0 : r
                }
            }
            return Column(type: type, data: wrap(values), validity: outValidity)
        }
    }

    static func doubleKernel(_ op: Operation) -> ScalarFunction.Kernel {
        return { args, _, ctx in
            guard args.count == 2 else { throw TarnError(.internal, "\(op.rawValue) expects 2 arguments") }
            let a = try ColumnKernels.doubles(args[0]), b = try ColumnKernels.doubles(args[1])
            let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
            let zeroIsNull = ctx.settings.divisionByZeroIsNull
            switch op {
            case .add: return Column(type: .double, data: .double(ColumnKernels.map2(a, b, validity, placeholder: 0) { $0 + $1 }), validity: validity)
            case .subtract: return Column(type: .double, data: .double(ColumnKernels.map2(a, b, validity, placeholder: 0) { $0 - $1 }), validity: validity)
            case .multiply: return Column(type: .double, data: .double(ColumnKernels.map2(a, b, validity, placeholder: 0) { $0 * $1 }), validity: validity)
            case .divide, .modulo:
                if !zeroIsNull {
                    let v = op == .divide
                        ? ColumnKernels.map2(a, b, validity, placeholder: 0) { $0 / $1 }
                        : ColumnKernels.map2(a, b, validity, placeholder: 0) { $0.truncatingRemainder(dividingBy: $1) }
                    return Column(type: .double, data: .double(v), validity: validity)
                }
                let (v, m) = ColumnKernels.map2Optional(a, b, validity, placeholder: 0.0) { x, y -> Double? in
                    y == 0 ? nil : (op == .divide ? x / y : x.truncatingRemainder(dividingBy: y))
                }
                return Column(type: .double, data: .double(v), validity: m)
            }
        }
    }

    /// Decimal `+ - *` with one constant operand through `DecimalFastKernel.apply(constant:…)`; nil (run the column
    /// kernel) when there is no fast kernel for the scales or some row needs the exact path.
    static func decimalConstantKernel(_ op: Operation, _ s1: Int, _ s2: Int, _ result: DataType) -> ScalarFunction.ConstantOperandKernel? {
        guard case let .decimal(p, s) = result, let fast = DecimalFastKernel(op, s1, s2, s, p) else { return nil }
        return { column, constant, constantIsLeft, _ in
            guard constant.count == 1, constant.validity.map({ $0[0] != 0 }) ?? true,
                  case let .int64(c) = constant.data, case let .int64(y) = column.data,
                  let values = fast.apply(constant: c[0], y, constantOnLeft: constantIsLeft) else { return nil }
            return Column(type: result, data: .int64(values), validity: column.validity)
        }
    }

    static func decimalKernel(_ op: Operation, _ s1: Int, _ s2: Int, _ result: DataType) -> ScalarFunction.Kernel {
        guard case let .decimal(p, s) = result else { return { _, n, _ in Column.nulls(result, count: n) } }
        let overflow = TarnError(.execution, "decimal overflow: result does not fit \(result)")
        let fast = DecimalFastKernel(op, s1, s2, s, p)
        return { args, _, ctx in
            guard args.count == 2 else { throw TarnError(.internal, "\(op.rawValue) expects 2 arguments") }
            let a = try ColumnKernels.int64s(args[0]), b = try ColumnKernels.int64s(args[1])
            let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
            if let fast, let values = fast.apply(a, b) {
                return Column(type: result, data: .int64(values), validity: validity)
            }
            let zeroIsNull = ctx.settings.divisionByZeroIsNull
            // Exact path: 128-bit intermediates, so only the result has to fit (x·y of two Int64 cannot overflow).
            let (values, outValidity) = try ColumnKernels.map2Optional(a, b, validity, placeholder: Int64(0)) { x, y -> Int64? in
                guard let r = try DecimalMath.combine(op, Int128(x), Int128(y), scales: s1, s2, to: s, zeroIsNull: zeroIsNull,
                                                      overflow: overflow) else { return nil }
                guard let narrowed = DecimalMath.narrow(r, precision: p) else { throw overflow }
                return narrowed
            }
            return Column(type: result, data: .int64(values), validity: outValidity)
        }
    }

    static func negateKernel<T: FixedWidthInteger & SignedInteger & Sendable>(
        _: T.Type, type: DataType, wrap: @escaping @Sendable ([T]) -> ColumnData, unwrap: @escaping @Sendable (Column) throws -> [T]
    ) -> ScalarFunction.Kernel {
        let overflow = TarnError(.execution, "\(type.isInteger ? type.description.lowercased() : "decimal") overflow")
        return { args, _, _ in
            let a = try unwrap(args[0])
            let v = try ColumnKernels.map(a, args[0].validity, placeholder: T.zero) { x in
                let (r, o) = T.zero.subtractingReportingOverflow(x); if o { throw overflow }; return r }
            return Column(type: type, data: wrap(v), validity: args[0].validity)
        }
    }

    static func dateShiftKernel(negative: Bool, dateFirst: Bool) -> ScalarFunction.Kernel {
        return { args, _, _ in
            let dates = try ColumnKernels.int32s(args[dateFirst ? 0 : 1]), days = try ColumnKernels.int64s(args[dateFirst ? 1 : 0])
            let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
            let v = try ColumnKernels.map2(dates, days, validity, placeholder: Int32(0)) { d, n in
                guard let r = Int32(exactly: Int64(d) + (negative ? -n : n)) else { throw TarnError(.execution, "date out of range") }
                return r
            }
            return Column(type: .date, data: .int32(v), validity: validity)
        }
    }

    static let dateDifferenceKernel: ScalarFunction.Kernel = { args, _, _ in
        let a = try ColumnKernels.int32s(args[0]), b = try ColumnKernels.int32s(args[1])
        let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
        return Column(type: .bigint, data: .int64(ColumnKernels.map2(a, b, validity, placeholder: 0) { Int64($0) - Int64($1) }), validity: validity)
    }
}
