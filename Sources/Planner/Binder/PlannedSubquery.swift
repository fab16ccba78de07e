import Foundation
import Storage
import Execution

/// A subquery inside an expression, evaluated per outer batch.
///
/// Correlated subqueries reference outer columns through `.parameter(i)`; `outerExpressions[i]` computes
/// parameter `i` from the outer batch. Results are cached per distinct parameter tuple, and an
/// uncorrelated subquery runs once per statement.
final class PlannedSubquery: SubqueryEvaluator, @unchecked Sendable {
    enum Mode: Sendable {
        /// At most one row, one column; NULL when empty.
        case scalar
        /// TRUE when the subquery returns any row.
        case exists(negated: Bool)
        /// `probe [NOT] IN (subquery)` with SQL NULL semantics.
        case inSet(probe: BoundExpression, negated: Bool)
    }

    let plan: LogicalPlan
    let mode: Mode
    let outerExpressions: [BoundExpression]
    let resultType: DataType
    private let lock = NSLock()
    private var cache: [[Value]: CachedResult] = [:]
    private var optimized: LogicalPlan?

    private struct CachedResult {
        var scalar: Value
        var values: Set<Value>
        var hasNull: Bool
        var count: Int
    }

    init(plan: LogicalPlan, mode: Mode, outerExpressions: [BoundExpression], resultType: DataType) {
        self.plan = plan
        self.mode = mode
        self.outerExpressions = outerExpressions
        self.resultType = resultType
    }

    /// The same subquery with outer references (and the IN probe) rewritten by `f`.
    func mapOuter(_ f: (BoundExpression) throws -> BoundExpression) rethrows -> PlannedSubquery {
        let newMode: Mode
        if case let .inSet(probe, negated) = mode { newMode = .inSet(probe: try f(probe), negated: negated) } else { newMode = mode }
        return PlannedSubquery(plan: plan, mode: newMode, outerExpressions: try outerExpressions.map(f), resultType: resultType)
    }

    var explainText: String {
        switch mode {
        case .scalar: return "scalar subquery"
        case let .exists(n): return n ? "NOT EXISTS subquery" : "EXISTS subquery"
        case let .inSet(_, n): return n ? "NOT IN subquery" : "IN subquery"
        }
    }

    func evaluate(_ batch: Batch, context: ExecutionContext) throws -> Column {
        let n = batch.count
        let outerColumns = try outerExpressions.map { try ExpressionEvaluator.evaluate($0, batch, context) }
        var probeColumn: Column? = nil
        if case let .inSet(probe, _) = mode { probeColumn = try ExpressionEvaluator.evaluate(probe, batch, context) }
        var builder = ColumnBuilder(type: resultType, capacity: n)
        for row in 0..<n {
            let params = outerColumns.map { $0.value(at: row) }
            let result = try run(params, context: context)
            switch mode {
            case .scalar:
                builder.append(result.scalar)
            case let .exists(negated):
                builder.append(.boolean((result.count > 0) != negated))
            case let .inSet(_, negated):
                let probe = probeColumn?.value(at: row) ?? .null
                var answer: Value
                if result.count == 0 { answer = .boolean(false) }
                else if probe.isNull { answer = .null }
                else if result.values.contains(probe) { answer = .boolean(true) }
                else if result.hasNull { answer = .null }
                else { answer = .boolean(false) }
                if negated, case let .boolean(b) = answer { answer = .boolean(!b) }
                builder.append(answer)
            }
        }
        return builder.finish()
    }

    /// Tables at most this large are read once per statement when a correlated subquery scans them,
    /// instead of once per distinct outer value.
    static let materializeRowLimit = 100_000

    /// Replaces scans of small tables by their rows (read once), keeping pushed-down filters — which may
    /// read the outer row's parameters — as a filter above them.
    static func materializeSmallScans(_ plan: LogicalPlan, context: ExecutionContext) throws -> LogicalPlan {
        try plan.transformedUp { node in
            guard case let .scan(scan) = node, scan.snapshot.rowCount <= materializeRowLimit else { return node }
            var bare = scan
            bare.filters = []
            let op = try PhysicalPlanner.plan(.scan(bare)).op
            try op.open(context.with(parameters: []))
            defer { op.close() }
            var batches: [Batch] = []
            while let b = try op.next() { if b.count > 0 { batches.append(b) } }
            let values = LogicalPlan.values(columns: scan.columns, batches: batches, label: "\(scan.displayName) (materialized)")
            guard let filter = BoundExpression.conjunction(scan.filters) else { return values }
            return .filter(values, filter)
        }
    }

    private func run(_ params: [Value], context: ExecutionContext) throws -> CachedResult {
        lock.lock()
        if let hit = cache[params] { lock.unlock(); return hit }
        lock.unlock()
        let logical: LogicalPlan
        lock.lock()
        if let o = optimized { logical = o; lock.unlock() } else {
            lock.unlock()
            var o = try Optimizer.optimize(plan)
            if !outerExpressions.isEmpty { o = try Self.materializeSmallScans(o, context: context) }
            lock.lock(); optimized = o; lock.unlock()
            logical = o
        }
        let physical = try PhysicalPlanner.plan(logical)
        let ctx = context.with(parameters: params)
        var result = CachedResult(scalar: .null, values: [], hasNull: false, count: 0)
        let limitRows: Int? = { if case .exists = mode { return 1 } else { return nil } }()
        try physical.op.open(ctx)
        defer { physical.op.close() }
        while let b = try physical.op.next() {
            if b.count == 0 { continue }
            switch mode {
            case .scalar:
                if result.count + b.count > 1 {
                    throw TarnError.execution("scalar subquery returned more than one row")
                }
                result.scalar = b.columns.first.map { $0.value(at: 0) } ?? .null
            case .exists:
                break
            case .inSet:
                if let c = b.columns.first {
                    for i in 0..<b.count {
                        let v = c.value(at: i)
                        if v.isNull { result.hasNull = true } else { result.values.insert(v) }
                    }
                }
            }
            result.count += b.count
            if let limitRows, result.count >= limitRows { break }
        }
        lock.lock(); cache[params] = result; lock.unlock()
        return result
    }
}
