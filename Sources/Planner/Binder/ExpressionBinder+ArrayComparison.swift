import Storage
import SQL
import Execution

/// Comparisons of ARRAY, ROW and MAP values (`=`, `<`, IS DISTINCT FROM, IN): both sides become their order-preserving keys
/// (`ArrayKeyEncoding`), compared as strings: arrays lexicographically as DuckDB's lists, rows field by field, maps by their sorted entries.
extension ExpressionBinder {
    /// `e`'s key when it is an ARRAY, ROW or MAP, else `e`.
    func arrayKey(_ e: BoundExpression) -> BoundExpression {
        guard ArrayKeyEncoding.canKey(e.type) else { return e }
        if case let .constant(v, t) = e, let key = try? ArrayKeyEncoding.encode(ColumnKernels_constant(v, t)) {
            return .constant(key.value(at: 0), .varchar)
        }
        return .call(ArrayKeyEncoding.keyFunction, [e], .varchar)
    }
}

/// A one-row column holding `v`.
private func ColumnKernels_constant(_ v: Value, _ t: DataType) -> Column { Column.constant(v, type: t, count: 1) }
