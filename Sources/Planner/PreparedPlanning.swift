import Storage
import Execution
import SQL

/// Plans made once for a query with bind parameters (`$1`, `$2`, … as `ParameterMarker`s) and run many times with
/// different values: PostgreSQL's generic plan of a prepared statement. Binding, optimising and the catalog
/// lookups are paid once; each run only puts the values in as constants and folds them, so statistics pruning and
/// sequence chunks see them as they see literals.
extension QueryPlanner {
    /// Binds and optimises `query` with its parameters as placeholders of `parameterTypes`. Nil when the plan
    /// cannot be reused as is: it reads a relation outside the lake (a table function, an attached database, a
    /// catalog view — their contents are taken when planning), a table at a past version (time travel resolved
    /// when planning), holds a subquery (its plan is out of reach of the substitution), lost sight of a parameter,
    /// or names a result column after one.
    /// Throws what binding throws.
    public static func planReusable(_ query: Query, parameterTypes: [DataType], context: BinderContext) throws -> PlannedQuery? {
        context.parameterTypes = parameterTypes
        let planned = try plan(query, context: context)
        // A result column named after an expression with a parameter (`SELECT $1 + 1`) would be named after the
        // value with the value written in: such a query is planned with its values.
        guard !context.readsPastVersions, !planned.columns.contains(where: { $0.name.contains("$") }) else { return nil }
        var reusable = true
        var seen = Set<Int>()
        func visit(_ node: LogicalPlan) {
            if case .external = node { reusable = false }
            for e in node.expressions {
                e.forEachNode { n in
                    if case .subquery = n { reusable = false }
                    if let number = ParameterMarker.number(n) { seen.insert(number) }
                }
            }
            node.inputs.forEach(visit)
        }
        visit(planned.logical)
        guard reusable, seen == context.parameterNumbersBound else { return nil }
        return planned
    }

    /// `prepared` with parameter `n` replaced by `values[n - 1]` (already of the parameter's type, see
    /// `parameterValue`) and constants folded again.
    public static func bindParameters(_ prepared: PlannedQuery, _ values: [Value]) throws -> PlannedQuery {
        func substitute(_ e: BoundExpression) throws -> BoundExpression {
            try e.transformed { node in
                guard let number = ParameterMarker.number(node) else { return nil }
                guard number >= 1, number <= values.count else {
                    throw TarnError(.internal, "parameter $\(number) was not given a value")
                }
                return .constant(values[number - 1], node.type)
            }
        }
        let bound = try prepared.logical.transformedUp { try $0.mapExpressions(substitute) }
        return PlannedQuery(columns: prepared.columns, logical: try ConstantFolding().apply(bound), outputIds: prepared.outputIds)
    }

    /// `value` as a constant of `type`, converted as `CAST(value AS type)` converts it.
    public static func parameterValue(_ value: Value, as type: DataType, settings: SessionSettings) throws -> Value {
        if value.dataType == type { return value }
        return try ConstantEvaluator.evaluate(.cast(.constant(value, value.dataType), type, isTry: false), settings: settings)
    }
}
