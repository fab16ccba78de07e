import Storage

/// Lazy CASE and COALESCE: each branch or operand is evaluated only on the rows that still need it,
/// on a gathered sub-batch, and the pieces are scattered back into one column.
enum ConditionalEvaluation {
    static func caseWhen(_ branches: [CaseBranch], elseResult: BoundExpression?, type: DataType,
                         _ batch: Batch, _ ctx: ExecutionContext) throws -> Column {
        let n = batch.count
        var pieces: [ColumnScatter.Piece] = []
        var remaining: [Int32]? = nil          // rows of `batch` still undecided; nil = all
        var current = batch                     // `batch` restricted to `remaining`
        let needed = BatchNarrowing.columns(usedBy: branches.flatMap { [$0.condition, $0.result] } + (elseResult.map { [$0] } ?? []))
        for branch in branches {
            if current.count == 0 { break }
            let condition = try ExpressionEvaluator.evaluate(branch.condition, current, ctx)
            let taken = try ExpressionEvaluator.selectedRows(condition)
            if taken.isEmpty { continue }
            if taken.count == current.count {
                pieces.append(.init(rows: remaining, column: try ExpressionEvaluator.evaluate(branch.result, current, ctx)))
                current = Batch(columns: [], count: 0)
                remaining = []
                break
            }
            let result = try ExpressionEvaluator.evaluate(branch.result, BatchNarrowing.gather(current, taken, needed), ctx)
            pieces.append(.init(rows: translate(taken, through: remaining), column: result))
            let rest = complement(taken, count: current.count)
            current = BatchNarrowing.gather(current, rest, needed)
            remaining = translate(rest, through: remaining)
        }
        if current.count > 0, let elseResult {
            pieces.append(.init(rows: remaining, column: try ExpressionEvaluator.evaluate(elseResult, current, ctx)))
        }
        return try ColumnScatter.assemble(pieces, count: n, type: type)
    }

    static func coalesce(_ operands: [BoundExpression], type: DataType, _ batch: Batch, _ ctx: ExecutionContext) throws -> Column {
        let n = batch.count
        var pieces: [ColumnScatter.Piece] = []
        var remaining: [Int32]? = nil
        var current = batch
        let needed = BatchNarrowing.columns(usedBy: operands)
        for operand in operands {
            if current.count == 0 { break }
            let value = try ExpressionEvaluator.evaluate(operand, current, ctx)
            if value.type == .null { continue }
            guard let validity = value.validity else {
                pieces.append(.init(rows: remaining, column: value))
                current = Batch(columns: [], count: 0)
                break
            }
            var present: [Int32] = [], missing: [Int32] = []
            for i in 0..<validity.count { if validity[i] != 0 { present.append(Int32(i)) } else { missing.append(Int32(i)) } }
            if !present.isEmpty {
                pieces.append(.init(rows: translate(present, through: remaining), column: value.gather(present)))
            }
            current = BatchNarrowing.gather(current, missing, needed)
            remaining = translate(missing, through: remaining)
        }
        return try ColumnScatter.assemble(pieces, count: n, type: type)
    }

    /// Maps row numbers of a sub-batch back to the original batch.
    static func translate(_ local: [Int32], through remaining: [Int32]?) -> [Int32] {
        guard let remaining else { return local }
        return local.map { remaining[Int($0)] }
    }

    /// Rows of `0..<count` not in the ascending list `taken`.
    static func complement(_ taken: [Int32], count: Int) -> [Int32] {
        var out = [Int32]()
        out.reserveCapacity(count - taken.count)
        var k = 0
        for i in 0..<count {
            if k < taken.count, Int(taken[k]) == i { k += 1 } else { out.append(Int32(i)) }
        }
        return out
    }
}
