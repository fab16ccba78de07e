import Foundation
@testable import Server
import Tarn
import Storage
import XCTest

/// Over the wire: `SET memory_limit` reaches the session, an operator past it fails with SQLSTATE 53200 and the
/// connection stays usable; `SET temp_directory` is a file path, confined like COPY to the folders the server allows.
final class MemoryLimitWireTests: XCTestCase {
    var root = ""
    var server: PostgresServer?

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "tarn-wire-memory-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/allowed", withIntermediateDirectories: true)
        let database = try Database.open(root + "/lake")
        var configuration = ServerConfiguration(port: 0, maxConnections: 4)
        configuration.allowedPaths = [root + "/allowed"]
        let s = try PostgresServer(database: database, configuration: configuration)
        try s.users.setUser("alice", password: "s3cret", readOnly: false)
        try s.start()
        server = s
    }

    override func tearDownWithError() throws {
        try server?.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    func testOutOfMemoryIs53200AndTheConnectionStaysUsable() throws {
        let c = try WireClient(port: server?.port ?? 0)
        XCTAssertEqual(try c.startup(user: "alice", password: "s3cret").last?.type, "Z")
        XCTAssertNil(try c.query("SET memory_limit = '64KB'").first { $0.type == "E" })
        let error = try XCTUnwrap(try c.query("SELECT count(*) FROM (SELECT DISTINCT generate_series % 40000 AS x FROM generate_series(1, 100000)) d")
            .first { $0.type == "E" })
        XCTAssertEqual(error.fields["C"], "53200")
        XCTAssertTrue(error.fields["M"]?.hasPrefix("out of memory: DISTINCT needs more than memory_limit 64KB; raise it with SET memory_limit") ?? false,
                      "\(error.fields)")
        XCTAssertNil(try c.query("RESET memory_limit").first { $0.type == "E" })
        XCTAssertEqual(try c.query("SELECT count(*) FROM (SELECT DISTINCT generate_series % 40000 AS x FROM generate_series(1, 100000)) d")
            .first { $0.type == "D" }?.textValues, ["40000"])
    }

    func testTempDirectoryOutsideTheAllowedFoldersIsRefused() throws {
        let c = try WireClient(port: server?.port ?? 0)
        XCTAssertEqual(try c.startup(user: "alice", password: "s3cret").last?.type, "Z")
        XCTAssertEqual(try c.query("SET temp_directory = '\(root)/elsewhere'").first { $0.type == "E" }?.fields["C"], "42501")
        XCTAssertNil(try c.query("SET temp_directory = '\(root)/allowed/spill'").first { $0.type == "E" })
        XCTAssertEqual(ErrorTranslation.sqlState(TarnError(.outOfMemory, "out of memory: sort needs more")), "53200")
    }
}
