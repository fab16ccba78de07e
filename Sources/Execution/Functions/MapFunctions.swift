import Storage

/// MAP functions with Trino's names and semantics: `map(keys, values)` (duplicate or NULL keys are an error),
/// `map_from_entries`, `map_entries`, `map_keys`, `map_values`, `cardinality`, `element_at` (NULL when the key is
/// absent), `map_concat` (later maps win). A MAP column is a list of (key, value) entry rows, so kernels work on the
/// offsets and the entries' two field columns; key lookups run the registered `=` kernel over all entries at once.
enum MapFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("map", signatures: ["map(K[], V[]) → MAP(K, V)"]) { args, _ in
                guard args.count == 2, let k = ArrayFunctions.element(args[0]), let v = ArrayFunctions.element(args[1]) else { return nil }
                let key = k == .null ? DataType.varchar : k, value = v == .null ? DataType.integer : v
                return resolved("map", [.array(key), .array(value)], .map(key: key, value: value)) { a, n, _ in
                    try fromArrays(a[0], a[1], n, key: key, value: value)
                }
            },
            FunctionDefinition("map_from_entries", signatures: ["map_from_entries(ROW(K, V)[]) → MAP(K, V)"]) { args, _ in
                guard args.count == 1, let entry = args[0].elementType?.rowFields, entry.count == 2 else { return nil }
                let (k, v) = (entry[0].type, entry[1].type)
                return resolved("map_from_entries", [args[0]], .map(key: k, value: v)) { a, _, _ in try fromEntries(a[0], key: k, value: v) }
            },
            FunctionDefinition("multimap_from_entries", signatures: ["multimap_from_entries(ROW(K, V)[]) → MAP(K, V[])"]) { args, _ in
                guard args.count == 1, let entry = args[0].elementType?.rowFields, entry.count == 2, entry[0].type.isOrderable else { return nil }
                let type = DataType.map(key: entry[0].type, value: .array(entry[1].type))
                return resolved("multimap_from_entries", [args[0]], type) { a, n, _ in try multimap(a[0], n, type: type) }
            },
            unary("map_entries") { k, v in .array(.row(RowField.mapEntry(key: k, value: v))) } kernel: { c, t in
                retyped(c, t)
            },
            unary("map_keys") { k, _ in .array(k) } kernel: { c, t in try part(c, 0, t) },
            unary("map_values") { _, v in .array(v) } kernel: { c, t in try part(c, 1, t) },
            unary("cardinality") { _, _ in .bigint } kernel: { c, _ in try ArrayFunctions.lengths(c) },
            FunctionDefinition("element_at", signatures: ["element_at(MAP(K, V), K) → V"]) { args, settings in
                guard args.count == 2, let (k, v) = args[0].mapTypes, TypeCoercion.castCost(from: args[1], to: k) != nil || args[1] == .null,
                      let eq = try? FunctionRegistry.resolve("=", argumentTypes: [k, k], settings: settings) else { return nil }
                return resolved("element_at", [args[0], k], v) { a, _, ctx in try lookup(a[0], a[1], eq, ctx) }
            },
            FunctionDefinition("map_concat", signatures: ["map_concat(MAP(K, V), …) → MAP(K, V)"]) { args, _ in
                guard !args.isEmpty, let first = args.first, first.mapTypes != nil, args.allSatisfy({ $0 == first }) else { return nil }
                return resolved("map_concat", args, first) { a, n, _ in try concatenate(a, n, type: first) }
            },
        ]
    }

    private static func resolved(_ name: String, _ parameters: [DataType], _ result: DataType,
                                 _ kernel: @escaping ScalarFunction.Kernel) -> ResolvedFunction {
        ResolvedFunction(function: ScalarFunction(name: name, kernel: kernel), parameterTypes: parameters, returnType: result)
    }

    /// `name(MAP(K, V))` with the result type from K and V.
    private static func unary(_ name: String, returns: @escaping @Sendable (DataType, DataType) -> DataType,
                              kernel: @escaping @Sendable (Column, DataType) throws -> Column) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(MAP(K, V))"]) { args, _ in
            guard args.count == 1, let (k, v) = args[0].mapTypes else { return nil }
            let result = returns(k, v)
            return resolved(name, [args[0]], result) { a, _, _ in try kernel(a[0], result) }
        }
    }

    /// The same list column under another list type (`map_entries`: the entries as an array of rows).
    static func retyped(_ c: Column, _ type: DataType) -> Column {
        Column(type: type, data: c.data, validity: c.validity)
    }

    /// The keys (field 0) or values (field 1) of each map, as an array column sharing the offsets.
    static func part(_ c: Column, _ field: Int, _ type: DataType) throws -> Column {
        guard case let .list(offsets, child) = c.data, case let .fields(entry) = child.data, entry.count == 2 else {
            throw TarnError(.internal, "a map function got a \(c.type) column")
        }
        return Column(type: type, data: .list(offsets: offsets, child: entry[field]), validity: c.validity)
    }

    /// Fails on a NULL or repeated key within one map (Trino: "Duplicate map keys are not allowed"). Keys are compared
    /// in their typed buffers (pairwise within a map up to 32 keys, hashed beyond), not as `Value`s.
    static func checkKeys(_ keys: Column, offsets: [Int32], validity: [UInt8]?) throws {
        let flat = keys.flattened()
        let rows = offsets.count - 1
        if let v = flat.validity {
            for row in 0 ..< rows where (validity?[row] ?? 1) != 0 {
                for k in Int(offsets[row]) ..< Int(offsets[row + 1]) where v[k] == 0 { throw TarnError(.execution, "map key cannot be null") }
            }
        }
        func distinct(_ same: (Int, Int) -> Bool) throws {
            for row in 0 ..< rows where (validity?[row] ?? 1) != 0 {
                let lo = Int(offsets[row]), hi = Int(offsets[row + 1])
                guard hi - lo > 1 else { continue }
                if hi - lo <= 32 {
                    for a in lo ..< hi { for b in a + 1 ..< hi where same(a, b) { throw duplicate(flat.value(at: b)) } }
                } else {
                    var seen = Set<Value>()
                    for k in lo ..< hi where !seen.insert(flat.value(at: k)).inserted { throw duplicate(flat.value(at: k)) }
                }
            }
        }
        try distinct(keyEquality(flat))
    }

    /// Whether rows `a` and `b` of a flattened (not dictionary) key column hold the same key, read in its typed buffer.
    static func keyEquality(_ flat: Column) -> (Int, Int) -> Bool {
        switch flat.data {
        case let .int64(a): return { a[$0] == a[$1] }
        case let .int32(a): return { a[$0] == a[$1] }
        case let .int128(a): return { a[$0] == a[$1] }
        case let .double(a): return { a[$0] == a[$1] }
        case let .bool(a): return { a[$0] == a[$1] }
        case let .string(s): return { s.compare($0, s, $1) == 0 }
        default: return { flat.value(at: $0) == flat.value(at: $1) }
        }
    }

    private static func duplicate(_ key: Value) -> TarnError {
        TarnError(.execution, "Duplicate map keys (\(key)) are not allowed")
    }

    static func fromArrays(_ keys: Column, _ values: Column, _ n: Int, key: DataType, value: DataType) throws -> Column {
        let k = try ListColumn(keys), v = try ListColumn(values)
        var validity = [UInt8](repeating: 1, count: n)
        var keyPicks: [Int32] = [], valuePicks: [Int32] = [], offsets: [Int32] = [0]
        for row in 0 ..< n {
            if k.isNull(row) || v.isNull(row) { validity[row] = 0; offsets.append(Int32(keyPicks.count)); continue }
            guard k.length(row) == v.length(row) else {
                throw TarnError(.execution, "map: key and value arrays must have the same length (\(k.length(row)) keys, \(v.length(row)) values)")
            }
            for i in k.range(row) { keyPicks.append(Int32(i)) }
            for i in v.range(row) { valuePicks.append(Int32(i)) }
            offsets.append(Int32(keyPicks.count))
        }
        let keyColumn = k.child.gather(keyPicks)
        let normalized = ColumnKernels.normalized(validity)
        try checkKeys(keyColumn, offsets: offsets, validity: normalized)
        let entries = Column(type: .row(RowField.mapEntry(key: key, value: value)), data: .fields([keyColumn, v.child.gather(valuePicks)]))
        return Column(type: .map(key: key, value: value), data: .list(offsets: offsets, child: entries), validity: normalized)
    }

    static func fromEntries(_ c: Column, key: DataType, value: DataType) throws -> Column {
        guard case let .list(offsets, child) = c.data, case let .fields(entry) = child.data, entry.count == 2 else {
            throw TarnError(.internal, "map_from_entries got a \(c.type) column")
        }
        for k in 0 ..< child.count where child.isNull(k) { throw TarnError(.execution, "map entry cannot be null") }
        try checkKeys(entry[0], offsets: offsets, validity: c.validity)
        let entries = Column(type: .row(RowField.mapEntry(key: key, value: value)), data: child.data)
        return Column(type: .map(key: key, value: value), data: .list(offsets: offsets, child: entries), validity: c.validity)
    }

    /// `element_at(m, k)` / `m[k]`: the value of the first entry whose key equals the row's probe; NULL when absent.
    static func lookup(_ map: Column, _ probe: Column, _ eq: ResolvedFunction, _ ctx: ExecutionContext) throws -> Column {
        let list = try ListColumn(map)
        guard case let .fields(entry) = list.child.data, entry.count == 2 else { throw TarnError(.internal, "element_at got a \(map.type) column") }
        let parents = list.parentRows()
        let base = Int(list.offsets[0])
        let keys = entry[0].slice(base ..< Int(list.offsets[list.count]))
        let matches = try eq.function.kernel([keys, probe.gather(parents)], parents.count, ctx)
        let equal = try ColumnKernels.bools(matches)
        var picks = [Int32](repeating: -1, count: list.count)
        for k in 0 ..< parents.count where equal[k] && !matches.isNull(k) {
            let row = Int(parents[k])
            if picks[row] < 0, !list.isNull(row), !probe.isNull(row) { picks[row] = Int32(base + k) }
        }
        return ColumnAssembly.gatherOptional(entry[1], picks)
    }

    /// Trino's `multimap_from_entries`: each distinct key with the array of its values, in first-seen order; a NULL
    /// entry or key is an error.
    static func multimap(_ entries: Column, _ n: Int, type: DataType) throws -> Column {
        guard let (k, v) = type.mapTypes, let element = v.elementType else { throw TarnError(.internal, "multimap_from_entries typed \(type)") }
        var out = ColumnBuilder(type: type, capacity: n)
        for row in 0 ..< n {
            guard case let .array(items, _) = entries.value(at: row) else { out.appendNull(); continue }
            var keys: [Value] = [], lists: [[Value]] = [], position: [Value: Int] = [:]
            for item in items {
                guard case let .row(pair, _) = item, pair.count == 2 else { throw TarnError(.execution, "map entry cannot be null") }
                guard !pair[0].isNull else { throw TarnError(.execution, "map key cannot be null") }
                if let p = position[pair[0]] { lists[p].append(pair[1]) } else { position[pair[0]] = keys.count; keys.append(pair[0]); lists.append([pair[1]]) }
            }
            out.append(.map(keys: keys, values: lists.map { .array($0, element: element) }, key: k, value: v))
        }
        return out.finish()
    }

    /// Trino's `map_concat`: the union of the maps' entries, a later map's value winning for a repeated key;
    /// NULL when any argument is NULL.
    static func concatenate(_ maps: [Column], _ n: Int, type: DataType) throws -> Column {
        var out = ColumnBuilder(type: type, capacity: n)
        for row in 0 ..< n {
            var keys: [Value] = [], values: [Value] = []
            var position: [Value: Int] = [:]
            var isNull = false
            for m in maps {
                guard case let .map(ks, vs, _, _) = m.value(at: row) else { isNull = true; break }
                for (k, v) in zip(ks, vs) {
                    if let p = position[k] { values[p] = v } else { position[k] = keys.count; keys.append(k); values.append(v) }
                }
            }
            guard !isNull, let (k, v) = type.mapTypes else { out.appendNull(); continue }
            out.append(.map(keys: keys, values: values, key: k, value: v))
        }
        return out.finish()
    }
}
