import Storage

/// How operators evaluate bound expressions over a batch: columns and constants directly (no copy),
/// everything else through `ExpressionEvaluator`.
enum OperatorExpressions {
    static func evaluate(_ e: BoundExpression, _ batch: Batch, _ context: ExecutionContext) throws -> Column {
        switch e {
        case let .column(i, t):
            guard i >= 0, i < batch.columns.count else {
                throw TarnError(.internal, "column #\(i) out of range (batch has \(batch.columns.count) columns)")
            }
            var c = batch.columns[i]
            if c.type != t, c.type.physical == t.physical { c.type = t }
            return c
        case let .constant(v, t):
            return Column.constant(v, type: t, count: batch.count)
        default:
            return try ExpressionEvaluator.evaluate(e, batch, context)
        }
    }

    static func evaluate(_ es: [BoundExpression], _ batch: Batch, _ context: ExecutionContext) throws -> [Column] {
        try es.map { try evaluate($0, batch, context) }
    }

    /// Indices of the rows where `predicate` is TRUE (not FALSE, not NULL).
    static func select(_ predicate: BoundExpression, _ batch: Batch, _ context: ExecutionContext) throws -> [Int32] {
        switch predicate {
        case .column:
            return trueRows(try evaluate(predicate, batch, context))
        case let .constant(v, _):
            if case .boolean(true) = v { return (0..<Int32(batch.count)).map { $0 } }
            return []
        default:
            return try ExpressionEvaluator.evaluatePredicate(predicate, batch, context)
        }
    }

    /// Indices of TRUE rows of a BOOLEAN column.
    static func trueRows(_ c: Column) -> [Int32] {
        guard case let .bool(values) = c.data else { return [] }
        var out = [Int32]()
        out.reserveCapacity(values.count)
        if let validity = c.validity {
            for i in 0..<values.count where values[i] && validity[i] != 0 { out.append(Int32(i)) }
        } else {
            for i in 0..<values.count where values[i] { out.append(Int32(i)) }
        }
        return out
    }

    /// Short text of an expression for EXPLAIN lines.
    static func describe(_ e: BoundExpression) -> String {
        switch e {
        case let .column(i, _): return "#\(i)"
        case let .constant(v, t): return t == .varchar ? "'\(v)'" : "\(v)"
        case let .parameter(i, _): return "$\(i)"
        case let .call(f, args, _): return "\(f.name)(\(args.map(describe).joined(separator: ", ")))"
        case let .cast(x, t, isTry): return "\(isTry ? "try_cast" : "cast")(\(describe(x)) as \(t))"
        case let .and(xs): return "(" + xs.map(describe).joined(separator: " AND ") + ")"
        case let .or(xs): return "(" + xs.map(describe).joined(separator: " OR ") + ")"
        case let .not(x): return "NOT \(describe(x))"
        case let .isNull(x, negated): return "\(describe(x)) IS \(negated ? "NOT " : "")NULL"
        case .caseWhen: return "CASE"
        case let .inList(x, list, negated): return "\(describe(x)) \(negated ? "NOT " : "")IN (\(list.map(describe).joined(separator: ", ")))"
        case let .coalesce(xs, _): return "coalesce(\(xs.map(describe).joined(separator: ", ")))"
        case let .subquery(s, _): return s.explainText
        }
    }
}
