import Storage

/// Synthetic ad-campaign delivery records shaped like the workload's raw data (`sample_record.json`).
///
/// Relationships hold by construction: a campaign has several ads, an ad belongs to one campaign, one brand and
/// the one channel (platform) its campaign runs on, every row carries a consistent country/state/city/zipcode.
/// Campaigns run in flights (one to three bursts of two to eleven weeks), so each channel's weekly spend rises and
/// falls as real media plans do — what a marketing-mix model needs to tell the channels apart (`CampaignSalesFeed`).
/// Row `i` depends only on `(seed, i)`, so output is identical for any batch size. With `clean == false`, rows
/// carry the nulls the cleaning rules treat and a few percent break `conversions <= clicks <= impressions`.
public struct CampaignGenerator: Sendable {
    /// Knobs of the generated data set.
    public struct Options: Sendable {
        public var seed: UInt64 = 42
        /// Clean rows have no nulls and respect the funnel; dirty rows are what lands in `raw/`.
        public var clean: Bool = true
        public var campaigns: Int = 200
        public var brands: Int = 10
        /// Dates are drawn from `firstDate ..< firstDate + days` (days since 1970-01-01).
        public var firstDate: Int32 = Int32(ValueFormatting.days(year: 2024, month: 1, day: 1))
        public var days: Int = 366
        /// Probability that a treated column is NULL in a dirty row (spend gets three times this).
        public var nullRate: Double = 0.005
        /// Fraction of dirty rows breaking `conversions <= clicks <= impressions`.
        public var funnelViolationRate: Double = 0.03
        /// The platforms campaigns run on, assigned in turn so that each has about as many campaigns.
        public var channels: [CampaignChannel] = CampaignChannel.standard
        public init(seed: UInt64 = 42, clean: Bool = true, days: Int = 366) { self.seed = seed; self.clean = clean; self.days = days }
    }

    /// `campaign_id VARCHAR, ad_id VARCHAR, date DATE, brand VARCHAR, country VARCHAR, state VARCHAR, city VARCHAR,
    /// zipcode VARCHAR, impressions BIGINT, clicks BIGINT, spend DOUBLE, conversions BIGINT, channel VARCHAR`.
    public static let schema = Schema([
        Field(name: "campaign_id", type: .varchar), Field(name: "ad_id", type: .varchar), Field(name: "date", type: .date),
        Field(name: "brand", type: .varchar), Field(name: "country", type: .varchar), Field(name: "state", type: .varchar),
        Field(name: "city", type: .varchar), Field(name: "zipcode", type: .varchar), Field(name: "impressions", type: .bigint),
        Field(name: "clicks", type: .bigint), Field(name: "spend", type: .double), Field(name: "conversions", type: .bigint),
        Field(name: "channel", type: .varchar),
    ])

    /// Column positions in `schema`.
    public enum ColumnIndex {
        public static let date = 2, spend = 10, channel = 12
    }

    public let options: Options

    // Dimension dictionaries (codes index into these).
    private let campaignIDs: StringArray, adIDs: StringArray, brandNames: StringArray, channelNames: StringArray
    private let countryNames: StringArray, stateNames: StringArray, cityNames: StringArray, zipcodes: StringArray
    // Per-ad and per-campaign attributes.
    private let adCampaign: [Int32], campaignBrand: [Int32], campaignChannel: [Int32], adPlaces: [[Int32]]
    /// Each campaign's flights as (first day offset, length in days), within `0 ..< days`.
    private let campaignFlights: [[(start: Int32, length: Int32)]]
    private let adImpressionScale: [Double], adClickRate: [Double], adConversionRate: [Double], campaignCPM: [Double]
    // Per-place codes.
    private let placeCountry: [Int32], placeState: [Int32]

