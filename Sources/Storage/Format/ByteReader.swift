/// Bounds-checked little-endian reads from a byte buffer. Every read past the end throws `FormatViolation`.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var position: Int = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var remaining: Int { buffer.count - position }
    var isAtEnd: Bool { position == buffer.count }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String = "value") throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size, let base = buffer.baseAddress else { throw FormatViolation("truncated \(what())") }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }

    /// A non-negative count or length stored as u32/u64, checked against `limit`.
    mutating func readCount<T: FixedWidthInteger>(_ type: T.Type, limit: Int, _ what: @autoclosure () -> String) throws -> Int {
        let raw = try read(type, what())
        guard raw >= 0, UInt64(raw) <= UInt64(limit) else { throw FormatViolation("\(what()) \(raw) out of range") }
        return Int(raw)
    }

    /// The next `count` bytes, without copying.
    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String = "bytes") throws -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw FormatViolation("truncated \(what())") }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[position ..< position + count])
        position += count
        return slice
    }

    mutating func expectEnd(_ what: String) throws {
        guard isAtEnd else { throw FormatViolation("\(remaining) unexpected bytes after \(what)") }
    }
}
