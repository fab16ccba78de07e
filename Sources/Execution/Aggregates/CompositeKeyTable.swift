import Storage

/// Group ids for composite keys (and single BOOLEAN / DOUBLE keys). Every key column is normalised to one
/// 64-bit word per row — integers as themselves, doubles as their (normalised) bit pattern, booleans as
/// 0/1, strings as their id in a per-column `StringKeyTable` (so dictionary codes are translated once per
/// dictionary) — plus one word of NULL flags. Rows are then hashed and compared as fixed-width word tuples
/// stored contiguously (width words per group).
final class CompositeKeyTable: GroupKeyTable {
    let types: [DataType]
    private let width: Int
    private var words: [Int64] = []
    private var hashes: [UInt64] = []
    /// Open-addressing slots: 0 = empty, else (high 32 bits of the hash) << 32 | (group id + 1), so most
    /// mismatches are rejected without touching the group's key words.
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var mask = 1023
    private var stringTables: [StringKeyTable?]
    private var rowWords: [Int64] = []
    private var scratchIDs: [Int32] = []

    init(types: [DataType]) {
        self.types = types
        width = types.count + 1
        stringTables = types.map { $0.physical == .string ? StringKeyTable() : nil }
    }

    var groupCount: Int { hashes.count }

    @inline(__always) private static func slot(_ h: UInt64, _ g: Int32) -> UInt64 { (h & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(g) + 1) }

    private func reserve(_ extra: Int) {
        let needed = (groupCount + extra) * 2
        guard needed > slots.count else { return }
        let cap = KeyHashing.capacity(for: needed)
        var newSlots = [UInt64](repeating: 0, count: cap)
        let m = cap - 1
        for g in 0..<hashes.count {
            var p = Int(truncatingIfNeeded: hashes[g]) & m
            while newSlots[p] != 0 { p = (p + 1) & m }
            newSlots[p] = Self.slot(hashes[g], Int32(g))
        }
        slots = newSlots; mask = m
    }

    /// Fills `rowWords` (n × width). Returns false for rows whose string is unknown in lookup mode (-1 id).
    private func normalise(_ keys: [Column], _ n: Int, insert: Bool) -> [Bool] {
        let w = width
        if rowWords.count < n * w { rowWords = [Int64](repeating: 0, count: n * w) }
        var present = [Bool](repeating: true, count: n)
        for (c, column) in keys.enumerated() {
            let flag = Int64(1) << Int64(c)
            rowWords.withUnsafeMutableBufferPointer { out in
                switch column.data {
                case let .int32(v): for i in 0..<n { out[i * w + c] = Int64(v[i]) }
                case let .int64(v): for i in 0..<n { out[i * w + c] = v[i] }
                case .int128: break  // invariant: Decimal128KeyTable splits Int128 keys into two BIGINT keys
                case let .bool(v): for i in 0..<n { out[i * w + c] = v[i] ? 1 : 0 }
                case let .double(v):
                    for i in 0..<n {
                        var d = v[i]
                        if d == 0 { d = 0 } else if d.isNaN { d = .nan }
                        out[i * w + c] = Int64(bitPattern: d.bitPattern)
                    }
                case .string, .dictionary:
                    if let table = stringTables[c] {
                        var ids = scratchIDs
                        if insert { table.assign([column], count: n, groupIDs: &ids) } else { table.lookup([column], count: n, groupIDs: &ids) }
                        for i in 0..<n {
                            out[i * w + c] = Int64(ids[i])
                            if ids[i] < 0 && !column.isNull(i) { present[i] = false }
                        }
                        scratchIDs = ids
                    }
                case .list, .fields: break  // invariant: the binder refuses ARRAY grouping and join keys
                }
                if c == 0 { for i in 0..<n { out[i * w + w - 1] = 0 } }
                if let validity = column.validity {
                    for i in 0..<n where validity[i] == 0 { out[i * w + c] = 0; out[i * w + w - 1] |= flag }
                }
            }
        }
        return present
    }

    func assign(_ keys: [Column], count: Int, groupIDs: inout [Int32]) { run(keys, count, &groupIDs, insert: true) }
    func lookup(_ keys: [Column], count: Int, groupIDs: inout [Int32]) { run(keys, count, &groupIDs, insert: false) }