    public init(options: Options = Options()) {
        self.options = options
        var rng = SplitMix64(seed: options.seed, stream: .max)
        let geography = CampaignGeography.standard.places
        let campaignCount = max(1, options.campaigns), brandCount = max(1, options.brands)

        brandNames = StringArray((0..<brandCount).map { "Brand\(Self.letters($0))" })
        campaignIDs = StringArray((0..<campaignCount).map { "cmp\(Self.zeroPadded($0 + 1, 4))" })
        let channels = options.channels.isEmpty ? CampaignChannel.standard : options.channels
        channelNames = StringArray(channels.map(\.name))
        let days = max(1, options.days)
        var campaignBrand: [Int32] = [], campaignCPM: [Double] = [], campaignChannel: [Int32] = []
        var campaignFlights: [[(start: Int32, length: Int32)]] = []
        var adCampaign: [Int32] = [], adPlaces: [[Int32]] = []
        var adImpressionScale: [Double] = [], adClickRate: [Double] = [], adConversionRate: [Double] = []
        for campaign in 0..<campaignCount {
            campaignBrand.append(Int32(rng.below(brandCount)))
            let channel = campaign % channels.count
            campaignChannel.append(Int32(channel))
            let cpm = channels[channel].cpm
            campaignCPM.append(cpm.lowerBound + rng.unit() * (cpm.upperBound - cpm.lowerBound))
            campaignFlights.append((0..<(1 + rng.below(3))).map { _ in
                let start = rng.below(days)
                return (Int32(start), Int32(min(14 + rng.below(64), days - start)))
            })
            for _ in 0..<(3 + rng.below(5)) {
                adCampaign.append(Int32(campaign))
                let placeCount = 4 + rng.below(9)
                adPlaces.append((0..<placeCount).map { _ in Int32(rng.below(geography.count)) })
                adImpressionScale.append(500 + rng.unit() * 19_500)
                adClickRate.append(0.005 + rng.unit() * 0.045)
                adConversionRate.append(0.01 + rng.unit() * 0.12)
            }
        }
        adIDs = StringArray((0..<adCampaign.count).map { "ad\(Self.zeroPadded($0 + 1, 5))" })

        var countries: [String] = [], states: [String] = []
        var placeCountry: [Int32] = [], placeState: [Int32] = []
        for place in geography {
            if countries.last != place.country { countries.append(place.country) }
            let stateKey = place.state
            if states.last != stateKey { states.append(stateKey) }
            placeCountry.append(Int32(countries.count - 1))
            placeState.append(Int32(states.count - 1))
        }
        countryNames = StringArray(countries)
        stateNames = StringArray(states)
        cityNames = StringArray(geography.map(\.city))
        zipcodes = StringArray(geography.flatMap(\.zipcodes))
        self.placeCountry = placeCountry; self.placeState = placeState
        self.campaignBrand = campaignBrand; self.campaignCPM = campaignCPM; self.adCampaign = adCampaign
        self.campaignChannel = campaignChannel; self.campaignFlights = campaignFlights
        self.adPlaces = adPlaces; self.adImpressionScale = adImpressionScale
        self.adClickRate = adClickRate; self.adConversionRate = adConversionRate
    }

    /// Number of distinct ads (≈ 5 per campaign).
    public var adCount: Int { adCampaign.count }

