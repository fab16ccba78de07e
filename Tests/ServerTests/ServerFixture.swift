import Foundation
import Server
import Tarn
import XCTest

/// A server on an ephemeral loopback port over a fresh temporary lake with users `alice` (read/write)
/// and `reader` (READ ONLY), and a small table `t`.
class ServerTestCase: XCTestCase {
    var lakePath = ""
    var server: PostgresServer?
    var port: Int { server?.port ?? 0 }

    override func setUpWithError() throws {
        lakePath = NSTemporaryDirectory() + "tarn-server-test-\(UUID().uuidString)"
        let database = try Database.open(lakePath)
        try database.connect().execute("""
            CREATE TABLE t(id INTEGER, name VARCHAR, price DECIMAL(10,2), d DATE, ts TIMESTAMP, ok BOOLEAN, x DOUBLE, big BIGINT);
            INSERT INTO t VALUES (1, 'a', 1.50, '2024-01-02', '2024-01-02 03:04:05.25', true, 1.5, 9000000000),
                                 (2, 'b', -20.05, '1999-12-31', '1970-01-01 00:00:00', false, -0.25, -1),
                                 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            """)
        var configuration = ServerConfiguration(port: 0, maxConnections: 8)
        configureServer(&configuration)
        let s = try PostgresServer(database: database, configuration: configuration)
        try s.users.setUser("alice", password: "s3cret", readOnly: false)
        try s.users.setUser("reader", password: "look", readOnly: true)
        try s.start()
        server = s
    }

    /// Changes the server's configuration before it starts (subclasses).
    func configureServer(_ configuration: inout ServerConfiguration) {}

    override func tearDownWithError() throws {
        try server?.stop()
        try? FileManager.default.removeItem(atPath: lakePath)
    }

    /// A connected, authenticated client as `alice`.
    func connect(user: String = "alice", password: String = "s3cret") throws -> WireClient {
        let c = try WireClient(port: port)
        let messages = try c.startup(user: user, password: password)
        XCTAssertEqual(messages.last?.type, "Z", "startup failed: \(messages.map { $0.fields })")
        return c
    }
}
