import XCTest
@testable import SQLLogicTest
import Tarn

/// MD5 against the RFC 1321 test suite and block-boundary lengths.
final class SQLLogicTestMD5Tests: XCTestCase {
    func testRFC1321Vectors() {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
            ("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"),
        ]
        for (input, expected) in vectors { XCTAssertEqual(MD5.hex(input), expected, "md5(\(input))") }
    }

    func testIncrementalUpdatesMatchOneShot() {
        // Lengths around the 56/64-byte padding boundaries, fed in uneven pieces.
        for length in [55, 56, 57, 63, 64, 65, 127, 128, 129, 1000] {
            let text = String((0..<length).map { Character(UnicodeScalar(UInt8(0x21 + $0 % 90))) })
            var pieces = MD5()
            var rest = Substring(text)
            var size = 1
            while !rest.isEmpty {
                pieces.update(String(rest.prefix(size)))
                rest = rest.dropFirst(size)
                size = size * 3 % 17 + 1
            }
            var bytewise = MD5()
            bytewise.update(Array(text.utf8))
            XCTAssertEqual(pieces.hexDigest, MD5.hex(text), "length \(length)")
            XCTAssertEqual(bytewise.hexDigest, MD5.hex(text), "length \(length)")
        }
        XCTAssertEqual(MD5.hex(String(repeating: "a", count: 1000)), "cabe45dcc9ae5b66ba86600cca6b8ba8")
    }
}
