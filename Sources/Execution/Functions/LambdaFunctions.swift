import Storage

/// A lambda's body bound over a batch of its own: columns `0 ..< parameterCount` are the parameters, the columns
/// after them the outer values the body reads (the call passes those as its trailing arguments, so the planner sees
/// and maps them like any other argument, and the body itself reads no outer column or subquery parameter).
public struct LambdaBody: Sendable {
    public let parameterCount: Int
    public let body: BoundExpression
    public init(parameterCount: Int, body: BoundExpression) {
        self.parameterCount = parameterCount
        self.body = body
    }

    /// The body over `count` rows of parameter columns and outer columns already aligned with them.
    func evaluate(_ parameters: [Column], captured: [Column], count: Int, _ ctx: ExecutionContext) throws -> Column {
        let result = try ExpressionEvaluator.evaluate(body, Batch(columns: parameters + captured, count: count), ctx)
        if result.type != body.type, result.type.physical == body.type.physical {
            return Column(type: body.type, data: result.data, validity: result.validity)
        }
        return result
    }
}

/// The higher-order array functions: Trino's `transform`, `filter`, `reduce`, `any_match`, `all_match`, `none_match`,
/// `zip_with` and DuckDB's `list_transform` / `list_filter` / `list_reduce` (with DuckDB's optional 1-based index
/// parameter). Vectorised: the elements of every array in the batch are one column, the body is evaluated once over
/// it (outer values repeated per element through a gather), and the result is rebuilt on the arrays' offsets;
/// `reduce` steps through element positions, each step one evaluation over the arrays still that long.
///
/// A call's arguments are the fixed ones (`fixedArguments`: the arrays, `reduce`'s initial state) followed by the outer
/// columns the lambdas capture, the same list for every lambda of the call.
public enum LambdaFunctions {
    /// What a higher-order function does with its lambda(s).
    public enum Operation: String, Sendable {
        case transform, filter, anyMatch = "any_match", allMatch = "all_match", noneMatch = "none_match"
        /// Trino `reduce(a, initial, (s, x) -> s', s -> r)`.
        case reduce
        /// DuckDB `list_reduce(a, (s, x) -> s' [, initial])`: without an initial value the first element starts.
        case listReduce = "list_reduce"
        case zipWith = "zip_with"
        /// Trino's map lambdas `transform_keys(m, (k, v) -> k')`, `transform_values(m, (k, v) -> v')`, `map_filter(m, (k, v) -> cond)`.
        case transformKeys = "transform_keys", transformValues = "transform_values", mapFilter = "map_filter"
        /// Trino's `map_zip_with(m1, m2, (k, v1, v2) -> v)`.
        case mapZipWith = "map_zip_with"
    }

    /// A scalar function running `operation` with `lambdas`; `name` (the function and its bodies' text) keeps
    /// two calls with different bodies apart where plans compare calls structurally.
    public static func function(_ operation: Operation, name: String, lambdas: [LambdaBody], fixedArguments: Int,
                                resultType: DataType, deterministic: Bool) -> ScalarFunction {
        ScalarFunction(name: name, isDeterministic: deterministic) { args, n, ctx in
            guard args.count >= fixedArguments, let first = lambdas.first else {
                throw TarnError(.internal, "\(name) got \(args.count) arguments")
            }
            let captured = Array(args[fixedArguments...])
            switch operation {
            case .transform: return try transform(args[0], first, captured, n, ctx)
            case .filter: return try filter(args[0], first, captured, n, ctx)
            case .anyMatch, .allMatch, .noneMatch: return try match(operation, args[0], first, captured, n, ctx)
            case .reduce:
                guard lambdas.count == 2 else { throw TarnError(.internal, "reduce needs two lambdas") }
                return try reduce(args[0], initial: args[1], first, output: lambdas[1], captured, n, resultType: resultType, ctx)
            case .listReduce:
                return try reduce(args[0], initial: fixedArguments > 1 ? args[1] : nil, first, output: nil, captured, n, resultType: resultType, ctx)
            case .zipWith: return try zipWith(args[0], args[1], first, captured, n, resultType: resultType, ctx)
            case .transformKeys, .transformValues, .mapFilter: return try mapLambda(operation, args[0], first, captured, n, resultType: resultType, ctx)
            case .mapZipWith: return try mapZipWith(args[0], args[1], first, captured, n, resultType: resultType, ctx)
            }
        }
    }

    // MARK: flattening

    /// Every element of the batch's arrays as one column, the array row of each, and the element's 1-based index.
    private struct Flattened {
        let list: ListColumn
        let elements: Column
        let parents: [Int32]

