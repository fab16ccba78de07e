import Crypto
import Foundation

/// PostgreSQL's md5 password authentication, for old clients that lack SCRAM (only with `tarn serve --allow-md5`).
/// The stored verifier is `md5` + hex(MD5(password + user)), PostgreSQL's format; the client answers the
/// server's 4-byte salt with `md5` + hex(MD5(hex(MD5(password + user)) + salt)). MD5 is broken as a hash and the
/// verifier is as good as the password for this exchange, which is why it is off by default and stored only for
/// users created or changed while the option is on.
enum MD5Password {
    /// The verifier stored for `user` with `password`.
    static func verifier(user: String, password: String) -> String {
        "md5" + hex(Array((password + user).utf8))
    }

    /// Whether `response` (the PasswordMessage's text) proves knowledge of the password behind `verifier`.
    static func verify(response: String, verifier: String, salt: [UInt8]) -> Bool {
        guard verifier.hasPrefix("md5"), verifier.count == 35 else { return false }
        let expected = "md5" + hex(Array(verifier.dropFirst(3).utf8) + salt)
        let a = Array(expected.utf8), b = Array(response.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
