import Storage
import SQL
import Execution

extension QueryBinder {
    /// An aggregate call's `ORDER BY` (`string_agg(x, ',' ORDER BY y)`, `listagg(x, ',') WITHIN GROUP (ORDER BY y)`,
    /// `percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`), turned into what the engine runs, so that it is never
    /// silently ignored:
    /// - ordered-set aggregates (`percentile_cont`, `quantile_cont`, `median`, `mode`): the ORDER BY expression becomes
    ///   the argument (DESC turns the fraction p into 1 − p);
    /// - concatenating aggregates: the input is sorted by the keys before aggregation (`ordering`; they run in input
    ///   order). Calls in one query must agree on their ORDER BY;
    /// - aggregates whose result does not depend on order (sum, count, min, …): the ORDER BY changes nothing;
    /// - `first` / `arbitrary` with an ORDER BY: not supported (an error, not an arbitrary row).
    func orderedAggregate(_ call: FunctionCall, scope: Scope, ordering: inout [SortKey]?, at loc: SourceLocation) throws -> FunctionCall {
        guard !call.orderBy.isEmpty else { return call }
        var plain = call
        plain.orderBy = []
        let name = call.baseName
        switch name {
        case "percentile_cont", "quantile_cont", "quantile", "median", "mode":
            guard call.orderBy.count == 1 else {
                throw TarnError(.semantic, "\(name) WITHIN GROUP takes exactly one ORDER BY expression", line: loc.line, column: loc.column)
            }
            let key = call.orderBy[0]
            if name == "median" || name == "mode" {
                guard call.arguments.isEmpty else {
                    throw TarnError(.semantic, "\(name)() WITHIN GROUP (ORDER BY x) takes no other argument", line: loc.line, column: loc.column)
                }
                plain.arguments = [FunctionArgument(value: .expression(key.expression))]
                return plain
            }
            guard call.arguments.count == 1, case let .expression(fraction) = call.arguments[0].value else {
                throw TarnError(.semantic, "\(name)(p) WITHIN GROUP (ORDER BY x) takes the fraction p as its only argument",
                                line: loc.line, column: loc.column)
            }
            let p = key.ascending ? fraction
                : Expression(.binary(.subtract, Expression(.literal(.integer("1")), at: fraction.location), fraction), at: fraction.location)
            plain.arguments = [FunctionArgument(value: .expression(key.expression)), FunctionArgument(value: .expression(p))]
            return plain
        case "string_agg", "listagg", "group_concat", "array_agg", "list":
            var binder = ExpressionBinder(binder: self, scope: scope)
            binder.clause = "an aggregate's ORDER BY"
            let keys = try call.orderBy.map { sortKey(try binder.bind($0.expression), $0) }
            if let existing = ordering, !Self.sameOrdering(existing, keys) {
                throw TarnError(.unsupported, "aggregates with different ORDER BY in one query are not supported yet; "
                                + "compute them in separate subqueries", line: loc.line, column: loc.column)
            }
            ordering = keys
            return plain
        case "arbitrary", "any_value", "first":
            throw TarnError(.unsupported, "\(name)(… ORDER BY …) is not supported yet; use min_by / max_by", line: loc.line, column: loc.column)
        default:
            return plain
        }
    }

    /// `SELECT DISTINCT ON (k, …) … ORDER BY o` (PostgreSQL, DuckDB) as the same SELECT with
    /// `QUALIFY row_number() OVER (PARTITION BY k, … ORDER BY o) = 1`: the first row of each key in ORDER BY order.
    /// ORDER BY positions become the select items they name; select-list aliases resolve as QUALIFY allows.
    static func distinctOnAsQualify(_ s: Select, orderBy: [OrderItem]) -> Select {
        var rewritten = s
        let order = orderBy.map { item -> OrderItem in
            guard case let .literal(.integer(text)) = item.expression.kind, let k = Int(text), k >= 1, k <= s.items.count,
                  case let .expression(e, _) = s.items[k - 1] else { return item }
            return OrderItem(expression: e, ascending: item.ascending, nullsFirst: item.nullsFirst)
        }
        let location = s.distinctOn[0].location
        let rowNumber = FunctionCall(name: ["row_number"], arguments: [], window: WindowSpec(partitionBy: s.distinctOn, orderBy: order))
        let first = Expression(.binary(.equal, Expression(.function(rowNumber), at: location), Expression(.literal(.integer("1")), at: location)),
                               at: location)
        rewritten.qualify = s.qualify.map { Expression(.binary(.and, $0, first), at: location) } ?? first
        rewritten.distinctOn = []
        return rewritten
    }

    private static func sameOrdering(_ a: [SortKey], _ b: [SortKey]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.expression.key == $1.expression.key && $0.ascending == $1.ascending && $0.nullsFirst == $1.nullsFirst
        }
    }
}
