import Storage
import Execution

/// One rewrite of a logical plan that keeps its results the same.
protocol OptimizerRule {
    var name: String { get }
    func apply(_ plan: LogicalPlan) throws -> LogicalPlan
}

/// Runs the rules in order. Each rule lives in its own file.
public enum Optimizer {
    nonisolated(unsafe) static let rules: [OptimizerRule] = [
        ConstantFolding(),
        CommonConjunctExtraction(),
        SubqueryToJoin(),
        ScalarSubqueryDecorrelation(),
        PredicatePushdown(),
        JoinReordering(),
        ConstantFolding(),
        ProjectionPushdown(),
        CountingJoin(),
        JoinBuildSide(),
        TopNRule(),
    ]

    public static func optimize(_ plan: LogicalPlan) throws -> LogicalPlan {
        var p = plan
        for r in rules { p = try r.apply(p) }
        return p
    }
}