        init(_ column: Column) throws {
            list = try ListColumn(column)
            let total = Int(list.offsets[list.count])
            elements = list.child.count == total ? list.child : list.child.slice(0 ..< total)
            parents = list.parentRows()
        }

        /// The parameter columns for a lambda taking `count` of (element, index).
        func parameters(_ count: Int) -> [Column] {
            guard count > 1 else { return [elements] }
            var index = [Int64](repeating: 0, count: parents.count)
            for k in 0 ..< parents.count { index[k] = Int64(k) - Int64(list.offsets[Int(parents[k])]) + 1 }
            return [elements, Column(type: .bigint, data: .int64(index))]
        }

        /// The outer columns repeated once per element.
        func repeated(_ captured: [Column]) -> [Column] { captured.map { $0.gather(parents) } }
    }

    static func transform(_ array: Column, _ lambda: LambdaBody, _ captured: [Column], _ n: Int, _ ctx: ExecutionContext) throws -> Column {
        let flat = try Flattened(array)
        let values = try lambda.evaluate(flat.parameters(lambda.parameterCount), captured: flat.repeated(captured), count: flat.parents.count, ctx)
        return Column(type: .array(lambda.body.type), data: .list(offsets: flat.list.offsets, child: values),
                      validity: ColumnKernels.normalized(array.validity))
    }

    static func filter(_ array: Column, _ lambda: LambdaBody, _ captured: [Column], _ n: Int, _ ctx: ExecutionContext) throws -> Column {
        let flat = try Flattened(array)
        let keep = try lambda.evaluate(flat.parameters(lambda.parameterCount), captured: flat.repeated(captured), count: flat.parents.count, ctx)
        let selected = try ExpressionEvaluator.selectedRows(keep)
        var offsets = [Int32](repeating: 0, count: n + 1)
        for k in selected { offsets[Int(flat.parents[Int(k)]) + 1] += 1 }
        for r in 0 ..< n { offsets[r + 1] += offsets[r] }
        return ListColumn.gatherRows(flat.elements, picks: selected, offsets: offsets, validity: array.validity)
    }

    /// Trino's three-valued quantifiers: `any_match` TRUE when one element gives TRUE, else NULL when one gives NULL,
    /// else FALSE (empty: FALSE); `all_match` FALSE when one gives FALSE, else NULL when one gives NULL, else TRUE;
    /// `none_match` FALSE when one gives TRUE, else NULL when one gives NULL, else TRUE.
    static func match(_ operation: Operation, _ array: Column, _ lambda: LambdaBody, _ captured: [Column], _ n: Int,
                      _ ctx: ExecutionContext) throws -> Column {
        let flat = try Flattened(array)
        let tested = try lambda.evaluate(flat.parameters(1), captured: flat.repeated(captured), count: flat.parents.count, ctx)
        let values = tested.type == .null ? [Bool](repeating: false, count: tested.count) : try ColumnKernels.bools(tested)
        let decisive = operation == .allMatch ? false : true
        var sawDecisive = [Bool](repeating: false, count: n), sawNull = [Bool](repeating: false, count: n)
        for k in 0 ..< flat.parents.count {
            let r = Int(flat.parents[k])
            if tested.type == .null || tested.isNull(k) { sawNull[r] = true } else if values[k] == decisive { sawDecisive[r] = true }
        }
        var out = [Bool](repeating: false, count: n)
        var validity = [UInt8](repeating: 1, count: n)
        for r in 0 ..< n {
            if flat.list.isNull(r) { validity[r] = 0; continue }
            if sawDecisive[r] { out[r] = operation == .anyMatch; continue }
            if sawNull[r] { validity[r] = 0; continue }
            out[r] = operation != .anyMatch
        }
        return Column(type: .boolean, data: .bool(out), validity: ColumnKernels.normalized(validity))
    }

