import Foundation
import Storage

/// The object identifiers PostgreSQL clients expect from `pg_catalog`: the fixed OIDs of built-in types,
/// namespaces and catalog relations, and a stable OID for every lake schema, table and view.
///
/// A lake object's OID is a hash of its kind and name (FNV-1a, folded into 16384…2³¹−1, PostgreSQL's range for
/// user objects), so it is the same in every connection and every query — `'t'::regclass`, `pg_class.oid` and
/// `pg_attribute.attrelid` agree without a table of assigned numbers. Two names could hash alike; the chance
/// is about n²/2³² for n objects.
public enum PostgresOIDs {
    /// A built-in type: name, OID, array type OID (0 when none), length, category and the Tarn type it reads as.
    public struct BuiltinType: Sendable {
        public let name: String
        public let oid: Int64
        public let arrayOID: Int64
        public let length: Int
        public let category: String
        public let pseudo: Bool
    }

    public static let pgCatalogNamespace: Int64 = 11
    public static let informationSchemaNamespace: Int64 = 13_000
    public static let publicNamespace: Int64 = 2_200
    /// `array_recv`: the receive function of every array type (Npgsql tells arrays apart by it).
    public static let arrayReceiveFunction: Int64 = 2_400
    public static let ownerOID: Int64 = 10
    public static let databaseOID: Int64 = 16_383

    public static let builtinTypes: [BuiltinType] = [
        .init(name: "bool", oid: 16, arrayOID: 1000, length: 1, category: "B", pseudo: false),
        .init(name: "bytea", oid: 17, arrayOID: 1001, length: -1, category: "U", pseudo: false),
        .init(name: "char", oid: 18, arrayOID: 1002, length: 1, category: "Z", pseudo: false),
        .init(name: "name", oid: 19, arrayOID: 1003, length: 64, category: "S", pseudo: false),
        .init(name: "int8", oid: 20, arrayOID: 1016, length: 8, category: "N", pseudo: false),
        .init(name: "int2", oid: 21, arrayOID: 1005, length: 2, category: "N", pseudo: false),
        .init(name: "int2vector", oid: 22, arrayOID: 1006, length: -1, category: "A", pseudo: false),
        .init(name: "int4", oid: 23, arrayOID: 1007, length: 4, category: "N", pseudo: false),
        .init(name: "regproc", oid: 24, arrayOID: 1008, length: 4, category: "N", pseudo: false),
        .init(name: "text", oid: 25, arrayOID: 1009, length: -1, category: "S", pseudo: false),
        .init(name: "oid", oid: 26, arrayOID: 1028, length: 4, category: "N", pseudo: false),
        .init(name: "oidvector", oid: 30, arrayOID: 1013, length: -1, category: "A", pseudo: false),
        .init(name: "json", oid: 114, arrayOID: 199, length: -1, category: "U", pseudo: false),
        .init(name: "float4", oid: 700, arrayOID: 1021, length: 4, category: "N", pseudo: false),
        .init(name: "float8", oid: 701, arrayOID: 1022, length: 8, category: "N", pseudo: false),
        .init(name: "unknown", oid: 705, arrayOID: 0, length: -2, category: "X", pseudo: true),
        .init(name: "bpchar", oid: 1042, arrayOID: 1014, length: -1, category: "S", pseudo: false),
        .init(name: "varchar", oid: 1043, arrayOID: 1015, length: -1, category: "S", pseudo: false),
        .init(name: "date", oid: 1082, arrayOID: 1182, length: 4, category: "D", pseudo: false),
        .init(name: "time", oid: 1083, arrayOID: 1183, length: 8, category: "D", pseudo: false),
        .init(name: "timestamp", oid: 1114, arrayOID: 1115, length: 8, category: "D", pseudo: false),
        .init(name: "timestamptz", oid: 1184, arrayOID: 1185, length: 8, category: "D", pseudo: false),
        .init(name: "interval", oid: 1186, arrayOID: 1187, length: 16, category: "T", pseudo: false),
        .init(name: "numeric", oid: 1700, arrayOID: 1231, length: -1, category: "N", pseudo: false),
        .init(name: "regclass", oid: 2205, arrayOID: 2210, length: 4, category: "N", pseudo: false),
        .init(name: "regtype", oid: 2206, arrayOID: 2211, length: 4, category: "N", pseudo: false),
        .init(name: "record", oid: 2249, arrayOID: 2287, length: -1, category: "P", pseudo: true),
        .init(name: "void", oid: 2278, arrayOID: 0, length: 4, category: "P", pseudo: true),
        .init(name: "uuid", oid: 2950, arrayOID: 2951, length: 16, category: "U", pseudo: false),
        .init(name: "jsonb", oid: 3802, arrayOID: 3807, length: -1, category: "U", pseudo: false),
    ]

    /// The catalog relations `pg_catalog` offers, with PostgreSQL's OIDs where it has fixed ones.
    public static let catalogRelations: [(name: String, oid: Int64)] = [
        ("pg_type", 1247), ("pg_attribute", 1249), ("pg_proc", 1255), ("pg_class", 1259), ("pg_attrdef", 2604),
        ("pg_constraint", 2606), ("pg_inherits", 2611), ("pg_index", 2610), ("pg_am", 2601), ("pg_namespace", 2615),
        ("pg_description", 2609), ("pg_database", 1262), ("pg_tablespace", 1213), ("pg_enum", 3501), ("pg_range", 3541),
        ("pg_settings", 12_000), ("pg_roles", 12_001), ("pg_user", 12_002), ("pg_tables", 12_003), ("pg_views", 12_004),
        ("pg_stat_user_tables", 12_005), ("pg_matviews", 12_006), ("pg_extension", 3079), ("pg_collation", 3456),
        ("pg_sequence", 2224), ("pg_trigger", 2620), ("pg_depend", 2608), ("pg_rewrite", 2618), ("pg_authid", 1260),
    ]

