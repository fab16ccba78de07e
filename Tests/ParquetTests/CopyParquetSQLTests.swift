import XCTest
import Foundation
@testable import Tarn
import Storage

/// `COPY … TO` Parquet (single files and PARTITION_BY folders) and `COPY INTO … FORMAT parquet` through SQL, read
/// back with `read_parquet`; the option errors; a file with a nested column read for its flat columns.
final class CopyParquetSQLTests: XCTestCase {
    var root: String!
    var session: Session!

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "tarn-copy-parquet-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        session = try Database.open(root + "/lake").connect()
        try session.execute("""
            CREATE TABLE src AS SELECT i AS id, CASE WHEN i % 4 = 0 THEN NULL ELSE 'c' || (i % 3) END AS country,
                   DATE '2024-05-20' + (i % 2) AS day, CAST(i AS DOUBLE) / 2 AS spend FROM generate_series(1, 1000) t(i)
            """)
    }

    override func tearDownWithError() throws {
        session = nil
        try? FileManager.default.removeItem(atPath: root)
    }

    private func rows(_ sql: String) throws -> [[String]] { try session.query(sql).map { $0.map(\.description) } }

    func testCopyToParquetRoundTrips() throws {
        let path = root + "/out/src.parquet"
        try session.execute("COPY src TO '\(path)'")   // the format from the extension
        let query = "SELECT count(*), count(country), sum(id), min(day), max(spend)"
        XCTAssertEqual(try rows("\(query) FROM read_parquet('\(path)')"), try rows("\(query) FROM src"))
        for codec in ["snappy", "gzip", "uncompressed", "zstd"] {
            try session.execute("COPY (SELECT * FROM src WHERE id <= 500) TO '\(path)' (FORMAT parquet, COMPRESSION \(codec), ROW_GROUP_SIZE 64)")
            XCTAssertEqual(try rows("SELECT count(*), sum(id) FROM read_parquet('\(path)')"), [["500", "125250"]], codec)
            XCTAssertEqual(try rows("SELECT DISTINCT compression FROM parquet_metadata('\(path)')"), [[codec.uppercased()]])
            XCTAssertEqual(try rows("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('\(path)')"), [["8"]])
        }
        XCTAssertThrowsError(try session.execute("COPY src TO '\(path)' (FORMAT parquet, COMPRESSION lzo)")) {
            XCTAssertTrue("\($0)".contains("lzo"), "\($0)")
        }
        XCTAssertThrowsError(try session.execute("COPY src TO '\(path)' (FORMAT parquet, HEADER true)"))
        XCTAssertThrowsError(try session.execute("COPY src TO '\(root!)/out/x.csv' (PARTITION_BY (country))"))
        XCTAssertThrowsError(try session.execute("COPY src TO '\(root!)/missing/x.parquet'")) { XCTAssertTrue("\($0)".contains("does not exist"), "\($0)") }
        // A failing query leaves the previous file as it was and no temporary file.
        XCTAssertThrowsError(try session.execute("COPY (SELECT 1 / (id - id) AS boom FROM src) TO '\(path)'"))
        XCTAssertEqual(try rows("SELECT count(*) FROM read_parquet('\(path)')"), [["500"]])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/out").filter { $0.hasPrefix(".") }, [])
    }

    func testPartitionByWritesHiveFolders() throws {
        let folder = root + "/out/parts"
        try session.execute("COPY src TO '\(folder)' (FORMAT parquet, PARTITION_BY (country, day))")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".parquet") }.sorted()
        XCTAssertEqual(files.count, 7)  // 3 countries × 2 days, and NULL (rows with i % 4 = 0, all even) × 1 day
        XCTAssertTrue(files.contains("country=__HIVE_DEFAULT_PARTITION__/day=2024-05-20/data_0.parquet"), "\(files)")
        XCTAssertEqual(try rows("SELECT name FROM parquet_schema('\(folder)/country=c1/day=2024-05-21/data_0.parquet') ORDER BY name"),
                       [["id"], ["schema"], ["spend"]])
        let back = "SELECT country, day, count(*), sum(id) FROM read_parquet('\(folder)', hive_partitioning => true) GROUP BY country, day ORDER BY country, day"
        XCTAssertEqual(try rows(back), try rows("SELECT country, day, count(*), sum(id) FROM src GROUP BY country, day ORDER BY country, day"))
        XCTAssertThrowsError(try session.execute("COPY src TO '\(folder)' (FORMAT parquet, PARTITION_BY (country))")) {
            XCTAssertTrue("\($0)".contains("OVERWRITE_OR_IGNORE"), "\($0)")
        }
        XCTAssertThrowsError(try session.execute("COPY src TO '\(folder)' (FORMAT parquet, PARTITION_BY (nope), OVERWRITE)")) {
            XCTAssertTrue("\($0)".contains("nope"), "\($0)")
        }
        try session.execute("COPY (SELECT * FROM src WHERE id > 990) TO '\(folder)' (FORMAT parquet, PARTITION_BY (day), OVERWRITE)")
        XCTAssertEqual(try rows("SELECT count(*) FROM read_parquet('\(folder)', hive_partitioning => true)"), [["10"]])
        XCTAssertEqual(HivePartitionedParquetWriter.escape("a/b=c%"), "a%2Fb%3Dc%25")
        XCTAssertEqual(HivePartitionedParquetWriter.escape(".."), "%2E%2E")
    }

    func testCopyIntoFromParquetFilesExactlyOnce() throws {
        try FileManager.default.createDirectory(atPath: root + "/landing", withIntermediateDirectories: true)
        try session.execute("COPY (SELECT id, country FROM src WHERE id <= 600) TO '\(root!)/landing/a.parquet'")
        try session.execute("COPY (SELECT CAST(id AS INTEGER) AS id, spend FROM src WHERE id > 600) TO '\(root!)/landing/b.parquet'")
        try session.execute("CREATE TABLE t (id BIGINT, country VARCHAR)")
        XCTAssertThrowsError(try session.execute("COPY INTO t FROM '\(root!)/landing' FORMAT parquet")) {
            XCTAssertTrue("\($0)".contains("spend") && "\($0)".contains("MERGE SCHEMA"), "\($0)")
        }
        XCTAssertEqual(try rows("SELECT count(*) FROM t"), [["0"]])
        XCTAssertEqual(try rows("COPY INTO t FROM '\(root!)/landing' FORMAT parquet MERGE SCHEMA").first?.prefix(2).map { $0 }, ["2", "1000"])
        XCTAssertEqual(try rows("SELECT count(*), sum(id), count(country), sum(spend) FROM t"),
                       try rows("SELECT count(*), sum(id), sum(CASE WHEN id <= 600 THEN 1 ELSE 0 END) - sum(CASE WHEN id <= 600 AND country IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN id > 600 THEN spend END) FROM src"))
        let again = try rows("COPY INTO t FROM '\(root!)/landing' FORMAT parquet")
        XCTAssertEqual(again.first?.prefix(4).map { $0 }, ["0", "0", "0", "2"])
        // A table that does not exist is created from the footers.
        XCTAssertEqual(try rows("COPY INTO fresh FROM '\(root!)/landing' FORMAT parquet").first?.prefix(2).map { $0 }, ["2", "1000"])
        XCTAssertEqual(try rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'fresh' ORDER BY ordinal_position"),
                       [["id", "BIGINT"], ["country", "VARCHAR"], ["spend", "DOUBLE"]])
    }
}