    /// Folds each array left to right. Rows are ordered by length (longest first), so the arrays still folding at
    /// position j are a prefix: step j evaluates the body once over that prefix's states and j-th elements.
    /// A NULL array gives NULL; Trino's `reduce` then applies the output lambda to every state.
    static func reduce(_ array: Column, initial: Column?, _ step: LambdaBody, output: LambdaBody?, _ captured: [Column], _ n: Int,
                       resultType: DataType, _ ctx: ExecutionContext) throws -> Column {
        let list = try ListColumn(array)
        let order = (0 ..< Int32(n)).sorted { list.length(Int($0)) > list.length(Int($1)) }
        let longest = n > 0 ? list.length(Int(order[0])) : 0
        let stateType = step.body.type
        let capturedInOrder = captured.map { $0.gather(order) }
        // Without an initial value (DuckDB) the first element is the state and folding starts at the second.
        var state: Column
        var start = 0
        if let initial {
            state = initial.gather(order)
        } else {
            var picks = [Int32](repeating: 0, count: n)
            for (k, row) in order.enumerated() {
                if list.isNull(Int(row)) { continue }
                guard list.length(Int(row)) > 0 else {
                    throw TarnError(.execution, "list_reduce: an empty list has nothing to reduce; give an initial value as the third argument")
                }
                picks[k] = list.offsets[Int(row)]
            }
            state = list.child.count == 0 ? Column.nulls(stateType, count: n) : list.child.gather(picks)
            start = 1
        }
        if state.type != stateType, state.type.physical == stateType.physical {
            state = Column(type: stateType, data: state.data, validity: state.validity)
        }
        var active = n
        for j in start ..< max(longest, start) {
            while active > 0, list.length(Int(order[active - 1])) <= j { active -= 1 }
            if active == 0 { break }
            var picks = [Int32](repeating: 0, count: active)
            for k in 0 ..< active { picks[k] = list.offsets[Int(order[k])] + Int32(j) }
            var parameters = [state.slice(0 ..< active), list.child.gather(picks)]
            if step.parameterCount > 2 { parameters.append(Column(type: .bigint, data: .int64([Int64](repeating: Int64(j + 1), count: active)))) }
            let next = try step.evaluate(parameters, captured: capturedInOrder.map { $0.slice(0 ..< active) }, count: active, ctx)
            state = active == n ? next : Column.concatenate([next, state.slice(active ..< n)], type: stateType)
        }
        var result = state
        if let output {
            result = try output.evaluate([state], captured: capturedInOrder, count: n, ctx)
        }
        var inverse = [Int32](repeating: 0, count: n)
        for (k, row) in order.enumerated() { inverse[Int(row)] = Int32(k) }
        result = result.gather(inverse)
        let validity = ColumnKernels.intersect(result.validity, array.validity)
        return Column(type: resultType, data: result.data, validity: ColumnKernels.normalized(validity))
    }

    /// The map lambdas: the body over every (key, value) entry of the batch at once; `transform_keys` fails on a NULL
    /// or repeated new key within one map, as Trino does.
    static func mapLambda(_ operation: Operation, _ map: Column, _ lambda: LambdaBody, _ captured: [Column], _ n: Int,
                          resultType: DataType, _ ctx: ExecutionContext) throws -> Column {
        let list = try ListColumn(map)
        guard case let .fields(entry) = list.child.data, entry.count == 2, case .map = map.type else {
            throw TarnError(.internal, "\(operation.rawValue) got a \(map.type) column")
        }
        let total = Int(list.offsets[list.count])
        let keys = entry[0].count == total ? entry[0] : entry[0].slice(0 ..< total)
        let values = entry[1].count == total ? entry[1] : entry[1].slice(0 ..< total)
        let parents = list.parentRows()
        let result = try lambda.evaluate([keys, values], captured: captured.map { $0.gather(parents) }, count: total, ctx)
        let validity = ColumnKernels.normalized(map.validity)
        func rebuilt(_ k: Column, _ v: Column, _ offsets: [Int32]) -> Column {
            let entryType = DataType.row(RowField.mapEntry(key: k.type, value: v.type))
            return Column(type: resultType, data: .list(offsets: offsets, child: Column(type: entryType, data: .fields([k, v]))), validity: validity)
        }
        switch operation {
        case .transformValues:
            return rebuilt(keys, result, list.offsets)
        case .transformKeys:
            try MapFunctions.checkKeys(result, offsets: list.offsets, validity: validity)
            return rebuilt(result, values, list.offsets)
        default:
            let selected = try ExpressionEvaluator.selectedRows(result)
            var offsets = [Int32](repeating: 0, count: n + 1)
            for k in selected { offsets[Int(parents[Int(k)]) + 1] += 1 }
            for r in 0 ..< n { offsets[r + 1] += offsets[r] }
            return rebuilt(keys.gather(selected), values.gather(selected), offsets)
        }
    }

