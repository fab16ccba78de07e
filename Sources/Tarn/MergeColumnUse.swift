import SQL

/// Which target columns a MERGE's ON condition and its MATCHED / NOT MATCHED BY SOURCE clauses can read: every name
/// that appears as a part of a column reference not qualified by the source's alias (unqualified names, the target's
/// alias and any other qualifier count, so a superset). NOT MATCHED [BY TARGET] clauses are left out: they run on the
/// source rows no target row matched, where no target column is in scope. nil when some expression holds a subquery,
/// a `*`, a window, a lambda or a table argument, whose references are not followed: the caller then reads every
/// column.
enum MergeColumnUse {
    /// `sourceAlias`: the name the source's columns are qualified with (nil: none known, every qualified reference
    /// counts); a source alias equal to the target's counts nothing as the source's.
    static func names(_ m: MergeStatement, sourceAlias: String?, targetAlias: String) -> Set<String>? {
        var names = Set<String>()
        var expressions = [m.condition]
        for clause in m.clauses where clause.match != .notMatchedByTarget {
            if let c = clause.condition { expressions.append(c) }
            switch clause.action {
            case let .update(assignments): expressions += assignments.map(\.value)
            case let .insert(_, values): expressions += values
            case .updateAll, .insertAll, .delete, .doNothing: break
            }
        }
        let source = sourceAlias.map { $0.lowercased() }.flatMap { $0 == targetAlias.lowercased() ? nil : $0 }
        for e in expressions { guard collect(e, skipping: source, into: &names) else { return nil } }
        return names
    }

    /// Adds every lower-cased part of each column reference in `e` (a field access `t.c.f` names `c` too) except
    /// references qualified by `source`; false when `e` holds a construct not followed.
    private static func collect(_ e: Expression, skipping source: String?, into names: inout Set<String>) -> Bool {
        func all(_ list: [Expression]) -> Bool { list.allSatisfy { collect($0, skipping: source, into: &names) } }
        switch e.kind {
        case .literal, .parameter: return true
        case let .column(parts):
            if parts.count >= 2, let source, parts[0].lowercased() == source { return true }
            for part in parts { names.insert(part.lowercased()) }
            return true
        case .star, .inSubquery, .exists, .subquery: return false
        case let .unary(_, x), let .cast(x, _, _), let .isNull(x, _), let .isBoolean(x, _, _), let .extract(_, x):
            return collect(x, skipping: source, into: &names)
        case let .binary(_, a, b): return all([a, b])
        case let .function(call):
            guard call.window == nil, !call.isStar else { return false }
            for argument in call.arguments {
                guard case let .expression(x) = argument.value, collect(x, skipping: source, into: &names) else { return false }
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
