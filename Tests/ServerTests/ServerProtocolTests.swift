import Foundation
@testable import Server
import XCTest

/// Talks the wire protocol to a real server: startup, SCRAM, simple and extended queries, errors.
final class ServerProtocolTests: ServerTestCase {
    func testStartupAnnouncesParametersAndBackendKey() throws {
        let c = try WireClient(port: port)
        let messages = try c.startup(user: "alice", password: "s3cret")
        var status: [String: String] = [:]
        for m in messages where m.type == "S" {
            let parts = m.body.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            status[parts[0]] = parts[1]
        }
        XCTAssertEqual(status["server_version"], "15.0 (Tarn)")
        XCTAssertEqual(status["client_encoding"], "UTF8")
        XCTAssertEqual(status["DateStyle"], "ISO, MDY")
        XCTAssertEqual(status["TimeZone"], "UTC")
        XCTAssertEqual(status["integer_datetimes"], "on")
        XCTAssertEqual(status["standard_conforming_strings"], "on")
        XCTAssertEqual(messages.filter { $0.type == "K" }.count, 1)
        XCTAssertEqual(messages.last?.body, [UInt8(ascii: "I")])
    }

    func testWrongPasswordAndUnknownUserAreRefusedWith28P01() throws {
        for (user, password) in [("alice", "wrong"), ("mallory", "s3cret")] {
            let c = try WireClient(port: port)
            let messages = try c.startup(user: user, password: password)
            XCTAssertEqual(messages.last?.type, "E")
            XCTAssertEqual(messages.last?.fields["C"], "28P01")
            XCTAssertEqual(messages.last?.fields["S"], "FATAL")
            XCTAssertThrowsError(try c.read(), "the server must close the connection")
        }
    }

    func testSimpleQueryWithSeveralStatements() throws {
        let c = try connect()
        let m = try c.query("SELECT id, name FROM t ORDER BY id; SELECT count(*) AS n FROM t WHERE ok")
        XCTAssertEqual(m.map(\.type), ["T", "D", "D", "D", "C", "T", "D", "C", "Z"])
        XCTAssertEqual(m[0].columns.map(\.name), ["id", "name"])
        XCTAssertEqual(m[0].columns.map(\.oid), [23, 25])
        XCTAssertEqual(m[1].textValues, ["1", "a"])
        XCTAssertEqual(m[3].textValues, ["3", nil])
        XCTAssertEqual(m[4].tag, "SELECT 3")
        XCTAssertEqual(m[6].textValues, ["1"])
        XCTAssertEqual(m[7].tag, "SELECT 1")
    }

    func testTextFormatOfEachType() throws {
        let c = try connect()
        let m = try c.query("SELECT id, name, price, d, ts, ok, x, big FROM t WHERE id = 1")
        XCTAssertEqual(m[0].columns.map(\.oid), [23, 25, 1700, 1082, 1114, 16, 701, 20])
        XCTAssertEqual(m[1].textValues, ["1", "a", "1.50", "2024-01-02", "2024-01-02 03:04:05.25", "t", "1.5", "9000000000"])
    }

    /// ROW and MAP values (like arrays) go out as text (25) in the form Tarn prints them.
    func testRowsAndMapsAreSentAsText() throws {
        let c = try connect()
        let m = try c.query("SELECT CAST(ROW(1, 'a') AS ROW(x INTEGER, y VARCHAR)) AS r, MAP(ARRAY['k'], ARRAY[2]) AS m, zip(ARRAY[1], ARRAY['z']) AS z")
        XCTAssertEqual(m[0].columns.map(\.oid), [25, 25, 25])
        XCTAssertEqual(m[1].textValues, ["{'x': 1, 'y': a}", "{k=2}", "[{'field0': 1, 'field1': z}]"])
    }

