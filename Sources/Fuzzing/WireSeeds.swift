/// The `pgwire` target's seeds: whole client conversations in protocol 3.0 bytes (a first byte 0 picks trust
/// authentication, 1 SCRAM), built from the message layouts so every length field is right to begin with.
enum WireSeeds {
    static func int32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    static func int16(_ v: Int16) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    static func cString(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }

    static func startup(user: String = "fuzz", database: String = "tarn") -> [UInt8] {
        let body = int32(196_608) + cString("user") + cString(user) + cString("database") + cString(database)
            + cString("application_name") + cString("fuzz") + [0]
        return int32(Int32(body.count + 4)) + body
    }

    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        [type.asciiValue ?? 0] + int32(Int32(body.count + 4)) + body
    }

    static func query(_ sql: String) -> [UInt8] { message("Q", cString(sql)) }
    static func parse(_ name: String, _ sql: String, types: [Int32]) -> [UInt8] {
        message("P", cString(name) + cString(sql) + int16(Int16(types.count)) + types.flatMap(int32))
    }
    /// Bind with one format code per parameter (nil value = NULL) and the given result formats.
    static func bind(_ portal: String, _ statement: String, parameters: [(format: Int16, value: [UInt8]?)], results: [Int16]) -> [UInt8] {
        var body = cString(portal) + cString(statement) + int16(Int16(parameters.count)) + parameters.flatMap { int16($0.format) }
        body += int16(Int16(parameters.count))
        for p in parameters { body += p.value.map { int32(Int32($0.count)) + $0 } ?? int32(-1) }
        body += int16(Int16(results.count)) + results.flatMap(int16)
        return message("B", body)
    }
    static func describe(_ kind: Character, _ name: String) -> [UInt8] { message("D", [kind.asciiValue ?? 0] + cString(name)) }
    static func close(_ kind: Character, _ name: String) -> [UInt8] { message("C", [kind.asciiValue ?? 0] + cString(name)) }
    static func execute(_ portal: String, maxRows: Int32) -> [UInt8] { message("E", cString(portal) + int32(maxRows)) }
    static let sync = message("S", []), flush = message("H", []), terminate = message("X", [])
    static let sslRequest = int32(8) + int32(80_877_103)

    static let sessions: [[UInt8]] = [
        [0] + startup() + query("SELECT * FROM t1; SELECT a1, a3 FROM t0 WHERE a0 > 0 ORDER BY 1") + terminate,
        [0] + sslRequest + startup() + query("BEGIN") + query("SELECT 1/0") + query("ROLLBACK") + query("SELECT 1") + terminate,
        [0] + startup() + parse("s1", "SELECT a, b FROM t1 WHERE a > $1", types: [23])
            + bind("", "s1", parameters: [(0, Array("100".utf8))], results: [1]) + describe("P", "") + execute("", maxRows: 1)
            + execute("", maxRows: 0) + sync + close("S", "s1") + sync + terminate,
        [0] + startup() + parse("", "SELECT $1::bigint + 1, $2::varchar, $3::date", types: [20, 25, 0])
            + bind("", "", parameters: [(1, int32(0) + int32(42)), (0, Array("x".utf8)), (0, nil)], results: [1, 0, 1])
            + describe("S", "") + execute("", maxRows: 0) + sync + flush + terminate,
        [0] + startup() + parse("", "SELEC broken", types: []) + bind("", "", parameters: [], results: [])
            + execute("", maxRows: 0) + sync + query("SELECT b0, b2 FROM t2") + terminate,
        [0] + startup() + query("SELECT oid, typname FROM pg_catalog.pg_type LIMIT 5")
            + query("SHOW TRANSACTION ISOLATION LEVEL") + query("SET DateStyle = 'ISO'")
            + query("SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace")
            + terminate,
        [1] + startup() + message("p", cString("SCRAM-SHA-256") + int32(28) + Array("n,,n=fuzz,r=abcdefghijklmnop".utf8)) + terminate,
        [0] + int32(16) + int32(80_877_102) + int32(1) + int32(2),
        [0] + startup() + query("INSERT INTO t1 VALUES (1, 2, 3, 4, 5)") + query("DESCRIBE t0") + terminate,
    ]

    static let dictionary: [[UInt8]] = [
        Array("Q".utf8), Array("P".utf8), Array("B".utf8), Array("D".utf8), Array("E".utf8), Array("S".utf8),
        Array("H".utf8), Array("X".utf8), Array("C".utf8), Array("p".utf8), int32(4), int32(8), int32(-1), int32(0),
        int32(0x7FFF_FFFF), int16(-1), int16(1), int32(196_608), int32(80_877_103), cString("user"), cString("database"),
        cString("SCRAM-SHA-256"), Array("n,,n=,r=".utf8), Array("c=biws,r=".utf8), Array(",p=".utf8), Array("$1".utf8),
        Array("SELECT ".utf8), Array(" FROM t1".utf8), Array("pg_catalog.".utf8), Array("BEGIN".utf8), Array("COMMIT".utf8),
        Array("::int4".utf8), Array("::timestamp".utf8), Array("::numeric".utf8),
    ]
}
