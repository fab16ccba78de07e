import Storage

/// Group ids for composite keys of VARCHAR columns with few distinct values each (e.g. TPC-H Q1's
/// `l_returnflag, l_linestatus`): a perfect hash instead of a hash table.
///
/// Each key column is translated to dense value ids by its own `StringKeyTable` (dictionary codes once per
/// dictionary, so per row that is one array load); the ids of a row, each in its column's few bits, are
/// concatenated into a slot index of a direct-mapped array `slot → group id`. No hashing, no key comparison.
/// Bits per column grow as values appear; when the slots would exceed `maxSlotBits` bits the table turns
/// itself into a `PackedKeyTable` holding the same groups under the same ids and delegates to it from then
/// on, so callers never see the switch.
final class SmallDomainKeyTable: GroupKeyTable {
    let types: [DataType]
    /// Most bits of a slot index (2^12 slots of 4 bytes stay in the L1 cache).
    static let maxSlotBits = 12

    private var valueTables: [StringKeyTable]
    /// Bits of each column's value id within a slot index.
    private var bits: [Int]
    /// slot → group id, -1 = no group yet.
    private var slots: [Int32]
    /// Value id of every group's key, column-major (`groupValues[c][g]`).
    private var groupValues: [[Int32]]
    private var count = 0
    private var fallback: GroupKeyTable?
    private var columnIDs: [[Int32]]

    init(types: [DataType]) {
        self.types = types
        valueTables = types.map { _ in StringKeyTable() }
        bits = types.map { _ in 1 }
        slots = [Int32](repeating: -1, count: 1 << types.count)
        groupValues = types.map { _ in [] }
        columnIDs = types.map { _ in [] }
    }

    /// Whether keys of these types can use this table (two or more VARCHAR columns).
    static func supports(_ types: [DataType]) -> Bool {
        types.count >= 2 && types.count <= maxSlotBits && types.allSatisfy { $0.physical == .string }
    }

    var groupCount: Int { fallback?.groupCount ?? count }

    /// Whether the table has switched to the hash table (tests).
    var usesFallback: Bool { fallback != nil }

    func assign(_ keys: [Column], count n: Int, groupIDs: inout [Int32]) { run(keys, n, &groupIDs, insert: true) }
    func lookup(_ keys: [Column], count n: Int, groupIDs: inout [Int32]) { run(keys, n, &groupIDs, insert: false) }

    private func run(_ keys: [Column], _ n: Int, _ groupIDs: inout [Int32], insert: Bool) {
        if let fallback {
            if insert { fallback.assign(keys, count: n, groupIDs: &groupIDs) } else { fallback.lookup(keys, count: n, groupIDs: &groupIDs) }
            return
        }
        if groupIDs.count != n { groupIDs = [Int32](repeating: 0, count: n) }
        // Value ids per column (-1: unknown value in lookup mode).
        var missing = false
        for c in 0..<types.count {
            var ids = columnIDs[c]
            columnIDs[c] = []
            if insert { valueTables[c].assign([keys[c]], count: n, groupIDs: &ids) } else { valueTables[c].lookup([keys[c]], count: n, groupIDs: &ids) }
            let needed = Self.bitsFor(valueTables[c].groupCount)
            if needed > bits[c] {
                if !widen(c, to: needed) {
                    columnIDs[c] = ids
                    switchToFallback()
                    run(keys, n, &groupIDs, insert: insert)
                    return
                }
            }
            if !insert { missing = missing || ids.withUnsafeBufferPointer { $0.contains { $0 < 0 } } }
            columnIDs[c] = ids
        }
        let shifts = Self.shifts(bits)
        var slots = self.slots
        self.slots = []
        defer { self.slots = slots }
        groupIDs.withUnsafeMutableBufferPointer { out in
            slots.withUnsafeMutableBufferPointer { table in
                // Slot index of every row, column by column (straight loops over the id arrays).
                columnIDs[0].withUnsafeBufferPointer { ids in for i in 0..<n { out[i] = ids[i] } }
                for c in 1..<types.count {
                    let shift = Int32(shifts[c])
                    columnIDs[c].withUnsafeBufferPointer { ids in for i in 0..<n { out[i] |= ids[i] << shift } }
                }
                if missing {
                    // Lookup with unknown values: a row with any -1 id has no group.
                    for c in 0..<types.count {
                        columnIDs[c].withUnsafeBufferPointer { ids in for i in 0..<n where ids[i] < 0 { out[i] = -1 } }
                    }
                }
                for i in 0..<n {
                    let slot = out[i]
                    if slot < 0 { continue }
                    let g = table[Int(slot)]
                    if g >= 0 { out[i] = g; continue }
                    if !insert { out[i] = -1; continue }
                    let id = Int32(count)
                    table[Int(slot)] = id
                    for c in 0..<types.count { groupValues[c].append(columnIDs[c][i]) }
                    count += 1
                    out[i] = id
                }
            }
        }
    }

    /// Where each column's bits start in a slot index.
    static func shifts(_ bits: [Int]) -> [Int] {
        var shifts: [Int] = []
        var position = 0
        for b in bits { shifts.append(position); position += b }
        return shifts
    }

    /// Bits needed for value ids `0..<distinct`.
    static func bitsFor(_ distinct: Int) -> Int { max(1, Int.bitWidth - (max(distinct, 1) - 1).leadingZeroBitCount) }

    /// Gives column `c` `width` bits and rebuilds the slots; false when the slots would get too large.
    private func widen(_ c: Int, to width: Int) -> Bool {
        var newBits = bits
        newBits[c] = width
        let total = newBits.reduce(0, +)
        guard total <= Self.maxSlotBits else { return false }
        bits = newBits
        let shifts = Self.shifts(bits)
        var newSlots = [Int32](repeating: -1, count: 1 << total)
        for g in 0..<count {
            var slot = 0
            for k in 0..<types.count { slot |= Int(groupValues[k][g]) << shifts[k] }
            newSlots[slot] = Int32(g)
        }
        slots = newSlots
        return true
    }

    /// Moves the groups, in id order, into a `PackedKeyTable` (so they keep their ids) and delegates to it.
    private func switchToFallback() {
        let table = PackedKeyTable(types: types)
        if count > 0 {
            var ids: [Int32] = []
            table.assign(keyColumns(), count: count, groupIDs: &ids)
        }
        fallback = table
        valueTables = []
        slots = []
        groupValues = []
        columnIDs = []
    }

    func keyColumns() -> [Column] {
        if let fallback { return fallback.keyColumns() }
        var columns: [Column] = []
        for (c, type) in types.enumerated() {
            guard let strings = valueTables[c].keyColumns().first, case let .string(dictionary) = strings.data else {
                columns.append(Column.nulls(type, count: count))
                continue
            }
            let values = groupValues[c]
            var validity: [UInt8]? = nil
            if let valid = strings.validity {
                let v = values.map { valid[Int($0)] }
                if v.contains(0) { validity = v }
            }
            // Codes into the column's distinct values: no per-group string copies (as CompositeKeyTable does for
            // small dictionaries).
            columns.append(Column(type: type, data: .dictionary(codes: values, dictionary: dictionary), validity: validity))
        }
        return columns
    }

    func makeEmpty() -> GroupKeyTable { SmallDomainKeyTable(types: types) }

    func makeLookupCopy() -> GroupKeyTable {
        let copy = SmallDomainKeyTable(types: types)
        copy.valueTables = valueTables.map { $0.lookupCopy() }
        copy.bits = bits; copy.slots = slots; copy.groupValues = groupValues; copy.count = count
        copy.fallback = fallback?.makeLookupCopy()
        return copy
    }
}
