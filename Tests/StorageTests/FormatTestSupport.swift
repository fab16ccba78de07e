import Foundation
import XCTest
@testable import Storage

/// Helpers shared by the data file format tests.
enum FormatTestSupport {
    static func temporaryPath(_ name: String = "file") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tarn-format-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("\(name)-\(UUID().uuidString).tarn").path
    }

    static func column(_ type: DataType, _ values: [Value]) -> Column {
        var builder = ColumnBuilder(type: type, capacity: values.count)
        for v in values { builder.append(v) }
        return builder.finish()
    }

    @discardableResult
    static func write(_ schema: Schema, _ batches: [Batch], path: String, options: WriterOptions = WriterOptions()) throws -> DataFileSummary {
        let writer = try DataFileWriter(path: path, schema: schema, options: options)
        for b in batches { try writer.append(b) }
        return try writer.finish()
    }

    /// Values equal, treating NaN as equal to NaN and distinguishing -0.0 from 0.0.
    static func same(_ a: Value, _ b: Value) -> Bool {
        if case let .double(x) = a, case let .double(y) = b { return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN) }
        return a == b
    }

    /// All rows of a column read back from every row group, in order.
    static func readAll(_ reader: DataFileReader, column: Int) throws -> [Value] {
        var out: [Value] = []
        for g in 0 ..< reader.rowGroups.count {
            let c = try reader.readColumn(rowGroup: g, column: column)
            XCTAssertEqual(c.count, reader.rowGroups[g].rowCount)
            for i in 0 ..< c.count { out.append(c.value(at: i)) }
        }
        return out
    }

    static func assertRoundTrip(_ type: DataType, _ values: [Value], rowGroupSize: Int = 122_880,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let path = temporaryPath()
        defer { unlink(path) }
        var options = WriterOptions()
        options.rowGroupSize = rowGroupSize
        let schema = Schema([Field(name: "c", type: type)])
        try write(schema, [Batch(columns: [column(type, values)])], path: path, options: options)
        let reader = try DataFileReader(path: path)
        XCTAssertEqual(reader.schema, schema, file: file, line: line)
        let back = try readAll(reader, column: 0)
        XCTAssertEqual(back.count, values.count, file: file, line: line)
        for (i, (a, b)) in zip(values, back).enumerated() where !same(a, b) {
            XCTFail("row \(i): wrote \(a), read \(b)", file: file, line: line)
            return
        }
    }
}
