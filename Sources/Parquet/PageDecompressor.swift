import Storage
import CZstd
import CSnappy
import CLZ4
import CZlib

/// Decompresses one page body with the column chunk's codec into exactly the size its header declares.
enum PageDecompressor {
    /// Largest uncompressed page accepted (a damaged header must not make the reader allocate without bound).
    static let maxPageSize = 1 << 30

    static func decompress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws -> [UInt8] {
        guard uncompressedSize >= 0, uncompressedSize <= maxPageSize else {
            throw TarnError.corruption("page declares \(uncompressedSize) uncompressed bytes")
        }
        if codec == .uncompressed {
            guard input.count == uncompressedSize else {
                throw TarnError.corruption("uncompressed page of \(input.count) bytes declares \(uncompressedSize)")
            }
            return Array(input)
        }
        if uncompressedSize == 0 { return [] }
        guard let src = input.baseAddress, input.count > 0 else { throw TarnError.corruption("empty \(codec) page declares \(uncompressedSize) bytes") }
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, count in
            count = 0
            guard let dst = buffer.baseAddress else { return }
            switch codec {
            case .snappy:
                var length = 0
                guard snappy_uncompressed_length(src.assumingMemoryBound(to: CChar.self), input.count, &length) == SNAPPY_OK,
                      length == uncompressedSize else { return }
                var outLength = uncompressedSize
                ok = snappy_uncompress(src.assumingMemoryBound(to: CChar.self), input.count,
                                       UnsafeMutableRawPointer(dst).assumingMemoryBound(to: CChar.self), &outLength) == SNAPPY_OK
                    && outLength == uncompressedSize
            case .zstd:
                ok = ZstdContextPool.shared.decompress(input, into: UnsafeMutableRawBufferPointer(buffer)) == uncompressedSize
            case .lz4Raw:
                guard input.count <= Int(Int32.max) else { return }
                let written = LZ4_decompress_safe(src.assumingMemoryBound(to: CChar.self),
                                                  UnsafeMutableRawPointer(dst).assumingMemoryBound(to: CChar.self),
                                                  Int32(input.count), Int32(uncompressedSize))
                ok = Int(written) == uncompressedSize
            case .lz4:
                ok = hadoopLZ4(input, dst, uncompressedSize) || {
                    // Some writers used plain LZ4 blocks under the LZ4 codec id.
                    let written = LZ4_decompress_safe(src.assumingMemoryBound(to: CChar.self),
                                                      UnsafeMutableRawPointer(dst).assumingMemoryBound(to: CChar.self),
                                                      Int32(clamping: input.count), Int32(uncompressedSize))
                    return Int(written) == uncompressedSize
                }()
            case .gzip:
                ok = inflate(input, dst, uncompressedSize)
            case .uncompressed, .lzo, .brotli:
                return
            }
            if ok { count = uncompressedSize }
        }
        guard ok else {
            if codec == .lzo || codec == .brotli { throw TarnError.unsupported("the \(codec) codec is not supported by read_parquet") }
            throw TarnError.corruption("\(codec) page does not decompress to its declared \(uncompressedSize) bytes")
        }
        return out
    }

    /// The CRC-32 (gzip polynomial) of `bytes`, as page headers store it.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        var crc = CZlib.crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {  // zlib takes 32-bit lengths
            let n = min(bytes.count - offset, 1 << 30)
            crc = CZlib.crc32(crc, (base + offset).assumingMemoryBound(to: Bytef.self), uInt(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// Hadoop's LZ4 framing: blocks of (big-endian uncompressed size, big-endian compressed size, LZ4 block).
    private static func hadoopLZ4(_ input: UnsafeRawBufferPointer, _ dst: UnsafeMutablePointer<UInt8>, _ size: Int) -> Bool {
        var position = 0, produced = 0
        func be32(_ at: Int) -> Int {
            Int(input[at]) << 24 | Int(input[at + 1]) << 16 | Int(input[at + 2]) << 8 | Int(input[at + 3])
        }
        guard let src = input.baseAddress else { return false }
        while position < input.count {
            guard input.count - position >= 8 else { return false }
            let blockSize = be32(position)
            var left = blockSize
            position += 4
            guard blockSize <= size - produced else { return false }
            while left > 0 {
                guard input.count - position >= 4 else { return false }
                let compressed = be32(position)
                position += 4
                guard compressed > 0, compressed <= input.count - position else { return false }
                let written = LZ4_decompress_safe((src + position).assumingMemoryBound(to: CChar.self),
                                                  UnsafeMutableRawPointer(dst + produced).assumingMemoryBound(to: CChar.self),
                                                  Int32(compressed), Int32(size - produced))
                guard written > 0, Int(written) <= left else { return false }
                produced += Int(written)
                left -= Int(written)
                position += compressed
            }
        }
        return produced == size
    }

    /// gzip (or zlib) stream inflation with zlib's automatic header detection.
    private static func inflate(_ input: UnsafeRawBufferPointer, _ dst: UnsafeMutablePointer<UInt8>, _ size: Int) -> Bool {
        guard let src = input.baseAddress, input.count <= Int(UInt32.max), size <= Int(UInt32.max) else { return false }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return false }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: src.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = dst
        stream.avail_out = uInt(size)
        var status: Int32
        repeat {
            status = CZlib.inflate(&stream, Z_FINISH)
            // Concatenated gzip members: start the next one.
            if status == Z_STREAM_END && stream.avail_in > 0 && stream.avail_out > 0 {
                guard inflateReset(&stream) == Z_OK else { return false }
                status = Z_OK
            }
        } while status == Z_OK
        return status == Z_STREAM_END && stream.avail_out == 0
    }
}