    /// TIMESTAMP WITH TIME ZONE is timestamptz (1184), its text PostgreSQL's in the session zone; SET TIME ZONE
    /// changes that zone and is reported with a ParameterStatus, as PostgreSQL does.
    func testTimestampWithTimeZoneFollowsTheSessionZone() throws {
        let c = try connect()
        var m = try c.query("SELECT TIMESTAMPTZ '2024-03-10 12:00:00+00' AS at")
        XCTAssertEqual(m[0].columns.map(\.oid), [1184])
        XCTAssertEqual(m[1].textValues, ["2024-03-10 12:00:00+00"])
        m = try c.query("SET TIME ZONE 'Asia/Kolkata'")
        XCTAssertEqual(m.map(\.type), ["S", "C", "Z"])
        m = try c.query("SELECT TIMESTAMPTZ '2024-03-10 12:00:00+00' AS at, current_setting('TimeZone') AS z")
        XCTAssertEqual(m[1].textValues, ["2024-03-10 17:30:00+05:30", "Asia/Kolkata"])
        m = try c.query("SET TIME ZONE 'Nowhere/Land'")
        XCTAssertEqual(m.first?.type, "E")
        // A TimeZone in the startup packet (pgJDBC sends the JVM's) is the session's zone, and announced as such.
        let tokyo = try WireClient(port: port)
        let startup = try tokyo.startup(user: "alice", password: "s3cret", parameters: [("TimeZone", "Asia/Tokyo")])
        XCTAssertTrue(startup.contains { $0.type == "S" && $0.body.starts(with: Array("TimeZone\0Asia/Tokyo".utf8)) })
        XCTAssertEqual(try tokyo.query("SELECT TIMESTAMPTZ '2024-03-10 12:00:00+00'")[1].textValues, ["2024-03-10 21:00:00+09"])
    }

    func testCommandTagsAndEmptyQuery() throws {
        let c = try connect()
        var m = try c.query("INSERT INTO t(id, name) VALUES (10, 'x'), (11, 'y')")
        XCTAssertEqual(m.first?.tag, "INSERT 0 2")
        m = try c.query("UPDATE t SET name = 'z' WHERE id >= 10")
        XCTAssertEqual(m.first?.tag, "UPDATE 2")
        m = try c.query("DELETE FROM t WHERE id = 11")
        XCTAssertEqual(m.first?.tag, "DELETE 1")
        m = try c.query("  ; ")
        XCTAssertEqual(m.map(\.type), ["I", "Z"])
    }

    func testErrorSQLStatesAndPosition() throws {
        let c = try connect()
        let cases: [(String, String)] = [
            ("SELEC 1", "42601"), ("SELECT * FROM missing_table", "42P01"), ("SELECT nope FROM t", "42703"),
            ("SELECT no_such_function(1)", "42883"), ("SELECT 1 / 0", "22012"), ("SELECT 9223372036854775807 + 1", "22003"),
        ]
        for (sql, state) in cases {
            let m = try c.query(sql)
            // Errors found while rows stream come after RowDescription, as in PostgreSQL.
            XCTAssertEqual(Array(m.map(\.type).suffix(2)), ["E", "Z"], sql)
            XCTAssertFalse(m.contains { $0.type == "D" || $0.type == "C" }, sql)
            XCTAssertEqual(m.first { $0.type == "E" }?.fields["C"], state, sql)
        }
        let syntax = try c.query("SELECT 1;\nSELECT * FROM missing_table")
        let error = try XCTUnwrap(syntax.first { $0.type == "E" })
        XCTAssertEqual(error.fields["M"], "table or view 'missing_table' does not exist")
        XCTAssertEqual(error.fields["P"], "25", "position counts from the start of the whole query text")
        // After an error the connection still serves.
        XCTAssertEqual(try c.query("SELECT 7")[1].textValues, ["7"])
    }

    func testExtendedQueryWithParametersAndRowLimit() throws {
        let c = try connect()
        c.parse("q", "SELECT id, name FROM t WHERE id >= $1 ORDER BY id", types: [23])
        c.bind(portal: "p", statement: "q", formats: [1], parameters: [c.be32(1)], resultFormats: [1, 0])
        c.describe("P", "p")
        c.execute("p", maxRows: 2)
        c.execute("p", maxRows: 2)
        c.sync()
        let m = try c.readUntilReady()
        XCTAssertEqual(m.map(\.type), ["1", "2", "T", "D", "D", "s", "D", "C", "Z"])
        XCTAssertEqual(m[2].columns.map(\.format), [1, 0])
        XCTAssertEqual(m[3].values[0], c.be32(1), "int4 in binary")
        XCTAssertEqual(m[4].textValues[1], "b")
        XCTAssertEqual(m[6].values[1], nil)
        XCTAssertEqual(m[7].tag, "SELECT 1")
    }

