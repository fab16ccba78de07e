import NIOCore
@testable import Server
import XCTest

/// Pieces of the server checked without a socket: PBKDF2, SCRAM verifiers, framing, parameters, NUMERIC.
final class ServerUnitTests: XCTestCase {
    func testPBKDF2MatchesReferenceVectors() {
        func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
        XCTAssertEqual(hex(PBKDF2.sha256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1)),
                       "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
        XCTAssertEqual(hex(PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096)),
                       "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    func testArraySubscriptsAndBareKeywordsAreRewrittenOutsideStrings() {
        XCTAssertEqual(ClientCompatibility.rewriteArraySubscripts("SELECT (pg_catalog.current_schemas(true))[1], (current_schemas(false))[s.r]"),
                       "SELECT pg_array_element(pg_catalog.current_schemas(true), 1), pg_array_element(current_schemas(false), s.r)")
        XCTAssertEqual(ClientCompatibility.rewriteArraySubscripts("SELECT '(a)[1]', 'it''s (b)[2]'"), "SELECT '(a)[1]', 'it''s (b)[2]'")
        let c = ClientCompatibility(databaseName: "db", userName: "ann", serverVersion: "15.0")
        XCTAssertEqual(c.rewriteFunctions("SELECT current_user, session_user, t.current_user, current_user_id, 'current_user'"),
                       "SELECT 'ann', 'ann', t.current_user, current_user_id, 'current_user'")
    }

    func testVerifierRoundTripsAndHoldsNoPassword() throws {
        let v = ScramVerifier.make(password: "hunter2")
        let parsed = try XCTUnwrap(ScramVerifier(encoded: v.encoded))
        XCTAssertEqual(parsed, v)
        XCTAssertFalse(v.encoded.contains("hunter2"))
        XCTAssertNil(ScramVerifier(encoded: "md5abcdef"))
    }

    func testScramRejectsChannelBindingAndBadNonce() throws {
        var exchange = ScramExchange(verifier: ScramVerifier.make(password: "x"))
        XCTAssertThrowsError(try exchange.receiveClientFirst("p=tls-server-end-point,,n=,r=abc"))
        _ = try exchange.receiveClientFirst("n,,n=,r=abc")
        XCTAssertThrowsError(try exchange.receiveClientFinal("c=biws,r=other,p=AAAA"))
    }

    func testDecoderWaitsForWholeFramesAndBoundsLength() throws {
        var decoder = FrontendMessageDecoder(maxMessageLength: 1024)
        var b = ByteBuffer()
        b.writeInteger(Int32(8)); b.writeInteger(Int32(80_877_103))
        XCTAssertEqual(try decoder.decodeOne(&b), .sslRequest)
        b.writeInteger(Int32(4 + 4 + 5 + 4 + 1)); b.writeInteger(Int32(196_608))
        b.writeString("user\0"); b.writeString("bob\0")
        var partial = b.getSlice(at: b.readerIndex, length: 6) ?? ByteBuffer()
        XCTAssertNil(try decoder.decodeOne(&partial))
        b.writeInteger(UInt8(0))
        XCTAssertEqual(try decoder.decodeOne(&b), .startup(parameters: ["user": "bob"]))
        b.writeInteger(UInt8(ascii: "Q")); b.writeInteger(Int32(4 + 9)); b.writeString("SELECT 1\0")
        XCTAssertEqual(try decoder.decodeOne(&b), .query("SELECT 1"))
        b.writeInteger(UInt8(ascii: "Q")); b.writeInteger(Int32(2000))
        XCTAssertThrowsError(try decoder.decodeOne(&b))
    }

    func testPlaceholdersOutsideStringsAndCasts() throws {
        let p = ParameterText("SELECT '$1', \"$2\", $1::int8, CAST($2 AS date), $3 -- $4\n/* $5 */")
        XCTAssertEqual(p.parameterCount, 3)
        XCTAssertEqual(p.parameterTypes(declared: []), [20, 1082, 25])
        XCTAssertEqual(p.parameterTypes(declared: [23, 0, 16]), [23, 1082, 16])
        XCTAssertEqual(try p.substitute(["1", "'2024-01-01'", "'x'"]),
                       "SELECT '$1', \"$2\", 1::int8, CAST('2024-01-01' AS date), 'x' -- $4\n/* $5 */")
    }

    func testParameterLiteralsAreValidatedOrQuoted() throws {
        XCTAssertEqual(try ParameterLiteral.text("'; DROP TABLE t; --", typeOID: 25), "'''; DROP TABLE t; --'")
        XCTAssertThrowsError(try ParameterLiteral.text("1; DROP TABLE t", typeOID: 23))
        XCTAssertThrowsError(try ParameterLiteral.text("1e5", typeOID: 1700))
        XCTAssertEqual(try ParameterLiteral.text("-12.50", typeOID: 1700), "-12.50")
    }

    func testNumericBinaryRoundTrip() {
        for (v, s) in [(Int64(0), 2), (12_345_678, 2), (-1, 4), (100_000_000, 0), (Int64.max, 18), (5, 3)] {
            var b = ByteBuffer()
            PostgresNumeric.writeBinary(unscaled: v, scale: s, into: &b)
            let text = PostgresNumeric.readBinary(&b)
            XCTAssertEqual(text, ValueFormattingProxy.decimal(v, s), "\(v) scale \(s)")
        }
    }
}

import Storage

/// Tarn's own decimal text, the reference for the NUMERIC round trip.
enum ValueFormattingProxy {
    static func decimal(_ v: Int64, _ s: Int) -> String { ValueFormatting.format(decimal: v, scale: s) }
}
