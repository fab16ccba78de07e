import Foundation
import CLibPQ
import Storage

/// One libpq connection to a PostgreSQL server. Credentials are libpq's business (the DSN, `PGPASSWORD`,
/// `~/.pgpass`); every message this type raises is scrubbed of the password and names the server only as
/// `user@host:port/db`.
public final class PostgresConnection: @unchecked Sendable {
    public let dsn: ConnectionString
    let conn: OpaquePointer

    /// Connects, waiting at most `connectTimeout` seconds (unless the DSN sets `connect_timeout` itself).
    public init(_ dsn: ConnectionString, connectTimeout: Int = 10) throws {
        self.dsn = dsn
        // Earlier keywords are overridden by what the DSN (expanded from `dbname`) says.
        let keywords = ["connect_timeout", "application_name", "client_encoding", "dbname"]
        let values = [String(connectTimeout), "tarn", "UTF8", dsn.raw]
        let kw = keywords.map { strdup($0) }
        let vs = values.map { strdup($0) }
        defer { kw.forEach { free($0) }; vs.forEach { free($0) } }
        var kwp: [UnsafePointer<CChar>?] = kw.map { UnsafePointer($0) } + [nil]
        var vsp: [UnsafePointer<CChar>?] = vs.map { UnsafePointer($0) } + [nil]
        guard let c = PQconnectdbParams(&kwp, &vsp, 1) else {
            throw TarnError.io("PostgreSQL \(dsn.redacted): out of memory while connecting")
        }
        guard PQstatus(c) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(c)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(c)
            throw TarnError.io("cannot connect to PostgreSQL \(dsn.redacted): \(dsn.scrub(message))")
        }
        conn = c
    }

    deinit { PQfinish(conn) }

    func errorText() -> String {
        dsn.scrub(String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func failure(_ doing: String) -> TarnError {
        TarnError.io("PostgreSQL \(dsn.redacted): \(doing): \(errorText())")
    }

    /// Runs `sql` with text parameters and returns its rows as text (NULL as nil). For catalog queries.
    public func query(_ sql: String, _ parameters: [String] = []) throws -> [[String?]] {
        let copies = parameters.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
        guard let result = PQexecParams(conn, sql, Int32(parameters.count), nil, &pointers, nil, nil, 0) else {
            throw failure("running a catalog query")
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw TarnError.io("PostgreSQL \(dsn.redacted): \(dsn.scrub(String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        let rows = PQntuples(result), columns = PQnfields(result)
        return (0..<rows).map { r in
            (0..<columns).map { c in PQgetisnull(result, r, c) != 0 ? nil : String(cString: PQgetvalue(result, r, c)) }
        }
    }

    /// Runs a statement that returns no rows (`BEGIN`, `SET TRANSACTION SNAPSHOT …`).
    public func execute(_ sql: String) throws { _ = try query(sql) }

    /// Starts `COPY … TO STDOUT`; then `nextCopyRow` until it returns nil.
    func startCopy(_ sql: String) throws {
        guard let result = PQexec(conn, sql) else { throw failure("starting COPY") }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COPY_OUT else {
            throw TarnError.io("PostgreSQL \(dsn.redacted): \(dsn.scrub(String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
    }

    /// The next CopyData message (one row, the first one preceded by the header), or nil at the end. The
    /// buffer is valid until the next call; the caller frees nothing.
    func nextCopyMessage(_ buffer: inout UnsafeMutablePointer<CChar>?) throws -> UnsafeBufferPointer<UInt8>? {
        if let b = buffer { PQfreemem(b); buffer = nil }
        var data: UnsafeMutablePointer<CChar>?
        let n = PQgetCopyData(conn, &data, 0)
        if n > 0, let data {
            buffer = data
            return UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: Int(n))
        }
        if n == -2 { throw failure("reading COPY data") }
        // -1: the copy is done; the final result says whether it succeeded.
        while let result = PQgetResult(conn) {
            defer { PQclear(result) }
            if PQresultStatus(result) != PGRES_COMMAND_OK {
                throw TarnError.io("PostgreSQL \(dsn.redacted): \(dsn.scrub(String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)))")
            }
        }
        return nil
    }

    /// Abandons a COPY in progress (the query stopped reading early): cancels it on the server and drains.
    func cancelCopy() {
        if let cancel = PQgetCancel(conn) {
            var errbuf = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &errbuf, 256)
            PQfreeCancel(cancel)
        }
        var data: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(conn, &data, 0) > 0 { if let d = data { PQfreemem(d); data = nil } }
        while let result = PQgetResult(conn) { PQclear(result) }
    }

    /// Quotes an identifier for PostgreSQL.
    public static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Quotes a string literal for PostgreSQL (standard_conforming_strings on, the default since 9.1).
    public static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
