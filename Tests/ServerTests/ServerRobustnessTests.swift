import NIOCore
@testable import Server
import XCTest

/// What a peer sends must never crash the server: random bytes through the decoder, the message
/// parsers, binary parameters and SCRAM messages only ever produce values or errors.
final class ServerRobustnessTests: XCTestCase {
    private var rng = SystemRandomNumberGenerator()

    private func randomBytes(_ max: Int) -> [UInt8] {
        (0..<Int.random(in: 0...max, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    func testRandomStreamsThroughTheDecoder() {
        for round in 0..<2_000 {
            var decoder = FrontendMessageDecoder(maxMessageLength: 4096)
            var buffer = ByteBuffer()
            if round % 2 == 1 {
                // A valid startup first, so the typed-message path gets random input too.
                buffer.writeInteger(Int32(4 + 4 + 5 + 2 + 1)); buffer.writeInteger(Int32(196_608))
                buffer.writeString("user\0a\0"); buffer.writeInteger(UInt8(0))
            }
            buffer.writeBytes(randomBytes(300))
            var steps = 0
            while steps < 100, let message = try? decoder.decodeOne(&buffer) {
                _ = message
                steps += 1
            }
        }
    }

    func testRandomBodiesOfEveryTypedMessage() {
        for type in "QPBDCESHXp".utf8 {
            for _ in 0..<500 {
                var body = ByteBuffer(bytes: randomBytes(64))
                _ = try? FrontendMessageDecoder.parseTyped(type, &body)
            }
        }
    }

    func testRandomBinaryParameters() {
        for oid: Int32 in [16, 20, 21, 23, 25, 700, 701, 1082, 1114, 1184, 1700, 0] {
            for _ in 0..<500 {
                _ = try? ParameterLiteral.literal(ByteBuffer(bytes: randomBytes(24)), format: 1, typeOID: oid)
                _ = try? ParameterLiteral.literal(ByteBuffer(bytes: randomBytes(24)), format: 0, typeOID: oid)
            }
        }
        var extreme = ByteBuffer()
        extreme.writeInteger(Int16(3)); extreme.writeInteger(Int16.max); extreme.writeInteger(UInt16(0)); extreme.writeInteger(Int16(1000))
        for _ in 0..<3 { extreme.writeInteger(Int16(9999)) }
        XCTAssertNotNil(try? ParameterLiteral.literal(extreme, format: 1, typeOID: 1700), "a huge weight is still a number")
    }

    func testRandomScramMessages() {
        for _ in 0..<500 {
            var exchange = ScramExchange(verifier: nil)
            let first = String(decoding: randomBytes(80), as: UTF8.self)
            _ = try? exchange.receiveClientFirst(first)
            _ = try? exchange.receiveClientFirst("n,,n=,r=" + first)
            _ = try? exchange.receiveClientFinal(String(decoding: randomBytes(120), as: UTF8.self))
        }
    }

    func testRandomSQLThroughTheTextHelpers() {
        let pieces = ["$1", "$", "'", "\"", "--", "/*", "*/", "::", "cast(", " as ", "int8", "(", ")", "copy", " to stdout", "version()",
                      "current_setting('", "set ", "show ", "create user ", " password '", "x", " ", "\n", ";"]
        for _ in 0..<3_000 {
            let sql = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined()
            let p = ParameterText(sql)
            _ = p.parameterTypes(declared: [])
            _ = try? p.substitute(Array(repeating: "1", count: p.parameterCount))
            _ = CopyOut.parse(sql)
            _ = UserCommand.parse(sql)
            let compatibility = ClientCompatibility(databaseName: "d", userName: "u", serverVersion: "15.0")
            _ = compatibility.classify(sql)
        }
    }
}
