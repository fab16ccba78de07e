import Storage

/// Evaluates bound expressions a batch at a time: every node produces a whole `Column`.
///
/// Kernels work on contiguous buffers; CASE and COALESCE evaluate their branches only on the rows that
/// need them (so `CASE WHEN d <> 0 THEN n / d END` never divides by zero), and comparisons of a column
/// with a constant (including dictionary-encoded strings) take a dedicated fast path.
public enum ExpressionEvaluator {
    /// The value of `e` for every row of `batch`, as a column of `batch.count` rows.
    public static func evaluate(_ e: BoundExpression, _ batch: Batch, _ ctx: ExecutionContext) throws -> Column {
        switch e {
        case let .column(index, type):
            guard index >= 0, index < batch.columns.count else {
                throw TarnError(.internal, "column #\(index) is out of range for a batch of \(batch.columns.count) columns")
            }
            let c = batch.columns[index]
            if c.type != type && c.type.physical == type.physical { return Column(type: type, data: c.data, validity: c.validity) }
            return c
        case let .constant(value, type):
            return try constantColumn(value, type: type, count: batch.count, ctx)
        case let .parameter(index, type):
            guard index >= 0, index < ctx.parameters.count else {
                throw TarnError(.internal, "parameter $\(index) is not bound (\(ctx.parameters.count) parameter(s) available)")
            }
            return try constantColumn(ctx.parameters[index], type: type, count: batch.count, ctx)
        case let .call(function, arguments, type):
            if function.nullsArgumentErrors, arguments.count == 1 { return try TryEvaluation.evaluate(arguments[0], type: type, batch, ctx) }
            if let fast = try ComparisonOperators.evaluateAgainstConstant(function, arguments, batch, ctx) { return fast }
            var columns: [Column] = []
            columns.reserveCapacity(arguments.count)
            if let special = function.constantOperandKernel, arguments.count == 2,
               let side = arguments.firstIndex(where: { if case let .constant(v, _) = $0 { return !v.isNull } else { return false } }),
               case let .constant(value, constantType) = arguments[side] {
                let other = try evaluate(arguments[1 - side], batch, ctx)
                let constant = try constantColumn(value, type: constantType, count: 1, ctx)
                if other.count == batch.count, let result = try special(other, constant, side == 0, ctx), result.count == batch.count {
                    if result.type != type && result.type.physical == type.physical {
                        return Column(type: type, data: result.data, validity: result.validity)
                    }
                    return result
                }
                columns = side == 0 ? [try constantColumn(value, type: constantType, count: batch.count, ctx), other]
                                    : [other, try constantColumn(value, type: constantType, count: batch.count, ctx)]
            } else {
                for a in arguments { columns.append(try evaluate(a, batch, ctx)) }
            }
            let result = try function.kernel(columns, batch.count, ctx)
            guard result.count == batch.count else {
                throw TarnError(.internal, "function \(function.name) returned \(result.count) rows for \(batch.count)")
            }
            if result.type != type && result.type.physical == type.physical {
                return Column(type: type, data: result.data, validity: result.validity)
            }
            return result
        case let .cast(inner, type, isTry):
            let input = try evaluate(inner, batch, ctx)
            return try CastKernels.cast(input, to: type, isTry: isTry, settings: ctx.settings)
        case let .and(operands):
            return try LogicalKernels.and(operands.map { try evaluate($0, batch, ctx) }, count: batch.count)
        case let .or(operands):
            return try LogicalKernels.or(operands.map { try evaluate($0, batch, ctx) }, count: batch.count)
        case let .not(inner):
            return try LogicalKernels.not(evaluate(inner, batch, ctx))
        case let .isNull(inner, negated):
            return LogicalKernels.isNull(try evaluate(inner, batch, ctx), negated: negated)
        case let .caseWhen(branches, elseResult, type):
            return try ConditionalEvaluation.caseWhen(branches, elseResult: elseResult, type: type, batch, ctx)
        case let .inList(value, list, negated):
            return try InListEvaluation.evaluate(value, list, negated: negated, batch, ctx)
        case let .coalesce(operands, type):
            return try ConditionalEvaluation.coalesce(operands, type: type, batch, ctx)
        case let .subquery(evaluator, type):
            let result = try evaluator.evaluate(batch, context: ctx)
            guard result.count == batch.count else {
                throw TarnError(.internal, "subquery returned \(result.count) rows for a batch of \(batch.count)")
            }
            if result.type != type && result.type.physical == type.physical {
                return Column(type: type, data: result.data, validity: result.validity)
            }
            return result
        }
    }

