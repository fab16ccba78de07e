import XCTest
import Foundation
@testable import Tarn
import Storage

/// `read_parquet`, `parquet_schema` and `parquet_metadata` through SQL, on hand-built files.
final class ReadParquetSQLTests: XCTestCase {
    var root: String!
    var session: Session!

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "tarn-parquet-sql-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root + "/files/sub", withIntermediateDirectories: true)
        session = try Database.open(root + "/lake").connect()
    }

    override func tearDownWithError() throws {
        session = nil
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ bytes: [UInt8], _ relative: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/files/" + relative))
    }

    private func rows(_ sql: String) throws -> [[String]] { try session.query(sql).map { $0.map(\.description) } }

    func testSelectFilterAndGroupByDictionaryStrings() throws {
        let names: [String?] = (0..<40).map { $0 % 4 == 0 ? nil : ["red", "green", "blue"][$0 % 3] }
        try write(TestParquetFile.make(ids: (0..<40).map { Int64($0) }, names: names, dictionaryNames: true), "a.parquet")
        let path = root + "/files/a.parquet"
        XCTAssertEqual(try rows("SELECT count(*), count(name), sum(id) FROM read_parquet('\(path)')"), [["40", "30", "780"]])
        XCTAssertEqual(try rows("SELECT name, count(*) FROM read_parquet('\(path)') WHERE id >= 20 GROUP BY name ORDER BY name NULLS FIRST"),
                       [["NULL", "5"], ["blue", "5"], ["green", "5"], ["red", "5"]])
        XCTAssertEqual(try rows("SELECT id, name FROM read_parquet('\(path)', batch_rows => 7) WHERE id IN (0, 1, 38) ORDER BY id"),
                       [["0", "NULL"], ["1", "green"], ["38", "blue"]])
    }

    func testOnlyTheColumnsAQueryUsesAreRead() throws {
        try write(TestParquetFile.make(ids: [1, 2, 3], names: ["a", nil, "c"]), "p.parquet")
        let path = root + "/files/p.parquet"
        let plan = try rows("EXPLAIN SELECT sum(id) FROM read_parquet('\(path)') WHERE id > 1").map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("ParquetScan files=1 columns=[id]"), plan)
        let none = try rows("EXPLAIN SELECT count(*) FROM read_parquet('\(path)')").map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(none.contains("columns=[]"), none)
        XCTAssertEqual(try rows("SELECT count(*) FROM read_parquet('\(path)')"), [["3"]])
        XCTAssertEqual(try rows("SELECT name FROM read_parquet('\(path)') WHERE name IS NOT NULL ORDER BY name"), [["a"], ["c"]])
        // A damaged chunk of a column the query does not read does not matter; one it reads does.
        var bytes = TestParquetFile.make(ids: [1, 2, 3], names: ["a", nil, "c"])
        bytes[5] ^= 0x7F  // inside the first page header (the `id` chunk)
        try write(bytes, "half.parquet")
        let half = root + "/files/half.parquet"
        XCTAssertEqual(try rows("SELECT count(name) FROM read_parquet('\(half)')"), [["2"]])
        XCTAssertThrowsError(try rows("SELECT sum(id) FROM read_parquet('\(half)')")) { error in
            XCTAssertTrue("\(error)".contains("column 'id'"), "\(error)")
        }
    }

    func testFoldersGlobsAndSchemaMismatch() throws {
        try write(TestParquetFile.make(ids: [1, 2], names: ["x", nil]), "p1.parquet")
        try write(TestParquetFile.make(ids: [3], names: ["y"], dictionaryNames: true), "sub/p2.parquet")
        try Data("not parquet".utf8).write(to: URL(fileURLWithPath: root + "/files/notes.txt"))
        let folder = root + "/files"
        XCTAssertEqual(try rows("SELECT count(*), sum(id), string_agg(name, ',' ORDER BY id) FROM read_parquet('\(folder)')"), [["3", "6", "x,y"]])
        XCTAssertEqual(try rows("SELECT count(*) FROM read_parquet('\(folder)/**/*.parquet')"), [["3"]])
        XCTAssertThrowsError(try rows("SELECT * FROM read_parquet('\(folder)/nothing*.parquet')"))
        // A third file of the same schema joins in; one whose column has another Tarn type is an error naming it.
        try write(TestParquetFile.make(ids: [4], names: ["w"]), "sub/p3.parquet")
        XCTAssertEqual(try rows("SELECT count(*) FROM read_parquet('\(folder)')"), [["4"]])
        try write(TestParquetFile.make(ids: [5], names: ["v"], idsAsTimestamps: true), "sub/p4.parquet")
        XCTAssertEqual(try rows("SELECT max(id) FROM read_parquet('\(folder)/sub/p4.parquet')"), [["1970-01-01 00:00:00.005"]])
        XCTAssertThrowsError(try rows("SELECT count(*) FROM read_parquet('\(folder)')")) { error in
            XCTAssertTrue("\(error)".contains("p4.parquet") && "\(error)".contains("'id' is TIMESTAMP"), "\(error)")
        }
        try FileManager.default.removeItem(atPath: folder + "/sub/p4.parquet")
        try Data("PAR1 but not really".utf8).write(to: URL(fileURLWithPath: root + "/files/sub/p5.parquet"))
        XCTAssertThrowsError(try rows("SELECT count(*) FROM read_parquet('\(folder)')")) { error in
            XCTAssertTrue("\(error)".contains("p5.parquet"), "\(error)")
        }
    }

    func testSchemaAndMetadataFunctions() throws {
        try write(TestParquetFile.make(ids: [1, 2, 3], names: ["a", nil, "c"], dictionaryNames: true), "m.parquet")
        let path = root + "/files/m.parquet"
        XCTAssertEqual(try rows("SELECT name, type, repetition_type, converted_type, tarn_type FROM parquet_schema('\(path)')"), [
            ["schema", "NULL", "NULL", "NULL", "NULL"],
            ["id", "INT64", "REQUIRED", "NULL", "BIGINT"],
            ["name", "BYTE_ARRAY", "OPTIONAL", "UTF8", "VARCHAR"],
        ])
        XCTAssertEqual(try rows("SELECT row_group_id, column_id, path_in_schema, num_values, compression, dictionary_page_offset IS NOT NULL FROM parquet_metadata('\(path)') ORDER BY column_id"), [
            ["0", "0", "id", "3", "UNCOMPRESSED", "false"],
            ["0", "1", "name", "3", "UNCOMPRESSED", "true"],
        ])
    }

    func testDamagedFileErrorsNameTheFile() throws {
        var bytes = TestParquetFile.make(ids: [1, 2, 3], names: ["a", "b", "c"])
        bytes.removeLast(3)
        try write(bytes, "cut.parquet")
        XCTAssertThrowsError(try rows("SELECT * FROM read_parquet('\(root!)/files/cut.parquet')")) { error in
            XCTAssertEqual((error as? TarnError)?.kind, .corruption)
            XCTAssertTrue("\(error)".contains("cut.parquet"), "\(error)")
        }
    }
}
