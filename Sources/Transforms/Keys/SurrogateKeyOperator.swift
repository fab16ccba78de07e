import Storage
import Execution

/// `surrogate_key(TABLE t, natural_key => 'customer_id', dimension => 'dim_customer' [, key_column => 'customer_key'])`:
/// prepends a BIGINT surrogate key to every row. A natural key already in the dimension's key map keeps its
/// key for ever; a new one gets the next free key (in order of first appearance) and is reported to the ledger,
/// which the writing statement commits into the key map with its table version. A NULL natural key gets key 0
/// (the "unknown" member).
public final class SurrogateKeyOperator: PhysicalOperator {
    /// The dimension's key map as of the statement's start.
    public struct KeyMap: Sendable {
        public var keys: [String: Int64]
        public var nextKey: Int64
        public init(keys: [String: Int64], nextKey: Int64) { self.keys = keys; self.nextKey = max(1, nextKey) }
    }

    public let dimension: String
    public let keyColumns: [Int]
    public let outputTypes: [DataType]
    public let statistics = OperatorStatistics()
    private let input: PhysicalOperator
    private let ledger: DropLedger?
    private let initialMap: KeyMap
    private var map: KeyMap

    public init(input: PhysicalOperator, dimension: String, keyColumns: [Int], map: KeyMap, ledger: DropLedger?) {
        self.input = input
        self.dimension = dimension
        self.keyColumns = keyColumns
        self.initialMap = map
        self.map = map
        self.ledger = ledger
        outputTypes = [.bigint] + input.outputTypes
    }

    public var children: [PhysicalOperator] { [input] }
    public var explainLine: String { "SurrogateKey dimension=\(dimension) known=\(initialMap.keys.count)" }

    public func open(_ context: ExecutionContext) throws {
        map = initialMap
        try input.open(context)
    }

    public func close() { input.close() }

    public func next() throws -> Batch? {
        guard let batch = try input.next() else { return nil }
        let columns = keyColumns.map { batch.columns[$0].flattened() }
        var keys = [Int64](repeating: 0, count: batch.count)
        var assigned: [DropLedger.KeyAssignment] = []
        for row in 0..<batch.count {
            guard let natural = Self.naturalKey(columns, row) else { continue }
            if let known = map.keys[natural] { keys[row] = known; continue }
            let key = map.nextKey
            map.nextKey += 1
            map.keys[natural] = key
            keys[row] = key
            assigned.append(DropLedger.KeyAssignment(dimension: dimension, naturalKey: natural, key: key))
        }
        if !assigned.isEmpty { ledger?.recordKeys(assigned) }
        statistics.add(rows: batch.count, nanos: 0)
        return Batch(columns: [Column(type: .bigint, data: .int64(keys))] + batch.columns, count: batch.count)
    }

    /// The natural key as text (parts joined by U+001F); nil when any part is NULL.
    static func naturalKey(_ columns: [Column], _ row: Int) -> String? {
        var parts: [String] = []
        parts.reserveCapacity(columns.count)
        for column in columns {
            if column.isNull(row) { return nil }
            if case let .string(s) = column.data { parts.append(s.string(at: row)) } else { parts.append(column.value(at: row).description) }
        }
        return parts.count == 1 ? parts[0] : parts.joined(separator: "\u{1F}")
    }
}