    func testDescribeStatementInfersCastParameterTypes() throws {
        let c = try connect()
        c.parse("s", "SELECT $1::int8 AS a, $2 AS b, name FROM t WHERE id = $1::int8")
        c.describe("S", "s")
        c.bind(statement: "s", formats: [0], parameters: [Array("2".utf8), Array("it's".utf8)], resultFormats: [1])
        c.execute()
        c.sync()
        let m = try c.readUntilReady()
        XCTAssertEqual(m.map(\.type), ["1", "t", "T", "2", "D", "C", "Z"])
        var r = WireClient.Reader(m[1].body)
        XCTAssertEqual(r.int16(), 2)
        XCTAssertEqual([r.int32(), r.int32()], [20, 25])
        XCTAssertEqual(m[2].columns.map(\.oid), [20, 25, 25])
        XCTAssertEqual(m[4].values[0], withUnsafeBytes(of: Int64(2).bigEndian) { Array($0) })
        XCTAssertEqual(m[4].values[1], Array("it's".utf8), "a quote in a parameter stays data")
        XCTAssertEqual(m[4].values[2], Array("b".utf8))
    }

    func testBinaryResultsOfEachType() throws {
        let c = try connect()
        c.parse("", "SELECT price, d, ts, ok, x, big FROM t WHERE id = 2")
        c.bind(parameters: [], resultFormats: [1])
        c.execute()
        c.sync()
        let m = try c.readUntilReady()
        let row = try XCTUnwrap(m.first { $0.type == "D" }).values
        // numeric -20.05: 2 digits, weight 0, negative, dscale 2, digits 20 and 500.
        XCTAssertEqual(row[0], c.be16(2) + c.be16(0) + [0x40, 0] + c.be16(2) + c.be16(20) + c.be16(500))
        XCTAssertEqual(row[1], c.be32(-1), "1999-12-31 is day -1 from 2000-01-01")
        XCTAssertEqual(row[2], withUnsafeBytes(of: (-946_684_800_000_000 as Int64).bigEndian) { Array($0) })
        XCTAssertEqual(row[3], [0])
        XCTAssertEqual(row[4], withUnsafeBytes(of: (-0.25).bitPattern.bigEndian) { Array($0) })
        XCTAssertEqual(row[5], withUnsafeBytes(of: Int64(-1).bigEndian) { Array($0) })
    }

    func testErrorInExtendedModeDiscardsUntilSync() throws {
        let c = try connect()
        c.parse("", "SELECT * FROM missing_table")
        c.bind(parameters: [])
        c.execute()
        c.parse("", "SELECT 1")
        c.bind(parameters: [])
        c.execute()
        c.sync()
        let m = try c.readUntilReady()
        // Tarn resolves names when the portal runs, so the error comes at Execute; the second
        // Parse/Bind/Execute is skipped.
        XCTAssertEqual(m.map(\.type), ["1", "2", "E", "Z"])
        XCTAssertEqual(m[2].fields["C"], "42P01")
        c.parse("", "SELECT 1")
        c.bind(parameters: [])
        c.execute()
        c.sync()
        XCTAssertEqual(try c.readUntilReady().map(\.type), ["1", "2", "D", "C", "Z"])
    }

    func testReadOnlyUserCannotWrite() throws {
        let c = try connect(user: "reader", password: "look")
        let m = try c.query("INSERT INTO t(id) VALUES (99)")
        XCTAssertEqual(m.first?.fields["C"], "25006")
        XCTAssertEqual(try c.query("SELECT count(*) FROM t")[1].textValues, ["3"], "the table is unchanged")
        XCTAssertEqual(try c.query("DROP TABLE t").first?.fields["C"], "25006")
    }

