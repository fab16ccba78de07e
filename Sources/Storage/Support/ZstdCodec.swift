import CZstd

/// zstd compression at one level for a data-file writer, through the shared `ZstdContextPool`.
final class ZstdCompressor: Sendable {
    let level: Int32

    init(level: Int32) { self.level = level }

    /// The zstd frame of `input`, or nil when compression failed or would not fit in `limit` bytes.
    func compress(_ input: UnsafeRawBufferPointer, limit: Int) -> [UInt8]? {
        guard input.count > 0, limit > 0 else { return nil }
        return ZstdContextPool.shared.compress(input, level: level, limit: limit)
    }
}

/// zstd decompression of one frame whose decompressed size is known up front.
enum ZstdDecompressor {
    /// Decompresses `input` into exactly `expectedSize` bytes; nil when the frame is damaged or of another size.
    static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) -> [UInt8]? {
        guard let source = input.baseAddress, expectedSize >= 0 else { return nil }
        let declared = ZSTD_getFrameContentSize(source, input.count)
        // ZSTD_CONTENTSIZE_UNKNOWN / _ERROR are the two largest UInt64 values.
        guard declared < UInt64.max - 1, declared == UInt64(expectedSize) else { return nil }
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, count in
            let written = ZstdContextPool.shared.decompress(input, into: UnsafeMutableRawBufferPointer(buffer))
            if written == expectedSize { ok = true; count = expectedSize } else { count = 0 }
        }
        return ok ? out : nil
    }
}
