import Foundation
import Storage

/// Numeric functions: abs, round, floor, ceil, trunc, sign, mod, ln, log, log2, log10, exp, power, sqrt,
/// cbrt, greatest, least, pi, random, the trigonometric and hyperbolic functions, e, infinity, nan, is_finite,
/// is_infinite, is_nan, to_base, from_base. Integer and DECIMAL inputs keep their type where Trino does.
enum MathFunctions {
    static var definitions: [FunctionDefinition] {
        [
            typePreserving("abs", int: { x in
                let (r, o) = Int64(0).subtractingReportingOverflow(x); return x < 0 ? (o ? nil : r) : x
            }, double: { Swift.abs($0) }, decimal: { x, _ in x < 0 ? 0 &- x : x }),
            typePreserving("sign", int: { x in x > 0 ? 1 : (x < 0 ? -1 : 0) }, double: { x in x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? x : 0)) },
                           decimal: { x, s in x > 0 ? DecimalMath.widePowerOfTen(s) : (x < 0 ? 0 - DecimalMath.widePowerOfTen(s) : 0) }),
            typePreserving("floor", int: { $0 }, double: { $0.rounded(.down) }, decimal: { x, s in
                let f = DecimalMath.widePowerOfTen(s), q = x / f; return (x % f != 0 && x < 0 ? q - 1 : q) * f }),
            typePreserving("ceil", int: { $0 }, double: { $0.rounded(.up) }, decimal: { x, s in
                let f = DecimalMath.widePowerOfTen(s), q = x / f; return (x % f != 0 && x > 0 ? q + 1 : q) * f }),
            typePreserving("trunc", int: { $0 }, double: { $0.rounded(.towardZero) }, decimal: { x, s in
                let f = DecimalMath.widePowerOfTen(s); return x / f * f }),
            roundDefinition,
            FunctionDefinition("mod", signatures: ["mod(N, N) → N for numeric N"], resolver: { args, settings in
                ArithmeticOperators.resolveBinary(.modulo, args, settings).map {
                    ResolvedFunction(function: ScalarFunction(name: "mod", kernel: $0.function.kernel), parameterTypes: $0.parameterTypes, returnType: $0.returnType)
                }
            }),
            unaryDouble("ln") { Foundation.log($0) },
            unaryDouble("log2") { Foundation.log2($0) },
            unaryDouble("log10") { Foundation.log10($0) },
            unaryDouble("exp") { Foundation.exp($0) },
            unaryDouble("sqrt") { $0.squareRoot() },
            unaryDouble("cbrt") { x in
                // libm cbrt, corrected so perfect cubes come out exact.
                let r = Foundation.cbrt(x), rounded = r.rounded()
                return rounded * rounded * rounded == x ? rounded : r
            },
            unaryDouble("radians") { $0 * .pi / 180 },
            unaryDouble("degrees") { $0 * 180 / .pi },
            binaryDouble("power") { Foundation.pow($0, $1) },
            binaryDouble("log") { base, x in Foundation.log(x) / Foundation.log(base) },
            binaryDouble("atan2") { Foundation.atan2($0, $1) },
            FunctionDefinition("pi", [Overload([], .double) { _, n, _ in ColumnKernels.constant(.double(.pi), type: .double, count: n) }]),
            FunctionDefinition("random", deterministic: false, [
                Overload([], .double) { _, n, _ in
                    var g = SystemRandomNumberGenerator()
                    return Column(type: .double, data: .double((0..<n).map { _ in Double.random(in: 0..<1, using: &g) }))
                },
                Overload([.bigint], .bigint) { args, _, _ in
                    let a = try ColumnKernels.int64s(args[0])
                    var g = SystemRandomNumberGenerator()
                    let v = try ColumnKernels.map(a, args[0].validity, placeholder: Int64(0)) { bound in
                        guard bound > 0 else { throw TarnError(.execution, "random bound must be positive") }
                        return Int64.random(in: 0..<bound, using: &g)
                    }
                    return Column(type: .bigint, data: .int64(v), validity: args[0].validity)
                },
            ]),
            extremum("greatest", pickFirst: false),
            extremum("least", pickFirst: true),
        ] + trigonometry + floatingPointClasses + baseConversion
    }

    private static var trigonometry: [FunctionDefinition] {
        [unaryDouble("sin") { Foundation.sin($0) }, unaryDouble("cos") { Foundation.cos($0) }, unaryDouble("tan") { Foundation.tan($0) },
         unaryDouble("asin") { Foundation.asin($0) }, unaryDouble("acos") { Foundation.acos($0) }, unaryDouble("atan") { Foundation.atan($0) },
         unaryDouble("sinh") { Foundation.sinh($0) }, unaryDouble("cosh") { Foundation.cosh($0) }, unaryDouble("tanh") { Foundation.tanh($0) }]
    }

    /// Trino's constants `e()`, `infinity()`, `nan()` and the tests `is_finite`, `is_infinite`, `is_nan`.
    private static var floatingPointClasses: [FunctionDefinition] {
        let constants: [(String, Double)] = [("e", M_E), ("infinity", .infinity), ("nan", .nan)]
        let tests: [(String, @Sendable (Double) -> Bool)] = [("is_finite", { $0.isFinite }), ("is_infinite", { $0.isInfinite }),
                                                              ("is_nan", { $0.isNaN })]
        return constants.map { name, value in
            FunctionDefinition(name, [Overload([], .double) { _, n, _ in ColumnKernels.constant(.double(value), type: .double, count: n) }])
        } + tests.map { name, test in
            FunctionDefinition(name, [Overload([.double], .boolean) { args, _, _ in
                Column(type: .boolean, data: .bool(try ColumnKernels.doubles(args[0]).map(test)), validity: args[0].validity)
            }])
        }
    }

    /// `to_base(x, radix)` (lower-case digits, a leading '-' for negatives) and `from_base(text, radix)`, radix 2–36.
    private static func checkRadix(_ r: Int64, _ name: String) throws -> Int {
        guard r >= 2, r <= 36 else { throw TarnError(.execution, "\(name): radix must be between 2 and 36 (got \(r))") }
        return Int(r)
    }

    private static var baseConversion: [FunctionDefinition] {
        [
            FunctionDefinition("to_base", [Overload([.bigint, .bigint], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in String(x.int(0, i), radix: try checkRadix(x.int(1, i), "to_base")) }
            }]),
            FunctionDefinition("from_base", [Overload([.varchar, .bigint], .bigint) { a, n, _ in
                try RowwiseKernels.integers(a, n) { x, i in
                    let text = x.string(0, i), radix = try checkRadix(x.int(1, i), "from_base")
                    guard let v = Int64(text, radix: radix) else {
                        throw TarnError(.execution, "from_base: '\(text)' is not a valid base-\(radix) number")
                    }
                    return v
                }
            }]),
        ]
    }

    // MARK: Builders

    static func unaryDouble(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> FunctionDefinition {
        FunctionDefinition(name, [Overload([.double], .double) { args, _, _ in
            let a = try ColumnKernels.doubles(args[0])
            return Column(type: .double, data: .double(ColumnKernels.map(a, args[0].validity, placeholder: 0, f)), validity: args[0].validity)
        }])
    }

    static func binaryDouble(_ name: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> FunctionDefinition {
        FunctionDefinition(name, [Overload([.double, .double], .double) { args, _, _ in
            let a = try ColumnKernels.doubles(args[0]), b = try ColumnKernels.doubles(args[1])
            let m = ColumnKernels.intersect(args[0].validity, args[1].validity)
            return Column(type: .double, data: .double(ColumnKernels.map2(a, b, m, placeholder: 0, f)), validity: m)
        }])
    }

    /// A one-argument function returning its argument's numeric type. `int` returns nil on overflow.
    static func typePreserving(_ name: String, int: @escaping @Sendable (Int64) -> Int64?, double: @escaping @Sendable (Double) -> Double,
                               decimal: @escaping @Sendable (Int128, Int) -> Int128) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(INTEGER|BIGINT|DECIMAL|DOUBLE) → same type"], resolver: { args, _ in
            guard args.count == 1 else { return nil }
            let t = args[0] == .null ? DataType.double : args[0]
            let kernel: ScalarFunction.Kernel
            switch t {
            case .integer, .bigint:
                kernel = { a, _, _ in
                    let v = try ColumnKernels.int64s(a[0])
                    let r = try ColumnKernels.map(v, a[0].validity, placeholder: 0) { x -> Int64 in
                        guard let y = int(x), t == .bigint || Int32(exactly: y) != nil else { throw TarnError(.execution, "\(t.description.lowercased()) overflow") }
                        return y
                    }
                    let data: ColumnData = t == .integer ? .int32(r.map { Int32(truncatingIfNeeded: $0) }) : .int64(r)
                    return Column(type: t, data: data, validity: a[0].validity)
                }
            case .double:
                kernel = { a, _, _ in
                    Column(type: .double, data: .double(ColumnKernels.map(try ColumnKernels.doubles(a[0]), a[0].validity, placeholder: 0, double)), validity: a[0].validity)
                }
            case let .decimal(_, s) where t.isInt128Decimal:
                kernel = { a, _, _ in
                    Column(type: t, data: .int128(ColumnKernels.map(try ColumnKernels.int128s(a[0]), a[0].validity, placeholder: 0) { decimal($0, s) }), validity: a[0].validity)
                }
            case let .decimal(_, s):
                // Results stay within the argument's precision (≤ 18 digits), so they fit Int64 again.
                kernel = { a, _, _ in
                    Column(type: t, data: .int64(ColumnKernels.map(try ColumnKernels.int64s(a[0]), a[0].validity, placeholder: 0) {
                        Int64(truncatingIfNeeded: decimal(Int128($0), s)) }), validity: a[0].validity)
                }
            default: return nil
            }
            return ResolvedFunction(function: ScalarFunction(name: name, kernel: kernel), parameterTypes: [t], returnType: t)
        })
    }

    /// round(x) and round(x, digits), half away from zero; the result keeps x's type.
    static var roundDefinition: FunctionDefinition {
        FunctionDefinition("round", signatures: ["round(N) → N", "round(N, INTEGER) → N for numeric N"], resolver: { args, _ in
            guard args.count == 1 || args.count == 2 else { return nil }
            if args.count == 2, !TypeCoercion.canImplicitlyCast(from: args[1], to: .integer) && args[1] != .bigint { return nil }
            let t = args[0] == .null ? DataType.double : args[0]
            guard t.isNumeric else { return nil }
            let kernel: ScalarFunction.Kernel = { a, n, _ in
                let digits: [Int64] = a.count > 1 ? try ColumnKernels.int64s(a[1]) : [Int64](repeating: 0, count: n)
                let m = a.count > 1 ? ColumnKernels.intersect(a[0].validity, a[1].validity) : a[0].validity
                switch t {
                case .double:
                    let v = ColumnKernels.map2(try ColumnKernels.doubles(a[0]), digits, m, placeholder: 0.0) { x, d in
                        if d == 0 { return x.rounded(.toNearestOrAwayFromZero) }
                        let f = Foundation.pow(10.0, Double(d))
                        let r = (x * f).rounded(.toNearestOrAwayFromZero) / f
                        return r.isFinite ? r : x
                    }
                    return Column(type: t, data: .double(v), validity: m)
                case let .decimal(p, s) where t.isInt128Decimal:
                    // Rounding up may need one more digit than DECIMAL(p, s) holds: that is an overflow.
                    let bound = DecimalMath.widePowerOfTen(p).magnitude
                    let v = try ColumnKernels.map2(try ColumnKernels.int128s(a[0]), digits, m, placeholder: Int128(0)) { x, d in
                        guard d < s else { return x }
                        let drop = s - Int(max(d, -38))
                        if drop > 38 { return 0 }
                        let f = DecimalMath.widePowerOfTen(drop)
                        let r = (DecimalMath.divideRounded(x, f) ?? 0) &* f
                        guard r.magnitude < bound else { throw TarnError(.execution, "decimal overflow: result does not fit \(t)") }
                        return r
                    }
                    return Column(type: t, data: .int128(v), validity: m)
                case let .decimal(_, s):
                    let v = ColumnKernels.map2(try ColumnKernels.int64s(a[0]), digits, m, placeholder: Int64(0)) { x, d in
                        guard d < s else { return x }
                        let drop = s - Int(max(d, -18))
                        if drop > 18 { return 0 }
                        let f = DecimalMath.powerOfTen(drop)
                        return (DecimalMath.divideRounded(x, f) ?? 0) &* f
                    }
                    return Column(type: t, data: .int64(v), validity: m)
                default:
                    let v = try ColumnKernels.map2(try ColumnKernels.int64s(a[0]), digits, m, placeholder: Int64(0)) { x, d in
                        guard d < 0 else { return x }
                        if d < -18 { return 0 }
                        let f = DecimalMath.powerOfTen(Int(-d))
                        guard let q = DecimalMath.divideRounded(x, f) else { return x }
                        let (r, o) = q.multipliedReportingOverflow(by: f)
                        if o || (t == .integer && Int32(exactly: r) == nil) { throw TarnError(.execution, "\(t.description.lowercased()) overflow") }
                        return r
                    }
                    let data: ColumnData = t == .integer ? .int32(v.map { Int32(truncatingIfNeeded: $0) }) : .int64(v)
                    return Column(type: t, data: data, validity: m)
                }
            }
            return ResolvedFunction(function: ScalarFunction(name: "round", kernel: kernel),
                                    parameterTypes: args.count == 2 ? [t, .integer] : [t], returnType: t)
        })
    }

    /// greatest / least over any number of arguments of a common type; NULL if any argument is NULL.
    static func extremum(_ name: String, pickFirst: Bool) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(T, T, …) → T"], resolver: { args, _ in
            guard !args.isEmpty, let common = TypeCoercion.commonSuperType(args), common != .boolean else { return nil }
            let t = common == .null ? DataType.integer : common
            let kernel: ScalarFunction.Kernel = { a, n, _ in
                var result = a[0]
                for next in a.dropFirst() {
                    // keep `result` where it already wins, else take `next`.
                    let cmp = try ComparisonOperators.compare(result, next, pickFirst ? .lessOrEqual : .greaterOrEqual)
                    let keep = try ColumnKernels.bools(cmp)
                    let m = ColumnKernels.intersect(result.validity, next.validity)
                    let taken = (0..<n).filter { !keep[$0] }.map { Int32($0) }
                    let kept = (0..<n).filter { keep[$0] }.map { Int32($0) }
                    result = try ColumnScatter.assemble([.init(rows: kept, column: result.gather(kept)), .init(rows: taken, column: next.gather(taken))],
                                                        count: n, type: t)
                    result.validity = ColumnKernels.normalized(ColumnKernels.intersect(result.validity, m))
                }
                return result
            }
            return ResolvedFunction(function: ScalarFunction(name: name, kernel: kernel),
                                    parameterTypes: [DataType](repeating: t, count: args.count), returnType: t)
        })
    }
}
