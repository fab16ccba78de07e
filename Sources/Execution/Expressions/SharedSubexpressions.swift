import Storage

/// Evaluates several lists of expressions over the same batches, computing each subexpression that occurs more
/// than once only once (TPC-H Q1's `l_extendedprice * (1 - l_discount)` appears in two aggregates, `1 - l_discount`
/// in both).
///
/// Repeated subexpressions are found structurally (function, argument expressions, constants with their types),
/// innermost first; each is evaluated once per batch into an extra column appended to the batch, and the lists
/// refer to that column instead. Only deterministic calls and casts are shared, and only outside CASE, COALESCE,
/// AND, OR and subqueries (whose operands may be evaluated on some rows only), so every shared expression is
/// evaluated on exactly the rows it was before. Not thread-safe: one per worker.
///
/// Lists marked `narrow` (the arguments of DECIMAL sums and averages) are evaluated through
/// `NarrowDecimalArguments`; then DECIMAL(19…38) `+ - *` nodes are not shared (their 64-bit columns are for the
/// sum alone), only their operands are.
final class SharedSubexpressions {
    let lists: [[BoundExpression]]
    let narrow: [Bool]
    /// Whether any subexpression repeats (else `evaluate` is a plain per-expression evaluation).
    let sharesWork: Bool
    private var plan: (width: Int, shared: [BoundExpression], lists: [[BoundExpression]])?

    init(_ lists: [[BoundExpression]], narrow: [Bool] = []) {
        self.lists = lists
        self.narrow = narrow
        sharesWork = Self.rewrite(lists, width: 0, keepingWide: narrow.contains(true)).shared.count > 0
    }

    /// The columns of every list for `batch`.
    func evaluate(_ batch: Batch, _ context: ExecutionContext) throws -> [[Column]] {
        guard sharesWork else { return try evaluate(lists, batch, context) }
        let width = batch.columns.count
        if plan?.width != width {
            let r = Self.rewrite(lists, width: width, keepingWide: narrow.contains(true))
            plan = (width, r.shared, r.lists)
        }
        guard let plan else { return [] }
        var extended = batch
        for e in plan.shared { extended.columns.append(try OperatorExpressions.evaluate(e, extended, context)) }
        return try evaluate(plan.lists, extended, context)
    }

    private func evaluate(_ lists: [[BoundExpression]], _ batch: Batch, _ context: ExecutionContext) throws -> [[Column]] {
        try lists.indices.map { k -> [Column] in
            guard k < narrow.count, narrow[k] else { return try OperatorExpressions.evaluate(lists[k], batch, context) }
            return try lists[k].map { try NarrowDecimalArguments.evaluate($0, batch, context) }
        }
    }

    /// The shared subexpressions in evaluation order (the k-th becomes column `width + k`) and the lists rewritten
    /// to use them.
    /// `keepingWide`: DECIMAL(19…38) `+ - *` nodes are not shared (see the type's comment).
    static func rewrite(_ lists: [[BoundExpression]], width: Int, keepingWide: Bool = false) -> (shared: [BoundExpression], lists: [[BoundExpression]]) {
        var lists = lists
        var shared: [BoundExpression] = []
        while true {
            var counts: [String: Int] = [:]
            var nodes: [String: BoundExpression] = [:]
            for list in lists {
                for e in list {
                    visit(e) { node, key in
                        if keepingWide && NarrowDecimalArguments.applies(node) { return }
                        counts[key, default: 0] += 1
                        nodes[key] = node
                    }
                }
            }
            // The innermost repeated expression first (a subexpression's key is shorter than its parent's).
            guard let key = counts.filter({ $0.value >= 2 }).keys.min(by: { $0.utf8.count != $1.utf8.count ? $0.utf8.count < $1.utf8.count : $0 < $1 }),
                  let node = nodes[key] else { break }
            let column = BoundExpression.column(width + shared.count, node.type)
            shared.append(node)
            lists = lists.map { $0.map { replace($0, key, with: column) } }
        }
        return (shared, lists)
    }

    /// Calls `body` for every shareable node (deterministic call or cast) reachable without crossing a
    /// conditional construct, with its structural key.
    private static func visit(_ e: BoundExpression, _ body: (BoundExpression, String) -> Void) {
        switch e {
        case let .call(f, args, _):
            if f.isDeterministic, let k = key(e) { body(e, k) }
            for a in args { visit(a, body) }
        case let .cast(inner, _, _):
            if let k = key(e) { body(e, k) }
            visit(inner, body)
        case let .not(inner), let .isNull(inner, _):
            visit(inner, body)
        default:
            break
        }
    }

    private static func replace(_ e: BoundExpression, _ target: String, with column: BoundExpression) -> BoundExpression {
        switch e {
        case let .call(f, args, t):
            if f.isDeterministic, key(e) == target { return column }
            return .call(f, args.map { replace($0, target, with: column) }, t)
        case let .cast(inner, t, isTry):
            if key(e) == target { return column }
            return .cast(replace(inner, target, with: column), t, isTry: isTry)
        case let .not(inner): return .not(replace(inner, target, with: column))
        case let .isNull(inner, negated): return .isNull(replace(inner, target, with: column), negated: negated)
        default: return e
        }
    }

    /// A structural key of a shareable expression tree, or nil when it holds anything not shareable.
    static func key(_ e: BoundExpression) -> String? {
        switch e {
        case let .column(i, t): return "c\(i):\(t)"
        case let .constant(v, t):
            let text = v.description
            return "k\(t):\(v.dataType):\(text.utf8.count):\(text)"
        case let .call(f, args, t):
            guard f.isDeterministic else { return nil }
            var parts: [String] = []
            for a in args { guard let k = key(a) else { return nil }; parts.append(k) }
            return "f\(f.name.utf8.count):\(f.name):\(t)(\(parts.joined(separator: ",")))"
        case let .cast(inner, t, isTry):
            guard let k = key(inner) else { return nil }
            return "\(isTry ? "t" : "x")\(t)(\(k))"
        default:
            return nil
        }
    }
}
