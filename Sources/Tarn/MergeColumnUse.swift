import SQL

/// Which target columns a MERGE's ON condition and clauses can read: every column whose name appears as the last part
/// of a column reference anywhere in them (whatever its qualifier, so a superset). nil when some expression holds a
/// subquery, a `*`, a window, a lambda or a table argument, whose references are not followed: the caller then reads
/// every column.
enum MergeColumnUse {
    static func names(_ m: MergeStatement) -> Set<String>? {
        var names = Set<String>()
        var expressions = [m.condition]
        for clause in m.clauses {
            if let c = clause.condition { expressions.append(c) }
            switch clause.action {
            case let .update(assignments): expressions += assignments.map(\.value)
            case let .insert(_, values): expressions += values
            case .updateAll, .insertAll, .delete, .doNothing: break
            }
        }
        for e in expressions { guard collect(e, into: &names) else { return nil } }
        return names
    }

    /// Adds the lower-cased last part of every column reference in `e`; false when `e` holds a construct not followed.
    private static func collect(_ e: Expression, into names: inout Set<String>) -> Bool {
        func all(_ list: [Expression]) -> Bool { list.allSatisfy { collect($0, into: &names) } }
        switch e.kind {
        case .literal, .parameter: return true
        case let .column(parts):
            if let last = parts.last { names.insert(last.lowercased()) }
            return true
        case .star, .inSubquery, .exists, .subquery: return false
        case let .unary(_, x), let .cast(x, _, _), let .isNull(x, _), let .isBoolean(x, _, _), let .extract(_, x):
            return collect(x, into: &names)
        case let .binary(_, a, b): return all([a, b])
        case let .function(call):
            guard call.window == nil, !call.isStar else { return false }
            for argument in call.arguments {
                guard case let .expression(x) = argument.value, collect(x, into: &names) else { return false }
            }
            return all((call.filter.map { [$0] } ?? []) + call.orderBy.map(\.expression))
        case let .caseWhen(operand, branches, elseResult):
            return all((operand.map { [$0] } ?? []) + branches.flatMap { [$0.condition, $0.result] } + (elseResult.map { [$0] } ?? []))
        case let .between(x, low, high, _): return all([x, low, high])
        case let .inList(x, list, _): return all([x] + list)
        case let .like(x, pattern, escape, _, _): return all([x, pattern] + (escape.map { [$0] } ?? []))
        case let .array(list): return all(list)
        case let .subscript(x, index, upper): return all([x] + (index.map { [$0] } ?? []) + ((upper ?? nil).map { [$0] } ?? []))
        }
    }
}
