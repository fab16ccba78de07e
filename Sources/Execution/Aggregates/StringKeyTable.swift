import Storage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Group ids for a single VARCHAR key. Plain strings are hashed byte-wise; dictionary-encoded columns
/// are translated code → group once per dictionary, so the per-row work is one array load.
final class StringKeyTable: GroupKeyTable {
    private var keys = StringArray()
    private var keyValid: [UInt8] = []
    private var hashes: [UInt64] = []
    private var nullGroup: Int32 = -1
    private var slots = [Int32](repeating: -1, count: 1024)
    private var mask = 1023
    /// Translation of the last dictionary seen (held so its storage cannot be reused by another one).
    private var cachedDictionary: StringArray?
    /// code → group id; -2 = not yet translated, -1 = absent (lookup only).
    private var translation: [Int32] = []
    private var translationIsLookup = false

    var groupCount: Int { keyValid.count }

    private func reserve(_ extra: Int) {
        let needed = (groupCount + extra) * 2
        guard needed > slots.count else { return }
        let cap = KeyHashing.capacity(for: needed)
        var newSlots = [Int32](repeating: -1, count: cap)
        let m = cap - 1
        for g in 0..<hashes.count where keyValid[g] != 0 {
            var p = Int(truncatingIfNeeded: hashes[g]) & m
            while newSlots[p] >= 0 { p = (p + 1) & m }
            newSlots[p] = Int32(g)
        }
        slots = newSlots; mask = m
    }

    private func nullGroupID(insert: Bool) -> Int32 {
        if nullGroup < 0 && insert {
            nullGroup = Int32(keyValid.count)
            keys.appendEmpty(); keyValid.append(0); hashes.append(0)
        }
        return nullGroup
    }

    /// Finds (or creates) the group of one string.
    @inline(__always)
    private func find(_ base: UnsafePointer<UInt8>?, _ length: Int, insert: Bool) -> Int32 {
        let h = KeyHashing.hash(bytes: UnsafeRawPointer(base), count: length)
        var p = Int(truncatingIfNeeded: h) & mask
        while true {
            let g = slots[p]
            if g < 0 {
                guard insert else { return -1 }
                let id = Int32(keyValid.count)
                if length > 0, let base { keys.append(bytes: UnsafeBufferPointer(start: base, count: length)) } else { keys.appendEmpty() }
                keyValid.append(1); hashes.append(h)
                slots[p] = id
                return id
            }
            if hashes[Int(g)] == h {
                let lo = keys.offsets[Int(g)], hi = keys.offsets[Int(g) + 1]
                if hi - lo == length {
                    if length == 0 { return g }
                    let equal = keys.bytes.withUnsafeBufferPointer { kb -> Bool in
                        guard let kbase = kb.baseAddress, let base else { return false }
                        return KeyHashing.equalBytes(kbase + lo, base, count: length)
                    }
                    if equal { return g }
                }
            }
            p = (p + 1) & mask
        }
    }

    func assign(_ keyColumns: [Column], count: Int, groupIDs: inout [Int32]) { run(keyColumns[0], count, &groupIDs, insert: true) }
    func lookup(_ keyColumns: [Column], count: Int, groupIDs: inout [Int32]) { run(keyColumns[0], count, &groupIDs, insert: false) }

    private func run(_ column: Column, _ n: Int, _ groupIDs: inout [Int32], insert: Bool) {
        if groupIDs.count != n { groupIDs = [Int32](repeating: 0, count: n) }
        let validity = column.validity
        switch column.data {
        case let .dictionary(codes, dictionary):
            if insert { reserve(min(n, dictionary.count)) }
            if let cached = cachedDictionary, ColumnAssembly.sameDictionary(cached, dictionary), translationIsLookup == !insert {
                // reuse translation
            } else {
                cachedDictionary = dictionary
                translation = [Int32](repeating: -2, count: dictionary.count)
                translationIsLookup = !insert
            }
            var map = translation
            translation = []
            var nullID: Int32 = -3
            dictionary.bytes.withUnsafeBufferPointer { bytes in
                codes.withUnsafeBufferPointer { codes in
                    map.withUnsafeMutableBufferPointer { map in
                        groupIDs.withUnsafeMutableBufferPointer { out in
                            /// The group of dictionary entry `c`, found (or created) on its first use.
                            @inline(__always) func group(_ c: Int) -> Int32 {
                                var g = map[c]
                                if g == -2 {
                                    let lo = dictionary.offsets[c], hi = dictionary.offsets[c + 1]
                                    g = find(bytes.baseAddress.map { $0 + lo }, hi - lo, insert: insert)
                                    map[c] = g
                                }
                                return g
                            }
                            guard let validity else {
                                for i in 0..<n { out[i] = group(Int(codes[i])) }
                                return
                            }
                            validity.withUnsafeBufferPointer { valid in
                                for i in 0..<n {
                                    if valid[i] == 0 {
                                        if nullID == -3 { nullID = nullGroupID(insert: insert) }
                                        out[i] = nullID
                                        continue
                                    }
                                    out[i] = group(Int(codes[i]))
                                }
                            }
                        }
                    }
                }
            }
            translation = map
        case let .string(strings):
            if insert { reserve(n) }
            strings.bytes.withUnsafeBufferPointer { bytes in
                strings.offsets.withUnsafeBufferPointer { offsets in
                    groupIDs.withUnsafeMutableBufferPointer { out in
                        for i in 0..<n {
                            if let v = validity, v[i] == 0 { out[i] = nullGroupID(insert: insert); continue }
                            let lo = offsets[i], hi = offsets[i + 1]
                            out[i] = find(bytes.baseAddress.map { $0 + lo }, hi - lo, insert: insert)
                        }
                    }
                }
            }
        default:
            for i in 0..<n { groupIDs[i] = nullGroupID(insert: insert) }
        }
    }

    func keyColumns() -> [Column] {
        [Column(type: .varchar, data: .string(keys), validity: nullGroup >= 0 ? keyValid : nil)]
    }

    func makeEmpty() -> GroupKeyTable { StringKeyTable() }

    func makeLookupCopy() -> GroupKeyTable { lookupCopy() }

    /// Same groups, own dictionary-translation cache.
    func lookupCopy() -> StringKeyTable {
        let copy = StringKeyTable()
        copy.keys = keys; copy.keyValid = keyValid; copy.hashes = hashes; copy.nullGroup = nullGroup
        copy.slots = slots; copy.mask = mask
        return copy
    }

    /// The hash of every group's string (`KeyHashing.hash(bytes:)`, as `KeyHashing.rows` uses it), NULL
    /// giving `KeyHashing.nullValueHash`.
    func stringHashes() -> [UInt64] {
        (0..<hashes.count).map { keyValid[$0] == 0 ? KeyHashing.nullValueHash : hashes[$0] }
    }
}
