import Storage

/// ROW values: building one from its field values (`ROW(a, b)`, DuckDB's `{'x': a}` / `struct_pack`) and reading a
/// field (`r.x`, `r['x']`). The binder makes these calls itself, since the field names are part of the SQL text.
public enum RowFunctions {
    /// A ROW of the given fields from one argument column per field (never NULL itself).
    public static func constructor(_ fields: [RowField]) -> ScalarFunction {
        let type = DataType.row(fields)
        return ScalarFunction(name: "row") { arguments, n, _ in
            guard arguments.count == fields.count else { throw TarnError(.internal, "row() got \(arguments.count) values for \(fields.count) fields") }
            return Column(type: type, data: .fields(arguments.map { $0.count == n ? $0 : Column.nulls($0.type, count: n) }))
        }
    }

    /// Trino's `zip(a1, a2, …)`: per row, an array of rows whose field k is element i of array k, as long as the longest
    /// array (the shorter ones padded with NULL); NULL when any array is NULL.
    static var definitions: [FunctionDefinition] {
        [FunctionDefinition("zip", signatures: ["zip(T1[], T2[], …) → ROW(field0 T1, field1 T2, …)[]"]) { args, _ in
            guard args.count >= 2 else { return nil }
            let elements = args.compactMap { $0 == .null ? DataType.integer : $0.elementType }
            guard elements.count == args.count else { return nil }
            let fields = elements.enumerated().map { RowField(name: "field\($0.offset)", type: $0.element) }
            let result = DataType.array(.row(fields))
            return ResolvedFunction(function: ScalarFunction(name: "zip") { a, n, _ in try zip(a, n, fields: fields) },
                                    parameterTypes: elements.map { .array($0) }, returnType: result)
        }]
    }

    static func zip(_ arrays: [Column], _ n: Int, fields: [RowField]) throws -> Column {
        let lists = try arrays.map { try ListColumn($0) }
        var picks = [[Int32]](repeating: [], count: lists.count)
        var offsets: [Int32] = [0]
        var validity = [UInt8](repeating: 1, count: n)
        for row in 0 ..< n {
            if lists.contains(where: { $0.isNull(row) }) { validity[row] = 0; offsets.append(offsets[offsets.count - 1]); continue }
            let length = lists.map { $0.length(row) }.max() ?? 0
            for (k, list) in lists.enumerated() {
                let range = list.range(row)
                for i in 0 ..< length { picks[k].append(i < range.count ? Int32(range.lowerBound + i) : -1) }
            }
            offsets.append(offsets[offsets.count - 1] + Int32(length))
        }
        let children = lists.indices.map { ColumnAssembly.gatherOptional(lists[$0].child, picks[$0]) }
        let rows = Column(type: .row(fields), data: .fields(children))
        return Column(type: .array(.row(fields)), data: .list(offsets: offsets, child: rows), validity: ColumnKernels.normalized(validity))
    }

    /// Field `index` of a ROW argument: NULL where the row is NULL.
    public static func field(_ index: Int, name: String) -> ScalarFunction {
        ScalarFunction(name: "struct_extract(\(name))") { arguments, _, _ in
            guard let row = arguments.first, case let .fields(columns) = row.data, index < columns.count else {
                throw TarnError(.internal, "field access on a non-ROW column")
            }
            var field = columns[index]
            if let rowValidity = row.validity {
                var v = field.validity ?? [UInt8](repeating: 1, count: field.count)
                for i in 0 ..< v.count where rowValidity[i] == 0 { v[i] = 0 }
                field.validity = ColumnKernels.normalized(v)
            }
            return field
        }
    }
}
