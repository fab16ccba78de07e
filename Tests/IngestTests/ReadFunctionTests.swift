import Foundation
import XCTest
@testable import Tarn
import Storage
import Transforms

/// read_json / read_csv / sqlite_scan / generate_campaigns as table functions.
final class ReadFunctionTests: XCTestCase {
    func testReadJSONInfersTypesFromNDJSONArrayAndPrettyFiles() throws {
        let f = try IngestFixture()
        try f.write("a/one.json", campaignLines(0..<5))
        try f.write("b/two.json", #"[{"campaign_id":"x","ad_id":"y","date":"2024-02-01","impressions":7,"clicks":1,"spend":2}]"#)
        try f.write("b/three.json", "{\n  \"campaign_id\": \"p\",\n  \"impressions\": 9,\n  \"spend\": 275.50\n}\n")
        let result = try f.run("SELECT * FROM read_json('\(f.rawPath)/**/*.json')").last
        XCTAssertEqual(result?.columns.map(\.name), ["campaign_id", "ad_id", "date", "impressions", "clicks", "spend"])
        XCTAssertEqual(result?.columns.map(\.type), [.varchar, .varchar, .date, .bigint, .bigint, .double])
        XCTAssertEqual(result?.rowCount, 7)
        XCTAssertEqual(try f.scalar("SELECT sum(impressions) FROM read_json('\(f.rawPath)/**/*.json')"), String(5 * 1000 + 10 + 7 + 9))
        XCTAssertEqual(try f.scalar("SELECT spend FROM read_json('\(f.rawPath)/**/*.json') WHERE campaign_id = 'p'"), "275.5")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM read_json('\(f.rawPath)/**/*.json') WHERE ad_id IS NULL"), "1")
    }

    func testNestedObjectsFlattenAndStringsKeepEscapes() throws {
        let f = try IngestFixture()
        try f.write("n.json", #"{"id":1,"geo":{"city":"Paris","zip":"75001"},"tags":[1,2],"note":"a \"q\"\nb \u00e9"}"# + "\n")
        let rows = try f.rows("SELECT id, \"geo.city\", \"geo.zip\", tags, note FROM read_json('\(f.rawPath)/n.json')")
        XCTAssertEqual(rows, [["1", "Paris", "75001", "[1,2]", "a \"q\"\nb é"]])
    }

    func testReadJSONFailsWithFileAndLineUnlessIgnoringErrors() throws {
        let f = try IngestFixture()
        try f.write("bad.json", "{\"a\":1}\n{\"a\":2\n{\"a\":3}\n")
        let path = f.rawPath + "/bad.json"
        XCTAssertThrowsError(try f.run("SELECT * FROM read_json('\(path)', columns => 'a BIGINT')")) { error in
            XCTAssertTrue("\(error)".contains("bad.json line 2"), "\(error)")
        }
        XCTAssertEqual(try f.scalar("SELECT sum(a) FROM read_json('\(path)', columns => 'a BIGINT', ignore_errors => true)"), "4")
    }

    func testReadCSVInfersTypesAndHandlesQuotes() throws {
        let f = try IngestFixture()
        try f.write("s.csv", "id,name,price,ok,day,at,zip\n1,\"Smith, J\",2.5,true,2024-01-02,2024-01-02 10:11:12,02134\n2,\"say \"\"hi\"\"\nthere\",,false,2024-01-03,2024-01-03T00:00:00,90001\n")
        let result = try f.run("SELECT * FROM read_csv('\(f.rawPath)/s.csv')").last
        XCTAssertEqual(result?.columns.map(\.type), [.bigint, .varchar, .double, .boolean, .date, .timestamp, .varchar])
        XCTAssertEqual(result?.rows.map { $0.map(\.description) }, [
            ["1", "Smith, J", "2.5", "true", "2024-01-02", "2024-01-02 10:11:12", "02134"],
            ["2", "say \"hi\"\nthere", "NULL", "false", "2024-01-03", "2024-01-03 00:00:00", "90001"],
        ])
        let typed = try f.run("SELECT * FROM read_csv('\(f.rawPath)/s.csv', columns => 'id VARCHAR, name VARCHAR, price DOUBLE, ok BOOLEAN, day VARCHAR, at VARCHAR, zip BIGINT')").last
        XCTAssertEqual(typed?.columns.map(\.type), [.varchar, .varchar, .double, .boolean, .varchar, .varchar, .bigint])
        try f.write("t.tsv", "a\tb\n1\tx\n")
        XCTAssertEqual(try f.rows("SELECT * FROM read_csv('\(f.rawPath)/t.tsv', delim => '\t')"), [["1", "x"]])
        try f.write("h.csv", "1;x\n2;y\n")
        XCTAssertEqual(try f.rows("SELECT column0, column1 FROM read_csv('\(f.rawPath)/h.csv', header => false, delim => ';')"), [["1", "x"], ["2", "y"]])
    }

    func testSQLiteScanAndAttach() throws {
        let f = try IngestFixture()
        let dbPath = f.root + "/ops.db"
        let db = try CatalogDatabase(path: dbPath)
        try db.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, amount REAL, placed DATE, paid BOOLEAN)")
        try db.execute("INSERT INTO orders VALUES (1, 'ann', 10.5, '2024-01-01', 1), (2, 'bob', NULL, '2024-01-02', 0), (3, NULL, 3, NULL, NULL)")
        XCTAssertEqual(try f.rows("SELECT id, customer, amount, placed, paid FROM sqlite_scan('\(dbPath)', 'orders') ORDER BY id"), [
            ["1", "ann", "10.5", "2024-01-01", "true"], ["2", "bob", "NULL", "2024-01-02", "false"], ["3", "NULL", "3.0", "NULL", "NULL"],
        ])
        try f.run("ATTACH '\(dbPath)' AS ops (TYPE sqlite)")
        XCTAssertEqual(try f.scalar("SELECT sum(amount) FROM ops.orders WHERE customer IS NOT NULL"), "10.5")
        try f.run("CREATE TABLE orders_copy AS SELECT * FROM ops.orders")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM orders_copy"), "3")
        XCTAssertThrowsError(try f.run("SELECT * FROM ops.missing"))
        try f.run("DETACH ops")
        XCTAssertThrowsError(try f.run("SELECT * FROM ops.orders"))
    }

    func testGenerateCampaignsMatchesTheGenerator() throws {
        let f = try IngestFixture()
        let result = try f.run("SELECT * FROM generate_campaigns(1000, seed => 7)").last
        XCTAssertEqual(result?.rowCount, 1000)
        XCTAssertEqual(result?.columns.count, CampaignGenerator.schema.count)
        XCTAssertEqual(try f.scalar("SELECT count(DISTINCT channel) FROM generate_campaigns(5000, seed => 7)"), "7")
        XCTAssertEqual(try f.scalar("SELECT count(*) FROM generate_campaigns(500, seed => 7, clean => false) WHERE spend IS NULL OR clicks > impressions OR conversions > clicks") != "0", true)
        XCTAssertEqual(try f.rows("SELECT sum(impressions) FROM generate_campaigns(1000, seed => 7)"),
                       try f.rows("SELECT sum(impressions) FROM generate_campaigns(1000, seed => 7)"))
    }
}
