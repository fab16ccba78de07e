import Foundation
import XCTest
@testable import Storage

/// ADD / DROP / RENAME COLUMN without rewriting data; old versions keep their schema.
final class LakeSchemaEvolutionTests: XCTestCase {
    func testAddColumnReadsNullFromOlderFiles() throws {
        let (lake, path) = try LakeTestSupport.temporaryLake("evolve")
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        let w = try lake.beginWrite(t)
        try w.append(LakeTestSupport.peopleBatch(0..<3))
        try w.commit(operation: "WRITE")
        let filesBefore = LakeTestSupport.dataFilesOnDisk(path)

        let info = try lake.addColumn(t, field: Field(name: "city", type: .varchar))
        XCTAssertEqual(info.version, 2)
        XCTAssertEqual(info.operation, "ADD COLUMNS")
        XCTAssertEqual(info.filesAdded, 0)
        XCTAssertEqual(LakeTestSupport.dataFilesOnDisk(path), filesBefore, "no data rewritten")

        let snapshot = try lake.snapshot(of: t)
        XCTAssertEqual(snapshot.schema.names, ["id", "name", "score", "city"])
        XCTAssertEqual(snapshot.columnIds, [1, 2, 3, 4])
        let morsel = try XCTUnwrap(try snapshot.morsels(matching: []).first)
        let batch = try snapshot.read(morsel, columns: [3, 0])
        XCTAssertEqual(batch.columns[0].type, .varchar)
        XCTAssertEqual(batch.columns[0].nullCount, 3)
        // Statistics know the old file has no `city`: IS NULL keeps it, = 'x' skips it.
        XCTAssertEqual(try snapshot.morsels(matching: [ColumnPredicate(column: 3, comparison: .isNull)]).count, 1)
        XCTAssertEqual(try snapshot.morsels(matching: [ColumnPredicate(column: 3, comparison: .equal, value: .varchar("x"))]).count, 0)

        // New rows carry the new column.
        let w2 = try lake.beginWrite(t)
        try w2.append(LakeTestSupport.peopleBatch(10..<11).withExtraColumn(.varchar("Oslo")))
        try w2.commit(operation: "WRITE")
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t)),
                       ["0|NULL|0.0|NULL", "10|NULL|5.0|Oslo", "1|p1|0.5|NULL", "2|p2|1.0|NULL"])

        // Old versions show the old schema.
        XCTAssertEqual(try lake.snapshot(of: t, at: .version(1)).schema, LakeTestSupport.peopleSchema)
        XCTAssertThrowsError(try lake.addColumn(t, field: Field(name: "CITY", type: .integer)))
        XCTAssertThrowsError(try lake.addColumn(t, field: Field(name: "required", type: .integer, nullable: false)))
    }

    func testDropAndRenameColumns() throws {
        let (lake, _) = try LakeTestSupport.temporaryLake("evolve")
        let t = TableName(name: "t")
        try lake.createTable(t, schema: LakeTestSupport.peopleSchema)
        let w = try lake.beginWrite(t)
        try w.append(LakeTestSupport.peopleBatch(1..<3))
        try w.commit(operation: "WRITE")

        try lake.renameColumn(t, from: "score", to: "points")
        try lake.dropColumn(t, column: "name")
        let snapshot = try lake.snapshot(of: t)
        XCTAssertEqual(snapshot.schema.names, ["id", "points"])
        XCTAssertEqual(snapshot.columnIds, [1, 3])
        XCTAssertEqual(try LakeTestSupport.rows(snapshot), ["1|0.5", "2|1.0"])
        // Re-adding a dropped name gets a new id: the old data does not come back.
        try lake.addColumn(t, field: Field(name: "name", type: .varchar))
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t)), ["1|0.5|NULL", "2|1.0|NULL"])
        XCTAssertEqual(try lake.snapshot(of: t).columnIds, [1, 3, 4])
        XCTAssertEqual(try lake.history(of: t).prefix(3).map(\.operation), ["ADD COLUMNS", "DROP COLUMNS", "RENAME COLUMN"])
        XCTAssertThrowsError(try lake.dropColumn(t, column: "nope")) {
            XCTAssertEqual(($0 as? TarnError)?.message, "column 'nope' does not exist in table 't'")
        }
        XCTAssertThrowsError(try lake.renameColumn(t, from: "pionts", to: "x")) {
            XCTAssertEqual(($0 as? TarnError)?.message, "column 'pionts' does not exist in table 't' (did you mean 'points'?)")
        }
        XCTAssertThrowsError(try lake.renameColumn(t, from: "points", to: "ID"))
        // Restoring an old version brings its schema back.
        try lake.restore(t, to: .version(1))
        XCTAssertEqual(try lake.snapshot(of: t).schema, LakeTestSupport.peopleSchema)
        XCTAssertEqual(try LakeTestSupport.rows(lake.snapshot(of: t)), ["1|p1|0.5", "2|p2|1.0"])
    }
}

extension Batch {
    func withExtraColumn(_ value: Value) -> Batch {
        Batch(columns: columns + [Column.constant(value, type: value.dataType, count: count)], count: count)
    }
}
