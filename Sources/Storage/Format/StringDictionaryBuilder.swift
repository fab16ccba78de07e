import Foundation

/// Collects the distinct strings of a chunk in first-seen order with an open-addressing hash table over
/// raw UTF-8 bytes (no `String` per value). Gives up once `limit` distinct strings are exceeded.
struct StringDictionaryBuilder {
    private(set) var entries = StringArray()
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { entries.count }

    /// The code of `bytes`, inserting it when new; nil when that would exceed `limit` entries.
    mutating func code(of bytes: UnsafeRawBufferPointer) -> Int32? {
        let hash = XXHash64.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let existing = slots[slot]
            if existing < 0 { break }
            let e = Int(existing)
            if hashes[e] == hash && matches(entry: e, bytes) { return existing }
            slot = (slot + 1) & mask
        }
        guard entries.count < limit else { return nil }
        let code = Int32(entries.count)
        entries.append(bytes: bytes.bindMemory(to: UInt8.self))
        hashes.append(hash)
        slots[slot] = code
        if entries.count * 2 > slots.count { grow() }
        return code
    }

    private func matches(entry: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let lo = entries.offsets[entry], hi = entries.offsets[entry + 1]
        guard hi - lo == bytes.count else { return false }
        if bytes.count == 0 { return true }
        return entries.bytes.withUnsafeBytes { all in
            memcmp(all.baseAddress! + lo, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
