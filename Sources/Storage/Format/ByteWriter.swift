/// Appends little-endian primitives to a growing byte buffer.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    @inline(__always) mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(bytes other: UnsafeRawBufferPointer) { bytes.append(contentsOf: other) }
    mutating func write(bytes other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Appends `count` zero bytes.
    mutating func writeZeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }

    /// Appends the raw little-endian memory of `values` (fixed-width integers).
    mutating func write<T: FixedWidthInteger>(array values: UnsafeBufferPointer<T>) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
    }
}