    /// Each connection is its own session: its block's writes are invisible to others until COMMIT, ROLLBACK undoes
    /// them, ReadyForQuery reports I / T / E, and an error fails the block so COMMIT answers ROLLBACK.
    func testTransactionBlocksCommitAtomicallyAndRollBack() throws {
        let c = try connect(), other = try connect()
        XCTAssertEqual(try c.query("BEGIN").last?.body, [UInt8(ascii: "T")])
        XCTAssertEqual(try c.query("INSERT INTO t(id) VALUES (50)").last?.body, [UInt8(ascii: "T")])
        XCTAssertEqual(try c.query("SELECT count(*) FROM t WHERE id = 50")[1].textValues, ["1"], "the block sees its write")
        XCTAssertEqual(try other.query("SELECT count(*) FROM t WHERE id = 50")[1].textValues, ["0"], "another connection does not")
        let rollback = try c.query("ROLLBACK")
        XCTAssertEqual(rollback.map(\.type), ["C", "Z"])
        XCTAssertEqual(rollback.last?.body, [UInt8(ascii: "I")])
        XCTAssertEqual(try c.query("SELECT count(*) FROM t WHERE id = 50")[1].textValues, ["0"], "ROLLBACK undid it")

        _ = try c.query("BEGIN; INSERT INTO t(id) VALUES (51)")
        let commit = try c.query("COMMIT")
        XCTAssertEqual(commit.first?.tag, "COMMIT")
        XCTAssertEqual(commit.last?.body, [UInt8(ascii: "I")])
        XCTAssertEqual(try other.query("SELECT count(*) FROM t WHERE id = 51")[1].textValues, ["1"])

        _ = try c.query("BEGIN")
        _ = try c.query("INSERT INTO t(id) VALUES (52)")
        XCTAssertEqual(try c.query("CREATE TABLE inside (x INTEGER)").first?.fields["C"], "0A000", "DDL is refused inside a block")
        XCTAssertEqual(try c.query("SELECT 1").first?.fields["C"], "25P02")
        XCTAssertEqual(try c.query("ROLLBACK TO SAVEPOINT s").first?.fields["C"], "0A000", "a savepoint cannot undo a block's writes")
        let failed = try c.query("COMMIT")
        XCTAssertEqual(failed.first?.tag, "ROLLBACK")
        XCTAssertEqual(failed.last?.body, [UInt8(ascii: "I")])
        XCTAssertEqual(try c.query("SELECT count(*) FROM t WHERE id = 52")[1].textValues, ["0"])
    }

    /// A catalog probe Tarn cannot run is answered with no rows, and a PostgreSQL search_path is accepted: inside a
    /// block neither may leave it failed (SQLAlchemy's psycopg dialect reflects tables inside the block it opened).
    func testAnsweredProbesDoNotFailAnOpenBlock() throws {
        let c = try connect()
        _ = try c.query("BEGIN")
        let probe = try c.query("SELECT no_such_function(relname) FROM pg_catalog.pg_class")
        XCTAssertEqual(probe.map(\.type).filter { $0 == "E" }, [], "the probe is answered")
        XCTAssertEqual(probe.last?.body, [UInt8(ascii: "T")])
        XCTAssertEqual(try c.query("SET search_path TO \"$user\", public").last?.body, [UInt8(ascii: "T")])
        let after = try c.query("SELECT count(*) FROM t")
        XCTAssertNil(after.first { $0.type == "E" }?.fields["C"], "the block is still usable")
        XCTAssertEqual(after.last?.body, [UInt8(ascii: "T")])
        XCTAssertEqual(try c.query("COMMIT").first?.tag, "COMMIT")
        // The session's own refusal inside a failed block is 25P02 too, as the server's is.
        _ = try c.query("BEGIN")
        _ = try c.query("SELECT * FROM missing_table")
        XCTAssertEqual(try c.query("SELECT 1").first?.fields["C"], "25P02")
        _ = try c.query("ROLLBACK")
    }

    func testClientStatementsAreAccepted() throws {
        let c = try connect()
        XCTAssertEqual(try c.query("SET extra_float_digits = 3").first?.tag, "SET")
        XCTAssertEqual(try c.query("SET application_name TO 'psql'; SHOW application_name").first { $0.type == "D" }?.textValues, ["psql"])
        XCTAssertEqual(try c.query("SELECT current_database()")[1].textValues, ["tarn"])
        XCTAssertEqual(try c.query("SELECT current_user")[1].textValues, ["alice"])
        XCTAssertEqual(try c.query("SHOW password_encryption")[1].textValues, ["scram-sha-256"])
        XCTAssertEqual(try c.query("SELECT current_setting('TimeZone') AS tz, 'current_setting(''x'')' AS s")[1].textValues,
                       ["UTC", "current_setting('x')"], "a call inside a string stays text")
        // SQLAlchemy 2.1's table reflection casts its parameter: a client-only setting is NULL, as before the cast.
        XCTAssertEqual(try c.query("SELECT current_setting('default_table_access_method'::VARCHAR) IS NULL AS n")[1].textValues, ["t"])
        XCTAssertEqual(try c.query("SELECT version()")[1].textValues, ["PostgreSQL 15.0 (Tarn)"])
        let begin = try c.query("BEGIN")
        XCTAssertEqual(begin.last?.body, [UInt8(ascii: "T")])
        let failed = try c.query("SELECT * FROM missing_table")
        XCTAssertEqual(failed.last?.body, [UInt8(ascii: "E")])
        XCTAssertEqual(try c.query("SELECT 1").first?.fields["C"], "25P02")
        XCTAssertEqual(try c.query("ROLLBACK TO SAVEPOINT s1").last?.body, [UInt8(ascii: "T")], "back in a usable block")
        XCTAssertEqual(try c.query("SAVEPOINT s2").first?.tag, "SAVEPOINT")
        XCTAssertEqual(try c.query("RELEASE SAVEPOINT s2").first?.tag, "RELEASE")
        _ = try c.query("SELECT * FROM missing_table")
        let rollback = try c.query("COMMIT")
        XCTAssertEqual(rollback.first?.tag, "ROLLBACK")
        XCTAssertEqual(rollback.last?.body, [UInt8(ascii: "I")])
    }

