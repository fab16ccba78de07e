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
                                                       "impressions", "clicks", "spend", "conversions", "channel"])
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
        var adCampaign: [String: String] = [:], adBrand: [String: String] = [:], campaignChannel: [String: String] = [:]
        var cityState: [String: String] = [:], stateCountry: [String: String] = [:], zipCity: [String: String] = [:]
        var campaigns = Set<String>(), cities = Set<String>(), brands = Set<String>(), dates = Set<Value>()
        for row in all {
            let s = row.map { $0.description }
            XCTAssertFalse(row.contains(.null))
            XCTAssertEqual(adCampaign.updateValue(s[0], forKey: s[1]) ?? s[0], s[0], "ad \(s[1]) in two campaigns")
            XCTAssertEqual(adBrand.updateValue(s[3], forKey: s[1]) ?? s[3], s[3], "ad \(s[1]) of two brands")
            XCTAssertEqual(campaignChannel.updateValue(s[12], forKey: s[0]) ?? s[12], s[12], "campaign \(s[0]) on two channels")
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
        XCTAssertEqual(Set(campaignChannel.values), Set(CampaignChannel.standard.map(\.name)))
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

    /// The sales feed's truth is what it says: each channel's effect sums to its true ROAS × the spend the rows carry,
    /// weekly spend adds up to the rows' spend, and revenue is baseline + media + noise of the stated size.
    func testSalesFeedIsDrivenBySpendWithTheStatedReturns() throws {
        var options = CampaignGenerator.Options(seed: 11, clean: false, days: 364)
        options.firstDate = Int32(ValueFormatting.days(year: 2023, month: 1, day: 2))  // a Monday: 52 whole weeks
        let generator = CampaignGenerator(options: options)
        let feed = CampaignSalesFeed(generator: generator, rows: 60_000, noise: 0.03)
        XCTAssertEqual(feed.weeks.count, 52)
        XCTAssertEqual(feed.weeks.first, options.firstDate)
        XCTAssertTrue(zip(feed.weeks, feed.weeks.dropFirst()).allSatisfy { $1 - $0 == 7 })

        var spendByChannel = [String: Double]()
        for batch in generator.batches(totalRows: 60_000) {
            guard case let .double(costs) = batch.columns[CampaignGenerator.ColumnIndex.spend].data,
                  case let .dictionary(codes, names) = batch.columns[CampaignGenerator.ColumnIndex.channel].data else {
                return XCTFail("unexpected column layout")
            }
            for i in 0..<batch.count { spendByChannel[names.string(at: Int(codes[i])), default: 0] += costs[i] }
        }
        for (c, truth) in feed.channels.enumerated() {
            XCTAssertEqual(truth.spend, spendByChannel[truth.channel.name] ?? -1, accuracy: 1e-6 * truth.spend)
            XCTAssertEqual(feed.weeklySpend[c].reduce(0, +), truth.spend, accuracy: 1e-6 * truth.spend)
            XCTAssertEqual(truth.roas, truth.channel.trueROAS, accuracy: 1e-9, truth.channel.name)
            // Flights make spend rise and fall: the busiest week has well over the average week's spend.
            XCTAssertGreaterThan(feed.weeklySpend[c].max() ?? 0, 1.5 * truth.spend / 52, truth.channel.name)
        }
        let contribution = feed.channels.reduce(0) { $0 + $1.contribution }
        let revenueAboveBaseline = zip(feed.revenue, feed.baseline).map { $0 - $1 }.reduce(0, +)
        XCTAssertEqual(revenueAboveBaseline, contribution, accuracy: 0.05 * contribution, "revenue − baseline is the media effect + noise")
        XCTAssertGreaterThan(feed.channels.filter { $0.roas > 1 }.count, feed.channels.count / 2, "most channels pay off")
        XCTAssertTrue(feed.channels.contains { $0.roas < 1 }, "and some do not")
        XCTAssertEqual(try String(contentsOfFile: try feed.writeCSV(to: TarnProcess.temporaryDirectory("sales")), encoding: .utf8)
            .split(separator: "\n").first, "week,revenue")
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
