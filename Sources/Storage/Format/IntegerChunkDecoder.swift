/// Decodes a stream written by `IntegerChunkEncoder` straight into a caller-provided buffer of `out.count` values.
/// Every count and code is checked against the buffer sizes before use.
enum IntegerChunkDecoder {
    static func decode<T: FixedWidthInteger & SignedInteger>(_ encoding: ChunkEncoding, from reader: inout ByteReader,
                                                             into out: UnsafeMutableBufferPointer<T>) throws {
        let n = out.count
        let width = MemoryLayout<T>.size
        guard n > 0, let target = out.baseAddress else { return }
        switch encoding {
        case .plain:
            let bytes = try reader.bytes(n * width, "plain values")
            UnsafeMutableRawPointer(target).copyMemory(from: bytes.baseAddress!, byteCount: n * width)
        case .frameOfReference:
            let reference = try reader.read(Int64.self, "reference value")
            let block = try BitPacking.readBlock(&reader, count: n)
            block.forEachValue(count: n) { i, v in target[i] = T(truncatingIfNeeded: reference &+ Int64(bitPattern: v)) }
        case .delta:
            var current = try reader.read(Int64.self, "first value")
            let minDelta = try reader.read(Int64.self, "minimum delta")
            let block = try BitPacking.readBlock(&reader, count: n - 1)
            target[0] = T(truncatingIfNeeded: current)
            for i in 1 ..< n {
                current = current &+ minDelta &+ Int64(bitPattern: block.value(at: i &- 1))
                target[i] = T(truncatingIfNeeded: current)
            }
        case .runLength:
            let runCount = try reader.readCount(UInt32.self, limit: n, "run count")
            let runValues = try reader.bytes(runCount * width, "run values")
            let runLengths = try reader.bytes(runCount * 4, "run lengths")
            var position = 0
            for r in 0 ..< runCount {
                let value = T(littleEndian: runValues.loadUnaligned(fromByteOffset: r * width, as: T.self))
                let length = Int(UInt32(littleEndian: runLengths.loadUnaligned(fromByteOffset: r * 4, as: UInt32.self)))
                guard length >= 1, length <= n - position else { throw FormatViolation("run lengths exceed the row count") }
                (target + position).initialize(repeating: value, count: length)
                position += length
            }
            guard position == n else { throw FormatViolation("run lengths cover \(position) of \(n) rows") }
        case .dictionary:
            let size = try reader.readCount(UInt32.self, limit: n, "dictionary size")
            guard size >= 1 else { throw FormatViolation("empty dictionary") }
            let entries = try reader.bytes(size * width, "dictionary")
            let block = try BitPacking.readBlock(&reader, count: n)
            let dictionary = entries.baseAddress!
            let last = UInt64(size - 1)
            if block.width <= 31, width >= 4 {
                // The codes go into `out` first (31 bits fit any T of 4 bytes or more), are checked in a second pass
                // and then replaced by their values: no flag updated per value inside the unpacking loop.
                block.forEachValue(count: n) { i, code in target[i] = T(truncatingIfNeeded: code) }
                if block.maximum > last {
                    var largest: T = 0
                    for i in 0 ..< n { largest = Swift.max(largest, target[i]) }
                    if UInt64(largest) > last { throw FormatViolation("dictionary code out of range") }
                }
                for i in 0 ..< n {
                    target[i] = T(littleEndian: dictionary.loadUnaligned(fromByteOffset: Int(target[i]) &* width, as: T.self))
                }
                return
            }
            var outOfRange = false
            block.forEachValue(count: n) { i, code in
                outOfRange = outOfRange || code > last
                let index = Int(truncatingIfNeeded: Swift.min(code, last))
                target[i] = T(littleEndian: dictionary.loadUnaligned(fromByteOffset: index &* width, as: T.self))
            }
            if outOfRange { throw FormatViolation("dictionary code out of range") }
        }
    }
}
