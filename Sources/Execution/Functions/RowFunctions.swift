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