    /// Indices of the rows of `batch` for which the predicate `e` is TRUE (not FALSE, not NULL), ascending.
    ///
    /// A top-level AND evaluates its conjuncts left to right, each only on the rows the previous ones kept
    /// (faster for selective filters, and `x <> 0 AND 10 / x > 1` never divides by zero).
    public static func evaluatePredicate(_ e: BoundExpression, _ batch: Batch, _ ctx: ExecutionContext) throws -> [Int32] {
        if case let .constant(v, _) = e {
            if case .boolean(true) = v { return (0..<Int32(batch.count)).map { $0 } }
            return []
        }
        if case let .and(conjuncts) = e, conjuncts.count > 1 {
            var rows: [Int32]? = nil        // selected rows of `batch`; nil = all
            var current = batch
            // Leading `column op constant` conjuncts cannot fail and cost one vectorised pass each: evaluate them on
            // every row and AND their results into one mask (no narrowing of the batch between them).
            let (mask, masked) = try ConjunctMask.leading(conjuncts, batch, ctx)
            if let mask {
                let selected = ConjunctMask.selectedRows(mask)
                if masked == conjuncts.count || selected.isEmpty { return selected }
                if selected.count < batch.count {
                    rows = selected
                    current = BatchNarrowing.gather(current, selected, BatchNarrowing.columns(usedBy: Array(conjuncts[masked...])))
                }
            }
            for (k, conjunct) in conjuncts.enumerated() where k >= masked {
                let selected = try evaluatePredicate(conjunct, current, ctx)
                if selected.count == current.count { continue }
                let translated = ConditionalEvaluation.translate(selected, through: rows)
                if translated.isEmpty || k == conjuncts.count - 1 { return translated }
                rows = translated
                current = BatchNarrowing.gather(current, selected, BatchNarrowing.columns(usedBy: Array(conjuncts[(k + 1)...])))
            }
            return rows ?? (0..<Int32(batch.count)).map { $0 }
        }
        let column = try evaluate(e, batch, ctx)
        return try selectedRows(column)
    }

    /// Row indices where a boolean column is TRUE.
    static func selectedRows(_ column: Column) throws -> [Int32] {
        if column.type == .null { return [] }
        let values = try ColumnKernels.bools(column)
        // Bools are stored as bytes 0 / 1.
        return values.withUnsafeBufferPointer { pv in
            pv.withMemoryRebound(to: UInt8.self) { bits in
                guard let validity = column.validity else { return ConjunctMask.selectedRows(count: bits.count) { bits[$0] } }
                return validity.withUnsafeBufferPointer { pm in
                    ConjunctMask.selectedRows(count: bits.count) { bits[$0] & Swift.min(pm[$0], 1) }
                }
            }
        }
    }

    /// A constant as a column of `type`, casting the value when its natural type differs.
    static func constantColumn(_ value: Value, type: DataType, count: Int, _ ctx: ExecutionContext) throws -> Column {
        if value.isNull { return Column.nulls(type, count: count) }
        let natural = value.dataType
        let matches: Bool
        switch (natural, type) {
        case (.decimal(_, let s1), .decimal(_, let s2)): matches = s1 == s2
        default: matches = natural == type || (natural == .integer && type == .bigint)
        }
        if matches { return ColumnKernels.constant(value, type: type, count: count) }
        let single = ColumnKernels.constant(value, type: natural, count: 1)
        let cast = try CastKernels.cast(single, to: type, isTry: false, settings: ctx.settings)
        return ColumnKernels.constant(cast.value(at: 0), type: type, count: count)
    }
}
