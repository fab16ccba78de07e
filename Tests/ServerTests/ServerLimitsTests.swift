import Foundation
@testable import Server
import Tarn
import XCTest

/// The server's limits: server-side file access confined to `allowedPaths` (42501 outside, nothing written),
/// `statement_timeout` (57014, the connection stays usable) and the idle timeout (FATAL 57P05, but never
/// while a statement runs).
final class ServerLimitsTests: XCTestCase {
    var root = ""
    var allowed = ""
    var outside = ""
    var server: PostgresServer?
    var port: Int { server?.port ?? 0 }

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "tarn-limits-\(UUID().uuidString)"
        allowed = root + "/allowed"
        outside = root + "/outside"
        for dir in [allowed, outside] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try "a,b\n1,x\n2,y\n".write(toFile: allowed + "/in.csv", atomically: true, encoding: .utf8)
        try "a,b\n9,secret\n".write(toFile: outside + "/secret.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: allowed + "/escape", withDestinationPath: outside)
        let database = try Database.open(root + "/lake")
        try database.connect().execute("CREATE TABLE t(id INTEGER)")
        var configuration = ServerConfiguration(port: 0, maxConnections: 8)
        configuration.allowedPaths = [allowed]
        configuration.idleTimeout = 0.6
        let s = try PostgresServer(database: database, configuration: configuration)
        try s.users.setUser("alice", password: "s3cret", readOnly: false)
        try s.start()
        server = s
    }

