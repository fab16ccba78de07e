/// Sum and non-NULL count of one BIGINT column chunk, computed on its encoded form without decoding it into
/// a vector: a frame-of-reference chunk sums to `n·reference + Σ packed offsets`, a run-length chunk to
/// `Σ value·length`, a plain chunk straight off the payload.
public struct FusedChunkSum: Sendable, Equatable {
    public var sum: Int64
    public var count: Int
    public init(sum: Int64, count: Int) { self.sum = sum; self.count = count }
}

extension DataFileReader {
    /// The sum of a BIGINT (physical Int64, scale 0) column chunk taken from its encoded payload, or nil when
    /// the chunk must be decoded instead: it has NULLs, another type or encoding, or its exact sum needs
    /// the checked row-by-row path (it may not fit in 64 bits). The payload is checked like a decode.
    public func fusedInt64Sum(rowGroup: Int, column: Int) throws -> FusedChunkSum? {
        let meta = try metadata(rowGroup: rowGroup, column: column)
        guard schema.fields[column].type == .bigint, meta.statistics.nullCount == 0 else { return nil }
        let n = rowGroups[rowGroup].rowCount
        guard n > 0 else { return FusedChunkSum(sum: 0, count: 0) }
        switch meta.encoding {
        case .frameOfReference, .runLength, .plain: break
        case .dictionary, .delta: return nil
        }
        let payload = try payload(meta, rowGroup: rowGroup, column: column)
        do {
            let sum = try payload.withUnsafeBytes { raw -> Int64? in
                var reader = ByteReader(raw)
                let s = try FusedInt64Sum.sum(meta.encoding, from: &reader, count: n)
                try reader.expectEnd("values")
                return s
            }
            return sum.map { FusedChunkSum(sum: $0, count: n) }
        } catch let violation as FormatViolation {
            throw corruption(violation.reason, rowGroup: rowGroup, column: column)
        }
    }
}

/// The encoded-form sums behind `DataFileReader.fusedInt64Sum` (a chunk of `count` non-NULL Int64 values).
enum FusedInt64Sum {
    /// The exact sum, or nil when it does not fit in 64 bits or cannot be proven to without the checked path.
    static func sum(_ encoding: ChunkEncoding, from reader: inout ByteReader, count n: Int) throws -> Int64? {
        switch encoding {
        case .frameOfReference:
            let reference = try reader.read(Int64.self, "reference value")
            let block = try BitPacking.readBlock(&reader, count: n)
            // n offsets below 2^w sum below 2^63 when w + bits(n) <= 63: wrapping adds are then exact.
            guard block.width + BitPacking.bitWidth(UInt64(n)) <= 63 else { return nil }
            var packed: UInt64 = 0
            block.forEachValue(count: n) { _, v in packed &+= v }
            let base = reference.multipliedReportingOverflow(by: Int64(n))
            guard !base.overflow else { return nil }
            let total = base.partialValue.addingReportingOverflow(Int64(bitPattern: packed))
            return total.overflow ? nil : total.partialValue
        case .runLength:
            let runCount = try reader.readCount(UInt32.self, limit: n, "run count")
            let runValues = try reader.bytes(runCount * 8, "run values")
            let runLengths = try reader.bytes(runCount * 4, "run lengths")
            var position = 0
            var total: Int64 = 0
            var overflow = false
            for r in 0 ..< runCount {
                let value = Int64(littleEndian: runValues.loadUnaligned(fromByteOffset: r * 8, as: Int64.self))
                let length = Int(UInt32(littleEndian: runLengths.loadUnaligned(fromByteOffset: r * 4, as: UInt32.self)))
                guard length >= 1, length <= n - position else { throw FormatViolation("run lengths exceed the row count") }
                position += length
                let product = value.multipliedReportingOverflow(by: Int64(length))
                let next = total.addingReportingOverflow(product.partialValue)
                overflow = overflow || product.overflow || next.overflow
                total = next.partialValue
            }
            guard position == n else { throw FormatViolation("run lengths cover \(position) of \(n) rows") }
            return overflow ? nil : total
        case .plain:
            let bytes = try reader.bytes(n * 8, "plain values")
            // Blocks of 1024 values within ±2^52 cannot overflow internally; one checked add per block.
            var total: Int64 = 0
            var start = 0
            while start < n {
                let end = min(n, start + 1024)
                var s: Int64 = 0
                var magnitude: UInt64 = 0
                for i in start ..< end {
                    let v = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self))
                    s &+= v
                    magnitude |= UInt64(bitPattern: v ^ (v >> 63))
                }
                guard magnitude < (1 << 52) else { return nil }
                let next = total.addingReportingOverflow(s)
                if next.overflow { return nil }
                total = next.partialValue
                start = end
            }
            return total
        case .dictionary, .delta:
            return nil
        }
    }
}
