import Storage

/// The dictionary of a string column chunk built while its rows are buffered: the distinct strings in first-seen
/// order and each buffered value's index into them.
///
/// Input that is already dictionary-encoded (Tarn's scans hand out codes into a batch dictionary) is mapped one
/// distinct code at a time, so a row costs an array lookup instead of hashing and copying its string. Gives up
/// (`failed`) once the dictionary passes `maxBytes` bytes of PLAIN encoding, or when its first values are nearly all
/// distinct; the caller then keeps the values as plain strings (`strings()` turns what was gathered before the
/// failing append back into them).
struct StringDictionaryAccumulator {
    private(set) var entries = StringArray()
    private(set) var indices: [UInt32] = []
    private(set) var failed = false
    let maxBytes: Int
    private var slots: [Int32]
    private var slotHashes: [UInt64]

    init(maxBytes: Int, capacity: Int) {
        self.maxBytes = maxBytes
        slots = [Int32](repeating: -1, count: 1024)
        slotHashes = [UInt64](repeating: 0, count: 1024)
        indices.reserveCapacity(capacity)
    }

    /// Appends the present rows of `range` of a dictionary-encoded column (`validity` nil: every row present).
    mutating func append(codes: [Int32], dictionary: StringArray, validity: [UInt8]?, _ range: Range<Int>) {
        guard !failed else { return }
        let start = indices.count
        defer { settle(start) }
        var mapped = [Int32](repeating: -1, count: dictionary.count)
        codes.withUnsafeBufferPointer { codes in
            for i in range where validity?[i] ?? 1 != 0 {
                let code = Int(codes[i])
                var id = mapped[code]
                if id < 0 {
                    guard let added = insert(dictionary, code) else { return }
                    id = Int32(added)
                    mapped[code] = id
                }
                indices.append(UInt32(id))
            }
        }
    }

    /// Appends the present rows of `range` of a plain string column.
    mutating func append(strings s: StringArray, validity: [UInt8]?, _ range: Range<Int>) {
        guard !failed else { return }
        let start = indices.count
        defer { settle(start) }
        for i in range where validity?[i] ?? 1 != 0 {
            guard let id = insert(s, i) else { return }
            indices.append(UInt32(id))
        }
    }

    /// After an append that began at `start` values: gives up when the first `DictionaryBuilder.probe` values were
    /// nearly all distinct (ids, free text), and on giving up drops that append's indices, so that the caller can
    /// append its rows again as plain strings.
    private mutating func settle(_ start: Int) {
        if !failed, start < DictionaryBuilder.probe, indices.count >= DictionaryBuilder.probe,
           entries.count * 4 > indices.count * 3 {
            failed = true
        }
        if failed { indices.removeLast(indices.count - start) }
    }

    /// The values gathered so far as plain strings (after giving up, or when the dictionary does not pay).
    func strings() -> StringArray {
        var out = StringArray()
        var total = 0
        for i in indices { total += entries.length(at: Int(i)) }
        out.reserve(strings: indices.count, bytes: total)
        for i in indices { out.append(from: entries, at: Int(i)) }
        return out
    }

    /// The index of `s[i]` in the dictionary, adding it when new; nil (and `failed`) past the size limit.
    private mutating func insert(_ s: StringArray, _ i: Int) -> Int? {
        let lo = s.offsets[i], length = s.offsets[i + 1] - lo
        let h = s.bytes.withUnsafeBufferPointer { DictionaryBuilder.hash($0.baseAddress.map { $0 + lo }, length) }
        var mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[slot]
            if e < 0 { break }
            if slotHashes[slot] == h && entries.length(at: Int(e)) == length && equal(Int(e), s, lo, length) { return Int(e) }
            slot = (slot + 1) & mask
        }
        guard entries.bytes.count + length + 4 * (entries.count + 1) <= maxBytes else {
            failed = true
            return nil
        }
        let id = entries.count
        entries.append(from: s, at: i)
        if 2 * entries.count > slots.count {
            grow()
            mask = slots.count - 1
            slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
        }
        slots[slot] = Int32(id)
        slotHashes[slot] = h
        return id
    }

    private func equal(_ e: Int, _ s: StringArray, _ lo: Int, _ length: Int) -> Bool {
        let elo = entries.offsets[e]
        return entries.bytes.withUnsafeBufferPointer { a in
            s.bytes.withUnsafeBufferPointer { b in
                for k in 0..<length where a[elo + k] != b[lo + k] { return false }
                return true
            }
        }
    }

    /// Doubles the table and re-places every entry by its stored hash.
    private mutating func grow() {
        let capacity = slots.count * 2
        let mask = capacity - 1
        var newSlots = [Int32](repeating: -1, count: capacity)
        var newHashes = [UInt64](repeating: 0, count: capacity)
        for k in slots.indices where slots[k] >= 0 {
            var slot = Int(truncatingIfNeeded: slotHashes[k]) & mask
            while newSlots[slot] >= 0 { slot = (slot + 1) & mask }
            newSlots[slot] = slots[k]
            newHashes[slot] = slotHashes[k]
        }
        slots = newSlots
        slotHashes = newHashes
    }
}
