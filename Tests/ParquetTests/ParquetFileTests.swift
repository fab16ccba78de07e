import XCTest
@testable import Parquet
import Storage
import Foundation

/// Whole files built by hand (`TestParquetFile`): read back exactly, and every kind of damage gives an error
/// naming the file (and row group and column where the damage is in a column chunk), never a crash.
final class ParquetFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ bytes: [UInt8], _ name: String = "t.parquet") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func readAll(_ path: String, batchRows: Int = 8192) throws -> [[Value]] {
        let reader = try ParquetReader(file: try ParquetFile(path: path), batchRows: batchRows)
        var rows: [[Value]] = []
        while let batch = try reader.next() {
            for i in 0..<batch.count { rows.append(batch.row(i)) }
        }
        return rows
    }

    let ids: [Int64] = (0..<37).map { Int64($0) * 1_000_003 - 5 }
    let names: [String?] = (0..<37).map { $0 % 5 == 3 ? nil : ["north", "south", "east", "west"][$0 % 4] }

    private func expected() -> [[Value]] {
        zip(ids, names).map { [.bigint($0), $1.map { .varchar($0) } ?? .null] }
    }

    func testReadsPlainAndDictionaryFilesInAnyBatchSize() throws {
        for dictionary in [false, true] {
            let path = try write(TestParquetFile.make(ids: ids, names: names, dictionaryNames: dictionary))
            let file = try ParquetFile(path: path)
            XCTAssertEqual(try file.schema(), Schema([Field(name: "id", type: .bigint, nullable: false), Field(name: "name", type: .varchar)]))
            for batchRows in [1, 5, 8, 36, 37, 1000] {
                XCTAssertEqual(try readAll(path, batchRows: batchRows), expected(), "dictionary \(dictionary), batch \(batchRows)")
            }
            // The dictionary-encoded column stays dictionary-encoded.
            let batch = try ParquetReader(file: file).next()
            if dictionary, case .dictionary = batch?.columns[1].data {} else if dictionary { XCTFail("expected a dictionary vector") }
            // Projection: only the second column.
            let columns = try file.columns()
            let projected = try ParquetReader(file: file, columns: [columns[1]]).next()
            XCTAssertEqual(projected?.columns.count, 1)
            XCTAssertEqual(projected?.row(3), [.null])
            XCTAssertEqual(projected?.row(4), [.varchar("north")])
        }
    }

    func testColumnsDecodedInParallelEqualSerialDecoding() throws {
        let n = 10_000
        let manyIds = (0..<n).map { Int64($0 * 7 - 3000) }
        let manyNames: [String?] = (0..<n).map { $0 % 7 == 0 ? nil : "v\($0 % 50)" }
        for dictionary in [false, true] {
            let path = try write(TestParquetFile.make(ids: manyIds, names: manyNames, dictionaryNames: dictionary), "big.parquet")
            func read(_ parallel: Bool) throws -> [[Value]] {
                let reader = try ParquetReader(file: try ParquetFile(path: path), batchRows: 4096, parallel: parallel)
                var rows: [[Value]] = []
                while let batch = try reader.next() { for i in 0..<batch.count { rows.append(batch.row(i)) } }
                return rows
            }
            let serial = try read(false)
            XCTAssertEqual(serial.count, n)
            XCTAssertEqual(serial[7], [.bigint(7 * 7 - 3000), .null])
            XCTAssertEqual(try read(true), serial)
            // An error in one column's decoding still surfaces from the parallel path.
            var bad = TestParquetFile.make(ids: manyIds, names: manyNames, dictionaryNames: dictionary)
            bad[bad.count / 3] ^= 0xFF
            let badPath = try write(bad, "bad-big.parquet")
            let serialResult = Result { () throws -> Int in
                let r = try ParquetReader(file: try ParquetFile(path: badPath), batchRows: 4096)
                var k = 0
                while let b = try r.next() { k += b.count }
                return k
            }
            let parallelResult = Result { () throws -> Int in
                let r = try ParquetReader(file: try ParquetFile(path: badPath), batchRows: 4096, parallel: true)
                var k = 0
                while let b = try r.next() { k += b.count }
                return k
            }
            switch (serialResult, parallelResult) {
            case let (.success(a), .success(b)): XCTAssertEqual(a, b)
            case (.failure, .failure): break
            default: XCTFail("serial \(serialResult) and parallel \(parallelResult) decoding disagree")
            }
        }
    }

    func testBadMagicTruncationAndFooterOutsideTheFile() throws {
        let good = TestParquetFile.make(ids: ids, names: names)
        var magic = good
        magic[0] = UInt8(ascii: "X")
        XCTAssertThrowsError(try ParquetFile(path: try write(magic, "magic.parquet"))) { error in
            XCTAssertTrue("\(error)".contains("magic.parquet") && "\(error)".contains("PAR1"), "\(error)")
        }
        XCTAssertThrowsError(try ParquetFile(path: try write(Array(good[0..<good.count - 1]), "cut.parquet"))) { error in
            XCTAssertTrue("\(error)".contains("cut.parquet"), "\(error)")
        }
        var outside = good
        let huge = UInt32(good.count * 3).littleEndian
        withUnsafeBytes(of: huge) { for k in 0..<4 { outside[good.count - 8 + k] = $0[k] } }
        XCTAssertThrowsError(try ParquetFile(path: try write(outside, "outside.parquet"))) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .corruption)
            XCTAssertTrue("\(error)".contains("outside.parquet") && "\(error)".contains("footer"), "\(error)")
        }
        XCTAssertThrowsError(try ParquetFile(path: try write([], "empty.parquet")))
        XCTAssertThrowsError(try ParquetFile(path: directory.appendingPathComponent("missing.parquet").path)) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .io)
        }
    }

    func testEveryTruncationIsAnError() throws {
        let good = TestParquetFile.make(ids: ids, names: names, dictionaryNames: true)
        for cut in 0..<good.count {
            let path = try write(Array(good[0..<cut]), "cut.parquet")
            XCTAssertThrowsError(try readAll(path), "cut at \(cut) of \(good.count)")
        }
    }

    func testFlippedBytesNeverCrash() throws {
        // Every byte damaged in turn (one of its bits, varying): the read either fails with a TarnError or returns the right
        // number of rows (a flipped value byte in a PLAIN page cannot be detected without checksums).
        for dictionary in [false, true] {
            let good = TestParquetFile.make(ids: ids, names: names, dictionaryNames: dictionary)
            var errors = 0
            for position in 0..<good.count {
                for bit in [(position * 3) % 8] {
                    var damaged = good
                    damaged[position] ^= 1 << UInt8(bit)
                    let path = try write(damaged, "flip.parquet")
                    do {
                        let rows = try readAll(path)
                        XCTAssertEqual(rows.count, ids.count, "flip at \(position) bit \(bit) gave \(rows.count) rows")
                    } catch let e as TarnError {
                        errors += 1
                        XCTAssertTrue(e.message.contains("flip.parquet"), "\(e)")
                    }
                }
            }
            // About a third of single-bit flips land in metadata and are detected; the rest change values.
            XCTAssertGreaterThan(errors, good.count / 4, "damage to metadata must be detected")
        }
    }

    func testPageChecksums() throws {
        for dictionary in [false, true] {
            let good = TestParquetFile.make(ids: ids, names: names, dictionaryNames: dictionary, checksums: true)
            XCTAssertEqual(try readAll(try write(good, "crc.parquet")), expected())
            // With checksums, damage to any page byte is an error, never other rows. (The footer has no checksum:
            // a flip there that still parses, e.g. in an unused offset, can read the same rows.)
            let footerStart = good.count - 8 - Int(UInt32(good[good.count - 8]) | UInt32(good[good.count - 7]) << 8)
            var pageErrors = 0
            for position in 4..<footerStart {
                var damaged = good
                damaged[position] ^= 1 << UInt8(position % 8)
                let path = try write(damaged, "crc-flip.parquet")
                do {
                    let rows = try readAll(path)
                    XCTAssertEqual(rows, expected(), "a flip at \(position) read other rows")
                } catch is TarnError {
                    pageErrors += 1
                }
            }
            // Header bytes outside the checksummed body may flip harmlessly only where they change nothing read.
            XCTAssertGreaterThan(pageErrors, (footerStart - 4) * 9 / 10, "dictionary \(dictionary)")
        }
    }

    func testDamageInAColumnChunkNamesRowGroupAndColumn() throws {
        var bytes = TestParquetFile.make(ids: ids, names: names)
        // The first page header starts at byte 4: make its compressed size enormous.
        // Page header: field 1 (type), field 2 (uncompressed size), field 3 (compressed size) → corrupt field 3's varint.
        let path = try write(bytes, "ok.parquet")
        XCTAssertEqual(try readAll(path).count, ids.count)
        bytes[4] = 0x15; bytes[5] = 0x00                 // page type DATA_PAGE
        bytes[6] = 0x15; bytes[7] = 0xFE; bytes[8] = 0xFF // uncompressed size: a 2-byte varint … then garbage
        let bad = try write(bytes, "bad.parquet")
        XCTAssertThrowsError(try readAll(bad)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("bad.parquet") && text.contains("row group 0") && text.contains("column 'id'"), text)
        }
    }

    func testNestedColumnsAreNamedInTheError() throws {
        let schema: [SchemaElement] = {
            var root = SchemaElement(name: "schema"); root.numChildren = 2
            var id = SchemaElement(name: "id"); id.type = .int64; id.rawType = 2; id.repetition = .required
            var tags = SchemaElement(name: "tags"); tags.numChildren = 1; tags.repetition = .optional; tags.convertedType = .list
            var element = SchemaElement(name: "element"); element.type = .int64; element.rawType = 2; element.repetition = .repeated
            return [root, id, tags, element]
        }()
        // The flat column is still readable: only selecting the nested one fails.
        let top = try ParquetColumn.topLevel(of: schema)
        XCTAssertEqual(top.map(\.name), ["id", "tags"])
        if case let .flat(c) = top[0] { XCTAssertEqual(c.index, 0) } else { XCTFail("id is flat") }
        // A nested column whose subtree is cut short is a corrupt schema.
        XCTAssertThrowsError(try ParquetColumn.topLevel(of: Array(schema.dropLast()))) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .corruption)
        }
        XCTAssertThrowsError(try ParquetColumn.columns(of: schema)) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .unsupported)
            XCTAssertTrue("\(error)".contains("'tags'") && "\(error)".contains("LIST"), "\(error)")
        }
    }

    func testTypeMapping() throws {
        func map(_ type: PhysicalKind, _ logical: LogicalType? = nil, converted: ConvertedType? = nil, length: Int32? = nil) throws -> (DataType, ParquetColumn.Conversion) {
            var e = SchemaElement(name: "c")
            e.type = type; e.rawType = type.rawValue; e.repetition = .optional
            e.logicalType = logical; e.convertedType = converted; e.typeLength = length
            let c = try ParquetColumn(index: 0, element: e)
            return (c.field.type, c.conversion)
        }
        XCTAssertEqual(try map(.int32, .integer(bitWidth: 8, signed: true)).0, .integer)
        XCTAssertEqual(try map(.int32, .integer(bitWidth: 32, signed: false)).1, .int32ToInt64(unsigned: true))
        XCTAssertEqual(try map(.int32, converted: .uint16).0, .integer)
        XCTAssertEqual(try map(.int64, .integer(bitWidth: 64, signed: false)).1, .uint64)
        XCTAssertEqual(try map(.int32, .date).0, .date)
        XCTAssertEqual(try map(.int64, converted: .timestampMillis).1, .multiply(1000))
        XCTAssertEqual(try map(.int96).0, .timestamp)
        XCTAssertEqual(try map(.float).1, .floatToDouble)
        XCTAssertEqual(try map(.int32, .decimal(precision: 9, scale: 2)).0, .decimal(precision: 9, scale: 2))
        XCTAssertEqual(try map(.fixedLenByteArray, .decimal(precision: 18, scale: 4), length: 8).1, .bytesToDecimal)
        XCTAssertEqual(try map(.byteArray, .decimal(precision: 30, scale: 4)).0, .decimal(precision: 30, scale: 4))
        XCTAssertEqual(try map(.fixedLenByteArray, .decimal(precision: 38, scale: 4), length: 16).1, .bytesToDecimal128)
        XCTAssertEqual(try map(.byteArray, .decimal(precision: 40, scale: 4)).0, .double)
        XCTAssertEqual(try map(.int64, .time(unit: .nanos, utc: false)).0, .bigint)
        XCTAssertEqual(try map(.fixedLenByteArray, .uuid, length: 16).1, .uuidToString)
        XCTAssertEqual(try map(.fixedLenByteArray, .float16, length: 2).1, .float16ToDouble)
        XCTAssertEqual(try map(.fixedLenByteArray, nil, length: 7).0, .varchar)
        XCTAssertEqual(try map(.int32, .other(42)).0, .integer)        // unknown annotations fall back to the physical type
        XCTAssertEqual(try map(.byteArray, .unknown).0, .varchar)
        XCTAssertThrowsError(try map(.fixedLenByteArray, .json, length: 4))
        XCTAssertThrowsError(try map(.fixedLenByteArray, .uuid, length: 8))
        XCTAssertThrowsError(try map(.int64, .decimal(precision: 30, scale: 2)))
        XCTAssertThrowsError(try map(.fixedLenByteArray, .decimal(precision: 5, scale: 9), length: 4))
    }

    func testDecimalAndInt96Conversions() throws {
        // Big-endian two's complement: 0x FF FF FF FF FF FF FF FF FE D4 = -300 in 10 bytes.
        func strings(_ values: [[UInt8]]) -> StringArray {
            var s = StringArray()
            for v in values { v.withUnsafeBufferPointer { s.append(bytes: $0) } }
            return s
        }
        let s = strings([[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xD4], [0x01, 0x00], [0x80]])
        XCTAssertEqual(try ValueConversion.decimals(s), [-300, 256, -128])
        XCTAssertEqual(ValueConversion.decimalDoubles(s, scale: 2), [-3.0, 2.56, -1.28])
        XCTAssertThrowsError(try ValueConversion.decimals(strings([[0x01, 0, 0, 0, 0, 0, 0, 0, 0]])))
        XCTAssertThrowsError(try ValueConversion.decimals(strings([[0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0]])))  // sign bit lost
        // INT96: 1970-01-02 00:00:01.5 = Julian day 2440589, 1.5e9 ns.
        var raw: [UInt8] = []
        withUnsafeBytes(of: UInt64(1_500_000_000).littleEndian) { raw += $0 }
        withUnsafeBytes(of: UInt32(2_440_589).littleEndian) { raw += $0 }
        XCTAssertEqual(try ValueConversion.int96(strings([raw])), [86_400_000_000 + 1_500_000])
        XCTAssertThrowsError(try ValueConversion.int96(strings([Array(raw[0..<11])])))
        // The day is signed: 0xFFFFFFFF is Julian day −1, and the result wraps as Spark's writer did.
        let negative: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertEqual(try ValueConversion.int96(strings([negative])), [(-1 - 2_440_588) * 86_400_000_000])
        // FLOAT16: 1.0 = 0x3C00, -2.5 = 0xC100, smallest subnormal 0x0001, infinity 0x7C00.
        let halves = ValueConversion.halfFloats(strings([[0x00, 0x3C], [0x00, 0xC1], [0x01, 0x00], [0x00, 0x7C], []]))
        XCTAssertEqual(halves, [1.0, -2.5, 0x1p-24, .infinity, 0])
        XCTAssertTrue(ValueConversion.halfFloats(strings([[0x01, 0x7E]]))[0].isNaN)
        let uuid = ValueConversion.uuids(strings([Array(0..<16), []]))
        XCTAssertEqual(uuid.strings(), ["00010203-0405-0607-0809-0a0b0c0d0e0f", ""])
    }
}
