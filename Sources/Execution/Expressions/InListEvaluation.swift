import Storage

/// `x [NOT] IN (a, b, …)` with SQL NULL semantics: TRUE if x equals some item, else NULL if x or any
/// item is NULL, else FALSE. An all-constant list is probed through a hash set (per dictionary entry
/// for dictionary-encoded strings).
enum InListEvaluation {
    static func evaluate(_ value: BoundExpression, _ list: [BoundExpression], negated: Bool,
                         _ batch: Batch, _ ctx: ExecutionContext) throws -> Column {
        let x = try ExpressionEvaluator.evaluate(value, batch, ctx)
        var constants: [Value] = []
        var allConstant = true
        for item in list {
            switch item {
            case let .constant(v, _): constants.append(v)
            case let .parameter(i, _) where i >= 0 && i < ctx.parameters.count: constants.append(ctx.parameters[i])
            default: allConstant = false
            }
        }
        var result: Column
        if allConstant, x.type != .null, let fast = try constantList(x, constants, ctx) {
            result = fast
        } else {
            var comparisons: [Column] = []
            for item in list {
                let c = try ExpressionEvaluator.evaluate(item, batch, ctx)
                comparisons.append(try ComparisonOperators.compare(x, c, .equal))
            }
            result = try LogicalKernels.or(comparisons, count: batch.count)
        }
        if negated { result = try LogicalKernels.not(result) }
        return result
    }

    private static func constantList(_ x: Column, _ items: [Value], _ ctx: ExecutionContext) throws -> Column? {
        let listHasNull = items.contains { $0.isNull }
        let nonNull = items.filter { !$0.isNull }
        // Bring every item to x's type (the binder already did; this covers parameters and literals).
        var typed: [Value] = []
        for v in nonNull {
            let c = try ExpressionEvaluator.constantColumn(v, type: x.type, count: 1, ctx)
            typed.append(c.value(at: 0))
        }
        let hits: [Bool]
        switch x.data {
        case .list, .fields: return nil
        case let .int32(a):
            let set = Set(typed.compactMap { v -> Int32? in
                switch v { case let .integer(i), let .date(i): return i; default: return nil } })
            hits = probe(a, set)
        case let .int64(a):
            let set = Set(typed.compactMap { v -> Int64? in
                switch v { case let .bigint(i), let .timestamp(i), let .decimal(i, _), let .timestampTZ(i): return i
                case let .integer(i): return Int64(i); default: return nil } })
            hits = probe(a, set)
        case let .int128(a):
            let set = Set(typed.compactMap { v -> Int128? in
                switch v { case let .decimal128(i, _): return i; case let .decimal(i, _): return Int128(i); default: return nil } })
            hits = probe(a, set)
        case let .double(a):
            let set = Set(typed.compactMap { v -> Double? in if case let .double(d) = v { return d }; return nil })
            hits = probe(a, set)
        case let .bool(a):
            let set = Set(typed.compactMap { v -> Bool? in if case let .boolean(b) = v { return b }; return nil })
            hits = a.map { set.contains($0) }
        case .string, .dictionary:
            let set = Set(typed.compactMap { v -> String? in if case let .varchar(s) = v { return s }; return nil })
            hits = try StringColumnReader.mapValues(x, placeholder: false) { set.contains(String(decoding: $0, as: UTF8.self)) }
        }
        var validity = x.validity
        if listHasNull {
            // Rows without a match are NULL rather than FALSE.
            var v = validity ?? [UInt8](repeating: 1, count: hits.count)
            for i in 0..<hits.count where !hits[i] { v[i] = 0 }
            validity = ColumnKernels.normalized(v)
        }
        return Column(type: .boolean, data: .bool(hits), validity: validity)
    }

    /// Membership of every value; short lists are scanned linearly (faster than hashing).
    @inline(__always)
    private static func probe<T: Hashable>(_ a: [T], _ set: Set<T>) -> [Bool] {
        if set.count <= 8 {
            let items = Array(set)
            switch items.count {
            case 0: return [Bool](repeating: false, count: a.count)
            case 1: let x = items[0]; return ColumnKernels.map(a, nil, placeholder: false) { $0 == x }
            case 2: let x = items[0], y = items[1]; return ColumnKernels.map(a, nil, placeholder: false) { $0 == x || $0 == y }
            default: return ColumnKernels.map(a, nil, placeholder: false) { v in items.contains(v) }
            }
        }
        return ColumnKernels.map(a, nil, placeholder: false) { set.contains($0) }
    }
}
