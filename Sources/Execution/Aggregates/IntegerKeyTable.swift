import CPrefetch
import Storage

/// Group ids for a single integer-like key (INTEGER, BIGINT, DATE, TIMESTAMP, DECIMAL).
///
/// While every key seen lies in a small range (≤ `directLimit` values) ids come from a perfect-hash array
/// indexed by `key − base`; once the range grows beyond that the table switches to open addressing over
/// 64-bit keys with linear probing (capacity grown before each batch, so the inner loop never rehashes).
final class IntegerKeyTable: GroupKeyTable {
    let type: DataType
    private var keys: [Int64] = []
    private var keyValid: [UInt8] = []
    private var nullGroup: Int32 = -1
    /// Open-addressing slots, key and group id side by side so a probe touches one cache line.
    private var slots: [Slot]
    private var mask: Int
    private var used = 0
    /// Perfect-hash mode: `direct[key - directBase]` is the group id or -1.
    private var directMode = true
    private var directBase: Int64 = 0
    private var direct: [Int32] = []
    static let directLimit: Int64 = 1 << 18
    /// Perfect-hash slots allowed per group (and per incoming row) before a GROUP BY's keys count as sparse.
    static let densityFactor: Int64 = 16
    /// Most perfect-hash slots a GROUP BY table grows to by density (64 MiB of group ids).
    static let adaptiveLimit: Int64 = 1 << 24
    /// Largest key span kept in perfect-hash mode (a hash join's build allows a span of a few times its rows).
    let directSpan: Int64

    init(type: DataType, directSpan: Int64 = IntegerKeyTable.directLimit) {
        self.type = type
        self.directSpan = directSpan
        slots = [Slot](repeating: Slot.empty, count: 1024)
        mask = 1023
    }

    var groupCount: Int { keys.count }
    /// Whether ids still come from the perfect-hash array.
    var isDirect: Bool { directMode }

    private func reserve(_ extra: Int) {
        let needed = (used + extra) * 2
        guard needed > slots.count else { return }
        let cap = KeyHashing.capacity(for: needed)
        var newSlots = [Slot](repeating: Slot.empty, count: cap)
        let m = cap - 1
        for slot in slots where slot.id >= 0 {
            var p = Int(truncatingIfNeeded: KeyHashing.hash(slot.key)) & m
            while newSlots[p].id >= 0 { p = (p + 1) & m }
            newSlots[p] = slot
        }
        slots = newSlots; mask = m
    }

    func assign(_ keyColumns: [Column], count: Int, groupIDs: inout [Int32]) { run(keyColumns[0], count, &groupIDs, insert: true) }
    func lookup(_ keyColumns: [Column], count: Int, groupIDs: inout [Int32]) { run(keyColumns[0], count, &groupIDs, insert: false) }

    private func run(_ column: Column, _ n: Int, _ groupIDs: inout [Int32], insert: Bool) {
        if groupIDs.count != n { groupIDs = [Int32](repeating: 0, count: n) }
        switch column.data {
        case let .int32(values): values.withUnsafeBufferPointer { dispatch($0, column.validity, &groupIDs, insert) }
        case let .int64(values): values.withUnsafeBufferPointer { dispatch($0, column.validity, &groupIDs, insert) }
        default:
            for i in 0..<n { groupIDs[i] = insert ? nullGroupID() : nullGroup }
        }
    }

    private func nullGroupID() -> Int32 {
        if nullGroup < 0 { nullGroup = Int32(keys.count); keys.append(0); keyValid.append(0) }
        return nullGroup
    }