    func testSSLRequestRefusedWithoutCertificateThenStartupWorks() throws {
        let c = try WireClient(port: port)
        c.send(nil, c.be32(80_877_103))
        XCTAssertEqual(try c.readByte(), UInt8(ascii: "N"))
        XCTAssertEqual(try c.startup(user: "alice", password: "s3cret").last?.type, "Z")
    }

    func testOversizedMessageIsRejected() throws {
        let c = try connect()
        c.sendRaw([UInt8(ascii: "Q")] + c.be32(Int32.max))
        let m = try c.read()
        XCTAssertEqual(m.type, "E")
        XCTAssertEqual(m.fields["C"], "08P01")
        XCTAssertThrowsError(try c.read())
    }

    func testCancelRequestStopsNothingWithWrongKeyAndServerKeepsServing() throws {
        let c = try connect()
        let other = try WireClient(port: port)
        other.send(nil, c.be32(80_877_102) + c.be32(1) + c.be32(2))
        XCTAssertThrowsError(try other.read(), "a cancel connection is closed without reply")
        XCTAssertEqual(try c.query("SELECT 5")[1].textValues, ["5"])
    }
}

/// `COPY … TO STDOUT` in text and CSV.
final class CopyOutTests: ServerTestCase {
    func testCopyQueryToStdoutAsCSVAndText() throws {
        let c = try connect()
        let csv = try c.query("COPY (SELECT id, name, ok FROM t ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)")
        XCTAssertEqual(csv.map(\.type), ["H", "d", "d", "d", "d", "c", "C", "Z"])
        XCTAssertEqual(csv.filter { $0.type == "d" }.map { String(decoding: $0.body, as: UTF8.self) },
                       ["id,name,ok\n", "1,a,t\n", "2,b,f\n", "3,,\n"])
        XCTAssertEqual(csv[6].tag, "COPY 3")
        let text = try c.query("COPY t(id, name) TO STDOUT")
        XCTAssertEqual(text.filter { $0.type == "d" }.map { String(decoding: $0.body, as: UTF8.self) },
                       ["1\ta\n", "2\tb\n", "3\t\\N\n"])
    }

    func testCopyParsing() {
        XCTAssertEqual(CopyOut.parse("copy (select 1) to stdout"), CopyOut(query: "select 1", csv: false, header: false, delimiter: "\t"))
        XCTAssertEqual(CopyOut.parse("COPY s.t TO STDOUT DELIMITER ';' CSV"), CopyOut(query: "SELECT * FROM s.t", csv: true, header: false, delimiter: ";"))
        XCTAssertNil(CopyOut.parse("COPY t TO 'file.csv'"), "COPY to a file stays Tarn's")
        XCTAssertNil(CopyOut.parse("copyright"))
    }
}

/// CREATE / ALTER / DROP USER over the protocol, stored as verifiers.
final class UserCommandTests: ServerTestCase {
    func testCreateAlterDropUser() throws {
        let c = try connect()
        XCTAssertEqual(try c.query("CREATE USER bob WITH PASSWORD 'pa''ss' READ ONLY").first?.tag, "CREATE ROLE")
        XCTAssertEqual(try c.query("CREATE USER bob PASSWORD 'x'").first?.fields["C"], "42710")
        let bob = try connect(user: "bob", password: "pa'ss")
        XCTAssertEqual(try bob.query("DELETE FROM t").first?.fields["C"], "25006")
        XCTAssertEqual(try bob.query("CREATE USER eve PASSWORD 'x'").first?.fields["C"], "25006", "a READ ONLY user cannot manage users")
        XCTAssertEqual(try c.query("ALTER USER bob PASSWORD 'new' READ WRITE").first?.tag, "ALTER ROLE")
        let wrong = try WireClient(port: port)
        XCTAssertEqual(try wrong.startup(user: "bob", password: "pa'ss").last?.fields["C"], "28P01")
        let again = try connect(user: "bob", password: "new")
        XCTAssertEqual(try again.query("DELETE FROM t WHERE id = 3").first?.tag, "DELETE 1")
        XCTAssertEqual(try c.query("DROP USER bob").first?.tag, "DROP ROLE")
        XCTAssertEqual(try c.query("DROP USER bob").first?.fields["C"], "42704")
        XCTAssertEqual(try c.query("DROP USER IF EXISTS bob").first?.tag, "DROP ROLE")
        let gone = try WireClient(port: port)
        XCTAssertEqual(try gone.startup(user: "bob", password: "new").last?.fields["C"], "28P01")
    }

