import XCTest
import Tarn
import SQL
@testable import repl

/// Tab completion knows where the cursor is and offers only names that exist.
final class CompletionTests: XCTestCase {
    private var folder = ""
    private var provider: CompletionProvider!

    override func setUpWithError() throws {
        folder = TarnProcess.temporaryDirectory("completion")
        let database = try Database.open(folder)
        let session = database.connect()
        try session.execute("""
            CREATE SCHEMA adtech_db;
            CREATE TABLE adtech_db.campaigns (campaign_id VARCHAR, country VARCHAR, spend DOUBLE);
            CREATE TABLE cities (city VARCHAR, country_code VARCHAR);
            CREATE VIEW busy (name) AS SELECT city FROM cities;
            """)
        provider = CompletionProvider(database: database, functions: session.functionNames)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testRelationsAfterFromJoinAndCommas() {
        XCTAssertEqual(provider.candidates(for: "ci", before: "SELECT * FROM "), ["cities"])
        let afterJoin = Set(provider.candidates(for: "", before: "SELECT * FROM cities c JOIN "))
        XCTAssertTrue(afterJoin.isSuperset(of: ["busy", "campaigns", "cities", "adtech_db.", "generate_series", "read_json"]), "\(afterJoin)")
        XCTAssertTrue(afterJoin.isDisjoint(with: ["WHERE", "SELECT", "count", "city"]), "\(afterJoin)")
        XCTAssertTrue(provider.candidates(for: "ca", before: "SELECT * FROM cities,\n  ").contains("campaigns"))
        XCTAssertEqual(provider.candidates(for: "adtech_db.ca", before: "SELECT * FROM "), ["adtech_db.campaigns"])
        XCTAssertTrue(provider.candidates(for: "read_c", before: "SELECT * FROM ").contains("read_csv"), "table functions after FROM")
        XCTAssertFalse(provider.candidates(for: "", before: "SELECT * FROM ").contains("SELECT"), "no keywords where a table goes")
    }

    func testColumnsOfTheTablesInScopeAndAfterAnAlias() {
        let afterWhere = provider.candidates(for: "cou", before: "SELECT * FROM adtech_db.campaigns x JOIN cities c ON true WHERE ")
        XCTAssertTrue(afterWhere.contains("country") && afterWhere.contains("country_code"), "\(afterWhere)")
        XCTAssertTrue(afterWhere.contains("count") && afterWhere.contains("count_if"), "functions too: \(afterWhere)")
        XCTAssertEqual(provider.candidates(for: "c.c", before: "SELECT * FROM adtech_db.campaigns x JOIN cities c WHERE "),
                       ["c.city", "c.country_code"])
        XCTAssertEqual(provider.candidates(for: "x.sp", before: "SELECT * FROM adtech_db.campaigns AS x WHERE "), ["x.spend"])
        XCTAssertFalse(provider.candidates(for: "cou", before: "SELECT ").contains("country"), "no table named yet: no columns")
    }

    func testDotCommandsAndNoNamesThatDoNotExist() {
        XCTAssertEqual(provider.candidates(for: ".max", before: ""), [".maxrows", ".maxwidth"])
        let session = try? Database.open(folder).connect()
        for name in provider.candidates(for: "", before: "SELECT ") where name.first?.isLowercase == true || name.contains("_") {
            // Every function offered resolves: calling it gives any error but "does not exist".
            guard !SQLKeywordsList.contains(name.uppercased()) else { continue }
            do { _ = try session?.execute("SELECT \(name)()") } catch {
                XCTAssertFalse("\(error)".contains("does not exist"), "\(name) is offered but does not exist")
            }
        }
        XCTAssertEqual(provider.candidates(for: "strf", before: "SELECT "), ["strftime"], "a function exists once it is registered")
        XCTAssertTrue(provider.candidates(for: "frobnicat", before: "SELECT ").isEmpty, "no such function, nothing offered")
    }

    private var SQLKeywordsList: Set<String> { Set(SQLKeywords.all) }
}
