import Storage
import SQL
import Execution

/// `generate_series(start, stop[, step])` (inclusive) and `range(start, stop[, step])` (exclusive):
/// a BIGINT column produced batch by batch, so huge series stream in constant memory.
final class SeriesOperator: PhysicalOperator {
    let start: Int64, stop: Int64, step: Int64, inclusive: Bool
    private var nextValue: Int64 = 0
    private var done = false
    private var context: ExecutionContext?
    let statistics = OperatorStatistics()

    init(start: Int64, stop: Int64, step: Int64, inclusive: Bool) {
        self.start = start; self.stop = stop; self.step = step; self.inclusive = inclusive
    }

    var outputTypes: [DataType] { [.bigint] }
    var children: [PhysicalOperator] { [] }
    var explainLine: String { "Series \(start)..\(inclusive ? "=" : "<")\(stop) step \(step)" }

    func open(_ context: ExecutionContext) throws {
        self.context = context
        nextValue = start
        done = false
    }

    private func inRange(_ v: Int64) -> Bool {
        if step > 0 { return inclusive ? v <= stop : v < stop }
        return inclusive ? v >= stop : v > stop
    }

    func next() throws -> Batch? {
        try context?.progress.checkCancelled()
        if done || !inRange(nextValue) { return nil }
        var values: [Int64] = []
        values.reserveCapacity(Batch.defaultSize)
        var v = nextValue
        while values.count < Batch.defaultSize && inRange(v) {
            values.append(v)
            let (n, overflow) = v.addingReportingOverflow(step)
            if overflow { done = true; break }
            v = n
        }
        nextValue = v
        statistics.add(rows: values.count, nanos: 0)
        return Batch(columns: [Column(type: .bigint, data: .int64(values))], count: values.count)
    }

    func close() {}
}

/// Binds the arguments of generate_series / range.
enum SeriesTableFunction {
    static func build(name: String, positional: [Value], named: [String: Value], at loc: SourceLocation) throws -> ([Field], OperatorFactory) {
        let nums = try positional.map { v -> Int64 in
            guard let n = v.int64Value else { throw TarnError.semantic("\(name) takes integer arguments, got \(v)", line: loc.line, column: loc.column) }
            return n
        }
        var start: Int64 = 0, stop: Int64, step: Int64 = 1
        switch nums.count {
        case 1: stop = nums[0]; if name == "generate_series" { start = 1 }
        case 2: start = nums[0]; stop = nums[1]
        case 3: start = nums[0]; stop = nums[1]; step = nums[2]
        default: throw TarnError.semantic("\(name) takes 1 to 3 arguments", line: loc.line, column: loc.column)
        }
        if step == 0 { throw TarnError.semantic("\(name) step cannot be 0", line: loc.line, column: loc.column) }
        let inclusive = name == "generate_series"
        let columnName = name == "range" ? "range" : "generate_series"
        return ([Field(name: columnName, type: .bigint)], OperatorFactory { SeriesOperator(start: start, stop: stop, step: step, inclusive: inclusive) })
    }
}
