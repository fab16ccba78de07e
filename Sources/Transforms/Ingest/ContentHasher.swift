import Storage

/// The content hash of a file, computed over fixed-size blocks (XXH64 chained block to block), so a reader that
/// reads the same blocks computes it while parsing and a separate pass (`hashFile`) gives the same value.
public struct ContentHasher: Sendable {
    public static let blockSize = 4 << 20
    public private(set) var value: UInt64 = 0x54_41_52_4E   // "TARN"

    public init() {}

    /// Adds one block (all blocks but the last must be exactly `blockSize` bytes).
    public mutating func add(_ block: UnsafeRawBufferPointer) {
        value = XXHash64.hash(block, seed: value)
    }

    /// Hashes a whole file.
    public static func hashFile(_ path: String) throws -> UInt64 {
        let file = try BlockFile(path: path)
        defer { file.close() }
        var hasher = ContentHasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try file.readBlock(into: buffer)
            if n == 0 { break }
            hasher.add(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            if n < blockSize { break }
        }
        return hasher.value
    }
}

/// A file read in whole blocks with `read(2)`.
final class BlockFile {
    let path: String
    private var fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw TarnError.io("cannot open \(path) (errno \(errno))") }
    }

    /// Fills `buffer` completely unless the file ends first; returns the bytes read.
    func readBlock(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let n = read(fd, base + total, buffer.count - total)
            if n < 0 {
                if errno == EINTR { continue }
                throw TarnError.io("reading \(path) failed (errno \(errno))")
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    func close() {
        if fd >= 0 { _ = Foundation.close(fd); fd = -1 }
    }

    deinit { close() }
}

import Foundation
