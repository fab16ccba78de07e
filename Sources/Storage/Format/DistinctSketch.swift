import Foundation

/// A HyperLogLog sketch of a column's distinct non-NULL values (Flajolet et al. 2007, with linear counting for
/// small counts): 2¹¹ one-byte registers, about 2.3 % standard error. While at most `exactLimit` distinct hashes have
/// been seen they are kept in a small open-addressing table instead, so low-cardinality columns (a brand, a country)
/// get their exact count; the table is folded into the registers when it overflows.
///
/// The data file writer keeps one per column over all its row groups; the estimate becomes the file's
/// `ColumnStatistics.distinctCount`, which the planner turns into equality selectivities and GROUP BY sizes.
/// Values are hashed by their physical representation.
struct DistinctSketch {
    static let precision = 11
    static let registerCount = 1 << precision
    static let exactLimit = 1024
    /// Empty until the exact table overflows.
    private var registers: [UInt8] = []
    /// The distinct hashes seen while few (0 marks an empty slot; a hash of 0 is stored as 1); empty afterwards.
    private var exact = [UInt64](repeating: 0, count: 2 * exactLimit)
    private var exactCount = 0
    private var isExact: Bool { registers.isEmpty }

    /// Adds one 64-bit hash.
    mutating func add(hash: UInt64) {
        if isExact { remember(hash) } else { registers.withUnsafeMutableBufferPointer { Self.add(hash, to: $0) } }
    }

    /// The top `precision` bits pick a register, which keeps the longest run of leading zeros (plus one) seen in
    /// the remaining bits.
    @inline(__always) private static func add(_ hash: UInt64, to r: UnsafeMutableBufferPointer<UInt8>) {
        let index = Int(truncatingIfNeeded: hash >> UInt64(64 - precision))
        let rest = (hash << UInt64(precision)) | (1 << UInt64(precision - 1))
        let rank = UInt8(truncatingIfNeeded: rest.leadingZeroBitCount + 1)
        if rank > r[index] { r[index] = rank }
    }

    /// Records `hash` in the exact table; on overflow, moves every hash into the registers.
    private mutating func remember(_ hash: UInt64) {
        let h = hash == 0 ? 1 : hash
        let mask = exact.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        let inserted: Bool = exact.withUnsafeMutableBufferPointer { table in
            while true {
                if table[slot] == h { return false }
                if table[slot] == 0 { table[slot] = h; return true }
                slot = (slot + 1) & mask
            }
        }
        guard inserted else { return }
        exactCount += 1
        if exactCount > Self.exactLimit { switchToRegisters() }
    }

    private mutating func switchToRegisters() {
        var r = [UInt8](repeating: 0, count: Self.registerCount)
        r.withUnsafeMutableBufferPointer { r in
            for h in exact where h != 0 { Self.add(h, to: r) }
        }
        registers = r
        exact = []
    }

    /// Adds every non-NULL value of `column`; nested columns (arrays, maps, rows) are not sketched.
    /// Returns false when the column's type cannot be sketched.
    @discardableResult
    mutating func add(_ column: Column) -> Bool {
        let validity = column.validity
        switch column.data {
        case let .bool(values):
            addEach(values.count, validity) { Self.mix(values[$0] ? 1 : 0) }
        case let .int32(values):
            addEach(values.count, validity) { Self.mix(UInt64(bitPattern: Int64(values[$0]))) }
        case let .int64(values):
            addEach(values.count, validity) { Self.mix(UInt64(bitPattern: values[$0])) }
        case let .int128(values):
            addEach(values.count, validity) {
                let v = values[$0]
                return Self.mix(UInt64(truncatingIfNeeded: v) ^ Self.mix(UInt64(truncatingIfNeeded: v >> 64)))
            }
        case let .double(values):
            // +0.0 and −0.0 are one value; every NaN is one value.
            addEach(values.count, validity) {
                let d = values[$0]
                return Self.mix(d.isNaN ? Double.nan.bitPattern : (d == 0 ? 0 : d.bitPattern))
            }
        case let .string(strings):
            strings.bytes.withUnsafeBytes { bytes in
                strings.offsets.withUnsafeBufferPointer { offsets in
                    addEach(strings.count, validity) { i in
                        XXHash64.hash(UnsafeRawBufferPointer(rebasing: bytes[offsets[i] ..< offsets[i + 1]]))
                    }
                }
            }
        case let .dictionary(codes, dictionary):
            let hashes = dictionary.bytes.withUnsafeBytes { bytes in
                (0 ..< dictionary.count).map { XXHash64.hash(UnsafeRawBufferPointer(rebasing: bytes[dictionary.offsets[$0] ..< dictionary.offsets[$0 + 1]])) }
            }
            addEach(codes.count, validity) { hashes[Int(codes[$0])] }
        case .list, .fields:
            return false
        }
        return true
    }

    @inline(__always) private mutating func addEach(_ count: Int, _ validity: [UInt8]?, _ hash: (Int) -> UInt64) {
        var i = 0
        while i < count, isExact {
            if validity?[i] ?? 1 != 0 { remember(hash(i)) }
            i += 1
        }
        guard i < count else { return }
        registers.withUnsafeMutableBufferPointer { r in
            if let validity {
                for j in i ..< count where validity[j] != 0 { Self.add(hash(j), to: r) }
            } else {
                for j in i ..< count { Self.add(hash(j), to: r) }
            }
        }
    }

    /// The union of two sketches' values.
    mutating func merge(_ other: DistinctSketch) {
        if other.isExact {
            for h in other.exact where h != 0 { add(hash: h) }
            return
        }
        if isExact { switchToRegisters() }
        for i in registers.indices where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }

    /// The estimated number of distinct values added (exact while at most `exactLimit`).
    var estimate: Int {
        if isExact { return exactCount }
        let m = Double(Self.registerCount)
        var sum = 0.0, zeros = 0
        for r in registers {
            sum += 1 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m, zeros > 0 { return Int((m * log(m / Double(zeros))).rounded()) }
        return Int(raw.rounded())
    }

    /// A 64-bit finaliser (MurmurHash3's fmix64, after adding a constant so 0 does not hash to 0): every input
    /// bit affects every output bit.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var h = x &+ 0x9E37_79B9_7F4A_7C15
        h ^= h >> 33; h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33; h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
