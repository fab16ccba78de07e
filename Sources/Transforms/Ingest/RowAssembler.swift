import Storage

/// Assembles parsed records into batches of a target schema: maps field names to columns (case-insensitively,
/// predicting the next key from the previous record's order), converts values, fills missing fields with NULL
/// and takes back every value of a rejected record.
final class RowAssembler {
    let schema: Schema
    private(set) var builders: [IngestColumnBuilder]
    /// Rows completed in the current batch.
    private(set) var rows = 0
    /// `setInRow[c] == rowStamp` when column `c` already has a value in the current record.
    private var setInRow: [Int]
    private var rowStamp = 1
    private var nameBytes: [[UInt8]]
    private var indexByName: [String: Int] = [:]
    /// Column of the k-th key of the previous record: most records repeat the same key order.
    private var predicted: [Int] = []
    private var keyPosition = 0

    init(schema: Schema, batchCapacity: Int) {
        self.schema = schema
        builders = schema.fields.map { IngestColumnBuilder(type: $0.type, capacity: batchCapacity) }
        setInRow = [Int](repeating: 0, count: schema.count)
        nameBytes = schema.fields.map { Array($0.name.utf8) }
        for (i, f) in schema.fields.enumerated() where indexByName[f.name.lowercased()] == nil { indexByName[f.name.lowercased()] = i }
    }

    /// The column named by `key` (UTF-8), or nil when the schema has no such field.
    func column(forKey key: UnsafeBufferPointer<UInt8>) -> Int? {
        let position = keyPosition
        keyPosition += 1
        if position < predicted.count {
            let c = predicted[position]
            if c >= 0, nameBytes[c].count == key.count, Self.same(nameBytes[c], key) {
                return c
            }
        }
        let found = indexByName[String(decoding: key, as: UTF8.self).lowercased()]
        if position < predicted.count { predicted[position] = found ?? -1 } else if position == predicted.count { predicted.append(found ?? -1) }
        return found
    }

    @inline(__always)
    private static func same(_ name: [UInt8], _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        name.withUnsafeBufferPointer { n in
            guard let a = n.baseAddress, let b = key.baseAddress else { return n.count == key.count }
            return memcmp(a, b, key.count) == 0
        }
    }

    /// Sets column `c` of the current record; false when the value does not fit the column's type.
    /// A repeated key keeps its first value.
    @inline(__always)
    func set(_ c: Int, _ kind: IngestFieldKind, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if setInRow[c] == rowStamp { return true }
        guard builders[c].append(kind, text) else { return false }
        setInRow[c] = rowStamp
        return true
    }

    /// Completes the current record: columns it did not name become NULL.
    func commitRow() {
        for c in 0..<builders.count where setInRow[c] != rowStamp { builders[c].appendNull() }
        rows += 1
        rowStamp += 1
        keyPosition = 0
    }

    /// Takes back every value of the current record.
    func abortRow() {
        for c in 0..<builders.count where builders[c].count > rows { builders[c].truncate(to: rows) }
        rowStamp += 1
        keyPosition = 0
    }

    /// The completed rows as a batch; starts a new one.
    func takeBatch() -> Batch {
        let n = rows
        let columns = builders.indices.map { builders[$0].finish() }
        rows = 0
        return Batch(columns: columns, count: n)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
