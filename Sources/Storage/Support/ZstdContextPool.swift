import CZstd
import Foundation

/// zstd compression and decompression contexts kept for reuse, shared by every thread.
///
/// `ZSTD_compress` / `ZSTD_decompress` allocate and initialise a fresh context on every call (the compressor's
/// tables are about a megabyte at level 3, which glibc maps and the kernel zeroes page by page); a writer or reader
/// that compresses page after page borrows one of these instead. A context is used by one thread at a time.
public final class ZstdContextPool: @unchecked Sendable {
    /// The pool every Parquet page and Tarn data file goes through.
    public static let shared = ZstdContextPool()

    private let lock = NSLock()
    private var compressors: [OpaquePointer] = []
    private var decompressors: [OpaquePointer] = []
    /// Contexts of each kind kept when returned (more are freed): one per core is plenty.
    private let keep = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)

    /// `input` compressed at `level` into at most `limit` bytes; nil when compression fails or needs more.
    public func compress(_ input: UnsafeRawBufferPointer, level: Int32, limit: Int = Int.max) -> [UInt8]? {
        guard let context = take(compressor: true) else { return nil }
        defer { give(context, compressor: true) }
        let bound = ZSTD_compressBound(input.count)
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            let written = ZSTD_compressCCtx(context, buffer.baseAddress, bound, input.baseAddress, input.count, level)
            if ZSTD_isError(written) != 0 || written > limit { failed = true; count = 0 } else { count = written }
        }
        return failed ? nil : out
    }

    /// Decompresses `input` into `output`; the bytes written, or nil when the frame is damaged or does not fit.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard let context = take(compressor: false) else { return nil }
        defer { give(context, compressor: false) }
        let written = ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
        return ZSTD_isError(written) == 0 ? written : nil
    }

    private func take(compressor: Bool) -> OpaquePointer? {
        lock.lock()
        let kept = compressor ? compressors.popLast() : decompressors.popLast()
        lock.unlock()
        if let kept { return kept }
        return compressor ? ZSTD_createCCtx() : ZSTD_createDCtx()
    }

    private func give(_ context: OpaquePointer, compressor: Bool) {
        lock.lock()
        if compressor, compressors.count < keep {
            compressors.append(context)
            lock.unlock()
        } else if !compressor, decompressors.count < keep {
            decompressors.append(context)
            lock.unlock()
        } else {
            lock.unlock()
            if compressor { ZSTD_freeCCtx(context) } else { ZSTD_freeDCtx(context) }
        }
    }
}
