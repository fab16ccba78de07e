import CPrefetch
import Storage

/// Group ids for composite keys of integer, boolean and string columns whose codes fit together in one
/// 64-bit word (e.g. seven dictionary-encoded strings and a date).
///
/// Every key column becomes a small unsigned code: strings their id in a per-column `StringKeyTable` (NULL
/// has its own id there), integers `zigzag(v − first value seen) + 1`, booleans 1 / 2, NULL 0. The codes are
/// packed at per-column bit offsets into one word, and the table stores that word inline in its slots, so a
/// probe is one hash of one word and (mostly) one cache line. Field widths grow as larger codes arrive
/// (stored keys are repacked, which happens a few times per column at most). When the codes no longer fit
/// in 64 bits the table converts itself into a `CompositeKeyTable` (keeping every group id) and delegates.
final class PackedKeyTable: GroupKeyTable {
    let types: [DataType]
    /// Packed key of every group, in group-id order.
    private var keys: [UInt64] = []
    /// Open addressing, pairs (key, group id + 1); a zero id word marks an empty slot.
    private var slots = [UInt64](repeating: 0, count: 2 * 1024)
    private var mask = 1023
    private var widths: [Int]
    private var shifts: [Int]
    /// First non-NULL value of each integer column (codes are offsets from it).
    private var bases: [Int64?]
    private let stringTables: [StringKeyTable?]
    private var fallback: CompositeKeyTable?
    private var rowKeys: [UInt64] = []
    private var codes: [[UInt64]]
    private var absent: [UInt8] = []
    /// Home slot of every encoded row (`hashSlots`).
    private var positions: [Int] = []
    private var scratchIDs: [Int32] = []

    /// True when `types` can be handled (no DOUBLE keys: their bit patterns need a full word).
    static func supports(_ types: [DataType]) -> Bool {
        types.allSatisfy { [.int32, .int64, .bool, .string].contains($0.physical) }
    }

    init(types: [DataType]) {
        self.types = types
        widths = Array(repeating: 0, count: types.count)
        shifts = Array(repeating: 0, count: types.count)
        bases = Array(repeating: nil, count: types.count)
        stringTables = types.map { $0.physical == .string ? StringKeyTable() : nil }
        codes = Array(repeating: [], count: types.count)
    }

    var groupCount: Int { fallback?.groupCount ?? keys.count }

    /// False once the keys outgrew one word and the table delegates to a `CompositeKeyTable`.
    var isPacked: Bool { fallback == nil }

    func makeEmpty() -> GroupKeyTable { PackedKeyTable(types: types) }

    func makeLookupCopy() -> GroupKeyTable {
        PackedKeyTable(copying: self)
    }

    /// Same groups, own scratch codes and string translations.
    private init(copying other: PackedKeyTable) {
        types = other.types
        keys = other.keys; slots = other.slots; mask = other.mask
        widths = other.widths; shifts = other.shifts; bases = other.bases
        stringTables = other.stringTables.map { $0?.lookupCopy() }
        fallback = other.fallback?.lookupCopy()
        codes = Array(repeating: [], count: other.types.count)
    }

    func assign(_ keyColumns: [Column], count: Int, groupIDs: inout [Int32]) {
        if let fallback { fallback.assign(keyColumns, count: count, groupIDs: &groupIDs); return }
        if groupIDs.count != count { groupIDs = [Int32](repeating: 0, count: count) }
        guard encode(keyColumns, count, insert: true) else {
            convertToComposite()
            fallback?.assign(keyColumns, count: count, groupIDs: &groupIDs)
            return
        }
        // Grow the slots chunk by chunk: a large input (a merge) may add far fewer groups than rows. After the
        // first chunk the rest is reserved at the rate it added groups, so a large build grows its slots once.
        var lo = 0
        while lo < count {
            let hi = min(lo + Self.reserveChunk, count)
            reserve(hi - lo)
            let before = keys.count
            insertRows(lo..<hi, &groupIDs)
            if lo == 0, hi < count {
                reserveGroups(GroupKeyTables.expectedGroups(groups: keys.count, newGroups: keys.count - before,
                                                            rows: hi - lo, remaining: count - hi))
            }
            lo = hi
        }
    }

    func reserveGroups(_ groups: Int) {
        if fallback == nil, groups > keys.count { reserve(groups - keys.count) }
    }