    @inline(__always)
    private func dispatch<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ groupIDs: inout [Int32], _ insert: Bool) {
        if directMode {
            if !insert { lookupDirect(values, validity, &groupIDs); return }
            let range = Self.range(values, validity)
            if range.map({ widenDirect(to: $0, incoming: values.count) }) ?? true {
                assignDirect(values, validity, &groupIDs)
                return
            }
            leaveDirectMode()
        }
        if insert { reserve(values.count) } else { probeReadOnly(values, validity, &groupIDs); return }
        probe(values, validity, &groupIDs, insert)
    }

    /// Lookup without any write to the table (so several threads may look up in one table at once).
    @inline(__always)
    private func probeReadOnly<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ groupIDs: inout [Int32]) {
        let n = values.count
        let m = mask
        let nullID = nullGroup
        // A probe side clustered by the key (lineitem by l_orderkey against orders) repeats a key in consecutive
        // rows: those reuse the previous row's answer.
        var lastKey: Int64 = 0
        var lastGroup: Int32 = -1
        var haveLast = false
        groupIDs.withUnsafeMutableBufferPointer { out in
            slots.withUnsafeBufferPointer { slots in
                guard let base = slots.baseAddress else { return }
                for i in 0..<n {
                    if i &+ KeyHashing.prefetchDistance < n {
                        tarn_prefetch(base + (Int(truncatingIfNeeded: KeyHashing.hash(Int64(values[i &+ KeyHashing.prefetchDistance]))) & m))
                    }
                    if let v = validity, v[i] == 0 { out[i] = nullID; continue }
                    let k = Int64(values[i])
                    if haveLast, k == lastKey { out[i] = lastGroup; continue }
                    var p = Int(truncatingIfNeeded: KeyHashing.hash(k)) & m
                    while true {
                        let slot = slots[p]
                        if slot.id < 0 { out[i] = -1; break }
                        if slot.key == k { out[i] = slot.id; break }
                        p = (p + 1) & m
                    }
                    lastKey = k; lastGroup = out[i]; haveLast = true
                }
            }
        }
    }

    /// Min and max of the non-NULL values, or nil when there are none.
    @inline(__always)
    private static func range<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?) -> (Int64, Int64)? {
        var lo = Int64.max, hi = Int64.min
        if let validity {
            for i in 0..<values.count where validity[i] != 0 { let k = Int64(values[i]); lo = min(lo, k); hi = max(hi, k) }
        } else {
            for i in 0..<values.count { let k = Int64(values[i]); lo = min(lo, k); hi = max(hi, k) }
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// Grows the perfect-hash array to cover `range`; false when the domain would be too large.
    ///
    /// The span allowed is `directSpan`, or — for a GROUP BY whose keys turn out dense, such as order ids that
    /// arrive clustered — up to `densityFactor` slots per group (counting the batch's rows as possible new groups),
    /// at most `adaptiveLimit` slots: 4 bytes a slot at 1/16 density costs about twice the hash table's slots (16
    /// bytes at half load) and stored keys, and sorted keys then fill the array sequentially instead of missing the
    /// cache on every insert. 16, not 8: a worker of a parallel GROUP BY sees only some row groups of a table
    /// clustered by a sparse key (TPC-H's order keys, 1 in 4 used), so its keys are sparser than the table's.
    /// The array grows geometrically towards the side the keys move to, so rising keys do not copy it per batch.
    private func widenDirect(to range: (Int64, Int64), incoming: Int) -> Bool {
        // (count - 1) first: a table whose base is Int64.max covers one key and must not overflow here.
        let covered = direct.isEmpty ? nil : (lo: directBase, hi: directBase + (Int64(direct.count) - 1))
        if let covered, range.0 >= covered.lo, range.1 <= covered.hi { return true }
        let lo = covered.map { min(range.0, $0.lo) } ?? range.0
        let hi = covered.map { max(range.1, $0.hi) } ?? range.1
        let span = hi.subtractingReportingOverflow(lo)
        let dense = min(Self.densityFactor * Int64(keys.count + incoming), Self.adaptiveLimit)
        let limit = max(directSpan, dense)
        guard !span.overflow, span.partialValue < limit else { return false }
        let needed = span.partialValue + 1
        var size = needed
        var base = lo
        if let covered {
            // Room for as many keys again on the side that grew, within the limit and the Int64 range (slots
            // past Int64.max would let a wrapped lookup offset alias a real key).
            size = max(needed, min(2 * Int64(direct.count), limit))
            if lo < covered.lo {
                let low = hi.subtractingReportingOverflow(size - 1)
                base = low.overflow ? Int64.min : low.partialValue
                size = hi - base + 1
            } else {
                let room = Int64.max.subtractingReportingOverflow(lo)
                if !room.overflow, size - 1 > room.partialValue { size = room.partialValue + 1 }
            }
        }
        var grown = [Int32](repeating: -1, count: Int(size))
        if let covered {
            let shift = Int(covered.lo - base)
            grown.replaceSubrange(shift..<(shift + direct.count), with: direct)
        }
        direct = grown
        directBase = base
        return true
    }

    @inline(__always)
    private func assignDirect<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ groupIDs: inout [Int32]) {
        let base = directBase
        var table = direct
        direct = []
        table.withUnsafeMutableBufferPointer { d in
            groupIDs.withUnsafeMutableBufferPointer { out in
                for i in 0..<values.count {
                    if let v = validity, v[i] == 0 { out[i] = nullGroupID(); continue }
                    let k = Int64(values[i])
                    let slot = Int(k &- base)
                    var g = d[slot]
                    if g < 0 {
                        g = Int32(keys.count)
                        keys.append(k); keyValid.append(1)
                        d[slot] = g
                    }
                    out[i] = g
                }
            }
        }
        direct = table
    }

    @inline(__always)
    private func lookupDirect<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ groupIDs: inout [Int32]) {
        let base = directBase, size = Int64(direct.count)
        direct.withUnsafeBufferPointer { d in
            groupIDs.withUnsafeMutableBufferPointer { out in
                for i in 0..<values.count {
                    if let v = validity, v[i] == 0 { out[i] = nullGroup; continue }
                    let offset = Int64(values[i]) &- base
                    out[i] = offset >= 0 && offset < size ? d[Int(offset)] : -1
                }
            }
        }
    }

    func reserveGroups(_ groups: Int) {
        if !directMode, groups > used { reserve(groups - used) }
    }

    /// Moves every known key into the hash table; later batches probe it.
    private func leaveDirectMode() {
        directMode = false
        direct = []
        reserve(keys.count)
        let m = mask
        for g in 0..<keys.count where keyValid[g] != 0 {
            var p = Int(truncatingIfNeeded: KeyHashing.hash(keys[g])) & m
            while slots[p].id >= 0 { p = (p + 1) & m }
            slots[p] = Slot(key: keys[g], id: Int32(g)); used += 1
        }
    }

    @inline(__always)
    private func probe<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ groupIDs: inout [Int32], _ insert: Bool) {
        let n = values.count
        let m = mask
        // Clustered input (a table sorted or loaded by the key, like lineitem by l_orderkey) repeats a key in
        // consecutive rows: those rows reuse the previous row's group without touching the table.
        var lastKey: Int64 = 0
        var lastGroup: Int32 = -1
        groupIDs.withUnsafeMutableBufferPointer { out in
            slots.withUnsafeMutableBufferPointer { slots in
                guard let base = slots.baseAddress else { return }
                for i in 0..<n {
                    if i &+ KeyHashing.prefetchDistance < n {
                        tarn_prefetch(base + (Int(truncatingIfNeeded: KeyHashing.hash(Int64(values[i &+ KeyHashing.prefetchDistance]))) & m))
                    }
                    if let v = validity, v[i] == 0 {
                        out[i] = insert ? nullGroupID() : nullGroup
                        continue
                    }
                    let k = Int64(values[i])
                    if k == lastKey, lastGroup >= 0 { out[i] = lastGroup; continue }
                    var p = Int(truncatingIfNeeded: KeyHashing.hash(k)) & m
                    while true {
                        let slot = slots[p]
                        if slot.id < 0 {
                            if insert {
                                let id = Int32(keys.count)
                                keys.append(k); keyValid.append(1)
                                slots[p] = Slot(key: k, id: id); used += 1
                                out[i] = id
                            } else {
                                out[i] = -1
                            }
                            break
                        }
                        if slot.key == k { out[i] = slot.id; break }
                        p = (p + 1) & m
                    }
                    lastKey = k; lastGroup = out[i]
                }
            }
        }
    }

    func keyColumns() -> [Column] {
        let validity: [UInt8]? = nullGroup >= 0 ? keyValid : nil
        switch type.physical {
        case .int32: return [Column(type: type, data: .int32(keys.map { Int32(truncatingIfNeeded: $0) }), validity: validity)]
        default: return [Column(type: type, data: .int64(keys), validity: validity)]
        }
    }

    func makeEmpty() -> GroupKeyTable { IntegerKeyTable(type: type, directSpan: directSpan) }

    /// One open-addressing slot: `id` < 0 when empty.
    struct Slot {
        var key: Int64
        var id: Int32
        static let empty = Slot(key: 0, id: -1)
    }
    /// `lookup` reads only: the table itself is safe to share.
    func makeLookupCopy() -> GroupKeyTable { self }
}
