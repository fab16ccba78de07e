import XCTest
@testable import Parquet
import Storage

/// Dremel assembly with two repetition levels: a `list<list<int64>>` written from hand-computed levels reads back
/// with NULL and empty lists apart at both depths and NULL elements kept; levels continuing an empty list are corrupt.
final class NestedListAssemblyTests: XCTestCase {
    private let schema: [ParquetNode] = [
        .group(name: "ll", repetition: .optional, annotation: .list, children: [
            .group(name: "list", repetition: .repeated, annotation: .none, children: [
                .group(name: "element", repetition: .optional, annotation: .list, children: [
                    .group(name: "list", repetition: .repeated, annotation: .none, children: [
                        .leaf(name: "element", repetition: .optional, type: .bigint),
                    ]),
                ]),
            ]),
        ]),
    ]

    private func read(_ levels: ParquetLeafValues, rows: Int) throws -> [Value] {
        let path = NSTemporaryDirectory() + "/lists-\(UUID().uuidString).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParquetNestedWriter.write(path: path, schema: schema, rows: rows, columns: [levels])
        let file = try ParquetFile(path: path)
        let nested = try file.nestedColumns()
        XCTAssertEqual(nested.map(\.name), ["ll"])
        let column = try XCTUnwrap(try nested.first?.column.get())
        XCTAssertEqual(column.field.type, .array(.array(.bigint)))
        let (values, _) = try column.read(file, rowGroup: 0, rows: rows)
        return (0..<values.count).map { values.value(at: $0) }
    }

    func testListOfListsKeepsNullAndEmptyAtEachDepth() throws {
        // Rows: [[1, NULL], [], NULL], NULL, [], [[2], [3, 4]].
        let levels = ParquetLeafValues(definitionLevels: [5, 4, 3, 2, 0, 1, 5, 5, 5], repetitionLevels: [0, 2, 1, 1, 0, 0, 0, 1, 2],
                                       values: [.bigint(1), .bigint(2), .bigint(3), .bigint(4)])
        func list(_ v: [Value?]) -> Value { .array(v.map { $0 ?? .null }, element: .bigint) }
        let outer = { (v: [Value]) in Value.array(v, element: .array(.bigint)) }
        XCTAssertEqual(try read(levels, rows: 4), [
            outer([list([.bigint(1), nil]), list([]), .null]),
            .null,
            outer([]),
            outer([list([.bigint(2)]), list([.bigint(3), .bigint(4)])]),
        ])
    }

    func testEntryContinuingAnEmptyListIsCorrupt() throws {
        // Row 0 is an empty outer list, then an entry claims to add an element to it.
        let levels = ParquetLeafValues(definitionLevels: [1, 5], repetitionLevels: [0, 1], values: [.bigint(1)])
        XCTAssertThrowsError(try read(levels, rows: 1)) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .corruption, "\(error)")
            XCTAssertTrue("\(error)".contains("column 'll'"), "\(error)")
        }
    }
}
