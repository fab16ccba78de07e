import XCTest
@testable import Parquet
import Storage

/// Files `ParquetWriter` writes read back through Tarn's own reader: every type, NULLs, several row groups and
/// pages, dictionary and PLAIN chunks, each codec; the summary's counts and extremes; the atomic rename.
final class ParquetWriterTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    static let columns: [(name: String, type: DataType)] = [
        ("b", .boolean), ("i", .integer), ("big", .bigint), ("d", .double), ("s", .varchar), ("day", .date),
        ("price", .decimal(precision: 12, scale: 2)), ("ts", .timestamp), ("unique_s", .varchar), ("unique_i", .bigint),
    ]

    /// Row `r` of the test table as values (every seventh row NULL in most columns, different per column).
    static func row(_ r: Int) -> [Value] {
        func nullEvery(_ k: Int, _ v: Value) -> Value { r % k == 3 ? .null : v }
        return [
            nullEvery(5, .boolean(r % 3 == 0)),
            nullEvery(7, .integer(Int32(r % 1000) - 500)),
            nullEvery(11, .bigint(Int64(r) * 1_000_003 - 7_000_000_000)),
            nullEvery(13, .double(Double(r % 50) * 0.25 - 3)),
            nullEvery(4, .varchar(["google_ads", "meta", "tiktok", "", "ümlaut ✓"][r % 5])),
            nullEvery(9, .date(Int32(19_000 + r % 400))),
            nullEvery(6, .decimal(Int64(r % 10_000) * 7 - 30_000, scale: 2)),
            nullEvery(8, .timestamp(1_700_000_000_000_000 + Int64(r) * 1_234_567)),
            .varchar("row \(r) " + String(repeating: "x", count: r % 17)),
            .bigint(Int64(r) &* 2_654_435_761),
        ]
    }

    static func batch(_ rows: Range<Int>) -> Batch {
        var builders = columns.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for r in rows { for (c, v) in row(r).enumerated() { builders[c].append(v) } }
        return Batch(columns: builders.indices.map { builders[$0].finish() })
    }

    private func readAll(_ path: String) throws -> [[Value]] {
        let file = try ParquetFile(path: path)
        let reader = try ParquetReader(file: file, batchRows: 1000)
        var rows: [[Value]] = []
        while let b = try reader.next() { for i in 0..<b.count { rows.append(b.row(i)) } }
        return rows
    }

    func testEveryTypeRoundTripsWithEachCodec() throws {
        let n = 5_000
        for codec in ParquetCompressionCodec.allCases {
            let path = folder.appendingPathComponent("t-\(codec).parquet").path
            let writer = try ParquetWriter(path: path, columns: Self.columns,
                                           options: ParquetWriteOptions(compression: codec, rowGroupRows: 1_500, pageBytes: 4096))
            // Batches of odd sizes so row groups cut batches.
            var start = 0
            for size in [1, 999, 2048, 1952] { try writer.write(Self.batch(start..<start + size)); start += size }
            let summary = try writer.close()
            XCTAssertEqual(summary.rowCount, n)
            XCTAssertEqual(summary.rowGroupCount, 4)
            XCTAssertEqual(summary.fileSize, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)

            let file = try ParquetFile(path: path)
            XCTAssertEqual(file.metadata.rowGroups.map(\.numRows), [1500, 1500, 1500, 500])
            XCTAssertEqual(try file.columns().map(\.field.type), Self.columns.map(\.type), "\(codec)")
            XCTAssertEqual(file.metadata.rowGroups[0].columns[0].metaData?.codec, codec.fileCodec)
            let rows = try readAll(path)
            XCTAssertEqual(rows.count, n)
            for r in 0..<n where rows[r] != Self.row(r) {
                XCTFail("\(codec): row \(r) reads \(rows[r]), wrote \(Self.row(r))")
                break
            }
            // No temporary file is left beside the result.
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }, [])
        }
    }

    func testDictionaryForRepeatsAndPlainForUniqueValues() throws {
        let path = folder.appendingPathComponent("enc.parquet").path
        let writer = try ParquetWriter(path: path, columns: Self.columns)
        try writer.write(Self.batch(0..<3000))
        _ = try writer.close()
        let file = try ParquetFile(path: path)
        let chunks = file.metadata.rowGroups[0].columns.compactMap(\.metaData)
        func encodings(_ name: String) -> [Int32] { chunks.first { $0.pathInSchema == [name] }?.encodings ?? [] }
        XCTAssertTrue(encodings("s").contains(Encoding.rleDictionary.rawValue))
        XCTAssertNotNil(chunks.first { $0.pathInSchema == ["s"] }?.dictionaryPageOffset)
        XCTAssertTrue(encodings("i").contains(Encoding.rleDictionary.rawValue))
        XCTAssertFalse(encodings("unique_s").contains(Encoding.rleDictionary.rawValue))
        XCTAssertFalse(encodings("unique_i").contains(Encoding.rleDictionary.rawValue))
        // A dictionary over its byte limit falls back to PLAIN.
        let small = folder.appendingPathComponent("small-dict.parquet").path
        let w2 = try ParquetWriter(path: small, columns: Self.columns, options: ParquetWriteOptions(dictionaryBytesLimit: 16))
        try w2.write(Self.batch(0..<3000))
        _ = try w2.close()
        let f2 = try ParquetFile(path: small)
        XCTAssertFalse(f2.metadata.rowGroups[0].columns.contains { $0.metaData?.encodings.contains(Encoding.rleDictionary.rawValue) ?? true })
        XCTAssertEqual(try readAll(small), (0..<3000).map(Self.row))
    }

    func testDictionaryBuilderGivesUpEarlyOnDistinctValues() {
        let unique = (0..<20_000).map { Int64($0) * 7 }
        XCTAssertNil(unique.withUnsafeBufferPointer { DictionaryBuilder.build($0, maxEntries: 10_000) { UInt64(bitPattern: $0) } })
        let repeating = (0..<20_000).map { Int64($0 % 100) }
        let built = repeating.withUnsafeBufferPointer { DictionaryBuilder.build($0, maxEntries: 10_000) { UInt64(bitPattern: $0) } }
        XCTAssertEqual(built?.entries.count, 100)
        XCTAssertEqual(built.map { $0.indices.map { built!.entries[Int($0)] } }, repeating)
    }

    /// Strings arriving as plain values and as dictionary codes (each batch with its own dictionary) share one
    /// dictionary whose indices give back every value; nearly distinct strings, or a dictionary past its byte limit,
    /// give up and keep only the values appended before.
    func testStringDictionaryAccumulator() {
        let texts = (0..<20_000).map { "s\($0 % 300)" }
        var d = StringDictionaryAccumulator(maxBytes: 1 << 20, capacity: 0)
        d.append(strings: StringArray(texts[0..<5_000]), validity: nil, 0..<5_000)
        // A dictionary-encoded batch: codes into a batch dictionary in another order, with NULL rows skipped.
        let batchDictionary = StringArray((0..<300).reversed().map { "s\($0)" })
        let codes = texts[5_000...].map { Int32(299 - Int($0.dropFirst())!) }
        var validity = [UInt8](repeating: 1, count: codes.count)
        for i in stride(from: 0, to: codes.count, by: 7) { validity[i] = 0 }
        d.append(codes: codes, dictionary: batchDictionary, validity: validity, 0..<codes.count)
        XCTAssertFalse(d.failed)
        XCTAssertEqual(d.entries.count, 300)
        let expected = Array(texts[0..<5_000]) + texts[5_000...].enumerated().filter { validity[$0.offset] != 0 }.map(\.element)
        XCTAssertEqual(d.indices.map { d.entries.string(at: Int($0)) }, expected)
        let rebuilt = d.strings()  // built once: strings() materialises the whole column
        XCTAssertEqual((0..<rebuilt.count).map { rebuilt.string(at: $0) }, expected)

        var distinct = StringDictionaryAccumulator(maxBytes: 1 << 20, capacity: 0)
        distinct.append(strings: StringArray(["a", "b", "a"]), validity: nil, 0..<3)
        distinct.append(strings: StringArray((0..<20_000).map { "id-\($0)" }), validity: nil, 0..<20_000)
        XCTAssertTrue(distinct.failed)
        let kept = distinct.strings()
        XCTAssertEqual((0..<kept.count).map { kept.string(at: $0) }, ["a", "b", "a"])

        var small = StringDictionaryAccumulator(maxBytes: 64, capacity: 0)
        small.append(strings: StringArray((0..<100).map { "v\($0 % 3)" }), validity: nil, 0..<100)
        XCTAssertFalse(small.failed)
        small.append(strings: StringArray((0..<100).map { "longer value \($0)" }), validity: nil, 0..<100)
        XCTAssertTrue(small.failed)
        XCTAssertEqual(small.strings().count, 100)
    }

    /// A writer fed dictionary-encoded batches writes dictionary pages, and the file reads back as the same strings.
    func testDictionaryEncodedInputWritesDictionaryPages() throws {
        let path = folder.appendingPathComponent("coded.parquet").path
        let writer = try ParquetWriter(path: path, columns: [(name: "s", type: .varchar)], options: ParquetWriteOptions(rowGroupRows: 1_000))
        let dictionary = StringArray(["red", "green", "blue"])
        for b in 0..<3 {
            let codes = (0..<900).map { Int32(($0 + b) % 3) }
            let validity = (0..<900).map { UInt8($0 % 11 == 0 ? 0 : 1) }
            try writer.write(Batch(columns: [Column(type: .varchar, data: .dictionary(codes: codes, dictionary: dictionary), validity: validity)], count: 900))
        }
        _ = try writer.close()
        let file = try ParquetFile(path: path)
        XCTAssertTrue(file.metadata.rowGroups[0].columns[0].metaData?.encodings.contains(Encoding.rleDictionary.rawValue) ?? false)
        let expected: [Value] = (0..<3).flatMap { b in (0..<900).map { $0 % 11 == 0 ? Value.null : .varchar(["red", "green", "blue"][($0 + b) % 3]) } }
        let reader = try ParquetReader(file: file, columns: try file.columns(), batchRows: 10_000)
        var got: [Value] = []
        while let batch = try reader.next() { got += (0..<batch.count).map { batch.columns[0].value(at: $0) } }
        XCTAssertEqual(got, expected)
    }

    func testStatisticsAndSummary() throws {
        let path = folder.appendingPathComponent("stats.parquet").path
        let writer = try ParquetWriter(path: path, columns: Self.columns, options: ParquetWriteOptions(rowGroupRows: 700))
        try writer.write(Self.batch(0..<2000))
        let summary = try writer.close()
        let rows = (0..<2000).map(Self.row)
        let file = try ParquetFile(path: path)
        let leaves = try file.columns()
        for (c, column) in Self.columns.enumerated() {
            let values = rows.map { $0[c] }.filter { !$0.isNull }
            let nulls = rows.count - values.count
            let s = summary.columns[c]
            XCTAssertEqual(s.name, column.name)
            XCTAssertEqual(s.nullCount, nulls, column.name)
            let sorted = values.sorted { Self.less($0, $1) }
            XCTAssertEqual(s.min, sorted.first, column.name)
            XCTAssertEqual(s.max, sorted.last, column.name)
            // The footer's statistics of each row group hold that group's extremes and NULL count.
            for (g, group) in file.metadata.rowGroups.enumerated() {
                let slice = rows[g * 700..<min(2000, (g + 1) * 700)].map { $0[c] }
                let present = slice.filter { !$0.isNull }.sorted { Self.less($0, $1) }
                let stats = group.columns[c].metaData?.statistics
                XCTAssertEqual(stats?.nullCount, Int64(slice.count - present.count))
                XCTAssertEqual(stats?.minValue.flatMap { leaves[c].statisticValue($0) }, present.first, "\(column.name) group \(g)")
                XCTAssertEqual(stats?.maxValue.flatMap { leaves[c].statisticValue($0) }, present.last, "\(column.name) group \(g)")
            }
        }
    }

    static func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.boolean(x), .boolean(y)): return !x && y
        case let (.integer(x), .integer(y)): return x < y
        case let (.bigint(x), .bigint(y)): return x < y
        case let (.double(x), .double(y)): return x < y
        case let (.date(x), .date(y)): return x < y
        case let (.timestamp(x), .timestamp(y)): return x < y
        case let (.decimal(x, _), .decimal(y, _)): return x < y
        case let (.varchar(x), .varchar(y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        default: return false
        }
    }

    func testAllNullAndEmptyFiles() throws {
        let path = folder.appendingPathComponent("nulls.parquet").path
        let writer = try ParquetWriter(path: path, columns: [("x", .bigint), ("s", .varchar)])
        try writer.write(Batch(columns: [Column.nulls(.bigint, count: 100), Column.nulls(.varchar, count: 100)]))
        let summary = try writer.close()
        XCTAssertEqual(summary.columns.map(\.nullCount), [100, 100])
        XCTAssertNil(summary.columns[0].min)
        XCTAssertEqual(try readAll(path), [[Value]](repeating: [.null, .null], count: 100))

        let empty = folder.appendingPathComponent("empty.parquet").path
        let w2 = try ParquetWriter(path: empty, columns: [("x", .bigint)])
        XCTAssertEqual(try w2.close().rowCount, 0)
        XCTAssertEqual(try ParquetFile(path: empty).columns().map(\.field.name), ["x"])
        XCTAssertEqual(try readAll(empty).count, 0)
    }

    func testDictionaryColumnsAndNaN() throws {
        let path = folder.appendingPathComponent("dict.parquet").path
        let writer = try ParquetWriter(path: path, columns: [("s", .varchar), ("d", .double)])
        let dictionary = StringArray(["x", "yy", "zzz"])
        let codes: [Int32] = (0..<50).map { Int32($0 % 3) }
        let doubles: [Double] = (0..<50).map { $0 == 10 ? .nan : Double($0) }
        var validity = [UInt8](repeating: 1, count: 50)
        validity[7] = 0
        try writer.write(Batch(columns: [Column(type: .varchar, data: .dictionary(codes: codes, dictionary: dictionary), validity: validity),
                                         Column(type: .double, data: .double(doubles))]))
        let summary = try writer.close()
        XCTAssertEqual(summary.columns[1].min, .double(0))
        XCTAssertEqual(summary.columns[1].max, .double(49))
        let rows = try readAll(path)
        XCTAssertEqual(rows[7][0], .null)
        XCTAssertEqual(rows[8][0], .varchar("zzz"))
        if case let .double(v) = rows[10][1] { XCTAssertTrue(v.isNaN) } else { XCTFail("NaN lost") }
    }

    func testAbandonLeavesNothingAndTargetUntouched() throws {
        let path = folder.appendingPathComponent("keep.parquet").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try ParquetWriter(path: path, columns: [("x", .bigint)])
        try writer.write(Batch(columns: [Column(type: .bigint, data: .int64([1, 2, 3]))]))
        // A batch of the wrong type fails, and the writer refuses to go on.
        XCTAssertThrowsError(try writer.write(Batch(columns: [Column(type: .varchar, data: .string(StringArray(["a"])))])))
        XCTAssertThrowsError(try writer.close())
        writer.abandon()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["keep.parquet"])
        XCTAssertThrowsError(try ParquetWriter(path: folder.appendingPathComponent("no/such/dir/x.parquet").path, columns: [("x", .bigint)]))
    }

    /// Damage to a file the writer made: each kind is an error naming the file (and row group and column when
    /// the damage is in a column chunk), never a crash, a hang or rows from a corrupt page.
    func testDamagedWrittenFilesGiveClearErrors() throws {
        let path = folder.appendingPathComponent("good.parquet").path
        let writer = try ParquetWriter(path: path, columns: Self.columns, options: ParquetWriteOptions(rowGroupRows: 1000))
        try writer.write(Self.batch(0..<2000))
        _ = try writer.close()
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func damaged(_ bytes: [UInt8], _ name: String) throws -> String {
            let p = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            do {
                _ = try readAll(p)
                XCTFail("\(name) read without an error")
                return ""
            } catch let e as TarnError {
                XCTAssertTrue(e.message.contains(name), "\(name): \(e.message)")
                return e.message
            }
        }
        _ = try damaged(Array(good[0..<good.count / 2]), "truncated.parquet")
        var magic = good
        magic[1] = UInt8(ascii: "X")
        XCTAssertTrue(try damaged(magic, "magic.parquet").contains("PAR1"))
        var beyond = good
        withUnsafeBytes(of: UInt32(good.count + 10).littleEndian) { for k in 0..<4 { beyond[good.count - 8 + k] = $0[k] } }
        XCTAssertTrue(try damaged(beyond, "beyond.parquet").contains("footer"))
        // A compressed page body damaged in the middle of the second row group's chunk of column 'big'.
        let file = try ParquetFile(path: path)
        guard let meta = file.metadata.rowGroups[1].columns[2].metaData else { return XCTFail("no metadata") }
        var page = good
        let middle = Int(meta.dataPageOffset) + Int(meta.totalCompressedSize) / 2
        for k in middle..<middle + 16 { page[k] ^= 0x5A }
        let message = try damaged(page, "page.parquet")
        XCTAssertTrue(message.contains("row group 1") && message.contains("column 'big'"), message)
        // A footer of a million nested structs.
        var deep = Array(good[0..<4])
        // An unknown field (id 100, a struct) whose value is a struct holding a struct holding … a million deep.
        let footer: [UInt8] = [0x0C, 0xC8, 0x01] + [UInt8](repeating: 0x1C, count: 1_000_000)
        deep += footer
        withUnsafeBytes(of: UInt32(footer.count).littleEndian) { deep += $0 }
        deep += Array("PAR1".utf8)
        XCTAssertTrue(try damaged(deep, "deep.parquet").contains("nested deeper"))
    }
}