    /// The Tarn type's PostgreSQL type OID (VARCHAR is `text`).
    public static func typeOID(of type: DataType) -> Int64 {
        switch type {
        case .boolean: return 16
        case .integer: return 23
        case .bigint: return 20
        case .double: return 701
        case .decimal: return 1700
        case .varchar, .null: return 25
        case .date: return 1082
        case .timestamp: return 1114
        case .timestampTZ: return 1184
        case .array, .row, .map: return 25  // sent as text (`[1, 2, 3]`)
        }
    }

    /// PostgreSQL's `atttypmod` of a Tarn type: `((p << 16) | s) + 4` for NUMERIC, else -1.
    public static func typeModifier(of type: DataType) -> Int64 {
        if case let .decimal(p, s) = type { return Int64((p << 16) | s) + 4 }
        return -1
    }

    /// `format_type(oid, typmod)`: the SQL spelling of a type.
    public static func formatType(oid: Int64, modifier: Int64?) -> String? {
        switch oid {
        case 16: return "boolean"
        case 20: return "bigint"
        case 21: return "smallint"
        case 23: return "integer"
        case 25: return "text"
        case 700: return "real"
        case 701: return "double precision"
        case 1042: return "character"
        case 1043: return "character varying"
        case 1082: return "date"
        case 1083: return "time without time zone"
        case 1114: return "timestamp without time zone"
        case 1184: return "timestamp with time zone"
        case 1700:
            guard let m = modifier, m >= 4 else { return "numeric" }
            return "numeric(\((m - 4) >> 16),\((m - 4) & 0xFFFF))"
        default:
            if let t = builtinTypes.first(where: { $0.oid == oid }) { return t.name }
            if let t = builtinTypes.first(where: { $0.arrayOID == oid }), let inner = formatType(oid: t.oid, modifier: nil) { return inner + "[]" }
            return "???"
        }
    }

    /// The OID of a lake schema.
    public static func namespaceOID(_ schema: String) -> Int64 {
        switch schema.lowercased() {
        case "pg_catalog": return pgCatalogNamespace
        case "information_schema": return informationSchemaNamespace
        default: return hashed("n:" + schema.lowercased())
        }
    }

    /// The OID of a lake table or view (or of a `pg_catalog` relation).
    public static func relationOID(schema: String, name: String) -> Int64 {
        if schema.lowercased() == "pg_catalog", let r = catalogRelations.first(where: { $0.name == name.lowercased() }) { return r.oid }
        return hashed("r:" + schema.lowercased() + "." + name.lowercased())
    }

    /// `'name'::regclass`: a possibly qualified, possibly quoted relation name; unqualified names are looked up
    /// in `pg_catalog` first, then in `defaultSchema`.
    public static func regclass(_ text: String, defaultSchema: String) -> Int64 {
        let parts = splitQualified(text)
        if parts.count >= 2 { return relationOID(schema: parts[parts.count - 2], name: parts[parts.count - 1]) }
        let name = parts.first ?? text
        if let r = catalogRelations.first(where: { $0.name == name.lowercased() }) { return r.oid }
        return relationOID(schema: defaultSchema, name: name)
    }

    /// `'name'::regtype`: a type name (PostgreSQL's internal or SQL spelling) to its OID, or nil.
    public static func regtype(_ text: String) -> Int64? {
        var name = splitQualified(text).last ?? text
        name = name.lowercased()
        let isArray = name.hasSuffix("[]")
        if isArray { name.removeLast(2) }
        let aliases = ["boolean": "bool", "integer": "int4", "int": "int4", "bigint": "int8", "smallint": "int2", "real": "float4",
                       "double precision": "float8", "character varying": "varchar", "character": "bpchar", "decimal": "numeric",
                       "timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz", "\"char\"": "char"]
        name = aliases[name] ?? name
        if let open = name.firstIndex(of: "(") { name = String(name[..<open]) }
        guard let t = builtinTypes.first(where: { $0.name == name }) else { return nil }
        return isArray ? t.arrayOID : t.oid
    }

    /// `schema.name` / `"Schema"."Name"` → its parts (quotes removed; unquoted parts lower-cased).
    public static func splitQualified(_ text: String) -> [String] {
        var parts: [String] = [], current = "", quoted = false, wasQuoted = false
        var chars = Array(text.trimmingCharacters(in: .whitespaces))[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars = chars.dropFirst() } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true; wasQuoted = true
            } else if c == "." {
                parts.append(wasQuoted ? current : current.lowercased()); current = ""; wasQuoted = false
            } else {
                current.append(c)
            }
        }
        parts.append(wasQuoted ? current : current.lowercased())
        return parts
    }

    static func hashed(_ key: String) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let range: UInt64 = 2_147_483_647 - 16_384
        return Int64(16_384 + (h % range))
    }
}
