import Foundation
import Storage
import Execution

/// A correlated `LATERAL (subquery)` in FROM, run once per distinct tuple of the outer values it reads (cached for the
/// statement, as correlated scalar subqueries are). The binder joins it to the left rows through UNNEST: each of its
/// columns reaches a left row as an ARRAY of that column's values (`LateralSubqueryColumn`), and UNNEST of those
/// arrays, zipped, gives the left row once per subquery row.
final class LateralSubquery: @unchecked Sendable {
    /// At most this many rows for one outer tuple: the rows of one run are held in memory.
    static let rowLimit = 1_000_000

    let plan: LogicalPlan
    let outputIds: [Int]
    let types: [DataType]
    /// `LEFT JOIN LATERAL … ON TRUE`: an empty result is one row of NULLs, so the left row stays.
    let keepEmpty: Bool
    private let lock = NSLock()
    private var cache: [[Value]: [Column]] = [:]
    private var optimized: LogicalPlan?

    init(plan: LogicalPlan, outputIds: [Int], types: [DataType], keepEmpty: Bool) {
        self.plan = plan; self.outputIds = outputIds; self.types = types; self.keepEmpty = keepEmpty
    }

    /// The subquery's columns for one tuple of outer values.
    func run(_ params: [Value], context: ExecutionContext) throws -> [Column] {
        lock.lock()
        if let hit = cache[params] { lock.unlock(); return hit }
        let ready = optimized
        lock.unlock()
        let logical: LogicalPlan
        if let ready { logical = ready } else {
            logical = try PlannedSubquery.materializeSmallScans(try Optimizer.optimize(plan), context: context)
            lock.lock(); optimized = logical; lock.unlock()
        }
        let physical = try PhysicalPlanner.plan(logical, outputIds: outputIds)
        try physical.op.open(context.with(parameters: params))
        defer { physical.op.close() }
        var batches: [Batch] = []
        var rows = 0
        while let b = try physical.op.next() {
            if b.count == 0 { continue }
            rows += b.count
            if rows > Self.rowLimit {
                throw TarnError.execution("a LATERAL subquery returned more than \(Self.rowLimit) rows for one outer row")
            }
            batches.append(b)
        }
        var columns: [Column] = []
        for (j, type) in types.enumerated() {
            if rows == 0 && keepEmpty { columns.append(Column.nulls(type, count: 1)); continue }
            let parts = batches.map { b -> Column in
                let c = b.columns[j]
                return c.type == type || c.type.physical != type.physical ? c : Column(type: type, data: c.data, validity: c.validity)
            }
            columns.append(Column.concatenate(parts, type: type))
        }
        lock.lock(); cache[params] = columns; lock.unlock()
        return columns
    }
}

/// Column `index` of a LATERAL subquery for each outer row, as an ARRAY (see `LateralSubquery`).
final class LateralSubqueryColumn: SubqueryEvaluator, @unchecked Sendable {
    let shared: LateralSubquery
    let index: Int
    /// Parameter k of the subquery is `outerExpressions[k]` over the left row.
    let outerExpressions: [BoundExpression]

    init(_ shared: LateralSubquery, index: Int, outerExpressions: [BoundExpression]) {
        self.shared = shared; self.index = index; self.outerExpressions = outerExpressions
    }

    func mapOuter(_ f: (BoundExpression) throws -> BoundExpression) rethrows -> LateralSubqueryColumn {
        LateralSubqueryColumn(shared, index: index, outerExpressions: try outerExpressions.map(f))
    }

    var explainText: String { "LATERAL subquery column \(index + 1)" }

    func evaluate(_ batch: Batch, context: ExecutionContext) throws -> Column {
        let outer = try outerExpressions.map { try ExpressionEvaluator.evaluate($0, batch, context) }
        let type = shared.types[index]
        var parts: [Column] = []
        var offsets = [Int32](repeating: 0, count: batch.count + 1)
        for row in 0 ..< batch.count {
            let result = try shared.run(outer.map { $0.value(at: row) }, context: context)[index]
            parts.append(result)
            offsets[row + 1] = offsets[row] + Int32(result.count)
        }
        return Column(type: .array(type), data: .list(offsets: offsets, child: Column.concatenate(parts, type: type)))
    }
}
