import Foundation
import XCTest
@testable import Storage

final class FormatCorruptionTests: XCTestCase {
    typealias S = FormatTestSupport

    /// A small file with several row groups, nulls, every type and several encodings.
    private func makeSmallFile() throws -> (path: String, bytes: [UInt8]) {
        let path = S.temporaryPath("small")
        var options = WriterOptions()
        options.rowGroupSize = 40
        let n = 100
        let schema = Schema([Field(name: "id", type: .bigint), Field(name: "spend", type: .double), Field(name: "tag", type: .varchar),
                             Field(name: "flag", type: .boolean), Field(name: "day", type: .date)])
        try S.write(schema, [Batch(columns: [
            S.column(.bigint, (0 ..< n).map { .bigint(Int64($0)) }),
            S.column(.double, (0 ..< n).map { $0 % 5 == 0 ? .null : .double(Double($0) / 4) }),
            S.column(.varchar, (0 ..< n).map { .varchar(["a", "bb", "ccc"][$0 % 3]) }),
            S.column(.boolean, (0 ..< n).map { .boolean($0 % 2 == 0) }),
            S.column(.date, (0 ..< n).map { _ in .date(19_000) }),
        ])], path: path, options: options)
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Opens `bytes` as a data file and reads every chunk; returns the error, or nil when everything read.
    private func readEverything(_ bytes: [UInt8]) -> Error? {
        let path = S.temporaryPath("damaged")
        defer { unlink(path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            let reader = try DataFileReader(path: path)
            for g in 0 ..< reader.rowGroups.count {
                for c in 0 ..< reader.schema.count { _ = try reader.readColumn(rowGroup: g, column: c) }
            }
            return nil
        } catch {
            return error
        }
    }

    private func assertCorruption(_ error: Error?, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let error = error as? TarnError else { return XCTFail("\(context): no TarnError (\(String(describing: error)))", file: file, line: line) }
        XCTAssertTrue(error.kind == .corruption || error.kind == .io, "\(context): \(error)", file: file, line: line)
    }

    func testIntactFileReads() throws {
        let (path, bytes) = try makeSmallFile()
        defer { unlink(path) }
        XCTAssertNil(readEverything(bytes))
    }

    func testEveryTruncationIsDetected() throws {
        let (path, bytes) = try makeSmallFile()
        defer { unlink(path) }
        for length in 0 ..< bytes.count {
            assertCorruption(readEverything(Array(bytes[0 ..< length])), "truncated to \(length)")
        }
    }

    func testEveryByteFlipIsDetected() throws {
        let (path, bytes) = try makeSmallFile()
        defer { unlink(path) }
        for position in 0 ..< bytes.count {
            for pattern: UInt8 in position % 4 == 0 ? [0x01, 0x80] : [0x01] {
                var damaged = bytes
                damaged[position] ^= pattern
                assertCorruption(readEverything(damaged), "byte \(position) ^ \(pattern)")
            }
        }
    }

    func testChunkDamageNamesFileRowGroupAndColumn() throws {
        let (path, bytes) = try makeSmallFile()
        defer { unlink(path) }
        let reader = try DataFileReader(path: path)
        // Find the start of row group 2, column 'spend' by summing chunk sizes (chunks are written contiguously).
        var offset = DataFileLayout.headerSize
        for g in 0 ..< 2 { for c in 0 ..< 5 { offset += reader.chunkSize(rowGroup: g, column: c) } }
        offset += reader.chunkSize(rowGroup: 2, column: 0)
        var damaged = bytes
        damaged[offset + 1] ^= 0xFF
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        let broken = try DataFileReader(path: path)
        XCTAssertNoThrow(try broken.readColumn(rowGroup: 2, column: 0))
        XCTAssertThrowsError(try broken.readColumn(rowGroup: 2, column: 1)) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .corruption)
            XCTAssertEqual((error as? TarnError)?.message, "\(path): row group 2, column 'spend': checksum mismatch")
        }
    }

    func testGarbageAndWrongMagic() throws {
        assertCorruption(readEverything([]), "empty")
        assertCorruption(readEverything(Array(repeating: 0, count: 100)), "zeros")
        assertCorruption(readEverything(Array("TARN".utf8) + Array(repeating: 0xFF, count: 40) + Array("TARN".utf8)), "fake")
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 200 {
            let junk = Array("TARN\u{1}\0\0\0".utf8) + (0 ..< Int.random(in: 0 ..< 300, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) } + Array("TARN".utf8)
            assertCorruption(readEverything(junk), "random")
        }
        XCTAssertThrowsError(try DataFileReader(path: "/nonexistent/x.tarn")) { XCTAssertEqual(($0 as? TarnError)?.kind, .io) }
    }
}
