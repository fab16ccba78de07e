import Foundation
import Storage

/// The build side of a hash join, immutable once made: the build rows, their keys' group table, and the rows
/// of every key stored contiguously (`rowsByGroup[groupStart[g] ..< groupStart[g + 1]]`, ascending, unless the
/// join needs only counts), so a probe row's matches are one range of one array instead of a linked chain.
/// Rows with a NULL key are in no group. Probes may run on several threads at once: each borrows its own lookup
/// copy of the key table.
final class JoinHashTable: @unchecked Sendable {
    let batch: Batch
    let emitter: JoinEmitter
    let hasNullKey: Bool
    let groupStart: [Int32]
    let rowsByGroup: [Int32]
    private let lock = NSLock()
    private let prototype: GroupKeyTable
    private var lookupTables: [GroupKeyTable]

    /// Build rows hashed between two looks at the cancel flag (hashing tens of millions of keys takes seconds).
    static let rowsPerCancelCheck = 1 << 18
    /// Build rows assigned first, whose rate of new keys sizes the table for the rest.
    static let sampleRows = 1 << 16

    /// `needsRows`: false when probes only ask how many build rows a key has (counting joins, semi / anti / mark
    /// joins without a residual); `rowsByGroup` is then left empty, saving a scatter pass over the build rows.
    init(batch: Batch, keys: [Column], keyTypes: [DataType], emitter: JoinEmitter, needsRows: Bool = true,
         progress: QueryProgress = QueryProgress()) throws {
        self.batch = batch
        self.emitter = emitter
        let n = batch.count
        let table = GroupKeyTables.make(for: keyTypes, buildRows: n)
        var ids: [Int32] = []
        if n <= Self.sampleRows {
            table.assign(keys, count: n, groupIDs: &ids)
        } else {
            ids.reserveCapacity(n)
            var part: [Int32] = []
            var lo = 0
            while lo < n {
                try progress.checkCancelled()
                let hi = min(n, lo + (lo == 0 ? Self.sampleRows : Self.rowsPerCancelCheck))
                table.assign(keys.map { $0.slice(lo..<hi) }, count: hi - lo, groupIDs: &part)
                ids += part
                if lo == 0 {
                    // The rest will add groups at about the first rows' rate: room for them all at once, while the
                    // table is small (growing it later re-inserts every key, a cache miss each).
                    table.reserveGroups(GroupKeyTables.expectedGroups(groups: table.groupCount, newGroups: table.groupCount,
                                                                      rows: hi, remaining: n - hi))
                }
                lo = hi
            }
        }
        let nulls = JoinHashTable.nullKeyRows(keys, n)
        let groups = table.groupCount
        var start = [Int32](repeating: 0, count: groups + 1)
        var nonNull = 0
        for r in 0..<n where !nulls[r] { start[Int(ids[r]) + 1] += 1; nonNull += 1 }
        for g in 0..<groups { start[g + 1] += start[g] }
        var rows: [Int32] = []
        if needsRows {
            var fill = start
            rows = [Int32](repeating: 0, count: nonNull)
            for r in 0..<n where !nulls[r] {
                let g = Int(ids[r])
                rows[Int(fill[g])] = Int32(r)
                fill[g] += 1
            }
        }
        hasNullKey = nonNull < n
        groupStart = start
        rowsByGroup = rows
        prototype = table
        lookupTables = [table.makeLookupCopy()]
    }

    /// The group id of every probe key row (-1 when no build row has that key; NULL keys give the NULL group,
    /// which holds no rows). Safe to call from several threads at once.
    func lookup(_ keys: [Column], count: Int, into ids: inout [Int32]) {
        lock.lock()
        // A table is used by one thread at a time: a free one, or a new copy of the prototype (which itself
        // never runs lookups, so copying it races with nothing).
        let table = lookupTables.popLast() ?? prototype.makeLookupCopy()
        lock.unlock()
        table.lookup(keys, count: count, groupIDs: &ids)
        lock.lock()
        lookupTables.append(table)
        lock.unlock()
    }

    /// Per row, whether any key column is NULL.
    static func nullKeyRows(_ keys: [Column], _ n: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: n)
        for k in keys { if let v = k.validity { for i in 0..<n where v[i] == 0 { out[i] = true } } }
        return out
    }
}
