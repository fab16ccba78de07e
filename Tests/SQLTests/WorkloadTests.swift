import XCTest
import Storage
@testable import SQL

final class WorkloadTests: XCTestCase {
    func testFixedViewsParse() throws {
        let parsed = try Parser.parse(try workloadFile("athena_views_fixed.sql"))
        XCTAssertEqual(parsed.count, 3)
        var names: [String] = []
        for statement in parsed {
            guard case .createView(let view) = statement.statement else { return XCTFail("not a view") }
            XCTAssertTrue(view.orReplace)
            names.append(view.name.description)
            XCTAssertTrue(view.queryText.hasPrefix("SELECT\ncampaign_id") || view.queryText.hasPrefix("SELECT\nad_id"))
            XCTAssertTrue(view.queryText.hasSuffix("date") || view.queryText.hasSuffix("campaign_id"), view.queryText)
            XCTAssertTrue(statement.text.hasPrefix("CREATE OR REPLACE VIEW \""))
            // The stored text re-parses to the same tree.
            XCTAssertEqual(ASTPrinter.print(try Parser.parseQuery(view.queryText)), ASTPrinter.print(view.query))
        }
        XCTAssertEqual(names, ["campaign_summary", "campaign_performance", "creative_performance"])
        guard case .createView(let summary) = parsed[0].statement, case .select(let select) = summary.query.body else { return XCTFail() }
        XCTAssertEqual(select.items.count, 9)
        XCTAssertEqual(ASTPrinter.print(select.items[5]),
                       "(as (CASE (WHEN (> (SUM impressions) 0) (/ (* (SUM clicks) 1E0) (SUM impressions))) (ELSE 0)) ctr)")
        XCTAssertEqual(ASTPrinter.print(select.items[1]), "(as (SUM impressions) total_impressions)")
        guard case .createView(let performance) = parsed[1].statement, case .select(let perf) = performance.query.body else { return XCTFail() }
        XCTAssertEqual(perf.groupBy.count, 7)
        XCTAssertEqual(ASTPrinter.print(perf.from[0]), "(table adtech_db.processed_campaign_data)")
        XCTAssertEqual(parsed[1].location.line, 20)
    }

    func testBrokenViewsReportFRO() throws {
        let text = try workloadFile("athena_views.sql")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let froLine = lines.firstIndex(where: { $0.hasPrefix("FRO") && !$0.hasPrefix("FROM") }) else { return XCTFail("no FRO line") }
        XCTAssertEqual(froLine + 1, 20)
        assertSyntaxError(text, line: froLine + 1, column: 1, "unexpected 'FRO' after the select list; expected ")
        // Each statement on its own: the first reports FRO, the other two parse.
        let pieces = StatementSplitter.split(text)
        XCTAssertEqual(pieces.count, 3)
        XCTAssertThrowsError(try Parser.parse(pieces[0].text))
        XCTAssertNoThrow(try Parser.parse(pieces[1].text))
        XCTAssertNoThrow(try Parser.parse(pieces[2].text))
    }
}