    /// Trino's `zip_with(a, b, f)`: f over the elements pairwise; the shorter array is padded with NULLs.
    static func zipWith(_ a: Column, _ b: Column, _ lambda: LambdaBody, _ captured: [Column], _ n: Int, resultType: DataType,
                        _ ctx: ExecutionContext) throws -> Column {
        let x = try ListColumn(a), y = try ListColumn(b)
        // Each side's child with one NULL row appended, which the shorter array's missing elements pick.
        let xs = Column.concatenate([x.child, Column.nulls(x.child.type, count: 1)], type: x.child.type)
        let ys = Column.concatenate([y.child, Column.nulls(y.child.type, count: 1)], type: y.child.type)
        let xNull = Int32(x.child.count), yNull = Int32(y.child.count)
        var offsets = [Int32](repeating: 0, count: n + 1)
        var validity = [UInt8](repeating: 1, count: n)
        var left: [Int32] = [], right: [Int32] = [], parents: [Int32] = []
        for r in 0 ..< n {
            if x.isNull(r) || y.isNull(r) { validity[r] = 0; offsets[r + 1] = offsets[r]; continue }
            let length = max(x.length(r), y.length(r))
            for k in 0 ..< length {
                left.append(k < x.length(r) ? x.offsets[r] + Int32(k) : xNull)
                right.append(k < y.length(r) ? y.offsets[r] + Int32(k) : yNull)
                parents.append(Int32(r))
            }
            offsets[r + 1] = offsets[r] + Int32(length)
        }
        let values = try lambda.evaluate([xs.gather(left), ys.gather(right)], captured: captured.map { $0.gather(parents) },
                                         count: parents.count, ctx)
        return Column(type: resultType, data: .list(offsets: offsets, child: values), validity: ColumnKernels.normalized(validity))
    }

    /// Trino's `map_zip_with(m1, m2, f)`: one entry per key of either map (m1's keys in order, then m2's keys m1 lacks),
    /// f over (key, m1's value, m2's value), NULL for the map without the key; NULL when either map is NULL. Keys are
    /// matched in their typed buffers (pairwise up to 32 entries a side, hashed beyond); the body runs once over every
    /// key of the batch.
    static func mapZipWith(_ a: Column, _ b: Column, _ lambda: LambdaBody, _ captured: [Column], _ n: Int, resultType: DataType,
                           _ ctx: ExecutionContext) throws -> Column {
        let x = try ListColumn(a), y = try ListColumn(b)
        guard case let .fields(xe) = x.child.data, case let .fields(ye) = y.child.data, xe.count == 2, ye.count == 2,
              case let .map(keyType, _) = resultType else {
            throw TarnError(.internal, "map_zip_with got \(a.type) and \(b.type)")
        }
        // Both maps' keys in one column (m2's after m1's), each side's values with one NULL row appended for a missing key.
        let keys = Column.concatenate([xe[0], ye[0]], type: keyType).flattened()
        let same = MapFunctions.keyEquality(keys)
        let yBase = xe[0].count
        let xValues = Column.concatenate([xe[1], Column.nulls(xe[1].type, count: 1)], type: xe[1].type)
        let yValues = Column.concatenate([ye[1], Column.nulls(ye[1].type, count: 1)], type: ye[1].type)
        let xNull = Int32(xe[1].count), yNull = Int32(ye[1].count)
        var keyPicks: [Int32] = [], left: [Int32] = [], right: [Int32] = [], parents: [Int32] = []
        var offsets = [Int32](repeating: 0, count: n + 1)
        var validity = [UInt8](repeating: 1, count: n)
        var matched: [Bool] = []
        for r in 0 ..< n {
            if x.isNull(r) || y.isNull(r) { validity[r] = 0; offsets[r + 1] = offsets[r]; continue }
            let xs = x.range(r), ys = y.range(r)
            matched.removeAll(keepingCapacity: true)
            matched.append(contentsOf: repeatElement(false, count: ys.count))
            var hashed: [Value: Int]? = nil
            if xs.count > 32 && ys.count > 32 {
                var index: [Value: Int] = [:]
                for j in ys { index[keys.value(at: yBase + j)] = j }
                hashed = index
            }
            for i in xs {
                var found: Int? = nil
                if let hashed { found = hashed[keys.value(at: i)] } else {
                    for j in ys where same(i, yBase + j) { found = j; break }
                }
                keyPicks.append(Int32(i))
                left.append(Int32(i))
                if let j = found { matched[j - ys.lowerBound] = true; right.append(Int32(j)) } else { right.append(yNull) }
                parents.append(Int32(r))
            }
            for j in ys where !matched[j - ys.lowerBound] {
                keyPicks.append(Int32(yBase + j))
                left.append(xNull)
                right.append(Int32(j))
                parents.append(Int32(r))
            }
            offsets[r + 1] = Int32(parents.count)
        }
        let zippedKeys = keys.gather(keyPicks)
        let values = try lambda.evaluate([zippedKeys, xValues.gather(left), yValues.gather(right)],
                                         captured: captured.map { $0.gather(parents) }, count: parents.count, ctx)
        let entryType = DataType.row(RowField.mapEntry(key: keyType, value: values.type))
        return Column(type: resultType, data: .list(offsets: offsets, child: Column(type: entryType, data: .fields([zippedKeys, values]))),
                      validity: ColumnKernels.normalized(validity))
    }
}
