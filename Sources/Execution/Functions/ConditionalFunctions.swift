import Storage

/// nullif(a, b), if(condition, a[, b]) and typeof(x).
///
/// `if` as a function evaluates both branches on every row; the binder should prefer rewriting
/// `if(c, a, b)` into a CASE node when a branch may fail on rows it does not apply to.
enum ConditionalFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("nullif", signatures: ["nullif(T, T) → T"], resolver: { args, _ in
                guard args.count == 2, let common = TypeCoercion.commonSuperType(args[0], args[1]) else { return nil }
                let t = common == .null ? DataType.integer : common
                return ResolvedFunction(function: ScalarFunction(name: "nullif", kernel: { a, _, _ in
                    let equal = try ComparisonOperators.compare(a[0], a[1], .equal)
                    let eq = try ColumnKernels.bools(equal)
                    var validity = a[0].validity ?? [UInt8](repeating: 1, count: eq.count)
                    for i in 0..<eq.count where eq[i] && !equal.isNull(i) { validity[i] = 0 }
                    var r = a[0]
                    r.validity = ColumnKernels.normalized(validity)
                    return r
                }), parameterTypes: [t, t], returnType: t)
            }),
            FunctionDefinition("if", signatures: ["if(BOOLEAN, T[, T]) → T"], resolver: { args, _ in
                guard args.count == 2 || args.count == 3, TypeCoercion.canImplicitlyCast(from: args[0], to: .boolean),
                      let common = TypeCoercion.commonSuperType(Array(args.dropFirst())) else { return nil }
                let t = common == .null ? DataType.integer : common
                return ResolvedFunction(function: ScalarFunction(name: "if", kernel: { a, n, _ in
                    let taken = try ExpressionEvaluator.selectedRows(a[0])
                    let rest = ConditionalEvaluation.complement(taken, count: n)
                    var pieces: [ColumnScatter.Piece] = [.init(rows: taken, column: a[1].gather(taken))]
                    if a.count == 3 { pieces.append(.init(rows: rest, column: a[2].gather(rest))) }
                    return try ColumnScatter.assemble(pieces, count: n, type: t)
                }), parameterTypes: [.boolean] + [DataType](repeating: t, count: args.count - 1), returnType: t)
            }),
            FunctionDefinition("typeof", signatures: ["typeof(T) → VARCHAR"], resolver: { args, _ in
                guard args.count == 1 else { return nil }
                let name = args[0] == .null ? "unknown" : args[0].description.lowercased()
                return ResolvedFunction(function: ScalarFunction(name: "typeof", kernel: { _, n, _ in
                    ColumnKernels.constant(.varchar(name), type: .varchar, count: n)
                }), parameterTypes: args, returnType: .varchar)
            }),
        ]
    }
}
