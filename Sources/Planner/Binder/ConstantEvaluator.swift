import Storage
import Execution

/// Evaluates an expression that reads no columns (LIMIT, VALUES, folded constants) on a one-row batch.
enum ConstantEvaluator {
    static func evaluate(_ e: BoundExpression, settings: SessionSettings = SessionSettings()) throws -> Value {
        if case let .constant(v, _) = e { return v }
        let column = try ExpressionEvaluator.evaluate(e, Batch(columns: [], count: 1), ExecutionContext(settings: settings))
        return column.value(at: 0)
    }
}
