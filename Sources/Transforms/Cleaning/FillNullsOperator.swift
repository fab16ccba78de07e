import Storage
import Execution

/// `fill_nulls(TABLE t, column => default, …)`: replaces NULLs of the named columns by per-column constants.
/// Streams batch by batch; other columns pass through untouched. Drops nothing.
public final class FillNullsOperator: PhysicalOperator {
    /// Column index → replacement, already of the column's type.
    public let defaults: [(column: Int, value: Value)]
    public let outputTypes: [DataType]
    public let statistics = OperatorStatistics()
    private let input: PhysicalOperator
    /// NULLs replaced so far, per column index (for EXPLAIN and reports).
    public private(set) var filled: [Int: Int] = [:]

    public init(input: PhysicalOperator, defaults: [(column: Int, value: Value)]) {
        self.input = input
        self.defaults = defaults
        self.outputTypes = input.outputTypes
    }

    public var children: [PhysicalOperator] { [input] }
    public var explainLine: String { "FillNulls columns=\(defaults.map { "#\($0.column)" }.joined(separator: ","))" }

    public func open(_ context: ExecutionContext) throws { try input.open(context) }
    public func close() { input.close() }

    public func next() throws -> Batch? {
        guard var batch = try input.next() else { return nil }
        for (index, value) in defaults where batch.columns[index].validity != nil {
            let column = batch.columns[index]
            filled[index, default: 0] += column.nullCount
            batch.columns[index] = Self.fill(column, with: value)
        }
        statistics.add(rows: batch.count, nanos: 0)
        return batch
    }

    /// The column with every NULL replaced by `value` (a value of the column's type).
    static func fill(_ column: Column, with value: Value) -> Column {
        guard let validity = column.validity, !value.isNull else { return column }
        let n = column.count
        switch (column.data, value) {
        case let (.int32(a), .integer(v)), let (.int32(a), .date(v)):
            return Column(type: column.type, data: .int32(replace(a, validity, v)))
        case let (.int64(a), .bigint(v)), let (.int64(a), .timestamp(v)), let (.int64(a), .decimal(v, _)), let (.int64(a), .timestampTZ(v)):
            return Column(type: column.type, data: .int64(replace(a, validity, v)))
        case let (.double(a), .double(v)):
            return Column(type: column.type, data: .double(replace(a, validity, v)))
        case let (.bool(a), .boolean(v)):
            return Column(type: column.type, data: .bool(replace(a, validity, v)))
        case let (.dictionary, .varchar(text)), let (.string, .varchar(text)):
            guard case let .string(source) = column.flattened().data else { return column }
            var out = StringArray()
            out.reserve(strings: n, bytes: source.bytes.count + text.utf8.count * (n - (column.count - column.nullCount)))
            for i in 0..<n {
                if validity[i] == 0 { out.append(text) } else { out.append(from: source, at: i) }
            }
            return Column(type: column.type, data: .string(out))
        default:
            return column
        }
    }

    private static func replace<T>(_ values: [T], _ validity: [UInt8], _ v: T) -> [T] {
        var out = values
        for i in out.indices where validity[i] == 0 { out[i] = v }
        return out
    }
}
