import Storage
import SQL

extension QueryBinder {
    /// DuckDB's `SELECT a, unnest(arr) AS x FROM t` as `SELECT a, x FROM t, UNNEST(arr) AS u(x)`: each row repeated per
    /// element (several `unnest` items are zipped, the shorter padded with NULL, as DuckDB does). nil when the select
    /// list has no `unnest`. Only top-level `unnest(…)` items of a query without aggregation are rewritten; other uses
    /// are refused rather than computed differently from DuckDB.
    static func selectListUnnest(_ s: Select) throws -> Select? {
        var arrays: [Expression] = []
        var items: [SelectItem] = []
        for item in s.items {
            guard case let .expression(e, alias) = item, case let .function(call) = e.kind, call.baseName == "unnest",
                  call.window == nil else { items.append(item); continue }
            guard call.arguments.count == 1, case let .expression(array) = call.arguments[0].value else {
                throw TarnError.semantic("unnest() in the select list takes one array", line: e.location.line, column: e.location.column)
            }
            let column = "__unnest_\(arrays.count)"
            arrays.append(array)
            items.append(.expression(Expression(.column(parts: ["__unnest", column]), at: e.location),
                                     alias: alias ?? ExpressionNaming.name(of: e)))
        }
        var nested: SourceLocation? = nil
        var aggregate = false
        for case let .expression(e, _) in items {
            ExpressionNaming.visit(e) { x in
                guard case let .function(call) = x.kind else { return }
                if call.baseName == "unnest" { nested = nested ?? x.location }
                if call.window == nil, AggregateCatalog.isAggregate(call.baseName) { aggregate = true }
            }
        }
        if let nested {
            throw TarnError.semantic("unnest() is supported as a whole select item or in FROM (CROSS JOIN UNNEST(…)), not inside an expression",
                                     line: nested.line, column: nested.column)
        }
        guard !arrays.isEmpty else { return nil }
        if aggregate || !s.groupBy.isEmpty || s.groupByAll || s.having != nil {
            throw TarnError.semantic("unnest() in the select list of an aggregate query is not supported; unnest in a subquery or in FROM",
                                     line: s.location.line, column: s.location.column)
        }
        let call = FunctionCall(name: ["unnest"], arguments: arrays.map { FunctionArgument(value: .expression($0)) })
        var rewritten = s
        rewritten.items = items
        rewritten.from = s.from + [.function(call, alias: "__unnest", columnAliases: arrays.indices.map { "__unnest_\($0)" },
                                             location: arrays[0].location)]
        return rewritten
    }
}
