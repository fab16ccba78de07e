import Storage

/// Trino's array functions that build arrays from a value or from another array's runs: `repeat(x, n)` (n copies of x,
/// at most 10,000) and `ngrams(a, n)` (the runs of n consecutive elements; the whole array when it is shorter, `[[]]`
/// for an empty one). Both pick child rows and gather them once.
enum ArrayGeneratingFunctions {
    static let maximumRepeat: Int64 = 10_000

    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("repeat", signatures: ["repeat(T, BIGINT) → T[]"]) { args, _ in
                guard args.count == 2, TypeCoercion.castCost(from: args[1], to: .bigint) != nil else { return nil }
                let element = args[0] == .null ? DataType.integer : args[0]
                return ResolvedFunction(function: ScalarFunction(name: "repeat") { a, n, _ in try repeated(a[0], a[1], n) },
                                        parameterTypes: [element, .bigint], returnType: .array(element))
            },
            FunctionDefinition("ngrams", signatures: ["ngrams(T[], BIGINT) → T[][]"]) { args, _ in
                guard args.count == 2, let element = ArrayFunctions.element(args[0]),
                      TypeCoercion.castCost(from: args[1], to: .bigint) != nil else { return nil }
                return ResolvedFunction(function: ScalarFunction(name: "ngrams") { a, n, _ in try ngrams(a[0], a[1], n) },
                                        parameterTypes: [.array(element), .bigint], returnType: .array(.array(element)))
            },
        ]
    }

    static func repeated(_ x: Column, _ counts: Column, _ n: Int) throws -> Column {
        let count = try ColumnKernels.int64s(counts)
        var picks: [Int32] = []
        var offsets = [Int32](repeating: 0, count: n + 1)
        var validity = [UInt8](repeating: 1, count: n)
        for r in 0 ..< n {
            offsets[r + 1] = offsets[r]
            if counts.isNull(r) { validity[r] = 0; continue }
            guard count[r] >= 0, count[r] <= maximumRepeat else {
                throw TarnError(.execution, "repeat: count must be between 0 and \(maximumRepeat), not \(count[r])")
            }
            picks.append(contentsOf: repeatElement(Int32(r), count: Int(count[r])))
            offsets[r + 1] = Int32(picks.count)
        }
        return Column(type: .array(x.type), data: .list(offsets: offsets, child: x.gather(picks)), validity: ColumnKernels.normalized(validity))
    }

    static func ngrams(_ array: Column, _ sizes: Column, _ n: Int) throws -> Column {
        let list = try ListColumn(array)
        let size = try ColumnKernels.int64s(sizes)
        var picks: [Int32] = [], inner: [Int32] = [0], outer = [Int32](repeating: 0, count: n + 1)
        var validity = list.validity ?? [UInt8](repeating: 1, count: n)
        for r in 0 ..< n {
            outer[r + 1] = outer[r]
            if list.isNull(r) || sizes.isNull(r) { validity[r] = 0; continue }
            guard size[r] > 0 else { throw TarnError(.execution, "ngrams: N must be positive, not \(size[r])") }
            let range = list.range(r)
            let width = Int(min(size[r], Int64(max(range.count, 1))))
            let starts = range.count <= width ? [range.lowerBound] : Array(range.lowerBound ... range.upperBound - width)
            for s in starts {
                for k in s ..< min(s + width, range.upperBound) { picks.append(Int32(k)) }
                inner.append(Int32(picks.count))
            }
            outer[r + 1] = outer[r] + Int32(starts.count)
        }
        let grams = Column(type: array.type, data: .list(offsets: inner, child: list.child.gather(picks)))
        return Column(type: .array(array.type), data: .list(offsets: outer, child: grams), validity: ColumnKernels.normalized(validity))
    }
}
