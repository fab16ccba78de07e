import XCTest
@testable import Parquet
import Storage

/// `ParquetNestedWriter` and `ParquetFile.leaves()` / `readLeaf` are mirrors: a struct with a map and a list, NULL
/// structs, empty and NULL-valued entries, written then read back level for level and value for value.
final class NestedLeafTests: XCTestCase {
    func testStructMapAndListRoundTrip() throws {
        let schema: [ParquetNode] = [
            .group(name: "s", repetition: .optional, annotation: .none, children: [
                .leaf(name: "id", repetition: .required, type: .bigint),
                .leaf(name: "note", repetition: .optional, type: .varchar),
                .group(name: "tags", repetition: .required, annotation: .map, children: [
                    .group(name: "key_value", repetition: .repeated, annotation: .none, children: [
                        .leaf(name: "key", repetition: .required, type: .varchar),
                        .leaf(name: "value", repetition: .optional, type: .varchar),
                    ]),
                ]),
                .group(name: "flags", repetition: .required, annotation: .list, children: [
                    .group(name: "list", repetition: .repeated, annotation: .none, children: [
                        .leaf(name: "element", repetition: .required, type: .boolean),
                    ]),
                ]),
            ]),
            .leaf(name: "n", repetition: .optional, type: .integer),
        ]
        // Rows: {id 1, note "a", tags {x: "1", y: NULL}, flags [true, false]}, NULL struct, {id 3, NULL note, {}, [true]}.
        let columns = [
            ParquetLeafValues(definitionLevels: [1, 0, 1], repetitionLevels: [0, 0, 0], values: [.bigint(1), .bigint(3)]),
            ParquetLeafValues(definitionLevels: [2, 0, 1], repetitionLevels: [0, 0, 0], values: [.varchar("a")]),
            ParquetLeafValues(definitionLevels: [2, 2, 0, 1], repetitionLevels: [0, 1, 0, 0], values: [.varchar("x"), .varchar("y")]),
            ParquetLeafValues(definitionLevels: [3, 2, 0, 1], repetitionLevels: [0, 1, 0, 0], values: [.varchar("1")]),
            ParquetLeafValues(definitionLevels: [2, 2, 0, 2], repetitionLevels: [0, 1, 0, 0], values: [.boolean(true), .boolean(false), .boolean(true)]),
            ParquetLeafValues(definitionLevels: [1, 1, 0], repetitionLevels: [0, 0, 0], values: [.integer(7), .integer(8)]),
        ]
        let path = NSTemporaryDirectory() + "/nested-\(UUID().uuidString).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParquetNestedWriter.write(path: path, schema: schema, rows: 3, columns: columns)

        let file = try ParquetFile(path: path)
        XCTAssertEqual(file.metadata.rowGroups.first?.numRows, 3)
        let leaves = try file.leaves()
        XCTAssertEqual(leaves.map(\.name), ["s.id", "s.note", "s.tags.key_value.key", "s.tags.key_value.value", "s.flags.list.element", "n"])
        XCTAssertEqual(leaves.map(\.column.maxDefinitionLevel), [1, 2, 2, 3, 2, 1])
        XCTAssertEqual(leaves.map(\.column.maxRepetitionLevel), [0, 0, 1, 1, 1, 0])
        for (leaf, expected) in zip(leaves, columns) {
            let read = try file.readLeaf(leaf, rowGroup: 0)
            XCTAssertEqual(read.definitionLevels, expected.definitionLevels, leaf.name)
            if leaf.column.maxRepetitionLevel > 0 { XCTAssertEqual(read.repetitionLevels, expected.repetitionLevels, leaf.name) }
            XCTAssertEqual((0..<read.values.count).map { read.values.value(at: $0) }, expected.values, leaf.name)
        }
        // A flat read of the nested file still refuses the struct, naming it.
        XCTAssertThrowsError(try file.columns()) { error in
            XCTAssertTrue("\(error)".contains("'s' is a STRUCT column"), "\(error)")
        }
    }
}
