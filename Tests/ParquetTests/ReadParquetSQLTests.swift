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

    /// Aggregations and joins read row groups on every worker (`ParquetScanOperator` as a morsel source): the same
    /// answers as one thread, row groups skipped by statistics still skipped, and a folder of several files.
    func testRowGroupsAreReadInParallelWithTheSameAnswers() throws {
        let folder = root + "/files/many"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for part in 0..<3 {
            try session.execute("""
                COPY (SELECT i, i % 7 AS k, CAST(i AS DOUBLE) / 3 AS x, 'g' || CAST(i % 5 AS VARCHAR) AS g
                      FROM range(\(part * 30_000), \((part + 1) * 30_000)) r(i))
                TO '\(folder)/part-\(part).parquet' (FORMAT parquet, ROW_GROUP_SIZE 4000)
                """)
        }
        let queries = [
            "SELECT k, count(*), sum(i), round(sum(x), 3), min(g), max(g) FROM read_parquet('\(folder)') GROUP BY k ORDER BY k",
            "SELECT count(*), sum(i) FROM read_parquet('\(folder)') WHERE i >= 85000 OR i < 10",
            "SELECT a.g, count(*) FROM read_parquet('\(folder)') a JOIN (SELECT DISTINCT k FROM read_parquet('\(folder)') WHERE k < 3) b ON a.k = b.k GROUP BY a.g ORDER BY a.g",
        ]
        try session.execute("SET threads = 1")
        let sequential = try queries.map(rows)
        try session.execute("SET threads = 2")
        XCTAssertEqual(try queries.map(rows), sequential)
        XCTAssertEqual(sequential[1], [["5010", "437497545"]])   // 85000 + … + 89999, and 0 + … + 9
        let plan = try rows("EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('\(folder)') WHERE i >= 85000").map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("row_groups_total=24") && plan.contains("row_groups_skipped=22"), plan)
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
        // An array of paths and globs: each file once, in the order given.
        XCTAssertEqual(try rows("SELECT string_agg(name, ',') FROM read_parquet(ARRAY['\(folder)/sub/p2.parquet', '\(folder)/*.parquet', '\(folder)/p1.parquet'])"),
                       [["y,x"]])
        XCTAssertThrowsError(try rows("SELECT * FROM read_parquet(ARRAY['\(folder)/p1.parquet', '\(folder)/none.parquet'])"))
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

    func testUnionByName() throws {
        try write(TestParquetFile.make(ids: [1, 2], names: ["a", nil]), "u1.parquet")
        try write(TestParquetFile.make(ids: [3], names: ["z"], nameColumn: "label"), "u2.parquet")
        let folder = root + "/files"
        // Without union_by_name the second file lacks `name`: an error naming it and the option.
        XCTAssertThrowsError(try rows("SELECT * FROM read_parquet('\(folder)')")) { error in
            XCTAssertTrue("\(error)".contains("u2.parquet") && "\(error)".contains("union_by_name"), "\(error)")
        }
        XCTAssertEqual(try rows("SELECT id, name, label FROM read_parquet('\(folder)', union_by_name => true) ORDER BY id"),
                       [["1", "a", "NULL"], ["2", "NULL", "NULL"], ["3", "NULL", "z"]])
        XCTAssertEqual(try rows("SELECT count(*), count(label) FROM read_parquet('\(folder)', union_by_name => true)"), [["3", "1"]])
        // The same name with another type is an error.
        try write(TestParquetFile.make(ids: [4], names: ["t"], idsAsTimestamps: true), "u3.parquet")
        XCTAssertThrowsError(try rows("SELECT * FROM read_parquet('\(folder)', union_by_name => true)")) { error in
            XCTAssertTrue("\(error)".contains("u3.parquet") && "\(error)".contains("'id'"), "\(error)")
        }
    }

    func testHivePartitioning() throws {
        let base = root + "/files/hive"
        for (country, day, ids) in [("US", "2024-05-20", [1, 2]), ("DE", "2024-05-20", [3]), ("DE", "2024-05-21", [4, 5, 6]),
                                    ("__HIVE_DEFAULT_PARTITION__", "2024-05-22", [7])] {
            let dir = "\(base)/country=\(country)/day=\(day)/n=\(ids.count)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(TestParquetFile.make(ids: ids.map(Int64.init), names: ids.map { "r\($0)" })).write(to: URL(fileURLWithPath: dir + "/part.parquet"))
        }
        // Partition columns come after the file's, typed from their values (VARCHAR, DATE, BIGINT).
        XCTAssertEqual(try rows("SELECT country, day, n, count(*), sum(id) FROM read_parquet('\(base)', hive_partitioning => true) GROUP BY country, day, n ORDER BY min(id)"), [
            ["US", "2024-05-20", "2", "2", "3"], ["DE", "2024-05-20", "1", "1", "3"], ["DE", "2024-05-21", "3", "3", "15"], ["NULL", "2024-05-22", "1", "1", "7"],
        ])
        XCTAssertEqual(try rows("SELECT sum(n) FROM read_parquet('\(base)/**/*.parquet', hive_partitioning => true) WHERE day >= DATE '2024-05-21'"), [["10"]])
        let plan = try rows("EXPLAIN SELECT day FROM read_parquet('\(base)', hive_partitioning => true)").map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("columns=[day]"), plan)
        // Files whose partition values rule out the filter are not opened; the rows are the same.
        XCTAssertEqual(try rows("SELECT sum(id) FROM read_parquet('\(base)', hive_partitioning => true) WHERE country = 'DE' AND n > 1"), [["15"]])
        let analyzed = try rows("EXPLAIN ANALYZE SELECT sum(id) FROM read_parquet('\(base)', hive_partitioning => true) WHERE country = 'DE' AND n > 1")
            .map { $0.joined() }.joined(separator: "\n")
        XCTAssertTrue(analyzed.contains("files_skipped=3"), analyzed)
        XCTAssertEqual(try rows("SELECT count(*) FROM read_parquet('\(base)', hive_partitioning => true) WHERE country IS NULL"), [["1"]])
        XCTAssertEqual(try rows("SELECT count(*) FROM read_parquet('\(base)', hive_partitioning => true) WHERE day < DATE '2024-05-21' OR n = 3"), [["6"]])
        XCTAssertEqual(try rows("SELECT * FROM read_parquet('\(base)') LIMIT 0").count, 0)
        XCTAssertThrowsError(try rows("SELECT country FROM read_parquet('\(base)')"))  // no partitions without the option
        XCTAssertEqual(ParquetScanPlan.inferType(["1", "-20"]), .bigint)
        XCTAssertEqual(ParquetScanPlan.inferType(["2024-01-31", "1999-12-01"]), .date)
        XCTAssertEqual(ParquetScanPlan.inferType(["2024-01-31", "7"]), .varchar)
        XCTAssertEqual(ParquetScanPlan.hivePairs("/a/k=v%20w/x=/=y/f.parquet").map { "\($0.0)=\($0.1 ?? "NULL")" }, ["k=v w", "x="])
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
