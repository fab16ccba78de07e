import Storage
import CZstd
import CSnappy
import CZlib

/// Compresses one page body with the codec a `ParquetWriter` was asked for (the mirror of `PageDecompressor`).
enum PageCompressor {
    /// zstd level: DuckDB's and Arrow's default.
    static let zstdLevel: Int32 = 3

    /// `input` compressed with `codec`; `.uncompressed` returns it unchanged.
    static func compress(_ codec: ParquetCompressionCodec, _ input: [UInt8]) throws -> [UInt8] {
        switch codec {
        case .uncompressed: return input
        case .zstd: return try zstd(input)
        case .snappy: return try snappy(input)
        case .gzip: return try gzip(input)
        }
    }

    private static func zstd(_ input: [UInt8]) throws -> [UInt8] {
        guard let out = input.withUnsafeBytes({ ZstdContextPool.shared.compress($0, level: zstdLevel) }) else {
            throw TarnError.io("zstd compression of a \(input.count)-byte page failed")
        }
        return out
    }

    private static func snappy(_ input: [UInt8]) throws -> [UInt8] {
        var bound = snappy_max_compressed_length(input.count)
        var ok = false
        let out = input.withUnsafeBytes { src in
            [UInt8](unsafeUninitializedCapacity: bound) { dst, n in
                let status = snappy_compress(src.baseAddress?.assumingMemoryBound(to: CChar.self), src.count,
                                             UnsafeMutableRawPointer(dst.baseAddress)?.assumingMemoryBound(to: CChar.self), &bound)
                ok = status == SNAPPY_OK
                n = ok ? bound : 0
            }
        }
        guard ok else { throw TarnError.io("snappy compression failed") }
        return out
    }

    /// A gzip member (deflate with the gzip header and trailer), as the Parquet GZIP codec expects.
    private static func gzip(_ input: [UInt8]) throws -> [UInt8] {
        guard input.count <= Int(UInt32.max) / 2 else { throw TarnError.io("a page of \(input.count) bytes is too large for gzip") }
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TarnError.io("gzip compression could not start")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        var status: Int32 = Z_STREAM_ERROR
        let out = input.withUnsafeBytes { src in
            [UInt8](unsafeUninitializedCapacity: bound) { dst, n in
                stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(bound)
                status = deflate(&stream, Z_FINISH)
                n = status == Z_STREAM_END ? bound - Int(stream.avail_out) : 0
            }
        }
        guard status == Z_STREAM_END else { throw TarnError.io("gzip compression failed (zlib status \(status))") }
        return out
    }
}
