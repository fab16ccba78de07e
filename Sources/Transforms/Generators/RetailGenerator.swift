import Storage

/// Synthetic retail sales data for the star-schema example: `customers`, `products` and `orders`
/// (`generate_retail('orders', rows => n, seed => s)`). Row `i` of each table depends only on `(seed, i)`;
/// orders refer to customers `C00001…` and products `P0001…` of the given counts, dated over 2024.
public struct RetailGenerator: Sendable {
    /// One of the generated tables.
    public enum Table: String, Sendable, CaseIterable { case customers, products, orders }

    /// Sizes and seed.
    public struct Options: Sendable {
        public var seed: UInt64 = 7
        public var customers = 500
        public var products = 60
        public init() {}
    }

    public static let regions = ["North", "South", "East", "West"]
    static let cities = [["Oslo", "Bergen"], ["Sevilla", "Malaga"], ["Warsaw", "Krakow"], ["Lisbon", "Porto"]]
    public static let productLines = ["Classic Cars", "Motorcycles", "Planes", "Ships", "Trains"]
    static let categories = ["Standard", "Premium", "Collector"]

    public let options: Options
    public init(options: Options = Options()) { self.options = options }

    public static func schema(_ table: Table) -> Schema {
        switch table {
        case .customers:
            return Schema([Field(name: "customer_id", type: .varchar), Field(name: "customer_name", type: .varchar),
                           Field(name: "region", type: .varchar), Field(name: "city", type: .varchar), Field(name: "signup_date", type: .date)])
        case .products:
            return Schema([Field(name: "product_id", type: .varchar), Field(name: "product_name", type: .varchar),
                           Field(name: "product_line", type: .varchar), Field(name: "category", type: .varchar),
                           Field(name: "list_price", type: .double)])
        case .orders:
            return Schema([Field(name: "order_id", type: .bigint), Field(name: "order_date", type: .date),
                           Field(name: "customer_id", type: .varchar), Field(name: "product_id", type: .varchar),
                           Field(name: "quantity", type: .bigint), Field(name: "unit_price", type: .double)])
        }
    }

    /// The default row count of a table (orders: 20 per customer).
    public func defaultRows(_ table: Table) -> Int {
        switch table {
        case .customers: return options.customers
        case .products: return options.products
        case .orders: return options.customers * 20
        }
    }

    /// Rows `range` of `table`.
    public func batch(_ table: Table, rows range: Range<Int>) -> Batch {
        var builders = Self.schema(table).fields.map { ColumnBuilder(type: $0.type, capacity: range.count) }
        let firstDay = Int32(ValueFormatting.days(year: 2024, month: 1, day: 1))
        for i in range {
            var rng = SplitMix64(seed: options.seed, stream: UInt64(i) &* 3 &+ UInt64(Table.allCases.firstIndex(of: table) ?? 0))
            switch table {
            case .customers:
                let region = rng.below(Self.regions.count)
                builders[0].append(string: Self.customerID(i))
                builders[1].append(string: "Customer \(i + 1)")
                builders[2].append(string: Self.regions[region])
                builders[3].append(string: Self.cities[region][rng.below(2)])
                builders[4].append(int32: firstDay - 1 - Int32(rng.below(1000)))
            case .products:
                builders[0].append(string: Self.productID(i))
                builders[1].append(string: "Model \(i + 1)")
                builders[2].append(string: Self.productLines[i % Self.productLines.count])
                builders[3].append(string: Self.categories[rng.below(Self.categories.count)])
                builders[4].append(double: Self.price(rng.unit()))
            case .orders:
                // Skewed customers: a few buy often, many buy once (repeat vs one-time customers).
                let u = rng.unit()
                let customer = min(options.customers - 1, Int(u * u * u * Double(options.customers)))
                let product = rng.below(max(1, options.products))
                builders[0].append(int64: Int64(i + 1))
                builders[1].append(int32: firstDay + Int32(rng.below(366)))
                builders[2].append(string: Self.customerID(customer))
                builders[3].append(string: Self.productID(product))
                builders[4].append(int64: Int64(1 + rng.below(9)))
                builders[5].append(double: Self.price(rng.unit()))
            }
        }
        return Batch(columns: builders.indices.map { builders[$0].finish() }, count: range.count)
    }

    static func customerID(_ i: Int) -> String { "C" + pad(i + 1, 5) }
    static func productID(_ i: Int) -> String { "P" + pad(i + 1, 4) }
    static func price(_ u: Double) -> Double { ((10 + u * 190) * 100).rounded() / 100 }
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
