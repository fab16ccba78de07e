import Storage
import Execution

/// `impute(TABLE t, column => 'spend', method => 'median', levels => ARRAY['ad_id,country', 'ad_id', …])`:
/// each NULL of `column` takes the statistic (median = `quantile_cont(0.5)`, mean, or mode) of the non-NULL
/// values of the most specific level (group of columns, in the order given) that has one for the row's group.
/// Rows that no level can fill are dropped and reported to the ledger. Statistics are computed over every
/// input row, so the operator reads its whole input first.
public final class ImputeOperator: PhysicalOperator {
    /// The statistic a NULL receives.
    public enum Method: String, Sendable, CaseIterable {
        case median, mean, mode
    }

    /// What to impute and from where.
    public struct Plan: Sendable {
        public var column: Int
        public var columnName: String
        public var method: Method
        /// Column indices of each level, most specific first; the names as written, for reports.
        public var levels: [[Int]]
        public var levelNames: [String]
        /// Adds a VARCHAR column saying where each value came from: 'observed' or the level's name.
        public var emitsSource: Bool
        public init(column: Int, columnName: String, method: Method, levels: [[Int]], levelNames: [String], emitsSource: Bool) {
            self.column = column; self.columnName = columnName; self.method = method
            self.levels = levels; self.levelNames = levelNames; self.emitsSource = emitsSource
        }
    }

    public let plan: Plan
    public let outputTypes: [DataType]
    public let statistics = OperatorStatistics()
    private let input: PhysicalOperator
    private let ledger: DropLedger?
    private var output = BatchReplay()

    /// The imputed column's type: DOUBLE for mean / median of a non-DOUBLE column, else unchanged.
    public static func outputType(of type: DataType, method: Method) -> DataType {
        method == .mode ? type : .double
    }

    public init(input: PhysicalOperator, plan: Plan, ledger: DropLedger?) {
        self.input = input
        self.plan = plan
        self.ledger = ledger
        var types = input.outputTypes
        types[plan.column] = Self.outputType(of: types[plan.column], method: plan.method)
        if plan.emitsSource { types.append(.varchar) }
        outputTypes = types
    }

    public var children: [PhysicalOperator] { [input] }
    public var explainLine: String { "Impute \(plan.method.rawValue)(\(plan.columnName)) levels=\(plan.levelNames.joined(separator: " > "))" }

    public func open(_ context: ExecutionContext) throws {
        output.clear()
        let batches = try InputMaterializer.readAll(input, context)
        let all = InputMaterializer.concatenate(batches, types: input.outputTypes)
        try impute(all)
    }

    public func close() { output.clear() }

    public func next() throws -> Batch? {
        output.next(statistics)
    }

    private func impute(_ batch: Batch) throws {
        let n = batch.count
        let target = batch.columns[plan.column]
        let values = try NumericColumn.doubles(target)
        let isNull = (0..<n).map { target.isNull($0) }
        // Per level: the group of every row and the statistic of every group (nil: no non-NULL value).
        var rowGroups: [[Int32]] = []
        var groupStats: [[Double?]] = []
        var key: [UInt8] = []
        for level in plan.levels {
            let encoder = RowKeyEncoder(batch: batch, indices: level)
            var ids: [[UInt8]: Int32] = [:]
            var groups = [Int32](repeating: 0, count: n)
            var members: [[Double]] = []
            for row in 0..<n {
                encoder.key(row, into: &key)
                let id: Int32
                if let existing = ids[key] { id = existing } else {
                    id = Int32(members.count); ids[key] = id; members.append([])
                }
                groups[row] = id
                if !isNull[row] { members[Int(id)].append(values[row]) }
            }
            rowGroups.append(groups)
            groupStats.append(members.map { statistic($0) })
        }
        // Fill, or drop the rows no level can fill.
        var kept: [Int32] = []
        kept.reserveCapacity(n)
        var filledValues = values
        var sources = [Int](repeating: -1, count: n)   // -1 observed, else level index
        var dropped = 0
        for row in 0..<n {
            guard isNull[row] else { kept.append(Int32(row)); continue }
            var found = false
            for l in plan.levels.indices {
                if let stat = groupStats[l][Int(rowGroups[l][row])] {
                    filledValues[row] = stat; sources[row] = l; found = true
                    break
                }
            }
            if found { kept.append(Int32(row)) } else { dropped += 1 }
        }
        ledger?.recordDrop(function: "impute", rule: "no \(plan.method.rawValue) of \(plan.columnName) at any level", rows: dropped)

        let outType = outputTypes[plan.column]
        let imputed: Column
        switch outType {
        case .double: imputed = Column(type: .double, data: .double(filledValues))
        case .integer: imputed = Column(type: .integer, data: .int32(filledValues.map { Int32(clamping: Int64($0.rounded())) }))
        case .bigint: imputed = Column(type: .bigint, data: .int64(filledValues.map { Int64($0.rounded()) }))
        case let .decimal(_, scale):
            var factor = 1.0
            for _ in 0..<scale { factor *= 10 }
            imputed = Column(type: outType, data: .int64(filledValues.map { Int64(($0 * factor).rounded()) }))
        default: throw TarnError.semantic("impute: column '\(plan.columnName)' is \(outType), not numeric")
        }
        // The filled column keeps NULL only for dropped rows, which the gather below removes.
        var columns = batch.columns
        columns[plan.column] = imputed
        if plan.emitsSource {
            var builder = ColumnBuilder(type: .varchar, capacity: n)
            for row in 0..<n { builder.append(string: sources[row] < 0 ? "observed" : plan.levelNames[sources[row]]) }
            columns.append(builder.finish())
        }
        let full = Batch(columns: columns, count: n)
        let result = kept.count == n ? full : full.gather(kept)
        output.load(result)
    }

    private func statistic(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        switch plan.method {
        case .median: return ContinuousQuantile.median(values)
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .mode:
            var counts: [Double: Int] = [:]
            for v in values { counts[v, default: 0] += 1 }
            return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
        }
    }
}