    override func tearDownWithError() throws {
        try server?.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    private func connect() throws -> WireClient {
        let c = try WireClient(port: port)
        let messages = try c.startup(user: "alice", password: "s3cret")
        XCTAssertEqual(messages.last?.type, "Z", "startup failed: \(messages.map { $0.fields })")
        return c
    }

    private func sqlState(_ c: WireClient, _ sql: String) throws -> String? {
        try c.query(sql).first { $0.type == "E" }?.fields["C"]
    }

    func testFilesInsideTheAllowedFolderWork() throws {
        let c = try connect()
        XCTAssertNil(try sqlState(c, "SELECT * FROM read_csv('\(allowed)/in.csv')"))
        XCTAssertEqual(try c.query("SELECT count(*) FROM '\(allowed)/in.csv'").first { $0.type == "D" }?.textValues, ["2"])
        XCTAssertNil(try sqlState(c, "COPY (SELECT 1 AS x) TO '\(allowed)/out.csv'"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: allowed + "/out.csv"))
        XCTAssertNotEqual(try sqlState(c, "COPY INTO t FROM '\(allowed)/in.csv'"), "42501")
    }

    func testFilesOutsideAreRefusedWith42501AndNothingIsWritten() throws {
        let c = try connect()
        for sql in ["SELECT * FROM read_csv('\(outside)/secret.csv')",
                    "SELECT * FROM '\(outside)/secret.csv'",
                    "SELECT * FROM read_csv('\(allowed)/../outside/secret.csv')",
                    "SELECT * FROM read_csv('\(allowed)/escape/secret.csv')",
                    "SELECT * FROM read_csv('\(outside)/*.csv')",
                    "SELECT * FROM read_csv('/etc/passwd')",
                    "SELECT * FROM read_parquet(ARRAY['\(allowed)/x.parquet', '\(outside)/y.parquet'])",
                    "SELECT * FROM sqlite_scan('\(outside)/x.db', 't')",
                    "COPY (SELECT 1 AS x) TO '\(outside)/out.csv'",
                    "COPY INTO t FROM '\(outside)/secret.csv'",
                    "ATTACH '\(outside)/x.db' AS x (TYPE sqlite)"] {
            XCTAssertEqual(try sqlState(c, sql), "42501", sql)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: outside + "/out.csv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: outside + "/x.db"))
        XCTAssertEqual(try c.query("SELECT count(*) FROM t").first { $0.type == "D" }?.textValues, ["0"])
    }

    func testStatementTimeoutCancelsAndTheConnectionGoesOn() throws {
        let c = try connect()
        XCTAssertNil(try sqlState(c, "SET statement_timeout = '300ms'"))
        let started = Date()
        let state = try sqlState(c, "SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = 7")
        XCTAssertEqual(state, "57014")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the statement stops soon after its timeout")
        XCTAssertEqual(try c.query("SELECT 42").first { $0.type == "D" }?.textValues, ["42"])
        XCTAssertNil(try sqlState(c, "SET statement_timeout = 0"))
        XCTAssertNil(try sqlState(c, "SELECT count(*) FROM range(1000)"))
    }

    func testIdleConnectionsAreClosedWith57P05ButNotWhileAStatementRuns() throws {
        let busy = try connect()
        // Runs longer than the idle timeout (0.6 s): it ends by its statement timeout, not by idleness.
        XCTAssertNil(try sqlState(busy, "SET statement_timeout = '1500ms'"))
        XCTAssertEqual(try sqlState(busy, "SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = 7"), "57014")
        XCTAssertEqual(try busy.query("SELECT 1").first { $0.type == "D" }?.textValues, ["1"])

        let idle = try connect()
        Thread.sleep(forTimeInterval: 1.2)
        let message = try idle.read()
        XCTAssertEqual(message.type, "E")
        XCTAssertEqual(message.fields["C"], "57P05")
        XCTAssertEqual(message.fields["S"], "FATAL")
        XCTAssertThrowsError(try idle.read(), "the server closes the connection")
    }
}

/// md5 password authentication with `allowMD5`: users stored with an md5 verifier get the md5 exchange (the
/// PostgreSQL client's answer, computed here as libpq does), others keep SCRAM; a wrong password is 28P01.
final class ServerMD5Tests: XCTestCase {
    var lakePath = ""
    var server: PostgresServer?

    override func setUpWithError() throws {
        lakePath = NSTemporaryDirectory() + "tarn-md5-\(UUID().uuidString)"
        var configuration = ServerConfiguration(port: 0, maxConnections: 4)
        configuration.allowMD5 = true
        let s = try PostgresServer(database: try Database.open(lakePath), configuration: configuration)
        try s.users.setUser("old", password: "pw1", readOnly: false, storeMD5: true)
        try s.users.setUser("modern", password: "pw2", readOnly: false)
        try s.start()
        server = s
    }

    override func tearDownWithError() throws {
        try server?.stop()
        try? FileManager.default.removeItem(atPath: lakePath)
    }

    private func md5Startup(user: String, password: String) throws -> [WireClient.Message] {
        let c = try WireClient(port: server?.port ?? 0)
        var body = c.be32(196_608)
        for (k, v) in [("user", user), ("database", "tarn")] { body += c.cstr(k) + c.cstr(v) }
        body.append(0)
        c.send(nil, body)
        let challenge = try c.read()
        XCTAssertEqual(challenge.type, "R")
        var r = WireClient.Reader(challenge.body)
        XCTAssertEqual(r.int32(), 5, "AuthenticationMD5Password")
        let salt = r.bytes(4)
        let inner = MD5Password.hex(Array((password + user).utf8))
        c.send("p", c.cstr("md5" + MD5Password.hex(Array(inner.utf8) + salt)))
        let next = try c.read()
        return next.type == "R" ? [next] + (try c.readUntilReady()) : [next]
    }

    func testMD5UserAuthenticatesAndWrongPasswordIs28P01() throws {
        XCTAssertEqual(try md5Startup(user: "old", password: "pw1").last?.type, "Z")
        XCTAssertEqual(try md5Startup(user: "old", password: "nope").last?.fields["C"], "28P01")
        XCTAssertEqual(try md5Startup(user: "nobody", password: "pw1").last?.fields["C"], "28P01")
    }

    func testUsersWithoutAnMD5VerifierKeepSCRAM() throws {
        let c = try WireClient(port: server?.port ?? 0)
        XCTAssertEqual(try c.startup(user: "modern", password: "pw2").last?.type, "Z")
        XCTAssertEqual(try server?.users.user("modern")?.md5, nil, "no md5 verifier unless asked for")
        XCTAssertEqual(try server?.users.user("old")?.md5, "md5" + MD5Password.hex(Array("pw1old".utf8)))
    }
}
