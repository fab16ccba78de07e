/// Quantified comparisons `x op ANY | SOME | ALL (subquery)` (SQL standard, Trino, PostgreSQL), rewritten while
/// parsing into forms the binder already has, with the standard's three-valued results:
/// `= ANY` is `IN`, `<> ALL` is `NOT IN`; every other form compares `x` with the subquery's minimum or maximum
/// and uses its row and non-NULL counts, so an empty subquery gives FALSE (ANY) or TRUE (ALL), and a NULL on
/// either side gives NULL exactly where some comparison is unknown and none decides the result.
extension SQLParser {
    /// After a comparison operator: whether `ANY (`, `SOME (` or `ALL (` followed by a query comes next.
    var atQuantifiedSubquery: Bool {
        guard current.kind == .word, ["ANY", "SOME", "ALL"].contains(current.keyword), isSymbol("(", at: 1) else { return false }
        var distance = 1
        while isSymbol("(", at: distance) { distance += 1 }
        let next = peek(distance)
        return next.kind == .word && ["SELECT", "WITH", "VALUES"].contains(next.keyword)
    }

    /// Parses `ANY | SOME | ALL (query)` and returns `left op quantifier (query)` as an expression.
    mutating func parseQuantifiedComparison(_ left: Expression, _ op: BinaryOperator) throws -> Expression {
        let all = advance().keyword == "ALL"
        try expectSymbol("(", "after \(all ? "ALL" : "ANY")")
        let query = try parseQuery()
        try expectSymbol(")", "after the \(all ? "ALL" : "ANY") subquery")
        return Self.quantifiedComparison(left, op, all: all, query)
    }

    static func quantifiedComparison(_ x: Expression, _ op: BinaryOperator, all: Bool, _ query: Query) -> Expression {
        let at = x.location
        if op == .equal && !all { return Expression(.inSubquery(x, query, negated: false), at: at) }
        if op == .notEqual && all { return Expression(.inSubquery(x, query, negated: true), at: at) }

        func literal(_ l: Literal) -> Expression { Expression(.literal(l), at: at) }
        func binary(_ o: BinaryOperator, _ a: Expression, _ b: Expression) -> Expression { Expression(.binary(o, a, b), at: at) }
        func not(_ e: Expression) -> Expression { Expression(.unary(.not, e), at: at) }
        func isNull(_ e: Expression) -> Expression { Expression(.isNull(e, negated: false), at: at) }
        /// `(SELECT f(c) FROM (query) AS _quantified(c))`, or `count(*)` when `f` is nil.
        func aggregate(_ f: String?) -> Expression {
            let column = Expression(.column(parts: ["_quantified_value"]), at: at)
            let call = f.map { FunctionCall(name: [$0], arguments: [FunctionArgument(value: .expression(column))]) }
                ?? FunctionCall(name: ["count"], arguments: [], isStar: true)
            let select = Select(items: [.expression(Expression(.function(call), at: at), alias: nil)],
                                from: [.subquery(query, alias: "_quantified", columnAliases: ["_quantified_value"], location: at)], location: at)
            return Expression(.subquery(Query(body: .select(select), location: at)), at: at)
        }
        let rows = aggregate(nil), values = aggregate("count")
        let someNull = binary(.less, values, rows)
        let empty = binary(.equal, rows, literal(.integer("0")))
        func when(_ c: Expression, _ r: Expression) -> WhenBranch { WhenBranch(condition: c, result: r) }
        let yes = literal(.boolean(true)), no = literal(.boolean(false)), unknown = literal(.null)

        // Some value differs from x: the minimum or the maximum does.
        let differs = binary(.or, binary(.notEqual, aggregate("min"), x), binary(.notEqual, aggregate("max"), x))
        let branches: [WhenBranch]
        switch (op, all) {
        case (.notEqual, false):
            branches = [when(empty, no), when(differs, yes), when(binary(.or, isNull(x), someNull), unknown)]
        case (.equal, true):
            branches = [when(empty, yes), when(isNull(x), unknown), when(differs, no), when(someNull, unknown)]
        default:
            // x > ANY holds for some value iff it holds for the smallest; x > ALL iff for the largest (mirrored for <).
            let towardsSmall = op == .greater || op == .greaterOrEqual
            let decisive = aggregate(towardsSmall != all ? "min" : "max")
            let comparison = binary(op, x, decisive)
            branches = all
                ? [when(empty, yes), when(isNull(x), unknown), when(not(comparison), no), when(someNull, unknown)]
                : [when(empty, no), when(comparison, yes), when(binary(.or, isNull(x), someNull), unknown)]
        }
        return Expression(.caseWhen(operand: nil, branches: branches, elseResult: all ? yes : no), at: at)
    }
}
