import Foundation
import Storage

/// ARRAY functions with Trino's names and semantics (`cardinality`, `element_at`, `contains`, `array_position`,
/// `array_join`, `array_sort`, `array_distinct`, `slice`, `flatten`, `sequence`, `array_max`, `array_remove`,
/// `array_concat`, `split`, `regexp_split`, `regexp_extract_all`) and DuckDB's `list_*` spellings with DuckDB's
/// (`list_contains` ignores NULL elements, `list_position` gives NULL when absent, `list_slice` takes an inclusive end,
/// `list_concat` treats a NULL array as empty, `list_max` skips NULLs). Kernels work on the offsets and the child
/// column: they pick child rows and gather them once; element comparisons reuse the registered `=` kernel over all
/// elements at once and orderings `RowComparator`.
enum ArrayFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("array_value", signatures: ["array_value(T, …) → T[]"]) { args, _ in
                guard let element = TypeCoercion.commonSuperType(args) else { return nil }
                return resolved("array_value", [DataType](repeating: element, count: args.count), .array(element)) { a, n, _ in
                    try construct(a, n, element: element)
                }
            },
            unary("cardinality", returns: { _ in .bigint }) { a, _ in try lengths(a[0]) },
            unary("len", returns: { _ in .bigint }) { a, _ in try lengths(a[0]) },
            unary("array_length", returns: { _ in .bigint }) { a, _ in try lengths(a[0]) },
            withIndex("element_at") { a, _ in try elementAt(a[0], a[1]) },
            withIndex("list_extract") { a, _ in try elementAt(a[0], a[1]) },
            withElement("contains", returns: .boolean) { a, eq, ctx in try contains(a, eq, ctx, nullElementsUnknown: true) },
            withElement("list_contains", returns: .boolean) { a, eq, ctx in try contains(a, eq, ctx, nullElementsUnknown: false) },
            withElement("array_position", returns: .bigint) { a, eq, ctx in try position(a, eq, ctx, absent: 0) },
            withElement("list_position", returns: .bigint) { a, eq, ctx in try position(a, eq, ctx, absent: nil) },
            withElement("array_remove", returns: nil) { a, eq, ctx in try remove(a, eq, ctx) },
            unary("array_sort", returns: { $0 }) { a, _ in try sorted(a[0]) },
            unary("list_sort", returns: { $0 }) { a, _ in try sorted(a[0]) },
            unary("array_distinct", returns: { $0 }) { a, _ in try distinct(a[0]) },
            unary("array_max", returns: { $0.elementType }) { a, _ in try extreme(a[0], max: true, skipNulls: false) },
            unary("array_min", returns: { $0.elementType }) { a, _ in try extreme(a[0], max: false, skipNulls: false) },
            unary("list_max", returns: { $0.elementType }) { a, _ in try extreme(a[0], max: true, skipNulls: true) },
            unary("list_min", returns: { $0.elementType }) { a, _ in try extreme(a[0], max: false, skipNulls: true) },
            unary("flatten", returns: { $0.elementType?.elementType == nil ? nil : $0.elementType }) { a, _ in try flatten(a[0]) },
            concat("array_concat", nullIsEmpty: false),
            concat("concat", nullIsEmpty: false),
            concat("list_concat", nullIsEmpty: true),
            concat("array_cat", nullIsEmpty: true),
            slicing("slice", trino: true),
            slicing("list_slice", trino: false),
            joining("array_join"),
            joining("array_to_string"),
            setOperation("array_union") { x, y in unique(x + y) },
            setOperation("array_intersect") { x, y in let other = Set(y); return unique(x.filter { other.contains($0) }) },
            setOperation("array_except") { x, y in let other = Set(y); return unique(x.filter { !other.contains($0) }) },
            FunctionDefinition("arrays_overlap", signatures: ["arrays_overlap(T[], T[]) → BOOLEAN"]) { args, _ in
                guard args.count == 2, let a = element(args[0]), let b = element(args[1]), args.contains(where: { $0.elementType != nil }),
                      let e = TypeCoercion.commonSuperType(a, b), e.isOrderable else { return nil }
                return resolved("arrays_overlap", [.array(e), .array(e)], .boolean) { cols, n, _ in try overlap(cols, n) }
            },
            FunctionDefinition("trim_array", signatures: ["trim_array(T[], BIGINT) → T[]"]) { args, _ in
                guard args.count == 2, let e = element(args[0]), TypeCoercion.castCost(from: args[1], to: .bigint) != nil else { return nil }
                return resolved("trim_array", [.array(e), .bigint], .array(e)) { cols, n, _ in try trim(cols, n) }
            },
            FunctionDefinition("sequence", [
                Overload([.bigint, .bigint], .array(.bigint)) { a, n, _ in try sequence(a, n, date: false) },
                Overload([.bigint, .bigint, .bigint], .array(.bigint)) { a, n, _ in try sequence(a, n, date: false) },
                Overload([.date, .date], .array(.date)) { a, n, _ in try sequence(a, n, date: true) },
                Overload([.date, .date, .bigint], .array(.date)) { a, n, _ in try sequence(a, n, date: true) },
            ]),
            FunctionDefinition("split", [Overload([.varchar, .varchar], .array(.varchar)) { a, n, _ in try splitting(a, n, regex: false) }]),
            FunctionDefinition("string_split", [Overload([.varchar, .varchar], .array(.varchar)) { a, n, _ in try splitting(a, n, regex: false) }]),
            FunctionDefinition("regexp_split", [Overload([.varchar, .varchar], .array(.varchar)) { a, n, _ in try splitting(a, n, regex: true) }]),
            FunctionDefinition("regexp_split_to_array", [Overload([.varchar, .varchar], .array(.varchar)) { a, n, _ in try splitting(a, n, regex: true) }]),
            FunctionDefinition("regexp_extract_all", [
                Overload([.varchar, .varchar], .array(.varchar)) { a, n, _ in try extractAll(a, n) },
                Overload([.varchar, .varchar, .bigint], .array(.varchar)) { a, n, _ in try extractAll(a, n) },
            ]),
        ]
    }

    // MARK: resolution helpers

    /// The element type of an argument that must be an array; an untyped NULL counts as an array of NULLs.
    static func element(_ t: DataType) -> DataType? {
        if t == .null { return .null }
        return t.elementType
    }

    private static func resolved(_ name: String, _ parameters: [DataType], _ result: DataType,
                                 _ kernel: @escaping ScalarFunction.Kernel) -> ResolvedFunction {
        ResolvedFunction(function: ScalarFunction(name: name, kernel: kernel), parameterTypes: parameters, returnType: result)
    }

    /// `name(T[])`, with the result type computed from the array type (nil: not applicable).
    private static func unary(_ name: String, returns: @escaping @Sendable (DataType) -> DataType?,
                              _ kernel: @escaping @Sendable ([Column], ExecutionContext) throws -> Column) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(T[])"]) { args, _ in
            guard args.count == 1, let e = element(args[0]), let result = returns(.array(e)) else { return nil }
            return resolved(name, [.array(e)], result) { a, _, ctx in try kernel(a, ctx) }
        }
    }

    /// `name(T[], BIGINT) → T`.
    private static func withIndex(_ name: String, _ kernel: @escaping @Sendable ([Column], ExecutionContext) throws -> Column) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(T[], BIGINT) → T"]) { args, _ in
            guard args.count == 2, let e = element(args[0]), TypeCoercion.castCost(from: args[1], to: .bigint) != nil else { return nil }
            return resolved(name, [.array(e), .bigint], e) { a, _, ctx in try kernel(a, ctx) }
        }
    }

    /// `name(T[], T)` with the `=` kernel of `T` (result nil: the array type).
    private static func withElement(_ name: String, returns: DataType?,
                                    _ kernel: @escaping @Sendable ([Column], ResolvedFunction, ExecutionContext) throws -> Column) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(T[], T)"]) { args, settings in
            guard args.count == 2, let e = element(args[0]), let common = TypeCoercion.commonSuperType(e, args[1]) else { return nil }
            let compared = common == .null ? DataType.integer : common
            guard compared.isOrderable, let eq = try? FunctionRegistry.resolve("=", argumentTypes: [compared, compared], settings: settings) else { return nil }
            return resolved(name, [.array(compared), compared], returns ?? .array(compared)) { a, _, ctx in try kernel(a, eq, ctx) }
        }
    }

    private static func concat(_ name: String, nullIsEmpty: Bool) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(T[], T[], …) → T[]"]) { args, _ in
            let types = args.compactMap(element)
            guard args.count >= 2, types.count == args.count, args.contains(where: { $0.elementType != nil }),
                  let e = TypeCoercion.commonSuperType(types) else { return nil }
            return resolved(name, [DataType](repeating: .array(e), count: args.count), .array(e)) { a, n, _ in
                try concatenate(a, n, element: e, nullIsEmpty: nullIsEmpty)
            }
        }
    }

    private static func slicing(_ name: String, trino: Bool) -> FunctionDefinition {
        let signature = trino ? "slice(T[], start, length) → T[]" : "list_slice(T[], begin, end) → T[]"
        return FunctionDefinition(name, signatures: [signature]) { args, _ in
            guard args.count == 3, let e = element(args[0]),
                  args.dropFirst().allSatisfy({ TypeCoercion.castCost(from: $0, to: .bigint) != nil }) else { return nil }
            return resolved(name, [.array(e), .bigint, .bigint], .array(e)) { a, n, _ in try slice(a, n, trino: trino) }
        }
    }

    private static func joining(_ name: String) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(T[], VARCHAR [, VARCHAR]) → VARCHAR"]) { args, _ in
            guard args.count == 2 || args.count == 3, let e = element(args[0]),
                  args.dropFirst().allSatisfy({ $0 == .varchar || $0 == .null }), CastKernels.canCast(from: e, to: .varchar) else { return nil }
            return resolved(name, [.array(e)] + [DataType](repeating: .varchar, count: args.count - 1), .varchar) { a, n, ctx in
                try join(a, n, ctx)
            }
        }
    }

    /// Trino's set functions on two arrays of one orderable element type: a row-wise body over the elements as values
    /// (NULL elements compare equal to each other, as Trino's do here), NULL when either array is NULL.
    private static func setOperation(_ name: String, _ body: @escaping @Sendable ([Value], [Value]) -> [Value]) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(T[], T[]) → T[]"]) { args, _ in
            guard args.count == 2, let a = element(args[0]), let b = element(args[1]), args.contains(where: { $0.elementType != nil }),
                  let e = TypeCoercion.commonSuperType(a, b), e.isOrderable else { return nil }
            return resolved(name, [.array(e), .array(e)], .array(e)) { cols, n, _ in
                let x = try ListColumn(cols[0]), y = try ListColumn(cols[1])
                var out = ColumnBuilder(type: .array(e), capacity: n)
                for r in 0 ..< n {
                    if x.isNull(r) || y.isNull(r) { out.appendNull(); continue }
                    let values = body(x.range(r).map { x.child.value(at: $0) }, y.range(r).map { y.child.value(at: $0) })
                    out.append(.array(values, element: e))
                }
                return out.finish()
            }
        }
    }

    /// First occurrences, in order.
    static func unique(_ values: [Value]) -> [Value] {
        var seen = Set<Value>()
        return values.filter { seen.insert($0).inserted }
    }

    // MARK: kernels

    /// Trino's `arrays_overlap`: TRUE when a non-NULL element is in both, else NULL when either holds a NULL, else FALSE.
    static func overlap(_ a: [Column], _ n: Int) throws -> Column {
        let x = try ListColumn(a[0]), y = try ListColumn(a[1])
        var out = [Bool](repeating: false, count: n)
        var validity = [UInt8](repeating: 1, count: n)
        for r in 0 ..< n {
            if x.isNull(r) || y.isNull(r) { validity[r] = 0; continue }
            let left = x.range(r).map { x.child.value(at: $0) }, right = Set(y.range(r).map { y.child.value(at: $0) })
            if left.contains(where: { !$0.isNull && right.contains($0) }) { out[r] = true }
            else if left.contains(where: \.isNull) || right.contains(.null) { validity[r] = 0 }
        }
        return Column(type: .boolean, data: .bool(out), validity: ColumnKernels.normalized(validity))
    }

    /// Trino's `trim_array(x, n)`: the last n elements removed; n must be between 0 and the array's length.
    static func trim(_ a: [Column], _ n: Int) throws -> Column {
        let list = try ListColumn(a[0])
        let counts = try ColumnKernels.int64s(a[1])
        var picker = ListColumn.Picker(count: n, validity: list.validity)
        for r in 0 ..< n {
            if list.isNull(r) || a[1].isNull(r) { picker.nullRow(r); continue }
            guard counts[r] >= 0, counts[r] <= Int64(list.length(r)) else {
                throw TarnError(.execution, "trim_array: size to trim must be between 0 and \(list.length(r)), not \(counts[r])")
            }
            for k in list.range(r).dropLast(Int(counts[r])) { picker.pick(k) }
            picker.endRow()
        }
        return picker.finish(list.child)
    }

    /// `ARRAY[a, b, …]` over columns: row r holds every argument's row r.
    static func construct(_ a: [Column], _ n: Int, element: DataType) throws -> Column {
        let k = a.count
        let all = Column.concatenate(a.map { $0.type == element ? $0 : Column.nulls(element, count: n) }, type: element)
        var picks = [Int32](repeating: 0, count: n * k)
        for r in 0 ..< n { for j in 0 ..< k { picks[r * k + j] = Int32(j * n + r) } }
        let offsets = (0 ... n).map { Int32($0 * k) }
        return Column(type: .array(element), data: .list(offsets: offsets, child: all.gather(picks)))
    }

    static func lengths(_ c: Column) throws -> Column {
        let list = try ListColumn(c)
        let values = (0 ..< list.count).map { Int64(list.length($0)) }
        return Column(type: .bigint, data: .int64(values), validity: list.validity)
    }

    /// 1-based; negative indices count from the end; out of range (and 0) give NULL.
    static func elementAt(_ c: Column, _ index: Column) throws -> Column {
        let list = try ListColumn(c)
        let indices = try ColumnKernels.int64s(index)
        var picks = [Int32](repeating: -1, count: list.count)
        for r in 0 ..< list.count where !list.isNull(r) && !index.isNull(r) {
            let length = Int64(list.length(r)), i = indices[r]
            let position = i > 0 ? i - 1 : length + i
            if i != 0, position >= 0, position < length { picks[r] = list.offsets[r] + Int32(position) }
        }
        return ColumnAssembly.gatherOptional(list.child, picks)
    }

    /// `=` between every element and its row's probe value: TRUE / FALSE / NULL per element.
    private static func elementMatches(_ list: ListColumn, _ probe: Column, _ eq: ResolvedFunction, _ ctx: ExecutionContext) throws -> (matches: [Bool], known: [Bool]) {
        let parents = list.parentRows()
        let base = Int(list.offsets[0])
        let elements = list.child.slice(base ..< Int(list.offsets[list.count]))
        let probes = probe.gather(parents)
        let result = try eq.function.kernel([elements, probes], parents.count, ctx)
        let values = try ColumnKernels.bools(result)
        let known = (0 ..< parents.count).map { !result.isNull($0) }
        return (values.enumerated().map { $0.element && known[$0.offset] }, known)
    }

    static func contains(_ a: [Column], _ eq: ResolvedFunction, _ ctx: ExecutionContext, nullElementsUnknown: Bool) throws -> Column {
        let list = try ListColumn(a[0])
        let (matches, known) = try elementMatches(list, a[1], eq, ctx)
        let base = Int(list.offsets[0])
        var out = [Bool](repeating: false, count: list.count)
        var validity = [UInt8](repeating: 1, count: list.count)
        for r in 0 ..< list.count {
            if list.isNull(r) || a[1].isNull(r) { validity[r] = 0; continue }
            var found = false, unknown = false
            for k in list.range(r) {
                if matches[k - base] { found = true; break }
                if !known[k - base] { unknown = true }
            }
            out[r] = found
            if !found && unknown && nullElementsUnknown { validity[r] = 0 }
        }
        return Column(type: .boolean, data: .bool(out), validity: ColumnKernels.normalized(validity))
    }

    static func position(_ a: [Column], _ eq: ResolvedFunction, _ ctx: ExecutionContext, absent: Int64?) throws -> Column {
        let list = try ListColumn(a[0])
        let (matches, _) = try elementMatches(list, a[1], eq, ctx)
        let base = Int(list.offsets[0])
        var out = [Int64](repeating: 0, count: list.count)
        var validity = [UInt8](repeating: 1, count: list.count)
        for r in 0 ..< list.count {
            if list.isNull(r) || a[1].isNull(r) { validity[r] = 0; continue }
            if let k = list.range(r).first(where: { matches[$0 - base] }) {
                out[r] = Int64(k - list.range(r).lowerBound + 1)
            } else if let absent { out[r] = absent } else { validity[r] = 0 }
        }
        return Column(type: .bigint, data: .int64(out), validity: ColumnKernels.normalized(validity))
    }

    /// Trino's `array_remove`: every element equal to the value removed (NULL elements stay).
    static func remove(_ a: [Column], _ eq: ResolvedFunction, _ ctx: ExecutionContext) throws -> Column {
        let list = try ListColumn(a[0])
        let (matches, _) = try elementMatches(list, a[1], eq, ctx)
        let base = Int(list.offsets[0])
        var picker = ListColumn.Picker(count: list.count, validity: list.validity)
        for r in 0 ..< list.count {
            if list.isNull(r) || a[1].isNull(r) { picker.nullRow(r); continue }
            for k in list.range(r) where !matches[k - base] { picker.pick(k) }
            picker.endRow()
        }
        return picker.finish(list.child)
    }

    private static func comparator(_ list: ListColumn) throws -> RowComparator {
        if ArrayKeyEncoding.canKey(list.elementType) {
            // Arrays of arrays order their elements by the elements' order-preserving keys (lexicographic, as DuckDB).
            return RowComparator(columns: [try ArrayKeyEncoding.encode(list.child)], keys: [SortKey(expression: .column(0, .varchar), ascending: true, nullsFirst: false)])
        }
        guard list.elementType.isOrderable else { throw TarnError.semantic("elements of type \(list.elementType) cannot be ordered") }
        return RowComparator(columns: [list.child], keys: [SortKey(expression: .column(0, list.elementType), ascending: true, nullsFirst: false)])
    }

    /// Ascending, NULLs last (Trino's `array_sort`).
    static func sorted(_ c: Column) throws -> Column {
        let list = try ListColumn(c)
        let order = try comparator(list)
        var picker = ListColumn.Picker(count: list.count, validity: list.validity)
        for r in 0 ..< list.count {
            let rows = list.range(r).sorted { order.compare($0, $1) < 0 }
            for k in rows { picker.pick(k) }
            picker.endRow()
        }
        return picker.finish(list.child)
    }

    /// First occurrences in their original order (NULL kept once, as Trino does).
    static func distinct(_ c: Column) throws -> Column {
        let list = try ListColumn(c)
        let order = try comparator(list)
        var picker = ListColumn.Picker(count: list.count, validity: list.validity)
        for r in 0 ..< list.count {
            let rows = list.range(r).sorted { let c = order.compare($0, $1); return c != 0 ? c < 0 : $0 < $1 }
            var keep = Set<Int>()
            for (i, k) in rows.enumerated() where i == 0 || order.compare(rows[i - 1], k) != 0 { keep.insert(k) }
            for k in list.range(r) where keep.contains(k) { picker.pick(k) }
            picker.endRow()
        }
        return picker.finish(list.child)
    }

    /// Largest / smallest element; an empty array gives NULL, and so does any NULL element unless `skipNulls`.
    static func extreme(_ c: Column, max: Bool, skipNulls: Bool) throws -> Column {
        let list = try ListColumn(c)
        let order = try comparator(list)
        var picks = [Int32](repeating: -1, count: list.count)
        for r in 0 ..< list.count where !list.isNull(r) {
            var best: Int? = nil
            var sawNull = false
            for k in list.range(r) {
                if list.child.isNull(k) { sawNull = true; continue }
                if let b = best { if (order.compare(k, b) > 0) == max && order.compare(k, b) != 0 { best = k } } else { best = k }
            }
            if sawNull && !skipNulls { continue }
            if let best { picks[r] = Int32(best) }
        }
        return ColumnAssembly.gatherOptional(list.child, picks)
    }

    /// One level of nesting removed; NULL inner arrays are skipped.
    static func flatten(_ c: Column) throws -> Column {
        let outer = try ListColumn(c)
        let inner = try ListColumn(outer.child)
        var offsets = [Int32](repeating: 0, count: outer.count + 1)
        let start = inner.offsets[Int(outer.offsets[0])]
        for r in 0 ..< outer.count { offsets[r + 1] = inner.offsets[Int(outer.offsets[r + 1])] - start }
        let end = inner.offsets[Int(outer.offsets[outer.count])]
        return Column(type: .array(inner.elementType), data: .list(offsets: offsets, child: inner.child.slice(Int(start) ..< Int(end))),
                      validity: outer.validity)
    }

    static func concatenate(_ a: [Column], _ n: Int, element: DataType, nullIsEmpty: Bool) throws -> Column {
        let lists = try a.map { try ListColumn($0) }
        var bases: [Int32] = []
        var total: Int32 = 0
        for l in lists { bases.append(total); total += Int32(l.child.count) }
        let all = Column.concatenate(lists.map(\.child), type: element)
        var picker = ListColumn.Picker(count: n, validity: nil)
        for r in 0 ..< n {
            let nulls = lists.filter { $0.isNull(r) }.count
            if nulls == lists.count || (nulls > 0 && !nullIsEmpty) { picker.nullRow(r); continue }
            for (j, l) in lists.enumerated() { for k in l.range(r) { picker.pick(Int(bases[j]) + k) } }
            picker.endRow()
        }
        return picker.finish(all)
    }

    /// Trino `slice(a, start, length)` (start 1-based or negative from the end; 0 is an error) and DuckDB
    /// `list_slice(a, begin, end)` / `a[begin:end]` (1-based, inclusive; negative from the end; NULL end: to the end).
    static func slice(_ a: [Column], _ n: Int, trino: Bool) throws -> Column {
        let list = try ListColumn(a[0])
        let first = try ColumnKernels.int64s(a[1]), second = try ColumnKernels.int64s(a[2])
        var picker = ListColumn.Picker(count: n, validity: list.validity)
        for r in 0 ..< n {
            let range = list.range(r)
            let length = Int64(range.count)
            if list.isNull(r) || a[1].isNull(r) || (trino && a[2].isNull(r)) { picker.nullRow(r); continue }
            var lo: Int64, hi: Int64  // 1-based, inclusive
            if trino {
                guard first[r] != 0 else { throw TarnError(.execution, "slice: SQL array indices start at 1") }
                guard second[r] >= 0 else { throw TarnError(.execution, "slice: length must be greater than or equal to 0") }
                lo = first[r] > 0 ? first[r] : length + first[r] + 1
                hi = lo + second[r] - 1
                if lo < 1 { hi = 0 }
            } else {
                lo = first[r] < 0 ? length + first[r] + 1 : first[r]
                hi = a[2].isNull(r) ? length : (second[r] < 0 ? length + second[r] + 1 : second[r])
                lo = Swift.max(lo, 1)
            }
            hi = Swift.min(hi, length)
            if lo <= hi { for k in (range.lowerBound + Int(lo) - 1) ..< (range.lowerBound + Int(hi)) { picker.pick(k) } }
            picker.endRow()
        }
        return picker.finish(list.child)
    }

    /// Elements as text joined by the separator; NULL elements skipped, or replaced by the third argument.
    static func join(_ a: [Column], _ n: Int, _ ctx: ExecutionContext) throws -> Column {
        let list = try ListColumn(a[0])
        let text = try StringColumnReader(CastKernels.cast(list.child, to: .varchar, isTry: false, settings: ctx.settings))
        let separators = try StringColumnReader(a[1])
        let replacements = a.count > 2 ? try StringColumnReader(a[2]) : nil
        var out = StringArray()
        var validity = [UInt8](repeating: 1, count: n)
        for r in 0 ..< n {
            if list.isNull(r) || a[1].isNull(r) { validity[r] = 0; out.appendEmpty(); continue }
            var parts: [String] = []
            for k in list.range(r) {
                if list.child.isNull(k) {
                    if let replacements, !(a[2].isNull(r)) { parts.append(replacements.string(r)) }
                } else {
                    parts.append(text.string(k))
                }
            }
            out.append(parts.joined(separator: separators.string(r)))
        }
        return Column(type: .varchar, data: .string(out), validity: ColumnKernels.normalized(validity))
    }

    /// Integers or dates from start to stop inclusive by step (default 1 / -1 following the direction).
    static func sequence(_ a: [Column], _ n: Int, date: Bool) throws -> Column {
        let starts = try ColumnKernels.int64s(a[0]), stops = try ColumnKernels.int64s(a[1])
        let steps = a.count > 2 ? try ColumnKernels.int64s(a[2]) : nil
        var values: [Int64] = []
        var offsets: [Int32] = [0]
        var validity = [UInt8](repeating: 1, count: n)
        for r in 0 ..< n {
            if a.contains(where: { $0.isNull(r) }) { validity[r] = 0; offsets.append(Int32(values.count)); continue }
            let start = starts[r], stop = stops[r]
            let step = steps?[r] ?? (stop >= start ? 1 : -1)
            guard step != 0 else { throw TarnError(.execution, "sequence: step must not be zero") }
            guard (stop >= start) == (step > 0) || start == stop else {
                throw TarnError(.execution, "sequence: step must be \(step > 0 ? "negative for a decreasing" : "positive for an increasing") sequence")
            }
            let count = (stop - start) / step + 1
            guard count <= 1_000_000 else { throw TarnError(.execution, "sequence: result would have \(count) entries, more than 1,000,000") }
            var v = start
            for _ in 0 ..< count { values.append(v); v += step }
            offsets.append(Int32(values.count))
        }
        let child = date ? Column(type: .date, data: .int32(values.map { Int32(truncatingIfNeeded: $0) }))
                         : Column(type: .bigint, data: .int64(values))
        return Column(type: .array(child.type), data: .list(offsets: offsets, child: child), validity: ColumnKernels.normalized(validity))
    }

    /// Builds a VARCHAR[] column from per-row string lists.
    private static func stringLists(_ a: [Column], _ n: Int, _ body: (String, StringColumnReader, Int) throws -> [String]) throws -> Column {
        let strings = try StringColumnReader(a[0])
        let patterns = try StringColumnReader(a[1])
        var child = StringArray()
        var offsets: [Int32] = [0]
        var validity = [UInt8](repeating: 1, count: n)
        for r in 0 ..< n {
            if a.contains(where: { $0.isNull(r) }) { validity[r] = 0 } else {
                for part in try body(strings.string(r), patterns, r) { child.append(part) }
            }
            offsets.append(Int32(child.count))
        }
        return Column(type: .array(.varchar), data: .list(offsets: offsets, child: Column(type: .varchar, data: .string(child))),
                      validity: ColumnKernels.normalized(validity))
    }

    static func splitting(_ a: [Column], _ n: Int, regex: Bool) throws -> Column {
        try stringLists(a, n) { s, patterns, r in
            let separator = patterns.string(r)
            if regex {
                let expression = try RegexCache.shared.regex(separator)
                var parts: [String] = []
                var last = s.startIndex
                for m in expression.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                    guard let range = Range(m.range, in: s), !range.isEmpty else { continue }
                    parts.append(String(s[last ..< range.lowerBound]))
                    last = range.upperBound
                }
                parts.append(String(s[last...]))
                return parts
            }
            if separator.isEmpty { return s.map { String($0) } }
            return s.components(separatedBy: separator)
        }
    }

    static func extractAll(_ a: [Column], _ n: Int) throws -> Column {
        let groups = a.count > 2 ? try ColumnKernels.int64s(a[2]) : nil
        return try stringLists(a, n) { s, patterns, r in
            let expression = try RegexCache.shared.regex(patterns.string(r))
            let group = Int(groups?[r] ?? 0)
            guard group >= 0, group <= expression.numberOfCaptureGroups else {
                throw TarnError(.execution, "regexp_extract_all: pattern has \(expression.numberOfCaptureGroups) groups, cannot access group \(group)")
            }
            return expression.matches(in: s, range: NSRange(s.startIndex..., in: s)).compactMap { m in
                Range(m.range(at: group), in: s).map { String(s[$0]) }
            }
        }
    }
}
