import Foundation
import CMariaDB
import Storage

/// One MariaDB Connector/C connection to a MySQL or MariaDB server, in UTC and utf8mb4. The password comes from
/// the DSN or `MYSQL_PWD`; messages name the server as `user@host:port/db` only and are scrubbed of the password.
public final class MySQLConnection: @unchecked Sendable {
    public let dsn: ConnectionString
    let handle: UnsafeMutablePointer<MYSQL>

    public init(_ dsn: ConnectionString, connectTimeout: UInt32 = 10) throws {
        self.dsn = dsn
        guard let h = mysql_init(nil) else { throw TarnError.io("MySQL \(dsn.redacted): out of memory") }
        var timeout = connectTimeout
        mysql_options(h, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        mysql_options(h, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        let p = dsn.parameters
        let host = p["host"] ?? "localhost"
        let port = UInt32(p["port"] ?? "") ?? 0
        let password = p["password"] ?? ProcessInfo.processInfo.environment["MYSQL_PWD"]
        let database = p["dbname"] ?? p["database"] ?? p["db"]
        guard mysql_real_connect(h, host, p["user"], password, database, port, p["socket"], 0) != nil else {
            let message = dsn.scrub(String(cString: mysql_error(h)))
            mysql_close(h)
            throw TarnError.io("cannot connect to MySQL \(dsn.redacted): \(message)")
        }
        handle = h
        try execute("SET time_zone = '+00:00'")
    }

    deinit { mysql_close(handle) }

    func failure(_ doing: String) -> TarnError {
        TarnError.io("MySQL \(dsn.redacted): \(doing): \(dsn.scrub(String(cString: mysql_error(handle))))")
    }

    public func execute(_ sql: String) throws {
        guard mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else { throw failure("running \(sql.prefix(200))") }
        if let r = mysql_store_result(handle) { mysql_free_result(r) }
    }

    /// Runs `sql` and returns its rows as text (NULL as nil). For catalog queries.
    public func query(_ sql: String) throws -> [[String?]] {
        guard mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else { throw failure("running a catalog query") }
        guard let result = mysql_store_result(handle) else { return [] }
        defer { mysql_free_result(result) }
        let n = Int(mysql_num_fields(result))
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result) {
            rows.append((0..<n).map { i in row[i].map { String(cString: $0) } })
        }
        return rows
    }

    /// Starts an unbuffered (`mysql_use_result`) read of `sql`: rows stream from the server as they are fetched.
    func stream(_ sql: String) throws -> UnsafeMutablePointer<MYSQL_RES> {
        guard mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else { throw failure("running \(sql.prefix(300))") }
        guard let result = mysql_use_result(handle) else { throw failure("starting to read rows") }
        return result
    }

    /// Quotes an identifier for MySQL.
    public static func quote(_ name: String) -> String { "`" + name.replacingOccurrences(of: "`", with: "``") + "`" }

    /// Quotes a string literal for MySQL (backslashes and quotes escaped).
    public static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// How one MySQL column is read (the text protocol) and the Tarn type it becomes.
public struct MySQLColumn: Sendable {
    public enum Kind: Sendable { case integer, boolean, double, decimal, text, date, datetime }
    public var name: String
    public var kind: Kind
    public var type: DataType
    /// `COLUMN_TYPE`, e.g. `decimal(12,2)`, `int(10) unsigned`.
    public var declared: String

    /// The mapping from information_schema's DATA_TYPE / COLUMN_TYPE.
    public init(name: String, dataType: String, columnType: String, precision: Int?, scale: Int?) {
        self.name = name
        declared = columnType
        let unsigned = columnType.lowercased().contains("unsigned")
        switch dataType.lowercased() {
        case "tinyint" where columnType.lowercased().hasPrefix("tinyint(1)"):
            kind = .boolean; type = .boolean
        case "tinyint", "smallint", "mediumint", "year":
            kind = .integer; type = .integer
        case "int", "integer":
            kind = .integer; type = unsigned ? .bigint : .integer
        case "bigint":
            kind = .integer; type = .bigint
        case "float", "double", "real":
            kind = .double; type = .double
        case "decimal", "numeric":
            if let p = precision, let s = scale, p >= 1, p <= DataType.maxInt64DecimalPrecision, s <= p {
                kind = .decimal; type = .decimal(precision: p, scale: s)
            } else {
                kind = .double; type = .double
            }
        case "date":
            kind = .date; type = .date
        case "datetime", "timestamp":
            kind = .datetime; type = .timestamp
        default:
            kind = .text; type = .varchar
        }
    }
}

/// A table of an attached MySQL database.
public struct MySQLTable: Sendable {
    public var dsn: ConnectionString
    public var database: String
    public var name: String
    public var columns: [MySQLColumn]

    public var fields: [Field] { columns.map { Field(name: $0.name, type: $0.type) } }
    public var quotedName: String { MySQLConnection.quote(database) + "." + MySQLConnection.quote(name) }
    public var displayName: String { "\(database).\(name)" }

    /// Looks the table up; nil when the database has no such table or view.
    public static func describe(_ connection: MySQLConnection, database: String, table: String) throws -> MySQLTable? {
        let rows = try connection.query("""
            SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = \(MySQLConnection.literal(database)) AND TABLE_NAME = \(MySQLConnection.literal(table))
            ORDER BY ORDINAL_POSITION
            """)
        guard !rows.isEmpty else { return nil }
        let columns = rows.map { r in
            MySQLColumn(name: r[0] ?? "?", dataType: r[1] ?? "", columnType: r[2] ?? "", precision: r[3].flatMap { Int($0) }, scale: r[4].flatMap { Int($0) })
        }
        return MySQLTable(dsn: connection.dsn, database: database, name: table, columns: columns)
    }

    /// The current database of a connection (the DSN's).
    public static func currentDatabase(_ connection: MySQLConnection) throws -> String? {
        try connection.query("SELECT DATABASE()").first?.first ?? nil
    }
}
