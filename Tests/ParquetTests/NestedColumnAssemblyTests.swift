import XCTest
@testable import Parquet
import Storage

/// `ParquetNestedColumn` on the legacy 2-level LIST form pyarrow and DuckDB do not write (the repeated group is the
/// element, here a struct), with a NULL list, an empty list and a NULL field: offsets, NULLs and values as written.
final class NestedColumnAssemblyTests: XCTestCase {
    func testTwoLevelListOfStructs() throws {
        let schema: [ParquetNode] = [
            .group(name: "pts", repetition: .optional, annotation: .list, children: [
                .group(name: "array", repetition: .repeated, annotation: .none, children: [
                    .leaf(name: "x", repetition: .required, type: .bigint),
                    .leaf(name: "y", repetition: .optional, type: .varchar),
                ]),
            ]),
        ]
        // Rows: [{1, "a"}, {2, NULL}], NULL, [].
        let columns = [
            ParquetLeafValues(definitionLevels: [2, 2, 0, 1], repetitionLevels: [0, 1, 0, 0], values: [.bigint(1), .bigint(2)]),
            ParquetLeafValues(definitionLevels: [3, 2, 0, 1], repetitionLevels: [0, 1, 0, 0], values: [.varchar("a")]),
        ]
        let path = NSTemporaryDirectory() + "/two-level-\(UUID().uuidString).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParquetNestedWriter.write(path: path, schema: schema, rows: 3, columns: columns)

        let file = try ParquetFile(path: path)
        let nested = try file.nestedColumns()
        XCTAssertEqual(nested.map(\.name), ["pts"])
        let column = try XCTUnwrap(try? nested[0].column.get())
        XCTAssertEqual(column.field.type, .array(.row([RowField(name: "x", type: .bigint), RowField(name: "y", type: .varchar)])))
        let (values, _) = try column.read(file, rowGroup: 0, rows: 3)
        XCTAssertEqual(values.count, 3)
        XCTAssertEqual((0..<3).map { values.isNull($0) }, [false, true, false])
        guard case let .list(offsets, child) = values.data, case let .fields(fields) = child.data else { return XCTFail("\(values.data)") }
        XCTAssertEqual(offsets, [0, 2, 2, 2])
        XCTAssertEqual((0..<2).map { fields[0].value(at: $0) }, [.bigint(1), .bigint(2)])
        XCTAssertEqual((0..<2).map { fields[1].value(at: $0) }, [.varchar("a"), .null])
    }
}