    func testParsing() {
        XCTAssertEqual(UserCommand.parse("create role \"Ann\" login password 'x';"), .create(name: "Ann", password: "x", readOnly: false))
        XCTAssertEqual(UserCommand.parse("ALTER USER a READ ONLY"), .alter(name: "a", password: nil, readOnly: true))
        XCTAssertNil(UserCommand.parse("CREATE USER a"), "a user needs a password")
        XCTAssertNil(UserCommand.parse("CREATE TABLE user(a INT)"))
    }
}

/// Smaller protocol details clients rely on.
final class ProtocolDetailTests: ServerTestCase {
    func testEmptyQueryInExtendedMode() throws {
        let c = try connect()
        c.parse("", "")
        c.bind(parameters: [])
        c.execute()
        c.sync()
        XCTAssertEqual(try c.readUntilReady().map(\.type), ["1", "2", "I", "Z"])
    }

    func testSetOfReportedParameterSendsParameterStatus() throws {
        let c = try connect()
        let m = try c.query("SET application_name = 'report'")
        XCTAssertEqual(m.map(\.type), ["S", "C", "Z"])
        XCTAssertEqual(m[0].body, Array("application_name\0report\0".utf8))
    }

    func testWrongParameterCountIsAnError() throws {
        let c = try connect()
        c.parse("", "SELECT $1::int4 + $2::int4")
        c.bind(parameters: [c.be32(1)])
        c.sync()
        let m = try c.readUntilReady()
        XCTAssertEqual(m.map(\.type), ["1", "E", "Z"])
        XCTAssertEqual(m[1].fields["C"], "08P01")
    }
}

/// Results come from the running plan batch by batch, not from a materialised result.
final class StreamingTests: ServerTestCase {
    func testLargeResultStreamsAndRowLimitSpansBatches() throws {
        let c = try connect()
        _ = try c.query("CREATE TABLE many AS SELECT range AS n FROM range(50000)")
        let all = try c.query("SELECT n FROM many ORDER BY n")
        XCTAssertEqual(all.filter { $0.type == "D" }.count, 50_000)
        XCTAssertEqual(all.first { $0.type == "C" }?.tag, "SELECT 50000")
        // 3000 rows per Execute crosses batch boundaries (2048 rows) of the running plan.
        c.parse("", "SELECT n FROM many ORDER BY n")
        c.bind(parameters: [])
        for _ in 0..<17 { c.execute(maxRows: 3000) }
        c.sync()
        let m = try c.readUntilReady()
        let values = m.filter { $0.type == "D" }.compactMap { $0.textValues.first ?? nil }.compactMap { Int($0) }
        XCTAssertEqual(values, Array(0..<50_000))
        XCTAssertEqual(m.filter { $0.type == "s" }.count, 16)
        XCTAssertEqual(m.first { $0.type == "C" }?.tag, "SELECT 2000")
    }
}

/// `--max-connections`: the connection past the limit gets FATAL 53300; closing one frees a slot.
final class ConnectionLimitTests: ServerTestCase {
    func testConnectionLimit() throws {
        var open: [WireClient] = []
        for _ in 0..<8 { open.append(try connect()) }
        let extra = try WireClient(port: port)
        let refused = try extra.startup(user: "alice", password: "s3cret")
        XCTAssertEqual(refused.last?.fields["C"], "53300")
        open.removeLast().send("X", [])
        var admitted = false
        for _ in 0..<50 where !admitted {
            let c = try WireClient(port: port)
            admitted = try c.startup(user: "alice", password: "s3cret").last?.type == "Z"
            if !admitted { Thread.sleep(forTimeInterval: 0.05) }
        }
        XCTAssertTrue(admitted, "a slot frees when a client terminates")
        XCTAssertEqual(try open[0].query("SELECT 1")[1].textValues, ["1"])
    }
}