    /// Most rows probed per slot reservation.
    static let reserveChunk = 65_536

    func lookup(_ keyColumns: [Column], count: Int, groupIDs: inout [Int32]) {
        if let fallback { fallback.lookup(keyColumns, count: count, groupIDs: &groupIDs); return }
        if groupIDs.count != count { groupIDs = [Int32](repeating: 0, count: count) }
        _ = encode(keyColumns, count, insert: false)
        probeReadOnly(count, &groupIDs)
    }

    /// Lookup of the encoded rows that never writes the slots (a lookup copy shares them with its prototype:
    /// a mutable access would copy them).
    private func probeReadOnly(_ n: Int, _ groupIDs: inout [Int32]) {
        let m = mask
        hashSlots(0..<n)
        rowKeys.withUnsafeBufferPointer { row in
            absent.withUnsafeBufferPointer { absent in
                groupIDs.withUnsafeMutableBufferPointer { out in
                    slots.withUnsafeBufferPointer { s in
                        positions.withUnsafeBufferPointer { position in
                            guard let base = s.baseAddress else { return }
                            for i in 0..<n {
                                if i &+ KeyHashing.prefetchDistance < n { tarn_prefetch(base + 2 &* position[i &+ KeyHashing.prefetchDistance]) }
                                if absent[i] != 0 { out[i] = -1; continue }
                                let key = row[i]
                                var p = position[i]
                                while true {
                                    let id = s[2 &* p &+ 1]
                                    if id == 0 { out[i] = -1; break }
                                    if s[2 &* p] == key { out[i] = Int32(truncatingIfNeeded: id &- 1); break }
                                    p = (p &+ 1) & m
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The home slot of every row of `range` into `positions` (one pass that needs no table access, so the probe
    /// loop can prefetch slots ahead).
    private func hashSlots(_ range: Range<Int>) {
        if positions.count < range.upperBound { positions = [Int](repeating: 0, count: rowKeys.count) }
        let m = mask
        rowKeys.withUnsafeBufferPointer { row in
            positions.withUnsafeMutableBufferPointer { position in
                for i in range { position[i] = Int(truncatingIfNeeded: KeyHashing.hash(row[i])) & m }
            }
        }
    }

    // MARK: Encoding

    @inline(__always) private static func bitLength(_ x: UInt64) -> Int { 64 - x.leadingZeroBitCount }

    /// Fills `rowKeys` with the packed key of every row (widening fields first when inserting). Returns false
    /// when the codes need more than 64 bits (insert mode). In lookup mode rows whose codes cannot be in the
    /// table are flagged in `absent`.
    private func encode(_ columns: [Column], _ n: Int, insert: Bool) -> Bool {
        if absent.count < n { absent = [UInt8](repeating: 0, count: n) }
        absent.withUnsafeMutableBufferPointer { a in for i in 0..<n { a[i] = 0 } }
        var needed = widths
        for c in 0..<columns.count {
            var out = codes[c]
            codes[c] = []
            if out.count < n { out = [UInt64](repeating: 0, count: n) }
            guard let used = columnCodes(c, columns[c], n, insert: insert, into: &out) else { codes[c] = out; return false }
            codes[c] = out
            needed[c] = max(needed[c], Self.bitLength(used))
        }
        if needed != widths {
            if insert {
                if needed.reduce(0, +) > 64 { return false }
                relayout(needed)
            } else {
                // Codes wider than a field cannot be stored keys.
                for c in 0..<columns.count where needed[c] > widths[c] {
                    let limit = widths[c] == 0 ? 0 : (UInt64(1) << UInt64(widths[c])) - 1
                    codes[c].withUnsafeBufferPointer { k in
                        absent.withUnsafeMutableBufferPointer { a in for i in 0..<n where k[i] > limit { a[i] = 1 } }
                    }
                }
            }
        }
        if rowKeys.count < n { rowKeys = [UInt64](repeating: 0, count: n) }
        rowKeys.withUnsafeMutableBufferPointer { keys in
            for i in 0..<n { keys[i] = 0 }
            for c in 0..<columns.count {
                let shift = UInt64(shifts[c])
                let fieldMask: UInt64 = widths[c] == 0 ? 0 : (widths[c] == 64 ? .max : (UInt64(1) << UInt64(widths[c])) - 1)
                codes[c].withUnsafeBufferPointer { k in
                    for i in 0..<n { keys[i] |= (k[i] & fieldMask) << shift }
                }
            }
        }
        return true
    }

    /// Writes the codes of one column into `out` and returns their bitwise OR (its bit length is the width
    /// they need), or nil when an integer lies too far from the column's base to be coded in 64 bits.
    private func columnCodes(_ c: Int, _ column: Column, _ n: Int, insert: Bool, into out: inout [UInt64]) -> UInt64? {
        let validity = column.validity
        var used: UInt64 = 0
        switch column.data {
        case .list, .fields, .int128: return nil  // invariant: the binder refuses ARRAY grouping keys; Decimal128KeyTable splits Int128 keys
        case .string, .dictionary:
            guard let table = stringTables[c] else { return 0 }
            var ids = scratchIDs
            scratchIDs = []
            if insert { table.assign([column], count: n, groupIDs: &ids) } else { table.lookup([column], count: n, groupIDs: &ids) }
            ids.withUnsafeBufferPointer { ids in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n {
                        let id = ids[i]
                        if id < 0 { o[i] = 0; absent[i] = 1; continue }
                        let code = UInt64(UInt32(id))
                        o[i] = code
                        used |= code
                    }
                }
            }
            scratchIDs = ids
        case let .bool(values):
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n {
                        let isNull = validity.map { $0[i] == 0 } ?? false
                        let code: UInt64 = isNull ? 0 : (v[i] ? 2 : 1)
                        o[i] = code
                        used |= code
                    }
                }
            }
        case let .int32(values):
            guard let u = values.withUnsafeBufferPointer({ integerCodes(c, $0, validity, n, insert: insert, into: &out) }) else { return nil }
            used = u
        case let .int64(values):
            guard let u = values.withUnsafeBufferPointer({ integerCodes(c, $0, validity, n, insert: insert, into: &out) }) else { return nil }
            used = u
        case .double:
            return nil
        }
        return used
    }

    @inline(__always)
    private func integerCodes<T: FixedWidthInteger>(_ c: Int, _ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ n: Int,
                                                    insert: Bool, into out: inout [UInt64]) -> UInt64? {
        if bases[c] == nil {
            guard insert else {
                // No non-NULL value stored yet: only NULL keys can match.
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n {
                        o[i] = 0
                        if validity.map({ $0[i] != 0 }) ?? true { absent[i] = 1 }
                    }
                }
                return 0
            }
            for i in 0..<n where validity.map({ $0[i] != 0 }) ?? true { bases[c] = Int64(values[i]); break }
        }
        let base = bases[c] ?? 0
        var used: UInt64 = 0
        var overflow = false
        out.withUnsafeMutableBufferPointer { o in
            if let validity {
                validity.withUnsafeBufferPointer { valid in
                    for i in 0..<n {
                        let d = Int64(values[i]) &- base
                        let zig = UInt64(bitPattern: (d << 1) ^ (d >> 63))
                        overflow = overflow || zig == .max
                        let code = valid[i] == 0 ? 0 : zig &+ 1
                        o[i] = code
                        used |= code
                    }
                }
            } else {
                for i in 0..<n {
                    let d = Int64(values[i]) &- base
                    let zig = UInt64(bitPattern: (d << 1) ^ (d >> 63))
                    overflow = overflow || zig == .max
                    let code = zig &+ 1
                    o[i] = code
                    used |= code
                }
            }
        }
        if overflow {
            if insert { return nil }
            // A value 2^63 away from the base cannot be stored: mark the rows that wrapped to code 0 (not NULL).
            out.withUnsafeBufferPointer { o in
                for i in 0..<n where o[i] == 0 && (validity.map { $0[i] != 0 } ?? true) { absent[i] = 1 }
            }
        }
        return used
    }

    /// Re-lays out the fields with `newWidths`: repacks every stored key and rebuilds the slots.
    private func relayout(_ newWidths: [Int]) {
        var newShifts = [Int](repeating: 0, count: newWidths.count)
        var s = 0
        for c in 0..<newWidths.count { newShifts[c] = s; s += newWidths[c] }
        let old = Array(zip(shifts, widths))
        let fresh = Array(zip(newShifts, newWidths))
        keys.withUnsafeMutableBufferPointer { k in
            for g in 0..<k.count {
                var packed: UInt64 = 0
                for c in 0..<old.count where old[c].1 > 0 {
                    let field = (k[g] >> UInt64(old[c].0)) & Self.fieldMask(old[c].1)
                    packed |= field << UInt64(fresh[c].0)
                }
                k[g] = packed
            }
        }
        widths = newWidths
        shifts = newShifts
        rebuildSlots(capacity: slots.count / 2)
    }

    @inline(__always) private static func fieldMask(_ width: Int) -> UInt64 {
        width == 0 ? 0 : (width >= 64 ? .max : (UInt64(1) << UInt64(width)) - 1)
    }

    // MARK: Probing

    /// Grows the slots so that `extra` more groups keep the load factor under 2/3.
    private func reserve(_ extra: Int) {
        let needed = (keys.count + extra) * 3 / 2
        guard needed > slots.count / 2 else { return }
        rebuildSlots(capacity: KeyHashing.capacity(for: needed))
    }

    private func rebuildSlots(capacity: Int) {
        slots = []
        var fresh = [UInt64](repeating: 0, count: 2 * capacity)
        let m = capacity - 1
        keys.withUnsafeBufferPointer { k in
            fresh.withUnsafeMutableBufferPointer { s in
                for g in 0..<k.count {
                    var p = Int(truncatingIfNeeded: KeyHashing.hash(k[g])) & m
                    while s[2 &* p &+ 1] != 0 { p = (p &+ 1) & m }
                    s[2 &* p] = k[g]
                    s[2 &* p &+ 1] = UInt64(g) &+ 1
                }
            }
        }
        slots = fresh
        mask = m
    }

    /// The group of every row of `range`, creating groups for new keys (the slots have room: `reserve` first).
    private func insertRows(_ range: Range<Int>, _ groupIDs: inout [Int32]) {
        let m = mask
        if keys.count + range.count > keys.capacity {
            keys.reserveCapacity(max(keys.count + range.count, keys.capacity + keys.capacity / 4))
        }
        hashSlots(range)
        var slots = self.slots, keys = self.keys
        self.slots = []; self.keys = []
        defer { self.slots = slots; self.keys = keys }
        rowKeys.withUnsafeBufferPointer { row in
            groupIDs.withUnsafeMutableBufferPointer { out in
                slots.withUnsafeMutableBufferPointer { s in
                    positions.withUnsafeBufferPointer { position in
                        guard let base = s.baseAddress else { return }
                        let end = range.upperBound
                        for i in range {
                            if i &+ KeyHashing.prefetchDistance < end { tarn_prefetch(base + 2 &* position[i &+ KeyHashing.prefetchDistance]) }
                            let key = row[i]
                            var p = position[i]
                            while true {
                                let id = s[2 &* p &+ 1]
                                if id == 0 {
                                    let g = keys.count
                                    keys.append(key)
                                    s[2 &* p] = key
                                    s[2 &* p &+ 1] = UInt64(g) &+ 1
                                    out[i] = Int32(truncatingIfNeeded: g)
                                    break
                                }
                                if s[2 &* p] == key { out[i] = Int32(truncatingIfNeeded: id &- 1); break }
                                p = (p &+ 1) & m
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: Output

    func keyColumns() -> [Column] {
        if let fallback { return fallback.keyColumns() }
        return decodeColumns(keys)
    }

    func keyColumns(of groups: [Int32]) -> [Column] {
        if let fallback { return fallback.keyColumns(of: groups) }
        return decodeColumns(keys.withUnsafeBufferPointer { k in groups.map { k[Int($0)] } })
    }

    func valueHashes() -> [UInt64] {
        if let fallback { return fallback.valueHashes() }
        let n = keys.count
        var out = [UInt64](repeating: KeyHashing.rowSeed, count: n)
        out.withUnsafeMutableBufferPointer { h in
            keys.withUnsafeBufferPointer { k in
                for (c, type) in types.enumerated() {
                    let shift = UInt64(shifts[c]), fm = Self.fieldMask(widths[c])
                    switch type.physical {
                    case .string:
                        let strings = stringTables[c]?.stringHashes() ?? []
                        for g in 0..<n {
                            let id = Int((k[g] >> shift) & fm)
                            h[g] = KeyHashing.combine(h[g], id < strings.count ? strings[id] : KeyHashing.nullValueHash)
                        }
                    case .bool:
                        for g in 0..<n {
                            let f = (k[g] >> shift) & fm
                            h[g] = KeyHashing.combine(h[g], f == 0 ? KeyHashing.nullValueHash : KeyHashing.hash(f))
                        }
                    default:
                        let base = bases[c] ?? 0
                        for g in 0..<n {
                            let f = (k[g] >> shift) & fm
                            h[g] = KeyHashing.combine(h[g], f == 0 ? KeyHashing.nullValueHash : KeyHashing.hash(Self.decodeInteger(f, base)))
                        }
                    }
                }
                for g in 0..<n { h[g] = KeyHashing.hash(h[g]) }
            }
        }
        return out
    }

    /// The integer of a non-zero field: `base + unzigzag(field - 1)`.
    @inline(__always) private static func decodeInteger(_ f: UInt64, _ base: Int64) -> Int64 {
        let zig = f &- 1
        return base &+ Int64(bitPattern: (zig >> 1) ^ (0 &- (zig & 1)))
    }

    /// Key columns of the given packed keys.
    private func decodeColumns(_ keys: [UInt64]) -> [Column] {
        let n = keys.count
        var columns: [Column] = []
        for (c, type) in types.enumerated() {
            let shift = UInt64(shifts[c]), fm = Self.fieldMask(widths[c])
            /// Decodes field `c` of every key with `body` straight into a new array.
            func decode<T>(_ body: (UInt64) -> T) -> [T] {
                [T](unsafeUninitializedCapacity: n) { out, initialized in
                    keys.withUnsafeBufferPointer { k in for g in 0..<n { out.initializeElement(at: g, to: body((k[g] >> shift) & fm)) } }
                    initialized = n
                }
            }
            /// Validity of a column whose field is 0 for NULL (nil without NULLs).
            func nullWhereZero() -> [UInt8]? {
                var hasNull = false
                let valid = decode { f -> UInt8 in
                    if f == 0 { hasNull = true; return 0 }
                    return 1
                }
                return hasNull ? valid : nil
            }
            switch type.physical {
            case .string:
                let strings = stringTables[c]?.keyColumns().first ?? Column(type: .varchar, data: .string(StringArray()))
                let ids = decode { Int32(truncatingIfNeeded: $0) }
                var validity: [UInt8]? = nil
                if let stringValid = strings.validity {
                    var hasNull = false
                    let v = ids.map { id -> UInt8 in
                        let valid = stringValid[Int(id)]
                        if valid == 0 { hasNull = true }
                        return valid
                    }
                    if hasNull { validity = v }
                }
                if case let .string(dictionary) = strings.data, dictionary.count > 0,
                   dictionary.count <= CompositeKeyTable.dictionaryKeyLimit {
                    columns.append(Column(type: type, data: .dictionary(codes: ids, dictionary: dictionary), validity: validity))
                } else {
                    var column = strings.gather(ids)
                    column.type = type
                    column.validity = validity
                    columns.append(column)
                }
            case .bool:
                columns.append(Column(type: type, data: .bool(decode { $0 == 2 }), validity: nullWhereZero()))
            default:
                let base = bases[c] ?? 0
                let value = { (f: UInt64) -> Int64 in f == 0 ? 0 : Self.decodeInteger(f, base) }
                if type.physical == .int32 {
                    columns.append(Column(type: type, data: .int32(decode { Int32(truncatingIfNeeded: value($0)) }), validity: nullWhereZero()))
                } else {
                    columns.append(Column(type: type, data: .int64(decode(value)), validity: nullWhereZero()))
                }
            }
        }
        return columns
    }

    /// Moves every group into a `CompositeKeyTable` (inserted in group-id order, so ids are kept) and frees
    /// the packed state; later calls delegate to it.
    private func convertToComposite() {
        let composite = CompositeKeyTable(types: types)
        var ids: [Int32] = []
        composite.assign(keyColumns(), count: keys.count, groupIDs: &ids)
        fallback = composite
        keys = []; slots = []; rowKeys = []
        codes = Array(repeating: [], count: types.count)
    }
}
