import XCTest
@testable import Parquet
import Storage
import CLZ4
import CSnappy
import CZlib
import CZstd

/// Each codec decompresses what its library compresses, and rejects damaged input and wrong sizes.
final class CodecTests: XCTestCase {
    let text: [UInt8] = Array((0..<4000).map { "row \($0 % 97) of the campaign table;" }.joined().utf8)

    private func lz4Block(_ input: [UInt8]) -> [UInt8] {
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let n = input.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                LZ4_compress_default(src.baseAddress!.assumingMemoryBound(to: CChar.self), dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                                     Int32(input.count), Int32(bound))
            }
        }
        return Array(out[0..<Int(n)])
    }

    private func decompress(_ codec: CompressionCodec, _ input: [UInt8], _ size: Int) throws -> [UInt8] {
        try input.withUnsafeBytes { try PageDecompressor.decompress(codec, $0, uncompressedSize: size) }
    }

    func testLZ4RawAndHadoopFraming() throws {
        let block = lz4Block(text)
        XCTAssertLessThan(block.count, text.count / 4)
        XCTAssertEqual(try decompress(.lz4Raw, block, text.count), text)
        // Hadoop framing: two frames, each (BE uncompressed size, BE compressed size, block).
        let half = text.count / 2
        var framed: [UInt8] = []
        for part in [Array(text[0..<half]), Array(text[half...])] {
            let b = lz4Block(part)
            for v in [UInt32(part.count), UInt32(b.count)] { withUnsafeBytes(of: v.bigEndian) { framed += $0 } }
            framed += b
        }
        XCTAssertEqual(try decompress(.lz4, framed, text.count), text)
        // The LZ4 codec id holding a bare block (older writers) is accepted too.
        XCTAssertEqual(try decompress(.lz4, block, text.count), text)
        XCTAssertThrowsError(try decompress(.lz4Raw, block, text.count + 1))
        XCTAssertThrowsError(try decompress(.lz4Raw, Array(block[0..<block.count / 2]), text.count))
    }

    func testSnappy() throws {
        var length = snappy_max_compressed_length(text.count)
        var out = [UInt8](repeating: 0, count: length)
        let status = text.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                snappy_compress(src.baseAddress!.assumingMemoryBound(to: CChar.self), text.count, dst.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        XCTAssertEqual(status, SNAPPY_OK)
        let compressed = Array(out[0..<length])
        XCTAssertEqual(try decompress(.snappy, compressed, text.count), text)
        XCTAssertThrowsError(try decompress(.snappy, compressed, text.count - 1))
        var flipped = compressed
        flipped[flipped.count / 2] ^= 0xFF
        flipped[1] ^= 0x55
        XCTAssertThrowsError(try decompress(.snappy, flipped, text.count))
    }

    func testGzipAndZlibAndZstd() throws {
        // zlib format through compress2 (inflate detects gzip and zlib headers alike).
        var destLength = compressBound(uLong(text.count))
        var out = [UInt8](repeating: 0, count: Int(destLength))
        XCTAssertEqual(compress2(&out, &destLength, text, uLong(text.count), 6), Z_OK)
        let z = Array(out[0..<Int(destLength)])
        XCTAssertEqual(try decompress(.gzip, z, text.count), text)
        XCTAssertThrowsError(try decompress(.gzip, Array(z[0..<z.count - 10]), text.count))
        XCTAssertThrowsError(try decompress(.gzip, z, text.count * 2))
        // zstd
        let bound = ZSTD_compressBound(text.count)
        var zs = [UInt8](repeating: 0, count: bound)
        let n = ZSTD_compress(&zs, bound, text, text.count, 3)
        XCTAssertEqual(ZSTD_isError(n), 0)
        XCTAssertEqual(try decompress(.zstd, Array(zs[0..<n]), text.count), text)
        XCTAssertThrowsError(try decompress(.zstd, Array(zs[0..<n / 2]), text.count))
    }

    func testSizesAreBounded() {
        XCTAssertThrowsError(try decompress(.uncompressed, [1, 2, 3], 4))
        XCTAssertThrowsError(try decompress(.zstd, [1, 2, 3], 1 << 40))
        XCTAssertThrowsError(try decompress(.snappy, [], 10))
        XCTAssertThrowsError(try decompress(.brotli, [1, 2, 3], 10)) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .unsupported)
        }
    }
}
