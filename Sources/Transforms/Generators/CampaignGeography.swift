/// The fixed geography the campaign generator draws from: countries, their states, their cities, and
/// zipcodes. Consistent by construction: a city belongs to one state and country, a zipcode to one city.
public struct CampaignGeography: Sendable {
    /// One place a delivery record can carry.
    public struct Place: Sendable {
        public var country: String
        public var state: String
        public var city: String
        public var zipcodes: [String]
    }

    public let places: [Place]

    /// Country|State|City,City,…; each city gets two zipcodes derived from a per-country prefix.
    private static let table: [(country: String, zipPrefix: Int, states: [(String, [String])])] = [
        ("US", 10, [
            ("California", ["Los Angeles", "San Francisco", "San Diego", "San Jose", "Sacramento", "Fresno", "Oakland"]),
            ("New York", ["New York City", "Buffalo", "Rochester", "Albany", "Syracuse", "Yonkers"]),
            ("Texas", ["Houston", "Austin", "Dallas", "San Antonio", "El Paso", "Fort Worth", "Plano"]),
            ("Illinois", ["Chicago", "Springfield", "Naperville", "Peoria", "Aurora"]),
            ("Florida", ["Miami", "Orlando", "Tampa", "Jacksonville", "Tallahassee"]),
            ("Washington", ["Seattle", "Spokane", "Tacoma", "Bellevue"]),
        ]),
        ("CA", 20, [
            ("Ontario", ["Toronto", "Ottawa", "Hamilton", "Mississauga", "Kitchener"]),
            ("Quebec", ["Montreal", "Quebec City", "Laval", "Gatineau"]),
            ("British Columbia", ["Vancouver", "Victoria", "Surrey", "Burnaby"]),
            ("Alberta", ["Calgary", "Edmonton", "Red Deer"]),
        ]),
        ("GB", 30, [
            ("England", ["London", "Manchester", "Birmingham", "Leeds", "Liverpool", "Bristol", "Sheffield"]),
            ("Scotland", ["Edinburgh", "Glasgow", "Aberdeen", "Dundee"]),
            ("Wales", ["Cardiff", "Swansea", "Newport"]),
        ]),
        ("DE", 40, [
            ("Bavaria", ["Munich", "Nuremberg", "Augsburg", "Regensburg"]),
            ("Berlin", ["Berlin"]),
            ("Hesse", ["Frankfurt", "Wiesbaden", "Kassel", "Darmstadt"]),
            ("North Rhine-Westphalia", ["Cologne", "Düsseldorf", "Dortmund", "Essen", "Bonn"]),
        ]),
        ("FR", 50, [
            ("Île-de-France", ["Paris", "Versailles", "Boulogne-Billancourt"]),
            ("Auvergne-Rhône-Alpes", ["Lyon", "Grenoble", "Saint-Étienne"]),
            ("Provence-Alpes-Côte d'Azur", ["Marseille", "Nice", "Toulon"]),
            ("Occitanie", ["Toulouse", "Montpellier", "Nîmes"]),
        ]),
    ]

    public static let standard = CampaignGeography()

    private init() {
        var places: [Place] = []
        for entry in Self.table {
            var cityNumber = 0
            for (state, cities) in entry.states {
                for city in cities {
                    cityNumber += 1
                    let base = entry.zipPrefix * 1000 + cityNumber * 10
                    places.append(Place(country: entry.country, state: state, city: city,
                                        zipcodes: ["\(base + 1)", "\(base + 2)"].map { Self.pad($0) }))
                }
            }
        }
        self.places = places
    }

    private static func pad(_ s: String) -> String { s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s }
}
