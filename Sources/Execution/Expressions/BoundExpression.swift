import Storage

/// A type-checked scalar expression over the columns of an input batch, ready to evaluate vectorised.
///
/// Built by the Planner's binder from the AST; evaluated by `ExpressionEvaluator` a batch at a time.
/// Every node knows its result type; arguments are already cast to what the function expects.
public indirect enum BoundExpression: Sendable {
    /// Column `index` of the input batch.
    case column(Int, DataType)
    /// A literal or folded constant.
    case constant(Value, DataType)
    /// Parameter `index` of the execution context (outer values of a correlated subquery).
    case parameter(Int, DataType)
    /// A resolved scalar function or operator (`+`, `=`, `lower`, `date_trunc` …).
    case call(ScalarFunction, [BoundExpression], DataType)
    /// CAST / TRY_CAST (`isTry`: failures give NULL instead of an error).
    case cast(BoundExpression, DataType, isTry: Bool)
    /// Three-valued AND / OR over any number of boolean operands.
    case and([BoundExpression])
    case or([BoundExpression])
    case not(BoundExpression)
    case isNull(BoundExpression, negated: Bool)
    /// Searched CASE: first branch whose condition is TRUE wins; else `elseResult` (NULL when nil).
    case caseWhen([CaseBranch], elseResult: BoundExpression?, DataType)
    /// `x [NOT] IN (list)` with SQL NULL semantics. All operands share one type.
    case inList(BoundExpression, [BoundExpression], negated: Bool)
    /// First non-NULL operand; operands are lazily evaluated only for rows still NULL.
    case coalesce([BoundExpression], DataType)
    /// A subquery evaluated through the planner (scalar, EXISTS, IN) per batch.
    case subquery(SubqueryEvaluator, DataType)

    public var type: DataType {
        switch self {
        case let .column(_, t), let .constant(_, t), let .parameter(_, t), let .call(_, _, t), let .cast(_, t, _),
             let .caseWhen(_, _, t), let .coalesce(_, t), let .subquery(_, t):
            return t
        case .and, .or, .not, .isNull, .inList:
            return .boolean
        }
    }
}

/// One `WHEN condition THEN result` of a bound CASE.
public struct CaseBranch: Sendable {
    public var condition: BoundExpression
    public var result: BoundExpression
    public init(condition: BoundExpression, result: BoundExpression) { self.condition = condition; self.result = result }
}

/// Evaluates a subquery for each row of a batch. Implemented by the Planner, which owns subquery plans;
/// the evaluator only calls it. `batch` is the outer batch; the result has `batch.count` rows.
public protocol SubqueryEvaluator: AnyObject, Sendable {
    func evaluate(_ batch: Batch, context: ExecutionContext) throws -> Column
    /// Short text for EXPLAIN.
    var explainText: String { get }
}
