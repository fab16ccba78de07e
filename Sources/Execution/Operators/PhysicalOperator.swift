import Storage

/// A physical operator: pulls batches from its children and produces batches.
///
/// Life cycle: `open` once, `next` until it returns nil, then `close`. Operators check
/// `context.progress.checkCancelled()` between batches.
public protocol PhysicalOperator: AnyObject {
    /// Types of the output columns.
    var outputTypes: [DataType] { get }
    func open(_ context: ExecutionContext) throws
    func next() throws -> Batch?
    func close()
    /// One line for EXPLAIN (e.g. `HashAggregate keys=[#0] aggs=[sum(#3)]`).
    var explainLine: String { get }
    var children: [PhysicalOperator] { get }
    /// Rows produced and time spent, for EXPLAIN ANALYZE.
    var statistics: OperatorStatistics { get }
}
