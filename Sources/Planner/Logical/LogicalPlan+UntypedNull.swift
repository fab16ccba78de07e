import Storage
import Execution

extension LogicalPlan {
    /// Whether the column `id` of this plan holds nothing but NULLs written as an untyped `NULL` literal (a select
    /// item `NULL` or `coalesce(NULL, NULL)`, a VALUES column of NULLs, a set operation of such). The binder types such a column INTEGER, but
    /// it has no type of its own: an INSERT target, a UNION partner or a CASE branch gives it one, as in every engine.
    public func producesOnlyUntypedNulls(_ id: Int) -> Bool {
        switch self {
        case let .project(child, items):
            guard let item = items.first(where: { $0.column.id == id }) else { return false }
            return Self.isUntypedNull(item.expression, in: child)
        case let .values(columns, batches, _):
            guard let index = columns.firstIndex(where: { $0.id == id }) else { return false }
            return batches.allSatisfy { $0.columns[index].nullCount == $0.count }
        case let .unionAll(children, columns):
            guard let index = columns.firstIndex(where: { $0.id == id }) else { return false }
            return children.allSatisfy { child in
                index < child.columns.count && child.producesOnlyUntypedNulls(child.columns[index].id)
            }
        case let .filter(child, _), let .sort(child, _), let .limit(child, _, _), let .topN(child, _, _, _), let .distinct(child):
            return child.producesOnlyUntypedNulls(id)
        default:
            return false
        }
    }

    private static func isUntypedNull(_ e: BoundExpression, in child: LogicalPlan) -> Bool {
        switch e {
        case let .constant(value, type): return value == .null && (type == .null || type == .integer)
        case let .cast(inner, _, _): return isUntypedNull(inner, in: child)
        case let .column(id, _): return child.producesOnlyUntypedNulls(id)
        case let .coalesce(arguments, _): return arguments.allSatisfy { isUntypedNull($0, in: child) }
        default: return false
        }
    }
}
