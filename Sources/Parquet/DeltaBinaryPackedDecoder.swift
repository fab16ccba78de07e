import Storage

/// Decodes DELTA_BINARY_PACKED integers: a header (block size, miniblocks per block, value count, first value)
/// then blocks of a zigzag minimum delta, one bit width per miniblock and the bit-packed deltas.
/// Arithmetic wraps, as the format requires; INT32 columns take the low 32 bits.
enum DeltaBinaryPackedDecoder {
    /// Decodes exactly `count` values starting at `cursor` and leaves the cursor after the last miniblock used.
    static func decode(_ cursor: inout ByteCursor, count: Int, what: String) throws -> [Int64] {
        let blockSize = try cursor.varint(what)
        let miniblocks = try cursor.varint(what)
        let total = try cursor.varint(what)
        var previous = try cursor.zigzag(what)
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, miniblocks <= blockSize,
              blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw TarnError.corruption("\(what): invalid DELTA_BINARY_PACKED header (block \(blockSize), miniblocks \(miniblocks))")
        }
        guard total == UInt64(count) else {
            throw TarnError.corruption("\(what): DELTA_BINARY_PACKED holds \(total) values where the page has \(count)")
        }
        let perMiniblock = Int(blockSize / miniblocks)
        let miniblockCount = Int(miniblocks)
        var out = [Int64]()
        out.reserveCapacity(count)
        if count == 0 { return out }
        out.append(previous)
        var widths = [Int](repeating: 0, count: miniblockCount)
        while out.count < count {
            let minDelta = try cursor.zigzag(what)
            let widthStart = try cursor.take(miniblockCount, what)
            for m in 0..<miniblockCount { widths[m] = Int(cursor.base[widthStart + m]) }
            for m in 0..<miniblockCount where out.count < count {
                let width = widths[m]
                guard width <= 64 else { throw TarnError.corruption("\(what): miniblock bit width \(width) is above 64") }
                let n = min(perMiniblock, count - out.count)
                let needed = BitUnpacking.bytes(count: n, width: width)
                guard needed <= cursor.remaining else { throw ByteCursor.truncated(what) }
                let start = cursor.position
                let base = cursor.base, limit = cursor.end
                var bit = start * 8
                for _ in 0..<n {
                    let delta = BitUnpacking.load(base, limit: limit, bitOffset: bit, width: width)
                    previous = previous &+ minDelta &+ Int64(bitPattern: delta)
                    out.append(previous)
                    bit += width
                }
                cursor.position = min(cursor.end, start + perMiniblock * width / 8)
            }
        }
        return out
    }
}
