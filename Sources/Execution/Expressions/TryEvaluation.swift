import Storage

/// Trino's `try(x)`: `x` over the whole batch when it succeeds; when it fails with an evaluation error (division by
/// zero, overflow, a bad cast or function argument — not a cancel, I/O or internal error), `x` again one row at a
/// time, with NULL for each row that fails. Only batches that hold a failing row pay the row-at-a-time cost.
enum TryEvaluation {
    static func evaluate(_ e: BoundExpression, type: DataType, _ batch: Batch, _ ctx: ExecutionContext) throws -> Column {
        do {
            return try ExpressionEvaluator.evaluate(e, batch, ctx)
        } catch let error as TarnError where error.kind == .execution {
            var builder = ColumnBuilder(type: type, capacity: batch.count)
            for row in 0..<batch.count {
                try ctx.progress.checkCancelled()
                do {
                    let value = try ExpressionEvaluator.evaluate(e, batch.slice(row..<(row + 1)), ctx)
                    builder.append(value.count == 1 ? value.value(at: 0) : .null)
                } catch let rowError as TarnError where rowError.kind == .execution {
                    builder.append(.null)
                }
            }
            return builder.finish()
        }
    }
}
