/// Variable-length strings packed Arrow-style: one contiguous UTF-8 byte buffer and `count + 1` offsets.
/// String `i` is `bytes[offsets[i] ..< offsets[i + 1]]`. No per-string allocation.
public struct StringArray: Sendable, Equatable {
    public var offsets: [Int]
    public var bytes: [UInt8]

    public init() { offsets = [0]; bytes = [] }
    public init(offsets: [Int], bytes: [UInt8]) { self.offsets = offsets; self.bytes = bytes }
    public init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    public var count: Int { offsets.count - 1 }

    public mutating func reserve(strings: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(offsets.count + strings)
        bytes.reserveCapacity(bytes.count + byteCount)
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(bytes.count)
    }

    public mutating func append(bytes b: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: b)
        offsets.append(bytes.count)
    }

    /// Appends string `i` of `other` without decoding it.
    public mutating func append(from other: StringArray, at i: Int) {
        let lo = other.offsets[i], hi = other.offsets[i + 1]
        if hi > lo { bytes.append(contentsOf: other.bytes[lo..<hi]) }
        offsets.append(bytes.count)
    }

    /// The strings at `indices`, in that order: offsets in one pass, then the bytes copied into a buffer of the exact
    /// total size (no growth, no per-string call for short strings).
    public func gathering(_ indices: UnsafeBufferPointer<Int32>) -> StringArray {
        let n = indices.count
        return offsets.withUnsafeBufferPointer { from in
            var total = 0
            let newOffsets = [Int](unsafeUninitializedCapacity: n + 1) { out, initialized in
                out[0] = 0
                for k in 0 ..< n {
                    let i = Int(indices[k])
                    total += from[i + 1] - from[i]
                    out[k + 1] = total
                }
                initialized = n + 1
            }
            return StringArray(offsets: newOffsets, bytes: Self.gatheredBytes(bytes, offsets: from, at: indices, total: total))
        }
    }

    /// Appends the strings of `source` at `indices`, in that order; a negative index appends an empty string (a NULL
    /// slot). Offsets in one pass, then the bytes copied into space grown once (no per-string append).
    public mutating func append(gathering source: StringArray, at indices: UnsafeBufferPointer<Int32>) {
        let n = indices.count
        guard n > 0 else { return }
        // Built in arrays of their exact size, then appended (a memcpy each): appending `repeatElement` and
        // overwriting went element by element.
        let base = bytes.count
        var total = 0
        let newOffsets = source.offsets.withUnsafeBufferPointer { from in
            [Int](unsafeUninitializedCapacity: n) { out, initialized in
                for k in 0 ..< n {
                    let i = Int(indices[k])
                    if i >= 0 { total += from[i + 1] - from[i] }
                    out[k] = base + total
                }
                initialized = n
            }
        }
        offsets.append(contentsOf: newOffsets)
        guard total > 0 else { return }
        bytes.append(contentsOf: source.offsets.withUnsafeBufferPointer {
            Self.gatheredBytes(source.bytes, offsets: $0, at: indices, total: total)
        })
    }

    /// The bytes of the strings at `indices` (of the array with `bytes` and offsets `from`), concatenated into an
    /// array of exactly `total` bytes; negative indices are skipped. Short strings are copied byte by byte, long
    /// ones by memcpy.
    private static func gatheredBytes(_ bytes: [UInt8], offsets from: UnsafeBufferPointer<Int>, at indices: UnsafeBufferPointer<Int32>,
                                      total: Int) -> [UInt8] {
        bytes.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                guard let source = src.baseAddress, let target = out.baseAddress else { initialized = 0; return }
                var at = 0
                for k in 0 ..< indices.count {
                    let i = Int(indices[k])
                    guard i >= 0 else { continue }
                    let lo = from[i], length = from[i + 1] - lo
                    if length <= 16 {
                        for b in 0 ..< length { target[at + b] = source[lo + b] }
                    } else {
                        memcpy(target + at, source + lo, length)
                    }
                    at += length
                }
                initialized = total
            }
        }
    }

    /// Appends an empty string (used for NULL slots).
    public mutating func appendEmpty() { offsets.append(bytes.count) }

    public func string(at i: Int) -> String {
        let lo = offsets[i], hi = offsets[i + 1]
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
    }

    public func length(at i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// Calls `body` with the raw UTF-8 bytes of string `i`.
    @inlinable
    public func withBytes<R>(at i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let lo = offsets[i], hi = offsets[i + 1]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }

    /// Byte-wise comparison of string `i` with string `j` of `other` (UTF-8 order = code point order).
    public func compare(_ i: Int, _ other: StringArray, _ j: Int) -> Int {
        withBytes(at: i) { a in
            other.withBytes(at: j) { b in
                let n = Swift.min(a.count, b.count)
                if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
                    let c = memcmp(pa, pb, n)
                    if c != 0 { return c < 0 ? -1 : 1 }
                }
                return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
            }
        }
    }

    public func strings() -> [String] { (0..<count).map { string(at: $0) } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