    /// The rows `range` (row numbers are global; the same row is the same for any batching).
    public func batch(rows range: Range<Int>) -> Batch {
        let n = range.count
        var campaign = [Int32](), ad = [Int32](), brand = [Int32](), country = [Int32](), state = [Int32]()
        var city = [Int32](), zip = [Int32](), date = [Int32](), channel = [Int32]()
        var impressions = [Int64](), clicks = [Int64](), conversions = [Int64](), spend = [Double]()
        campaign.reserveCapacity(n); ad.reserveCapacity(n); brand.reserveCapacity(n); country.reserveCapacity(n)
        state.reserveCapacity(n); city.reserveCapacity(n); zip.reserveCapacity(n); date.reserveCapacity(n)
        impressions.reserveCapacity(n); clicks.reserveCapacity(n); conversions.reserveCapacity(n); spend.reserveCapacity(n)
        channel.reserveCapacity(n)
        let dirty = !options.clean
        let columnCount = Self.schema.count
        var nulls = dirty ? [[UInt8]](repeating: [UInt8](repeating: 1, count: n), count: columnCount) : []

        for (i, row) in range.enumerated() {
            var rng = SplitMix64(seed: options.seed, stream: UInt64(truncatingIfNeeded: row))
            let a = rng.below(adCampaign.count)
            let c = Int(adCampaign[a])
            let places = adPlaces[a]
            let place = Int(places[rng.below(places.count)])
            ad.append(Int32(a)); campaign.append(Int32(c)); brand.append(campaignBrand[c]); channel.append(campaignChannel[c])
            country.append(placeCountry[place]); state.append(placeState[place]); city.append(Int32(place))
            zip.append(Int32(place * 2 + rng.below(2)))
            let flights = campaignFlights[c]
            let flight = flights[rng.below(flights.count)]
            date.append(options.firstDate + flight.start + Int32(rng.below(Int(flight.length))))
            let shown = max(1, Int64(adImpressionScale[a] * (0.3 + 1.4 * rng.unit())))
            var clicked = Int64(Double(shown) * adClickRate[a] * (0.5 + rng.unit()))
            var converted = Int64(Double(clicked) * adConversionRate[a] * (0.5 + rng.unit()))
            let cost = (Double(shown) * campaignCPM[c] / 1000 * (0.8 + 0.4 * rng.unit()) * 100).rounded() / 100
            if dirty {
                if rng.chance(options.funnelViolationRate) {
                    if rng.chance(0.5) { clicked = shown + 1 + Int64(rng.below(50)) } else { converted = clicked + 1 + Int64(rng.below(5)) }
                }
                for column in 0..<columnCount where rng.chance(column == ColumnIndex.spend ? options.nullRate * 3 : options.nullRate) {
                    nulls[column][i] = 0
                }
            }
            impressions.append(shown); clicks.append(clicked); conversions.append(converted); spend.append(cost)
        }

        func validity(_ column: Int) -> [UInt8]? {
            guard dirty, nulls[column].contains(0) else { return nil }
            return nulls[column]
        }
        func strings(_ codes: [Int32], _ dictionary: StringArray, _ column: Int) -> Column {
            Column(type: .varchar, data: .dictionary(codes: codes, dictionary: dictionary), validity: validity(column))
        }
        return Batch(columns: [
            strings(campaign, campaignIDs, 0), strings(ad, adIDs, 1),
            Column(type: .date, data: .int32(date), validity: validity(2)),
            strings(brand, brandNames, 3), strings(country, countryNames, 4), strings(state, stateNames, 5),
            strings(city, cityNames, 6), strings(zip, zipcodes, 7),
            Column(type: .bigint, data: .int64(impressions), validity: validity(8)),
            Column(type: .bigint, data: .int64(clicks), validity: validity(9)),
            Column(type: .double, data: .double(spend), validity: validity(10)),
            Column(type: .bigint, data: .int64(conversions), validity: validity(11)),
            strings(channel, channelNames, ColumnIndex.channel),
        ], count: n)
    }

    /// `totalRows` rows as consecutive batches of at most `batchSize` rows, generated lazily.
    public func batches(totalRows: Int, batchSize: Int = 65_536) -> some Sequence<Batch> {
        let size = max(1, batchSize)
        return stride(from: 0, to: max(0, totalRows), by: size).lazy.map { start in
            self.batch(rows: start..<min(totalRows, start + size))
        }
    }

    private static func zeroPadded(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// 0 → "A", 25 → "Z", 26 → "AA"…
    private static func letters(_ v: Int) -> String {
        var v = v, out = ""
        repeat { out = String(UnicodeScalar(UInt8(65 + v % 26))) + out; v = v / 26 - 1 } while v >= 0
        return out
    }
}
