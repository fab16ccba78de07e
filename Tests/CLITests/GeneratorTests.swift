import XCTest
import Storage
import Transforms

final class GeneratorTests: XCTestCase {
    private func rows(_ generator: CampaignGenerator, _ range: Range<Int>) -> [[Value]] {
        let batch = generator.batch(rows: range)
        return (0..<batch.count).map { batch.row($0) }
    }

    func testSchema() {
        XCTAssertEqual(CampaignGenerator.schema.names, ["campaign_id", "ad_id", "date", "brand", "country", "state", "city", "zipcode",
                                                       "impressions", "clicks", "spend", "conversions"])
        let batch = CampaignGenerator().batch(rows: 0..<10)
        XCTAssertEqual(batch.columns.map(\.type), CampaignGenerator.schema.types)
        XCTAssertEqual(batch.count, 10)
    }

    func testDeterministicForASeedAndIndependentOfBatching() {
        let a = CampaignGenerator(options: .init(seed: 7)), b = CampaignGenerator(options: .init(seed: 7))
        XCTAssertEqual(rows(a, 0..<500), rows(b, 0..<500))
        XCTAssertEqual(rows(a, 0..<500), rows(b, 0..<250) + rows(b, 250..<500))
        XCTAssertNotEqual(rows(a, 0..<50), rows(CampaignGenerator(options: .init(seed: 8)), 0..<50))
    }

    func testRelationshipsHold() {
        let all = rows(CampaignGenerator(options: .init(seed: 3, clean: true)), 0..<50_000)
        var adCampaign: [String: String] = [:], adBrand: [String: String] = [:]
        var cityState: [String: String] = [:], stateCountry: [String: String] = [:], zipCity: [String: String] = [:]
        var campaigns = Set<String>(), cities = Set<String>(), brands = Set<String>(), dates = Set<Value>()
        for row in all {
            let s = row.map { $0.description }
            XCTAssertFalse(row.contains(.null))
            XCTAssertEqual(adCampaign.updateValue(s[0], forKey: s[1]) ?? s[0], s[0], "ad \(s[1]) in two campaigns")
            XCTAssertEqual(adBrand.updateValue(s[3], forKey: s[1]) ?? s[3], s[3], "ad \(s[1]) of two brands")
            XCTAssertEqual(cityState.updateValue(s[5], forKey: s[6]) ?? s[5], s[5], "city \(s[6]) in two states")
            XCTAssertEqual(stateCountry.updateValue(s[4], forKey: s[5]) ?? s[4], s[4], "state \(s[5]) in two countries")
            XCTAssertEqual(zipCity.updateValue(s[6], forKey: s[7]) ?? s[6], s[6], "zipcode \(s[7]) in two cities")
            campaigns.insert(s[0]); cities.insert(s[6]); brands.insert(s[3]); dates.insert(row[2])
            guard let impressions = row[8].int64Value, let clicks = row[9].int64Value, let conversions = row[11].int64Value else {
                return XCTFail("counts must be integers")
            }
            XCTAssertTrue(conversions <= clicks && clicks <= impressions, "funnel broken in a clean row: \(s)")
            XCTAssertGreaterThanOrEqual(row[10].doubleValue ?? -1, 0)
        }
        XCTAssertGreaterThan(campaigns.count, 150)
        XCTAssertGreaterThan(Double(adCampaign.count) / Double(campaigns.count), 3)
        XCTAssertGreaterThanOrEqual(cities.count, 90)
        XCTAssertEqual(brands.count, 10)
        XCTAssertGreaterThan(dates.count, 300)
    }

    func testDirtyRowsCarryNullsAndFunnelViolations() {
        let batch = CampaignGenerator(options: .init(seed: 5, clean: false)).batch(rows: 0..<100_000)
        for (i, column) in batch.columns.enumerated() {
            XCTAssertGreaterThan(column.nullCount, 0, "column \(CampaignGenerator.schema.fields[i].name) has no nulls")
            XCTAssertLessThan(column.nullCount, 5_000)
        }
        var violations = 0
        for row in 0..<batch.count {
            let values = batch.row(row)
            if let i = values[8].int64Value, let c = values[9].int64Value, let v = values[11].int64Value, !(v <= c && c <= i) { violations += 1 }
        }
        XCTAssertGreaterThan(violations, 1_000)
        XCTAssertLessThan(violations, 6_000)
    }

    func testLandingFilesAreLaidOutByDate() throws {
        let dir = TarnProcess.temporaryDirectory("landing")
        let paths = try CampaignLandingWriter(generator: CampaignGenerator(options: .init(seed: 1, clean: false)))
            .write(rows: 1_000, files: 4, to: dir)
        XCTAssertEqual(paths.count, 4)
        var lines = 0
        for path in paths {
            let relative = String(path.dropFirst(dir.count + 1))
            XCTAssertNotNil(relative.range(of: #"^\d{4}-\d{2}-\d{2}/\d{8}T\d{6}Z\.json$"#, options: .regularExpression), relative)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for line in text.split(separator: "\n") {
                XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                lines += 1
            }
        }
        XCTAssertEqual(lines, 1_000)
    }
}