    private func run(_ keys: [Column], _ n: Int, _ groupIDs: inout [Int32], insert: Bool) {
        if groupIDs.count != n { groupIDs = [Int32](repeating: 0, count: n) }
        if insert { reserve(n) }
        let present = normalise(keys, n, insert: insert)
        let w = width
        let m = mask
        // Work on local arrays (moved out of the properties, so no copies and no per-access exclusivity checks).
        var slots = self.slots, hashes = self.hashes, words = self.words
        self.slots = []; self.hashes = []; self.words = []
        defer { self.slots = slots; self.hashes = hashes; self.words = words }
        // Hash every row first (independent work the CPU overlaps), then probe.
        var rowHashes = [UInt64](repeating: 0, count: n)
        rowWords.withUnsafeBufferPointer { row in
            for i in 0..<n {
                let base = i * w
                var h: UInt64 = 0x2545_F491_4F6C_DD1D
                for k in 0..<w { h = KeyHashing.hash(h ^ UInt64(bitPattern: row[base + k])) }
                rowHashes[i] = h
            }
        }
        rowWords.withUnsafeBufferPointer { row in
            groupIDs.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    if !present[i] { out[i] = -1; continue }
                    let base = i * w
                    let h = rowHashes[i]
                    let salt = h & 0xFFFF_FFFF_0000_0000
                    var p = Int(truncatingIfNeeded: h) & m
                    while true {
                        let entry = slots[p]
                        if entry == 0 {
                            if insert {
                                let id = Int32(hashes.count)
                                hashes.append(h)
                                for k in 0..<w { words.append(row[base + k]) }
                                slots[p] = Self.slot(h, id)
                                out[i] = id
                            } else {
                                out[i] = -1
                            }
                            break
                        }
                        if entry & 0xFFFF_FFFF_0000_0000 == salt {
                            let g = Int(UInt32(truncatingIfNeeded: entry) - 1)
                            let gb = g * w
                            var equal = true
                            for k in 0..<w where words[gb + k] != row[base + k] { equal = false; break }
                            if equal { out[i] = Int32(g); break }
                        }
                        p = (p + 1) & m
                    }
                }
            }
        }
    }

    func keyColumns() -> [Column] {
        let n = groupCount, w = width
        var columns: [Column] = []
        for (c, type) in types.enumerated() {
            let flag = Int64(1) << Int64(c)
            var validity = [UInt8](repeating: 1, count: n)
            var hasNull = false
            for g in 0..<n where words[g * w + w - 1] & flag != 0 { validity[g] = 0; hasNull = true }
            let valid = hasNull ? validity : nil
            switch type.physical {
            case .int32: columns.append(Column(type: type, data: .int32((0..<n).map { Int32(truncatingIfNeeded: words[$0 * w + c]) }), validity: valid))
            case .int64: columns.append(Column(type: type, data: .int64((0..<n).map { words[$0 * w + c] }), validity: valid))
            case .bool: columns.append(Column(type: type, data: .bool((0..<n).map { words[$0 * w + c] != 0 }), validity: valid))
            case .double: columns.append(Column(type: type, data: .double((0..<n).map { Double(bitPattern: UInt64(bitPattern: words[$0 * w + c])) }), validity: valid))
            case .list, .fields, .int128: columns.append(Column.nulls(type, count: n))  // invariant: the binder refuses ARRAY, ROW and MAP grouping keys; Decimal128KeyTable splits Int128 keys
            case .string:
                let strings = stringTables[c]?.keyColumns().first ?? Column(type: .varchar, data: .string(StringArray()))
                // Late materialisation: with few distinct strings, keep the key as codes into the string table's
                // keys (no per-group string copies; merges and later GROUP BYs translate once per dictionary).
                if case let .string(dictionary) = strings.data, dictionary.count > 0, dictionary.count <= Self.dictionaryKeyLimit {
                    let codes = [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                        for g in 0..<n { out[g] = validity[g] == 0 ? 0 : Int32(truncatingIfNeeded: words[g * w + c]) }
                        initialized = n
                    }
                    columns.append(Column(type: type, data: .dictionary(codes: codes, dictionary: dictionary), validity: valid))
                    continue
                }
                let ids = (0..<n).map { g -> Int32 in validity[g] == 0 ? -1 : Int32(truncatingIfNeeded: words[g * w + c]) }
                var col = ColumnAssembly.gatherOptional(strings, ids)
                col.type = type
                columns.append(col)
            }
        }
        return columns
    }

    func makeEmpty() -> GroupKeyTable { CompositeKeyTable(types: types) }

    func makeLookupCopy() -> GroupKeyTable { lookupCopy() }

    /// Same groups, own scratch rows and string translations.
    func lookupCopy() -> CompositeKeyTable {
        let copy = CompositeKeyTable(types: types)
        copy.words = words; copy.hashes = hashes; copy.slots = slots; copy.mask = mask
        copy.stringTables = stringTables.map { $0?.lookupCopy() }
        return copy
    }

    /// Most distinct strings of a key column returned dictionary-encoded by `keyColumns` (per-string
    /// kernels run once per dictionary entry per batch, so larger dictionaries are materialised).
    static let dictionaryKeyLimit = 4096
}
