import Storage
import Execution

/// Evaluates constant sub-expressions once at plan time (`1E0 * 1000`, `CAST('2024-01-01' AS DATE)`).
/// A sub-expression that fails (e.g. `1 / 0`) is left for run time, where it fails only if evaluated.
struct ConstantFolding: OptimizerRule {
    let name = "constant_folding"

    func apply(_ plan: LogicalPlan) throws -> LogicalPlan {
        plan.transformedUp { node in node.mapExpressions(Self.fold) }
    }

    static func fold(_ e: BoundExpression) -> BoundExpression {
        e.transformed { node in
            switch node {
            case .constant, .column, .parameter, .subquery: return nil
            default:
                guard node.isConstantFoldable else { return nil }
                guard let v = try? ConstantEvaluator.evaluate(node) else { return nil }
                return .constant(v, node.type)
            }
        }
    }
}
