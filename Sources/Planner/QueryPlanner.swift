import Foundation
import Storage
import SQL
import Execution

/// A bound, optimised query ready to run: its result columns and its plan.
public struct PlannedQuery {
    public let columns: [Field]
    public let logical: LogicalPlan
    let outputIds: [Int]

    /// Builds fresh physical operators (a plan can be run more than once).
    public func makeOperator() throws -> PhysicalOperator {
        let op = try PhysicalPlanner.plan(logical, outputIds: outputIds).op
        StreamingScans.mark(op)
        return op
    }
}

/// The Planner's entry points: SQL AST in, optimised plans out.
public enum QueryPlanner {
    /// Binds and optimises a query.
    public static func plan(_ query: Query, context: BinderContext) throws -> PlannedQuery {
        let binder = QueryBinder(context: context)
        let logical = try binder.bindQuery(query)
        let visible = logical.columns.filter { !$0.hidden }
        let optimized = try Optimizer.optimize(logical)
        return PlannedQuery(columns: visible.map { Field(name: $0.name, type: $0.type == .null ? .integer : $0.type) },
                            logical: optimized, outputIds: visible.map(\.id))
    }

    /// Plans `source` so its output matches `target` exactly (column order and types), as INSERT needs:
    /// with `columns`, source column i goes to the named target column and the others are NULL.
    public static func planInsert(_ source: Query, into target: Schema, columns: [String]?, context: BinderContext) throws -> PlannedQuery {
        let binder = QueryBinder(context: context)
        let logical = try binder.bindQuery(source)
        let visible = logical.columns.filter { !$0.hidden }
        var mapping = [Int?](repeating: nil, count: target.count)
        if let columns {
            guard columns.count == visible.count else {
                throw TarnError.semantic("INSERT names \(columns.count) columns but the query produces \(visible.count)")
            }
            for (i, name) in columns.enumerated() {
                guard let t = target.index(of: name) else {
                    throw TarnError.semantic("column '\(name)' does not exist in the target table" + NameSuggestion.hint(for: name, among: target.names))
                }
                if mapping[t] != nil { throw TarnError.semantic("column '\(name)' is named twice in INSERT") }
                mapping[t] = i
            }
        } else {
            guard visible.count == target.count else {
                throw TarnError.semantic("INSERT has \(visible.count) values per row but the table has \(target.count) columns")
            }
            for i in 0..<target.count { mapping[i] = i }
        }
        var items: [ProjectItem] = []
        for (t, field) in target.fields.enumerated() {
            let expr: BoundExpression
            if let s = mapping[t] {
                let src = visible[s]
                if logical.producesOnlyUntypedNulls(src.id) {
                    expr = .constant(.null, field.type)  // `NULL` takes the target column's type
                } else {
                    expr = try coerce(.column(src.id, src.type), to: field, settings: context.settings)
                }
            } else {
                expr = .constant(.null, field.type)
            }
            items.append(ProjectItem(expression: expr, column: binder.newColumn(field.name, field.type)))
        }
        let projected = LogicalPlan.project(logical, items)
        let optimized = try Optimizer.optimize(projected)
        return PlannedQuery(columns: target.fields, logical: optimized, outputIds: items.map(\.column.id))
    }

    /// Whether a value of type `from` may be stored in a column of type `to` (arrays: element by element).
    private static func assignable(_ from: DataType, to: DataType, settings: SessionSettings) -> Bool {
        if case let .array(a) = from, case let .array(b) = to { return a == b || a == .null || assignable(a, to: b, settings: settings) }
        if from.isRowOrMap || to.isRowOrMap {
            // ROW to ROW field by field in order (the column's names win), MAP to MAP key- and value-wise.
            switch (from, to) {
            case let (.row(a), .row(b)): return a.count == b.count && zip(a, b).allSatisfy { assignable($0.type, to: $1.type, settings: settings) }
            case let (.map(k1, v1), .map(k2, v2)): return assignable(k1, to: k2, settings: settings) && assignable(v1, to: v2, settings: settings)
            default: return false
            }
        }
        if from.elementType != nil || to.elementType != nil { return from == to }
        return settings.sqliteCompatible || TypeCoercion.canImplicitlyCast(from: from, to: to)
            || (from.isNumeric && to.isNumeric) || (from == .varchar && (to == .date || to == .timestamp))
    }

    /// Casts a value for storage into `field`, refusing conversions Trino would not do implicitly.
    public static func coerce(_ e: BoundExpression, to field: Field, settings: SessionSettings) throws -> BoundExpression {
        if e.type == field.type { return e }
        if e.type == .null { return .constant(.null, field.type) }
        if assignable(e.type, to: field.type, settings: settings) { return .cast(e, field.type, isTry: false) }
        throw TarnError.semantic("column '\(field.name)' is \(field.type) but the value is \(e.type)")
    }

    /// Binds an expression over the columns of `schema` (column i at batch position i), for DELETE /
    /// UPDATE predicates, assignments and expectations.
    public static func bindExpression(_ e: SQL.Expression, over schema: Schema, qualifier: String?, context: BinderContext,
                                      asCondition: Bool, targetType: DataType? = nil) throws -> BoundExpression {
        let binder = QueryBinder(context: context)
        let columns = schema.fields.map { binder.newColumn($0.name, $0.type, qualifier: qualifier) }
        var eb = ExpressionBinder(binder: binder, scope: Scope(columns))
        eb.clause = asCondition ? "WHERE" : "SET"
        var bound = asCondition ? try eb.bindCondition(e) : try eb.bind(e)
        if let targetType, bound.type != targetType {
            bound = try coerce(bound, to: Field(name: "value", type: targetType), settings: context.settings)
        }
        let positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.id, $0) })
        let remapped = try PhysicalPlanner.remap(bound, positions)
        return ConstantFolding.fold(remapped)
    }

    /// Statistics predicates usable to skip row groups for a bound condition over a table's columns.
    public static func statisticsPredicates(_ condition: BoundExpression) -> [ColumnPredicate] {
        condition.conjuncts.compactMap { c in
            // Over table positions: column index == table column index.
            let cols = c.columnIds.sorted().map { PlanColumn(id: $0, name: "", type: .null) }
            return StatisticsPredicates.predicate(from: c, columns: cols, tableColumns: cols.map(\.id))
        }
    }

    /// EXPLAIN text: the optimised physical plan, with per-operator figures after ANALYZE.
    public static func explain(_ op: PhysicalOperator, analyze: Bool) -> [String] {
        ExplainFormatter.render(op, analyze: analyze)
    }
}

extension QueryPlanner {
    /// Evaluates a `VERSION AS OF` / `TIMESTAMP AS OF` clause (RESTORE uses it outside a query).
    public static func snapshotSelector(_ t: TimeTravel, context: BinderContext) throws -> SnapshotSelector {
        try QueryBinder(context: context).snapshotSelector(t)
    }
}
